import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { runCli, testConfig } from '@carepact/testing';

/** Issue 3 §6–7: the offline render command and the easy-to-read lint, as a user runs them. */
describe('CLI: render (offline) and falc:lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carepact-cli-'));
  const fixture = join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json');
  // No database and no Redis: an unreachable URL proves the command never connects.
  const config = testConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' });
  const render = (args: string[]) => runCli(config, ['render', ...args]);

  it('renders the demo contract in every format and variant, without database or Redis', async () => {
    for (const [format, magic] of [
      ['pdf', '%PDF-'],
      ['docx', 'PK'],
      ['html', '<!DOCTYPE html>'],
    ] as const) {
      for (const variant of ['standard', 'falc', 'large-print']) {
        const out = join(dir, `contrat-${variant}.${format}`);
        const res = await render(['--type', 'contrat-sejour', '--fixture', fixture, '--resident', 'marcel-dupont', '--variant', variant, '--format', format, '--out', out]);
        expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
        expect(readFileSync(out).subarray(0, magic.length).toString()).toBe(magic);
      }
    }
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'contrat-standard.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Karim Benaïssa');
  });

  it('an unknown resident, an unknown type, missing data: a clear French message and exit code 2', async () => {
    const unknown = await render(['--type', 'contrat-sejour', '--fixture', fixture, '--resident', 'personne', '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Personne inconnue');
    const type = await render(['--type', 'contrat', '--fixture', fixture, '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('Type inconnu');
    const broken = JSON.parse(readFileSync(fixture, 'utf8')) as { documents: Record<string, Record<string, unknown>> };
    delete broken.documents['contrat-sejour'].objectives;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const missing = await render(['--type', 'contrat-sejour', '--fixture', join(dir, 'broken.json'), '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('document.objectives');
    const noFile = await render(['--type', 'dipc', '--fixture', join(dir, 'absent.json'), '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(noFile.code).toBe(2);
  });

  it('applies the API’s rules: a contract for a short stay, or under an expired measure, exits 2 with the code (issue 8 E)', async () => {
    const short = await render(['--type', 'contrat-sejour', '--fixture', fixture, '--resident', 'ahmed-benali', '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('deux mois ou moins');
    const expired = await render(['--type', 'contrat-sejour', '--fixture', fixture, '--resident', 'rose-lambert', '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(expired.code).toBe(2);
    expect(expired.stderr).toContain('PROTECTION_MEASURE_EXPIRED');
  });

  it('takes each resident’s own document data, never another resident’s (issue 8 E)', async () => {
    const out = join(dir, 'lucie.html');
    const res = await render(['--type', 'contrat-sejour', '--fixture', fixture, '--resident', 'lucie-bernard', '--format', 'html', '--out', out]);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Alain Bernard');
    // Marcel Dupont's objectives and curateur belonged to his own contract.
    expect(html).not.toContain('belote');
    expect(html).not.toContain('Karim Benaïssa');
    const bare = JSON.parse(readFileSync(fixture, 'utf8')) as { residents: { key: string; documents?: unknown }[] };
    for (const r of bare.residents) delete r.documents;
    writeFileSync(join(dir, 'bare.json'), JSON.stringify(bare));
    const none = await render(['--type', 'contrat-sejour', '--fixture', join(dir, 'bare.json'), '--resident', 'lucie-bernard', '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('lucie-bernard');
  });

  it('falc:lint passes on every template (0 errors) and says so', async () => {
    const res = await runCli(config, ['falc:lint']);
    // Every version on disk is checked, the published and the drafts alike.
    const documents = join(projectRoot(), 'templates', 'documents');
    const versions = readdirSync(documents).flatMap((type) => readdirSync(join(documents, type)).filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f)));
    expect(versions.length).toBeGreaterThanOrEqual(27);
    expect(res.stdout).toContain(`${versions.length} version(s) de modèle vérifiée(s) : 0 erreur(s)`);
    expect(res.code).toBe(0);
  });
});
