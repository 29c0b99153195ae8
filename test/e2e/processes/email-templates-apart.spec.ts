import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/**
 * Issue 12 (worker peak RSS): the worker compiles every e-mail template at start in a child
 * process, so MJML and its dependencies (some 37 MB) never load in the worker itself. Compiled
 * library (the child needs dist/).
 */
describe('e-mail templates compiled apart', () => {
  const root = projectRoot();
  const run = (body: string): unknown =>
    JSON.parse(
      execFileSync(process.execPath, ['-e', `(async () => { const n = require(${JSON.stringify(join(root, 'dist/libs/notifications/src'))}); ${body} })().catch((e) => { process.stdout.write(JSON.stringify({ failed: e.message })); })`], {
        cwd: root,
        encoding: 'utf8',
      }),
    );
  const samples = 'n.emailSamples()';

  it('fills the cache with every template, renders the same e-mails, and never loads MJML here', () => {
    const apart = run(`
      const count = await n.precompileEmailTemplatesApart();
      const samples = ${samples};
      const emails = n.EMAIL_KINDS.map((k) => n.renderEmail(k, samples[k]));
      const mjml = Object.keys(require.cache).some((k) => k.includes('/node_modules/mjml'));
      process.stdout.write(JSON.stringify({ count, emails, mjml }));`) as { count: number; emails: unknown[]; mjml: boolean };
    const here = run(`
      const count = n.precompileEmailTemplates();
      const samples = ${samples};
      const emails = n.EMAIL_KINDS.map((k) => n.renderEmail(k, samples[k]));
      const mjml = Object.keys(require.cache).some((k) => k.includes('/node_modules/mjml'));
      process.stdout.write(JSON.stringify({ count, emails, mjml }));`) as { count: number; emails: unknown[]; mjml: boolean };
    expect(here.mjml).toBe(true);
    expect(apart.mjml).toBe(false);
    expect(apart.count).toBe(here.count);
    expect(apart.count).toBeGreaterThan(10);
    expect(apart.emails).toEqual(here.emails);
  });
});
