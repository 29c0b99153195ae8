import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manifest, signManifest } from '@carepact/archive';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { PortalClient, freePort, launchChromium, runCli, waitUntil, countersignFetch } from '@carepact/testing';
import { ensureDevSealIdentity } from '@carepact/signing';
import { SigningHarness, startSigningHarness } from '../../e2e/signing/signing-harness';
import { readZip, withBlobRewritten, writeZip } from './archive-tools';

interface Edition {
  edition: number;
  blob_sha256: string;
  evidence_sha256: string;
  sealed_at: Date;
}

/**
 * CASF D.311 II–III: a DIPC is sealed when the director signs it (edition 1, handed over to the
 * person) and sealed again when she countersigns (edition 2). Both editions are kept, in order, in
 * the access zip (RGPD art. 15), the archive package (checked offline by archive:verify, each
 * edition named), the document history and « Vérifier à nouveau ».
 */
describe('sealed editions of a DIPC in the archive, the access zip, the history and its verification', () => {
  let h: SigningHarness;
  let dir: string;
  let docId: string;
  let residentId: string;
  let requestId: string;
  let editions: Edition[];
  let pkg: string;
  let offline: Record<string, string>;
  const exportCli = (...args: string[]) => runCli(h.db.config, ['archive:export', ...args], { CAREPACT_SECRETS_DIR: h.db.config.paths.secretsDir });
  const verify = (file: string) => runCli(h.db.config, ['archive:verify', file], offline);
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const flip = (b: Buffer) => {
    const c = Buffer.from(b);
    c[Math.floor(c.length / 2)] ^= 0x01;
    return c;
  };
  const dayFr = (d: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' }).format(d);

  beforeAll(async () => {
    h = await startSigningHarness();
    dir = mkdtempSync(join(tmpdir(), 'carepact-editions-'));
    offline = { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`, REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    docId = await h.document('Ahmed', 'dipc');
    residentId = await h.residentId('Ahmed');
    const admissions = await h.staff('admissions@les-tilleuls.example');
    const created = (await (
      await admissions(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })
    ).json()) as { id: string };
    requestId = created.id;
    const invitation = (await h.waitForMail('ahmed.benali@example.org', 1, /signer|signature/i))[0];
    // The director establishes the DIPC: edition 1.
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, requestId)).status).toBe(200);
    await waitUntil('edition 1', async () => (await h.sql(`SELECT 1 FROM sealed_documents WHERE request_id = $1`, [requestId])).length === 1, 60000);
    // She countersigns after: edition 2.
    const portal = new PortalClient(h.base);
    expect((await portal.open(PortalClient.linksIn(invitation.text, h.base)[0])).status).toBe(303);
    await portal.get('/portail');
    expect((await portal.sign({ consent: 'oui', typedName: 'Ahmed Benali' })).status).toBe(303);
    await waitUntil('edition 2', async () => (await h.sql(`SELECT 1 FROM sealed_documents WHERE request_id = $1`, [requestId])).length === 2, 60000);
    editions = await h.sql<Edition>(`SELECT edition, blob_sha256, evidence_sha256, sealed_at FROM sealed_documents WHERE request_id = $1 ORDER BY edition`, [requestId]);
    expect(editions.map((e) => e.edition)).toEqual([1, 2]);
    expect(editions[0].blob_sha256).not.toBe(editions[1].blob_sha256);
  }, 300000);
  afterAll(async () => {
    await h?.close();
  });

  const sig = (name: string) => `documents/${docId}/signatures/${requestId}/${name}`;

  it('the access zip (RGPD art. 15) holds both editions, the first under its former names, and lists them in document.json', async () => {
    const admin = await h.staff('admin@jardins-du-val.example');
    const job = (await (await admin('/api/data-jobs/access-request', { method: 'POST', body: JSON.stringify({ residentId }) })).json()) as { id: string };
    await waitUntil('access job', async () => ['done', 'failed'].includes(((await (await admin(`/api/data-jobs/${job.id}`)).json()) as { status: string }).status), 90000);
    const res = await admin(`/api/data-jobs/${job.id}/download`);
    expect(res.status).toBe(200);
    const file = join(dir, 'acces.zip');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const zip = await readZip(file);
    expect(sha256(zip.get(sig('document-scelle.pdf'))!)).toBe(editions[0].blob_sha256);
    expect(sha256(zip.get(sig('preuve.json'))!)).toBe(editions[0].evidence_sha256);
    expect(sha256(zip.get(sig('document-scelle-exemplaire-2.pdf'))!)).toBe(editions[1].blob_sha256);
    expect(sha256(zip.get(sig('preuve-exemplaire-2.json'))!)).toBe(editions[1].evidence_sha256);
    const doc = JSON.parse(zip.get(`documents/${docId}/document.json`)!.toString()) as { demandesDeSignature: { id: string; exemplairesScelles: { exemplaire: number; fichier: string; preuve: string; empreinteSha256: string }[] }[] };
    const listed = doc.demandesDeSignature.find((r) => r.id === requestId)!.exemplairesScelles;
    expect(listed.map((e) => [e.exemplaire, e.fichier, e.preuve, e.empreinteSha256])).toEqual([
      [1, `signatures/${requestId}/document-scelle.pdf`, `signatures/${requestId}/preuve.json`, editions[0].blob_sha256],
      [2, `signatures/${requestId}/document-scelle-exemplaire-2.pdf`, `signatures/${requestId}/preuve-exemplaire-2.json`, editions[1].blob_sha256],
    ]);
    // Every file, both editions included, is in the signed manifest of the access zip.
    const manifest = JSON.parse(zip.get('manifeste.json')!.toString()) as { files: { path: string; sha256: string }[] };
    for (const name of ['document-scelle.pdf', 'preuve.json', 'document-scelle-exemplaire-2.pdf', 'preuve-exemplaire-2.json'])
      expect(manifest.files.find((f) => f.path === sig(name))?.sha256).toBe(sha256(zip.get(sig(name))!));
  });

  it('the archive package holds and lists both editions in order; archive:verify checks both PAdES seals', async () => {
    pkg = join(dir, 'document.zip');
    expect(await exportCli('--document', docId, '--out', pkg)).toMatchObject({ code: 0 });
    const zip = await readZip(pkg);
    expect(sha256(zip.get(sig('document-scelle.pdf'))!)).toBe(editions[0].blob_sha256);
    expect(sha256(zip.get(sig('document-scelle-exemplaire-2.pdf'))!)).toBe(editions[1].blob_sha256);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString()) as Manifest;
    expect(manifest.sealed.map((s) => [s.requestId, s.edition, s.path, s.evidencePath, s.evidenceSha256])).toEqual([
      [requestId, 1, sig('document-scelle.pdf'), sig('preuve.json'), editions[0].evidence_sha256],
      [requestId, 2, sig('document-scelle-exemplaire-2.pdf'), sig('preuve-exemplaire-2.json'), editions[1].evidence_sha256],
    ]);
    const res = await verify(pkg);
    expect({ code: res.code, out: res.stdout }).toEqual({ code: 0, out: expect.stringContaining('2 sceau(x) PAdES valides') });
  });

  /** A copy of the package with `change` applied; optionally re-signed with the real key (an insider). */
  const tampered = async (name: string, change: (e: Map<string, Buffer>, m: Manifest) => void, resign = false): Promise<string> => {
    const entries = await readZip(pkg);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    change(entries, manifest);
    if (resign) {
      manifest.files = manifest.files.filter((f) => entries.has(f.path)).map((f) => ({ ...f, sha256: sha256(entries.get(f.path)!), size: entries.get(f.path)!.length }));
      const bytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n');
      const identity = await ensureDevSealIdentity(join(h.db.config.paths.secretsDir, 'seal'), 'x');
      entries.set('manifest.json', bytes);
      entries.set('manifest.json.p7s', signManifest(bytes, identity));
    }
    const file = join(dir, `${name}.zip`);
    await writeZip(file, entries);
    return file;
  };
  const problemLine = async (file: string) => {
    const res = await verify(file);
    return { code: res.code, line: res.stdout.trim() };
  };

  it('edition 1 altered in the package is named by archive:verify (its hash; re-signed by an insider, its PAdES seal)', async () => {
    const first = sig('document-scelle.pdf');
    const change = (e: Map<string, Buffer>) => e.set(first, flip(e.get(first)!));
    expect(await problemLine(await tampered('edition1-byte', change))).toEqual({ code: 1, line: expect.stringContaining(`${first} [HASH_MISMATCH] — Le document scellé (exemplaire 1 de la demande ${requestId}) a été modifié`) });
    expect(await problemLine(await tampered('edition1-resigned', change, true))).toEqual({ code: 1, line: expect.stringContaining(`${first} [PADES_INVALID] — Le sceau PAdES du PDF (exemplaire 1 de la demande ${requestId})`) });
    const second = sig('preuve-exemplaire-2.json');
    expect(await problemLine(await tampered('edition2-evidence', (e) => e.set(second, flip(e.get(second)!))))).toEqual({
      code: 1,
      line: expect.stringContaining(`${second} [HASH_MISMATCH] — Le dossier de preuve (exemplaire 2 de la demande ${requestId}) a été modifié`),
    });
  });

  it('a package whose manifest leaves out edition 1 while listing edition 2 does not verify; a package of one edition written before editions still does', async () => {
    const dropFirst = (e: Map<string, Buffer>, m: Manifest) => {
      e.delete(sig('document-scelle.pdf'));
      e.delete(sig('preuve.json'));
      m.sealed = m.sealed.filter((s) => s.edition !== 1);
    };
    expect(await problemLine(await tampered('edition1-dropped', dropFirst, true))).toEqual({
      code: 1,
      line: expect.stringContaining(`manifest.json [MANIFEST_INVALID] — L’exemplaire 1 de la demande ${requestId} manque au manifeste`),
    });
    // As written before editions: one seal per request, no `edition` nor `sealedAt` in the manifest.
    const legacy = (e: Map<string, Buffer>, m: Manifest) => {
      e.delete(sig('document-scelle-exemplaire-2.pdf'));
      e.delete(sig('preuve-exemplaire-2.json'));
      m.sealed = m.sealed.filter((s) => s.edition === 1).map(({ edition: _e, sealedAt: _s, ...s }) => s);
    };
    const res = await verify(await tampered('legacy', legacy, true));
    expect({ code: res.code, out: res.stdout }).toEqual({ code: 0, out: expect.stringContaining('1 sceau(x) PAdES valides') });
  });

  it('the history lists both editions, in order and named; the console history page shows them', async () => {
    const auditor = await h.staff('direction@les-tilleuls.example');
    const history = (await (await auditor(`/api/documents/${docId}/history`)).json()) as {
      signatureRequests: { id: string; sealed: { sha256: string } | null; editions: { edition: number; label: string; sha256: string; evidenceSha256: string }[] }[];
    };
    const r = history.signatureRequests.find((x) => x.id === requestId)!;
    expect(r.editions.map((e) => [e.edition, e.label, e.sha256, e.evidenceSha256])).toEqual([
      [1, `Exemplaire 1 — établi par la direction le ${dayFr(editions[0].sealed_at)}`, editions[0].blob_sha256, editions[0].evidence_sha256],
      [2, `Exemplaire 2 — contresigné le ${dayFr(editions[1].sealed_at)}`, editions[1].blob_sha256, editions[1].evidence_sha256],
    ]);
    // « The » sealed document stays the latest edition.
    expect(r.sealed!.sha256).toBe(editions[1].blob_sha256);

    const login = await fetch(`${h.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'direction@les-tilleuls.example', password: DEFAULT_DEMO_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${h.base}/console/documents/${docId}/historique`, { headers: { Cookie: cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    const first = html.indexOf(`Exemplaire 1 — établi par la direction le ${dayFr(editions[0].sealed_at)}`);
    const second = html.indexOf(`Exemplaire 2 — contresigné le ${dayFr(editions[1].sealed_at)}`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(html).toContain(editions[0].blob_sha256.slice(0, 16));
    // A picture for a human to look at, when asked (EDITIONS_SCREENSHOTS=<dir>).
    const shots = process.env.EDITIONS_SCREENSHOTS;
    if (shots) {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
        await context.addCookies([{ name: cookie.slice(0, cookie.indexOf('=')), value: cookie.slice(cookie.indexOf('=') + 1), url: h.base }]);
        const p = await context.newPage();
        await p.goto(`${h.base}/console/documents/${docId}/historique`);
        await p.screenshot({ path: join(shots, 'console-historique-exemplaires.png'), fullPage: true });
        await p.locator('ol.editions').first().screenshot({ path: join(shots, 'console-historique-exemplaires-detail.png') });
      } finally {
        await browser.close();
      }
    }
  });

  it('« Vérifier à nouveau » checks each edition (hash, PAdES signature, evidence) and names the edition 1 PDF when it was altered', async () => {
    const admin = await h.staff('admin@jardins-du-val.example');
    type Verification = { ok: boolean; checks: { what: string; ok: boolean; detail: string | null }[] };
    const first = (await (await admin(`/api/documents/${docId}/verify`, { method: 'POST' })).json()) as Verification;
    expect(first.ok).toBe(true);
    const label1 = `Exemplaire 1 — établi par la direction le ${dayFr(editions[0].sealed_at)}`;
    const label2 = `Exemplaire 2 — contresigné le ${dayFr(editions[1].sealed_at)}`;
    const sealChecks = first.checks.filter((c) => c.what.startsWith('Exemplaire'));
    expect(sealChecks.map((c) => [c.what.split(' (demande')[0], c.what.split(') — ')[1], c.ok])).toEqual([
      [label1, 'empreinte', true],
      [label1, 'signature électronique (plage signée, empreinte, signature CMS, certificat)', true],
      [label1, 'horodatage', true],
      [label1, 'preuve (JSON)', true],
      [label2, 'empreinte', true],
      [label2, 'signature électronique (plage signée, empreinte, signature CMS, certificat)', true],
      [label2, 'horodatage', true],
      [label2, 'preuve (JSON)', true],
    ]);
    const [{ content }] = (await h.ds.query(`SELECT content FROM blobs WHERE sha256 = $1`, [editions[0].blob_sha256])) as { content: Buffer }[];
    await withBlobRewritten(h.db.config, editions[0].blob_sha256, flip(content), async () => {
      const second = (await (await admin(`/api/documents/${docId}/verify`, { method: 'POST' })).json()) as Verification;
      expect(second.ok).toBe(false);
      const failed = second.checks.filter((c) => !c.ok);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.every((c) => c.what.startsWith(label1))).toBe(true);
      expect(failed.find((c) => c.what.endsWith('— empreinte'))).toMatchObject({ detail: expect.stringContaining(`au lieu de ${editions[0].blob_sha256}`) });
    });
  });
});
