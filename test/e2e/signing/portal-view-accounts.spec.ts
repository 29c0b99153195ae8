/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatDateTimeFr } from '@carepact/common';
import { PortalClient, axeViolations, countersignFetch, launchChromium, pageBasics, waitUntil } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; order: number; status: string }[];
  views: { key: string; recorded: { expression: string; comment: string | null; accounts?: { byName: string; comment: string | null; at: string }[] } | null }[];
  questions: { id: string; signerId: string }[];
  sealed: { href: string; evidenceHref: string } | null;
}

const SHOTS = process.env.PORTAL_SCREENSHOTS ?? '/tmp/view-accounts';
const RLO = '\u202E';
const ESC = '\u001B[31m';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * A contract for Enzo, a minor whose parents share the parental authority, signed « chacun à son
 * tour ». C. civ. 371-1 al. 4: the parents associate the child to the decisions that concern him;
 * CASF L.311-4: the minor's view is sought. The first parent records Enzo's view; the second read it
 * but could not add her own account: she now adds it, as hers (the first one's stays), and it is in
 * the console and the evidence. What signers write (a view's comment, an account, a refusal's reason,
 * a question) is refused with a bidirectional override or an escape sequence (BIDI_CONTROL,
 * CONTROL_CHARACTER), shown beside the field, nothing stored. And the answer to a question of the
 * second parent, before her turn, invites her to sign at her turn (not « ensuite »).
 */
describe('the second parent’s own account of the child’s view; signers’ text; the answer before one’s turn', () => {
  let h: SigningHarness;
  let browser: Browser;
  let r: RequestView;
  let first: RequestView['signers'][number];
  let second: RequestView['signers'][number];
  let viewKey = '';
  const previews: { status: number; signers: { key: string; order: number }[] }[] = [];
  const address = (x: { name: string }) => (x.name.startsWith('Julie') ? 'julie.petit@example.org' : 'thomas.petit@example.org');

  beforeAll(async () => {
    h = await startSigningHarness();
    browser = await launchChromium();
    const staff = await h.staff('admissions@les-tilleuls.example');
    const docId = await h.document('Enzo', 'contrat-sejour');
    // The preview lists the signers as the sequential request will order them (inSigningOrder, orderNumbers).
    for (const mode of [undefined, 'sequential']) {
      const res = await staff(`/api/documents/${docId}/signature-requests/preview`, { method: 'POST', body: JSON.stringify(mode ? { mode } : {}) });
      previews.push({ status: res.status, signers: ((await res.json()) as { signers?: { key: string; order: number }[] }).signers?.map((s) => ({ key: s.key, order: s.order })) ?? [] });
    }
    const res = await staff(`/api/documents/${docId}/signature-requests`, {
      method: 'POST',
      body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', mode: 'sequential' }),
    });
    expect(res.status).toBe(201);
    r = (await res.json()) as RequestView;
    [first, second] = [...r.signers].sort((a, b) => a.order - b.order);
    expect([first.role, second.role]).toEqual(['parent', 'parent']);
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const state = async (): Promise<RequestView> => (await (await (await h.staff('admissions@les-tilleuls.example'))(`/api/signature-requests/${r.id}`)).json()) as RequestView;
  const linkOf = async (x: { name: string }, subject: RegExp, nth = 1) => {
    const mails = await h.waitForMail(address(x), nth, subject);
    return PortalClient.linksIn(mails[nth - 1].text, h.base)[0];
  };
  const rows = async (q: string) => h.sql<Record<string, unknown>>(q, [r.id]);
  /** The field's error beside it, in the summary too, with the shared rule's French message. */
  const refusedBeside = (html: string, field: string, message: RegExp) => {
    expect(html).toContain('id="erreurs"');
    expect(html).toContain(`<a href="#${field}">`);
    expect(text(html)).toMatch(message);
    expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"`));
  };
  const BIDI_MESSAGE = /caractère invisible qui change le sens d’affichage/;
  const CONTROL_MESSAGE = /caractère de contrôle interdit/;

  it('the preview (mode « chacun à son tour ») lists the parents in the order the request then gives them: the same first parent, invited first', async () => {
    const ordered = [...r.signers].sort((a, b) => a.order - b.order).map((s) => ({ key: s.key, order: s.order }));
    const [asIs, sequential] = previews;
    // Without a mode: the list in the request's order (both parents order 1, then the establishment).
    expect(asIs.status).toBe(200);
    expect(asIs.signers.map((s) => s.key)).toEqual(ordered.map((s) => s.key));
    // « Chacun à son tour »: the same list, numbered as the request numbers it.
    expect(sequential).toEqual({ status: 200, signers: ordered });
    expect(sequential.signers[0].key).toBe(first.key);
    await waitUntil('the first parent invited', async () => (await rows(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND signer_id = '${first.id}'`)).length > 0, 30000);
    expect(await rows(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND signer_id = '${second.id}' AND details->>'kind' IS NULL`)).toEqual([]);
  });

  it('a question of the second parent answered before her turn: « Vous serez invité à le signer à votre tour », not « Vous pourrez ensuite le signer »', async () => {
    // Asked through a link given before her turn (the portal takes a question then: NotYourTurnText).
    await h.sql(`INSERT INTO signer_questions (request_id, signer_id, message, asked_at) VALUES ($1, $2, 'Enzo pourra-t-il garder son vélo ?', now())`, [r.id, second.id]);
    const [q] = (await state()).questions.filter((x) => x.signerId === second.id);
    const staff = await h.staff('admissions@les-tilleuls.example');
    expect((await staff(`/api/signature-requests/${r.id}/questions/${q.id}/answer`, { method: 'POST', body: JSON.stringify({ answer: 'Oui, il a une place au garage.' }) })).status).toBe(204);
    const [mail] = await h.waitForMail(address(second), 1, /^Réponse à votre question/);
    expect(text(mail.text)).toContain('Vous serez invité à le signer à votre tour, par un autre e-mail.');
    expect(mail.text + mail.html).not.toContain('Vous pourrez ensuite le signer');
  });

  it('the first parent: a comment, a question or a refusal reason with U+202E or an escape sequence is refused beside its field; nothing stored', async () => {
    const p = new PortalClient(h.base);
    expect((await p.open(await linkOf(first, /signer|signature/i))).status).toBe(303);
    await p.get('/portail/document');
    await p.get('/portail/avis');
    viewKey = /name="viewKey" value="([^"]+)"/.exec(p.lastHtml)![1];
    const bidi = await p.post('/portail/avis', { viewKey, expression: 'accord', comment: `Enzo est ${RLO}drocca'd` });
    expect(bidi.status).toBe(400);
    refusedBeside(p.lastHtml, 'comment', BIDI_MESSAGE);
    expect((await p.post('/portail/avis', { viewKey, expression: 'accord', comment: `Enzo ${ESC}est d’accord` })).status).toBe(400);
    refusedBeside(p.lastHtml, 'comment', CONTROL_MESSAGE);
    expect(await rows(`SELECT 1 FROM recorded_views WHERE request_id = $1`)).toEqual([]);
    await p.get('/portail/question');
    expect((await p.post('/portail/question', { message: `Question ${RLO}cachée` })).status).toBe(400);
    refusedBeside(p.lastHtml, 'message', BIDI_MESSAGE);
    await p.get('/portail/refuser');
    expect((await p.post('/portail/refuser', { reason: `Je refuse ${ESC}` })).status).toBe(400);
    refusedBeside(p.lastHtml, 'reason', CONTROL_MESSAGE);
    expect(await rows(`SELECT 1 FROM signer_questions WHERE request_id = $1 AND message LIKE 'Question%'`)).toEqual([]);
    expect(await rows(`SELECT status FROM signature_signers WHERE request_id = $1 AND status <> 'pending'`)).toEqual([]);
    expect((await rows(`SELECT kind FROM signature_events WHERE request_id = $1 AND kind IN ('view_recorded', 'question', 'refused')`)).length).toBe(0);
    // Then a clean view, line breaks kept, and the signature.
    expect((await p.post('/portail/avis', { viewKey, expression: 'accord', comment: 'Enzo est d’accord.\nIl veut garder son club de football.' })).status).toBe(303);
    await p.get('/portail/signer');
    expect((await p.post('/portail/signer', { consent: 'oui', typedName: first.name })).status).toBe(303);
  });

  const shoot = async (page: Page, name: string) => {
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      const basics = await pageBasics(page);
      expect({ name, width, overflowX: basics.overflowX, h1: basics.h1 }).toEqual({ name, width, overflowX: false, h1: 1 });
      expect({ name, width, violations: await axeViolations(page) }).toEqual({ name, width, violations: [] });
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('the second parent, at her turn, reads the first one’s words and adds her own account, as hers; the first view is unchanged', async () => {
    await waitUntil('the second parent invited', async () => (await rows(`SELECT 1 FROM signature_events WHERE request_id = $1 AND kind = 'email_sent' AND signer_id = '${second.id}' AND details->>'kind' IS NULL`)).length > 0, 30000);
    const link = await linkOf(second, /^Votre signature est demandée/);
    const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await page.goto(link);
    // Every page of her way links to /portail/avis, where her own account is (no URL to type).
    expect(text(await page.content())).toContain(`L’avis d’Enzo Petit est déjà indiqué par ${first.name}. Si vous le souhaitez, vous ajoutez votre propre compte rendu de son avis (facultatif).`);
    expect(await page.locator('a[href="/portail/avis"]', { hasText: 'Ajouter mon compte rendu de son avis' }).count()).toBe(1);
    await shoot(page, 'second-parent-landing');
    await page.goto(`${h.base}/portail/document`);
    expect(await page.locator('a.button[href="/portail/avis"]', { hasText: 'Ajouter mon compte rendu de son avis' }).count()).toBe(1);
    await page.goto(`${h.base}/portail/signer`);
    expect(await page.locator('a[href="/portail/avis"]', { hasText: 'Ajouter mon compte rendu de son avis' }).count()).toBe(1);
    await page.locator('a[href="/portail/avis"]', { hasText: 'Ajouter mon compte rendu de son avis' }).click();
    await page.waitForURL(/\/portail\/avis$/);
    const shown = text(await page.content());
    expect(shown).toContain(`Ce que ${first.name} a noté : « Enzo est d’accord.`);
    expect(shown).toContain('Votre propre compte rendu de l’avis de l’enfant (facultatif)');
    await shoot(page, 'second-parent-view');
    // A bidi override in her account: refused beside the field, nothing stored.
    await page.fill('#account', `Enzo ${RLO}neil`);
    await Promise.all([page.waitForResponse((x) => x.url().endsWith('/portail/avis/compte-rendu')), page.locator('form[action="/portail/avis/compte-rendu"] button[type=submit]').click()]);
    await page.waitForLoadState();
    refusedBeside(await page.content(), 'account', BIDI_MESSAGE);
    await shoot(page, 'second-parent-view-error');
    expect(await rows(`SELECT accounts FROM recorded_views WHERE request_id = $1`)).toEqual([{ accounts: [] }]);
    await page.fill('#account', 'Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end.');
    await Promise.all([page.waitForResponse((x) => x.url().endsWith('/portail/avis/compte-rendu')), page.locator('form[action="/portail/avis/compte-rendu"] button[type=submit]').click()]);
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/portail/signer?fait=compte-rendu');
    expect(text(await page.content())).toContain('Votre compte rendu de l’avis d’Enzo Petit est enregistré.');
    // The signing page shows hers beside the first parent's view, with its date, and the link to correct it.
    const signing = text(await page.content());
    expect(signing).toContain(`Ce que ${first.name} a noté : « Enzo est d’accord.`);
    expect(signing).toMatch(/Votre compte rendu, ajouté le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2} : « Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end\. »/);
    expect(await page.locator('a[href="/portail/avis"]', { hasText: 'Modifier mon compte rendu' }).count()).toBe(1);
    await shoot(page, 'second-parent-signing-with-account');
    await page.goto(`${h.base}/portail`);
    expect(await page.locator('a[href="/portail/avis"]', { hasText: 'Modifier mon compte rendu' }).count()).toBe(1);
    const [view] = await h.sql<{ expression: string; comment: string; recorded_by_signer_id: string; accounts: { signerId: string; byName: string; comment: string }[] }>(
      `SELECT expression, comment, recorded_by_signer_id, accounts FROM recorded_views WHERE request_id = $1`,
      [r.id],
    );
    expect(view).toMatchObject({
      expression: 'accord',
      comment: 'Enzo est d’accord.\nIl veut garder son club de football.',
      recorded_by_signer_id: first.id,
      accounts: [{ signerId: second.id, byName: second.name, comment: 'Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end.' }],
    });
    expect(await h.sql(`SELECT details FROM signature_events WHERE signer_id = $1 AND kind = 'view_account_added'`, [second.id])).toEqual([{ details: { viewKey, corrected: false } }]);
    await page.goto(`${h.base}/portail/avis`);
    expect(text(await page.content())).toContain('Corriger mon compte rendu');
    await shoot(page, 'second-parent-view-added');
    // A refusal reason with an escape sequence: refused beside it, she is still pending.
    const p = new PortalClient(h.base);
    await p.open(link);
    await p.get('/portail/refuser');
    expect((await p.post('/portail/refuser', { reason: `Non ${ESC}` })).status).toBe(400);
    refusedBeside(p.lastHtml, 'reason', CONTROL_MESSAGE);
    await page.goto(`${h.base}/portail/signer`);
    await page.check('input[name=consent]');
    await page.fill('input[name=typedName]', second.name);
    await Promise.all([page.waitForURL(/recapitulatif/), page.locator('form[action="/portail/signer"] button[type=submit]').click()]);
    await page.context().close();
  }, 120000);

  it('the console document page and the evidence show both: the first one’s view, the second one’s account, each named', async () => {
    const v = (await state()).views[0].recorded!;
    expect(v.accounts).toEqual([{ byName: second.name, comment: 'Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end.', at: expect.any(String) }]);
    const director = await h.staff('direction@les-tilleuls.example');
    const page = await (await director(`/console/documents/${(await h.sql<{ document_id: string }>(`SELECT document_id FROM signature_requests WHERE id = $1`, [r.id]))[0].document_id}`)).text();
    expect(text(page)).toContain(`Compte rendu de ${second.name}, le ${formatDateTimeFr(v.accounts![0].at)} — « Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end. »`);
    expect(text(page)).toContain('Compte rendu de l’avis ajouté');
    expect((await countersignFetch(director, r.id)).status).toBe(200);
    await waitUntil('sealed', async () => (await state()).sealed !== null, 60000);
    const evidence = (await (await director((await state()).sealed!.evidenceHref)).json()) as {
      views: { recordedBySignerId: string; accounts?: { signerId: string; comment: string }[] }[];
      events: { kind: string; signerId: string; details?: Record<string, unknown> }[];
    };
    expect(evidence.views[0]).toMatchObject({ recordedBySignerId: first.id, accounts: [{ signerId: second.id, comment: 'Enzo m’a dit qu’il voulait aussi pouvoir rentrer le week-end.' }] });
    expect(evidence.events.filter((e) => e.kind === 'view_account_added')).toEqual([expect.objectContaining({ signerId: second.id, details: { viewKey, corrected: false } })]);
  }, 120000);
});
