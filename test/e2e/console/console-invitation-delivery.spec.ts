import type { Browser, Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { SigningHarness, axeViolations, launchChromium, pageBasics, startSigningHarness, waitUntil } from '@carepact/testing';

interface UserView {
  id: string;
  invitationPending: boolean;
  invitationEmail?: { state: string; refused?: boolean };
}

/**
 * An invitation e-mail that cannot leave is said on the accounts page, not only in the audit
 * journal: the SMTP server is unreachable, every attempt fails (short backoffs), the job gives up
 * and records `account.email_failed`; the administrator reads « L’e-mail d’invitation n’est pas
 * parti », sends it again once the server is back, and the page then says when it was sent.
 */
describe('console: an invitation whose e-mail does not leave', () => {
  let h: SigningHarness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startSigningHarness({ mailboxDown: true, env: { JOB_BACKOFF_MS: '10', JOB_OUTAGE_RETRY_MS: '10' } });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await h?.close();
  });

  const stateCell = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(name) }).locator('td').nth(2);

  it('the server unreachable: « n’est pas parti » with what to do; sent again once it is back: « e-mail envoyé le … »', async () => {
    const admin = await h.staff('admin@jardins-du-val.example');
    const [tilleuls] = await h.sql<{ id: string }>(`SELECT id FROM establishments WHERE name = 'EHPAD Les Tilleuls'`);
    const invited = await admin('/api/users/invite', {
      method: 'POST',
      body: JSON.stringify({ email: 'noemie.roux@les-tilleuls.example', name: 'Noémie Roux', roles: [{ establishmentId: tilleuls.id, role: 'coordinator' }] }),
    });
    expect(invited.status).toBe(201);
    const userId = ((await invited.json()) as { id: string }).id;
    const user = async () => ((await (await admin('/api/users')).json()) as UserView[]).find((u) => u.id === userId)!;
    await waitUntil('the invitation job to give up', async () => (await user()).invitationEmail?.state === 'failed', 60_000);
    expect((await user()).invitationEmail).toMatchObject({ state: 'failed', refused: false });
    const events = await h.sql<{ payload: unknown }>(`SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'account.email_failed'`, [userId]);
    expect(events.map((e) => e.payload)).toEqual([{ purpose: 'invitation', permanent: false }]);

    const context = await browser.newContext({ baseURL: h.base, locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/connexion');
    await page.getByLabel('Adresse e-mail').fill('admin@jardins-du-val.example');
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
    await page.goto('/console/admin/comptes');
    const failed = await stateCell(page, 'Noémie Roux').textContent();
    expect(failed).toMatch(/^L’e-mail d’invitation n’est pas parti \(\d{1,2}(er)? \S+ \d{4} à \d\d? h \d\d\) : le serveur de messagerie est resté injoignable\. Renvoyez l’invitation\.$/);
    expect(await axeViolations(page)).toEqual([]);
    expect((await pageBasics(page)).h1).toBe(1);
    await page.screenshot({ path: `${process.env.CONSOLE_SCREENSHOTS ?? '/tmp'}/console-invitation-failed.png`, fullPage: true });

    // The server is back: « Renvoyer l’invitation » sends a new link, and the page says when it left.
    await h.mailbox.start(h.smtpPort);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Renvoyer l’invitation à Noémie Roux' }).click()]);
    const [mail] = await h.waitForMail('noemie.roux@les-tilleuls.example', 1, /Votre compte CarePact/);
    expect(mail.text).toContain('/compte/mot-de-passe/');
    await waitUntil('the sending recorded', async () => (await user()).invitationEmail?.state === 'sent', 30_000);
    await page.goto('/console/admin/comptes');
    expect(await stateCell(page, 'Noémie Roux').textContent()).toMatch(/^Invité : mot de passe pas encore choisi \(e-mail envoyé le \d{1,2}(er)? \S+ \d{4} à \d\d? h \d\d\)$/);
    await context.close();
  }, 120_000);
});
