/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAILBOX_PAGE_CSS, renderMailboxPage } from '@carepact/notifications';
import { randomToken, sha256Hex } from '@carepact/common';
import { DEFAULT_DEMO_PASSWORD } from '@carepact/config';
import { AxeViolation, PortalClient, SigningHarness, axeViolations, focusedIdOnceSettled, launchChromium, pageBasics, startSigningHarness, countersignFetch, waitUntil } from '@carepact/testing';

/**
 * Issue 4 and issue 13, accessibility of the signing portal (ACCESSIBILITY.md, "Web pages"): every
 * portal page in every state — landing, reading, the person's view, sign (before and after
 * reading), refuse, question, the recap, "already signed" and "already refused", large print —
 * with its validation errors, passes axe-core (libs/testing AXE_TAGS) in Debian's Chromium, has
 * one h1, reflows at 320 CSS px; the whole path works with the keyboard alone, focus always
 * visible; in large print, headings stay larger than the text. Chromium and axe come from
 * libs/testing (issue 9, item 7). PORTAL_SCREENSHOTS=<dir> saves a screenshot of each page checked.
 */

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; order: number; status: string; delivery: string }[];
}

interface Focused {
  tag: string;
  id: string;
  name: string | null;
  type: string | null;
  text: string;
  focusVisible: boolean;
}

const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe('signing portal accessibility (axe-core and keyboard, in Chromium)', () => {
  let h: SigningHarness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Every page and state axe checked, listed at the end. */
  const checked: string[] = [];
  let clients = 0;
  let lucie: RequestView;
  let lucieLink: string;

  beforeAll(async () => {
    // The test browsers stand behind a proxy on loopback that names each one's address (X-Forwarded-For).
    h = await startSigningHarness({ env: { TRUST_PROXY: 'loopback' } });
    browser = await launchChromium();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await h?.close();
  });

  /** A fresh browser (its own cookies) behind its own address, so the link rate limit is per test client. */
  const newPage = async (): Promise<Page> => {
    clients++;
    const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': `10.77.${clients >> 8}.${clients & 255}` }, locale: 'fr-FR' });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    // Errors about the page's own status (404, 401…) are expected; anything else (a blocked script
    // or style, a missing resource) is a defect.
    page.on('console', (m) => {
      if (m.type() === 'error' && m.location().url !== page.url()) problems.push(`${m.location().url}: ${m.text()}`);
    });
    (page as Page & { problems?: string[] }).problems = problems;
    return page;
  };

  /** axe, one h1, French, a title, no console error; and a screenshot when asked. */
  const axe = async (page: Page, label: string): Promise<void> => {
    expect({ page: label, violations: await axeViolations(page) }).toEqual({ page: label, violations: [] as AxeViolation[] });
    // The strict CSP must not have blocked anything the page needs (scripts, styles).
    expect({ page: label, consoleErrors: (page as Page & { problems?: string[] }).problems ?? [] }).toEqual({ page: label, consoleErrors: [] });
    const basics = await pageBasics(page);
    expect({ page: label, lang: basics.lang, h1: basics.h1, titled: basics.title.endsWith('— CarePact') }).toEqual({ page: label, lang: 'fr', h1: 1, titled: true });
    checked.push(label);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`), fullPage: true });
  };

  const staff = (email = 'admissions@les-tilleuls.example') => h.staff(email);
  const createRequest = async (documentId: string, body: object = {}): Promise<RequestView> => {
    const res = await (await staff())(`/api/documents/${documentId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', ...body }) });
    if (res.status !== 201) throw new Error(`signature request: ${res.status} ${await res.text()}`);
    return (await res.json()) as RequestView;
  };
  const linkFor = async (address: string, subject = /signer|signature/i, nth = 1): Promise<string> => {
    const mails = await h.waitForMail(address, nth, subject);
    return PortalClient.linksIn(mails[nth - 1].text, h.base)[0];
  };
  const open = async (page: Page, link: string): Promise<void> => {
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/portail');
  };
  /** Submits a form by its action with a real click; `expected` is the status of the page finally shown (after a 303, the GET's). */
  const submit = async (page: Page, action: string, expected: { post: number; page?: string }): Promise<void> => {
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(action) && r.request().method() === 'POST'), page.locator(`form[action="${action}"] button[type=submit]`).click()]);
    expect({ action, status: res.status() }).toEqual({ action, status: expected.post });
    await page.waitForLoadState();
    if (expected.page) expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(expected.page);
  };
  const focusedIsErrorSummary = async (page: Page) => (await focusedIdOnceSettled(page, 'erreurs')) === 'erreurs';
  const at320 = async (page: Page, paths: string[], prefix: string) => {
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of paths) {
      await page.goto(h.base + path);
      const basics = await pageBasics(page);
      expect({ page: path, overflowX: basics.overflowX }).toEqual({ page: path, overflowX: false });
      await axe(page, `320 px — ${prefix}${path}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  };
  /** Font sizes in large print: every heading of the page (and of the document's reading view) larger than its text. */
  const headingsLargerThanText = (page: Page) =>
    page.evaluate(() => {
      const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
      const body = size(document.body);
      const doc = document.querySelector('.cp-doc p');
      return [...document.querySelectorAll('h1, h2, h3, h4')].map((hd) => {
        const text = hd.closest('.cp-doc') && doc ? size(doc) : body;
        return { heading: (hd.textContent ?? '').trim().slice(0, 40), larger: size(hd) > text, size: size(hd), text };
      });
    });

  /** Presses Tab (or Shift+Tab) until the focused element matches; every focus stop must be visible. */
  const tabTo = async (page: Page, match: (f: Focused) => boolean, what: string, backwards = false): Promise<Focused> => {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const f = await page.evaluate((): Focused => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return { tag: 'body', id: '', name: null, type: null, text: '', focusVisible: true };
        const cs = getComputedStyle(el);
        const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
        const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
        const r = el.getBoundingClientRect();
        const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          name: el.getAttribute('name'),
          type: el.getAttribute('type'),
          text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
          focusVisible: (outline || shadow) && onScreen,
        };
      });
      if (f.tag !== 'body') expect({ focused: f, visible: f.focusVisible }).toEqual({ focused: f, visible: true });
      if (match(f)) return f;
    }
    throw new Error(`keyboard: never reached ${what}`);
  };
  const pressAndWait = async (page: Page, key: string, url: RegExp): Promise<void> => {
    await Promise.all([page.waitForURL(url), page.keyboard.press(key)]);
    await page.waitForLoadState();
  };

  it('a capable adult: landing, reading, sign before and after reading, errors, question, refuse page, CSRF 403, the recap, the used link’s « already signed », the download page', async () => {
    const created = await createRequest(await h.document('Seán', 'contrat-sejour'));
    const link = await linkFor('sean.obrien@example.org');
    const page = await newPage();
    await open(page, link);
    expect(await page.locator('main a.button').allTextContents()).toEqual(['Lire le document']);
    expect(await page.textContent('footer')).toContain('01 00 00 00 18');
    await axe(page, 'landing — pending');
    await page.goto(`${h.base}/portail/signer`);
    expect(await page.textContent('main')).toContain('Vous n’avez pas encore ouvert le document');
    expect(await page.locator('#consent').count()).toBe(0);
    await axe(page, 'sign — before reading');
    await page.goto(`${h.base}/portail/document`);
    await axe(page, 'reading — default');
    for (const v of ['standard', 'falc', 'large-print']) {
      await page.goto(`${h.base}/portail/document?version=${v}`);
      await axe(page, `reading — ${v}`);
    }
    await page.goto(`${h.base}/portail/signer`);
    expect(await page.textContent('label[for=consent]')).toBe('J’ai lu le document et je le signe en mon nom.');
    await axe(page, 'sign — form');
    await page.goto(`${h.base}/portail/refuser`);
    await axe(page, 'refuse — form');
    await page.goto(`${h.base}/portail/question`);
    await axe(page, 'question — form');
    await at320(page, ['/portail', '/portail/document?version=standard', '/portail/document?version=falc', '/portail/document?version=large-print', '/portail/signer', '/portail/refuser', '/portail/question'], '');

    await page.goto(`${h.base}/portail/signer`);
    await page.fill('#typedName', 'Seán O’Brien-Nuñez');
    await submit(page, '/portail/signer', { post: 400 });
    expect(await focusedIsErrorSummary(page)).toBe(true);
    expect(await page.locator('#consent').getAttribute('aria-invalid')).toBe('true');
    await axe(page, 'error — sign without consent');

    await page.check('#consent');
    await page.fill('#typedName', 'Jean Dupont');
    await submit(page, '/portail/signer', { post: 400 });
    expect(await focusedIsErrorSummary(page)).toBe(true);
    expect(await page.locator('#typedName').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#typedName').inputValue()).toBe('Jean Dupont');
    await axe(page, 'error — wrong typed name');

    await page.goto(`${h.base}/portail/question`);
    await page.fill('#message', '   ');
    await submit(page, '/portail/question', { post: 400 });
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — empty question');
    await page.fill('#message', 'Puis-je venir signer avec ma fille ?');
    await submit(page, '/portail/question', { post: 303, page: '/portail/question?fait=envoyee' });
    await axe(page, 'confirmation — question');

    await page.goto(`${h.base}/portail/signer`);
    await page.evaluate(() => {
      (document.querySelector('form[action="/portail/signer"] input[name=_csrf]') as HTMLInputElement).value = 'falsifie';
    });
    await page.check('#consent');
    await page.fill('#typedName', 'Seán O’Brien-Nuñez');
    await submit(page, '/portail/signer', { post: 403 });
    await axe(page, 'error — CSRF 403');

    await page.goto(`${h.base}/portail/signer`);
    await page.check('#consent');
    await page.fill('#typedName', 'Sean O’Brien-Nunez');
    await submit(page, '/portail/signer', { post: 303, page: '/portail/recapitulatif' });
    expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');
    expect(await page.textContent('main')).toContain('Il manque encore la signature de : la direction de l’établissement');
    await axe(page, 'recap — signed');
    // A reload is a GET: nothing is sent again.
    await page.reload();
    expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');

    // Coming back with the link used to sign.
    const back = await newPage();
    await open(back, link);
    expect(await back.textContent('h1')).toMatch(/^Vous avez signé le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2}$/);
    expect(await back.locator('a[href="/portail/telecharger/pdf/standard"]').count()).toBe(1);
    await axe(back, 'already signed — before the seal');
    await at320(back, ['/portail', '/portail/recapitulatif'], 'signed ');

    const director = await staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, created.id)).status).toBe(200);
    const download = await linkFor('sean.obrien@example.org', /signé/i);
    const after = await newPage();
    await open(after, download);
    expect(await after.textContent('h1')).toContain('Document signé');
    expect(await after.textContent('main')).toContain('Dossier de preuve de la signature');
    await axe(after, 'download — sealed');
    const sealed = await newPage();
    await open(sealed, link);
    expect(await sealed.locator('a[href="/portail/document-signe.pdf"]').count()).toBe(1);
    await axe(sealed, 'already signed — sealed');
  }, 300000);

  it('access code, the resident’s easy-to-read recap, refusal and a closed request', async () => {
    const created = await createRequest(await h.document('Marcel', 'contrat-sejour'));
    const curateur = created.signers.find((s) => s.role === 'curateur')!;
    const issued = (await (await (await staff())(`/api/signature-requests/${created.id}/signers/${curateur.id}/access-code`, { method: 'POST' })).json()) as { code: string };
    const page = await newPage();
    await open(page, await linkFor('k.benaissa@udaf-val.example'));
    expect(await page.locator('#code').count()).toBe(1);
    await axe(page, 'landing — access code required');
    await page.fill('#code', issued.code === '000000' ? '111111' : '000000');
    await submit(page, '/portail/code', { post: 400 });
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — wrong access code');
    await page.fill('#code', `${issued.code.slice(0, 3)} ${issued.code.slice(3)}`);
    await submit(page, '/portail/code', { post: 303, page: '/portail?fait=code' });
    expect(await page.textContent('main')).toContain('Code accepté');
    await axe(page, 'confirmation — code accepted');
    await page.goto(`${h.base}/portail/document`);
    await page.goto(`${h.base}/portail/signer`);
    expect(await page.textContent('label[for=consent]')).toBe('J’ai lu le document et je le signe en qualité de curateur : j’assiste Marcel Dupont.');

    // The resident (easy-to-read preference) refuses: the request closes for everyone.
    const resident = await newPage();
    const residentLink = await linkFor('marcel.dupont@example.org');
    await open(resident, residentLink);
    await resident.goto(`${h.base}/portail/document`);
    expect(await resident.locator('[aria-current="true"]').textContent()).toContain('Facile à lire');
    expect(await resident.textContent('.document')).toContain('Demandez à l’établissement de vous l’expliquer');
    expect(await resident.textContent('.document')).not.toContain('relu par des personnes concernées');
    await resident.goto(`${h.base}/portail/signer`);
    expect(await resident.textContent('label[for=consent]')).toBe('J’ai lu le document et je le signe en mon nom, avec l’assistance de mon curateur.');
    await resident.goto(`${h.base}/portail/refuser`);
    await resident.fill('#reason', 'Je veux en parler avec mon curateur.');
    await submit(resident, '/portail/refuser', { post: 303, page: '/portail/recapitulatif' });
    expect(await resident.textContent('h1')).toBe('Votre refus est enregistré');
    await axe(resident, 'recap — refused');
    const again = await newPage();
    await open(again, residentLink);
    expect(await again.textContent('h1')).toMatch(/^Vous avez refusé de signer le /);
    await axe(again, 'already refused');

    await page.goto(`${h.base}/portail`);
    expect(await page.textContent('main')).toContain('Cette demande de signature est close');
    await axe(page, 'landing — closed');
    await page.goto(`${h.base}/portail/signer`);
    expect(await page.textContent('main')).toContain('Cette demande de signature est close');
    await axe(page, 'sign — closed');
  }, 240000);

  it('tutelle: the view step, its validation error; sequential mode: waiting for others', async () => {
    lucie = await createRequest(await h.document('Lucie', 'contrat-sejour'));
    lucieLink = await linkFor('alain.bernard@example.org');
    const page = await newPage();
    await open(page, lucieLink);
    expect(await page.textContent('main')).toContain('Vous indiquez l’avis de Lucie Bernard');
    await axe(page, 'landing — view step (tutelle)');
    await page.goto(`${h.base}/portail/avis`);
    expect(await page.locator('form[action="/portail/avis"]').count()).toBe(1);
    await axe(page, 'view — form');
    await submit(page, '/portail/avis', { post: 400 });
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — view without an answer');
    await at320(page, ['/portail/avis'], 'tutelle ');

    // Sequential mode: the parent listed second waits for the first, and sees who signs first.
    const enzo = await createRequest(await h.document('Enzo', 'contrat-sejour'), { mode: 'sequential' });
    const parents = enzo.signers.filter((s) => s.role !== 'director').sort((a, b) => a.order - b.order);
    expect(parents.map((s) => s.order)).toEqual([1, 2]);
    // Not invited before the first has signed, and staff give the second nothing before his turn
    // (NOT_THEIR_TURN: no tablet session, link or code). A link he holds from before that rule
    // (stored as SigningLinks.issue stores one: the SHA-256 of a random token) shows the wait, and
    // no form for Enzo's view.
    const early = await (await staff())(`/api/signature-requests/${enzo.id}/signers/${parents[1].id}/in-person`, { method: 'POST' });
    expect(early.status).toBe(409);
    const token = randomToken();
    await h.sql(
      `INSERT INTO signing_links (organisation_id, request_id, signer_id, token_hash, version_hash, purpose, created_at, expires_at)
       SELECT organisation_id, id, $2, $3, version_hash, 'sign', now(), deadline FROM signature_requests WHERE id = $1`,
      [enzo.id, parents[1].id, sha256Hex(token)],
    );
    const waiting = await newPage();
    await open(waiting, `${h.base}/s/${token}`);
    expect(await waiting.textContent('main')).toContain('Votre signature sera demandée après celle de');
    await axe(waiting, 'landing — waiting for others (sequential)');
    await waiting.goto(`${h.base}/portail/avis`);
    expect(await waiting.textContent('main')).toContain('Ce n’est pas encore votre tour.');
    expect(await waiting.locator('form[action="/portail/avis"]').count()).toBe(0);
    await axe(waiting, 'view — not your turn (sequential)');
  });

  it('two parents: Thomas is told the other parent sees what he records; Julie reads Enzo’s view, his words, when, and what to do if she disagrees; the console says « Avis à recueillir » before sending', async () => {
    const docId = await h.document('Enzo', 'contrat-sejour');
    // Before sending: nothing recorded yet (it said « Avis recueillis »).
    const staffPage = await newPage();
    await staffPage.goto(`${h.base}/connexion`);
    await staffPage.getByLabel('Adresse e-mail').fill('admissions@les-tilleuls.example');
    await staffPage.getByLabel('Mot de passe').fill(DEFAULT_DEMO_PASSWORD);
    await Promise.all([staffPage.waitForNavigation(), staffPage.getByRole('button', { name: 'Se connecter' }).click()]);
    await staffPage.goto(`${h.base}/console/documents/${docId}`);
    expect(await staffPage.textContent('main')).toContain('Avis à recueillir :');
    expect(await staffPage.textContent('main')).not.toContain('Avis recueillis');
    await axe(staffPage, 'console — document before sending, views to collect');
    await at320(staffPage, [`/console/documents/${docId}`], 'console ');

    const enzo = await createRequest(docId);
    const [thomas, julie] = enzo.signers.filter((s) => s.role === 'parent').sort((a, b) => (a.name.startsWith('Thomas') ? -1 : b.name.startsWith('Thomas') ? 1 : 0));
    const linkOf = async (signerId: string) => {
      // After the invitation's own link (a newer link ends the older sessions), one of ours.
      await waitUntil('the invitation sent', async () => (await h.sql(`SELECT 1 FROM signature_events WHERE signer_id = $1 AND kind = 'email_sent'`, [signerId])).length > 0, 30000);
      const token = randomToken();
      await h.sql(
        `INSERT INTO signing_links (organisation_id, request_id, signer_id, token_hash, version_hash, purpose, created_at, expires_at)
         SELECT organisation_id, id, $2, $3, version_hash, 'sign', now(), deadline FROM signature_requests WHERE id = $1`,
        [enzo.id, signerId, sha256Hex(token)],
      );
      return `${h.base}/s/${token}`;
    };
    const first = await newPage();
    await open(first, await linkOf(thomas.id));
    await first.goto(`${h.base}/portail/document`);
    await first.goto(`${h.base}/portail/avis`);
    expect(await first.textContent('main')).toContain('L’autre parent verra ce que vous enregistrez ici, l’avis et ce que vous notez, avant de signer.');
    await axe(first, 'view — form, another parent will see it');
    await at320(first, ['/portail/avis'], 'first parent ');
    await first.check('input[name="expression"][value="accord"]');
    await first.fill('#comment', 'Enzo est d’accord, il demande à garder ses crayons.');
    await submit(first, '/portail/avis', { post: 303, page: '/portail/signer?fait=avis' });

    const second = await newPage();
    await open(second, await linkOf(julie.id));
    await second.goto(`${h.base}/portail/document`);
    for (const path of ['/portail/avis', '/portail/signer']) {
      await second.goto(h.base + path);
      const main = (await second.textContent('main'))!.replace(/\s+/g, ' ');
      expect(main).toMatch(new RegExp(`Avis d’Enzo Petit, enregistré par ${thomas.name} le \\d+ décembre 2026 à \\d+ h \\d\\d : Accord\\.`));
      expect(main).toContain(`Ce que ${thomas.name} a noté : « Enzo est d’accord, il demande à garder ses crayons. »`);
      expect(main).toContain('Si vous n’êtes pas d’accord avec cet avis, vous pouvez poser une question à l’établissement ou refuser de signer.');
      expect(await second.locator('main a[href="/portail/question"]', { hasText: 'poser une question à l’établissement' }).count()).toBe(1);
      expect(await second.locator('main a[href="/portail/refuser"]', { hasText: 'refuser de signer' }).count()).toBe(1);
      await axe(second, `${path} — the other parent’s recorded view, with his words`);
    }
    expect(await second.textContent('h1')).not.toBe('Avis de la personne');
    await at320(second, ['/portail/avis', '/portail/signer'], 'second parent ');
  });

  it('in person on a tablet, large print: every step, headings larger than the text, 320 px', async () => {
    const created = await createRequest(await h.document('Jeanne', 'contrat-sejour'));
    const resident = created.signers.find((s) => s.role === 'resident')!;
    const opened = (await (await (await staff())(`/api/signature-requests/${created.id}/signers/${resident.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const page = await newPage();
    await open(page, opened.url);
    expect(await page.evaluate(() => document.documentElement.classList.contains('cp-large'))).toBe(true);
    await axe(page, 'large print — landing');
    await page.goto(`${h.base}/portail/document`);
    expect(await page.locator('[aria-current="true"]').textContent()).toContain('Gros caractères');
    await axe(page, 'large print — reading');
    for (const path of ['/portail', '/portail/document', '/portail/signer', '/portail/refuser', '/portail/question']) {
      await page.goto(h.base + path);
      if (path !== '/portail/document') await axe(page, `large print — ${path}`);
      const sizes = await headingsLargerThanText(page);
      expect(sizes.length).toBeGreaterThan(0);
      for (const s of sizes) expect({ path, ...s, larger: s.larger }).toEqual({ path, ...s, larger: true });
    }
    await at320(page, ['/portail', '/portail/document', '/portail/signer', '/portail/refuser', '/portail/question'], 'large print ');
    await page.goto(`${h.base}/portail/signer`);
    await page.check('#consent');
    await page.fill('#typedName', 'Jeanne Martin');
    await submit(page, '/portail/signer', { post: 303, page: '/portail/recapitulatif' });
    // Her preferred version first, marked as a companion of the original.
    const companions = await page.locator('main ul:not(.actions) a[href^="/portail/telecharger/pdf/"]').allTextContents();
    expect(companions[0]).toBe('Version en gros caractères (PDF), celle que vous préférez — accompagne l’original, non signée');
    expect(companions[1]).toContain('Version facile à lire (PDF)');
    await axe(page, 'large print — recap');
    await at320(page, ['/portail/recapitulatif'], 'large print ');
  });

  it('the pages without a session: dead link (404), session expired (401), and the development mailbox', async () => {
    const page = await newPage();
    const dead = await page.goto(`${h.base}/s/${'A'.repeat(43)}`);
    expect(dead?.status()).toBe(404);
    await axe(page, 'link not found (404)');
    const expired = await page.goto(`${h.base}/portail`);
    expect(expired?.status()).toBe(401);
    await axe(page, 'session expired (401)');
    for (const path of ['/portail/document', '/portail/signer', '/portail/recapitulatif']) expect((await page.goto(h.base + path))?.status()).toBe(401);

    // /dev/mail (development only): the same page the api serves, with the mails this run received.
    await page.route('http://mail.test/**', (route) =>
      new URL(route.request().url()).pathname === '/dev/mail.css'
        ? route.fulfill({ status: 200, contentType: 'text/css', body: MAILBOX_PAGE_CSS })
        : route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: renderMailboxPage(h.mailbox.list(), { stylesheetHref: '/dev/mail.css' }) }),
    );
    await page.goto('http://mail.test/dev/mail');
    await axe(page, '/dev/mail');
  });

  it('the whole signing path with the keyboard only, focus always visible: landing → reading → sign → recap', async () => {
    await createRequest(await h.document('Ahmed', 'dipc'));
    const page = await newPage();
    await open(page, await linkFor('ahmed.benali@example.org'));
    // Skip link first, and it works.
    const skip = await tabTo(page, () => true, 'the first stop');
    expect(skip.text).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    expect(await focusedIdOnceSettled(page, 'contenu')).toBe('contenu');

    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Lire le document', 'the reading link');
    await pressAndWait(page, 'Enter', /\/portail\/document$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Facile à lire', 'the easy-to-read switch');
    await pressAndWait(page, 'Enter', /version=falc$/);
    expect(await page.locator('[aria-current="true"]').textContent()).toContain('Facile à lire');
    // A DIPC: Ahmed may countersign it (CASF D.311 II), and the link and the button say so.
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Contresigner le document', 'the sign link under the document');
    await pressAndWait(page, 'Enter', /\/portail\/signer$/);

    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#consent')).toBe(true);
    await tabTo(page, (f) => f.id === 'typedName', 'the name field');
    await page.keyboard.type('Ahmed Benali');
    // Shift+Tab goes back to the consent box, Tab returns: nothing lost.
    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox, backwards', true);
    expect(await page.isChecked('#consent')).toBe(true);
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Contresigner', 'the sign button');
    await pressAndWait(page, 'Enter', /\/portail\/recapitulatif$/);
    expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');
  });

  it('with the keyboard: the question and refusal pages, and « Retour »', async () => {
    // An avenant amends a signed contract (CASF L.311-4): Seán's, written directly (the flow itself is tested elsewhere).
    const [contract] = await h.sql<{ id: string; organisation_id: string }>(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
       SELECT organisation_id, establishment_id, id, 'contrat-sejour', 'signed', now(), now() FROM residents WHERE first_name = 'Seán' RETURNING id, organisation_id`,
    );
    const [version] = await h.sql<{ id: string }>(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'contrat-sejour', '1.3.0', 'h', 'r', '{}', 'hash', now()) RETURNING id`,
      [contract.organisation_id, contract.id],
    );
    await h.sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [contract.id, version.id]);
    await createRequest(await h.document('Seán', 'avenant'));
    const page = await newPage();
    await open(page, await linkFor('sean.obrien@example.org', /avenant/i));
    await page.goto(`${h.base}/portail/document`);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Poser une question', 'the question link');
    await pressAndWait(page, 'Enter', /\/portail\/question$/);
    await tabTo(page, (f) => f.id === 'message', 'the question field');
    await page.keyboard.type('Le prix change-t-il ?');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Envoyer la question', 'the send button');
    await pressAndWait(page, 'Enter', /fait=envoyee$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Retour au document', 'back to the document');
    await pressAndWait(page, 'Enter', /\/portail\/document$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Refuser de signer', 'the refusal link');
    await pressAndWait(page, 'Enter', /\/portail\/refuser$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Retour au document', 'back, without refusing');
    await pressAndWait(page, 'Enter', /\/portail\/document$/);
  });

  it('the tutelle representative records the person’s view, then signs, with the keyboard only', async () => {
    // Lucie's request from the earlier test is still active; the tuteur opens the same link again.
    const page = await newPage();
    await open(page, lucieLink);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Lire le document', 'the reading link');
    await pressAndWait(page, 'Enter', /\/portail\/document$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Indiquer l’avis de Lucie Bernard', 'the view step');
    await pressAndWait(page, 'Enter', /\/portail\/avis$/);

    const first = await tabTo(page, (f) => f.type === 'radio', 'the first answer');
    expect(first.id).toBe('expression-0');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#expression-1')).toBe(true);
    await tabTo(page, (f) => f.id === 'comment', 'the comment');
    await page.keyboard.type('Lucie est d’accord, sauf pour les sorties.');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Enregistrer l’avis', 'the record button');
    await pressAndWait(page, 'Enter', /\/portail\/signer\?fait=avis$/);
    expect(await page.textContent('main')).toContain('L’avis de Lucie Bernard est enregistré.');
    await axe(page, 'confirmation — view recorded');
    expect(await page.textContent('label[for=consent]')).toBe('J’ai lu le document et je le signe en qualité de tuteur : je représente Lucie Bernard.');
    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.id === 'typedName', 'the name field');
    await page.keyboard.type('Alain Bernard');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portail\/recapitulatif$/);
    expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');
    const [recorded] = (await h.ds.query(`SELECT expression FROM recorded_views WHERE request_id = $1`, [lucie.id])) as { expression: string }[];
    expect(recorded.expression).toBe('accord_partiel');
  });

  it('covered every page and state', () => {
    expect(checked).toEqual(
      expect.arrayContaining([
        'landing — pending',
        'landing — access code required',
        'landing — view step (tutelle)',
        'landing — waiting for others (sequential)',
        'landing — closed',
        'reading — standard',
        'reading — falc',
        'reading — large-print',
        'sign — before reading',
        'sign — form',
        'sign — closed',
        'refuse — form',
        'question — form',
        'view — form',
        'recap — signed',
        'recap — refused',
        'already signed — before the seal',
        'already signed — sealed',
        'already refused',
        'confirmation — question',
        'confirmation — view recorded',
        'confirmation — code accepted',
        'error — sign without consent',
        'error — wrong typed name',
        'error — wrong access code',
        'error — empty question',
        'error — view without an answer',
        'error — CSRF 403',
        'large print — landing',
        'large print — reading',
        'large print — /portail/signer',
        'large print — /portail/refuser',
        'large print — /portail/question',
        'large print — recap',
        'link not found (404)',
        'session expired (401)',
        'download — sealed',
        '/dev/mail',
      ]),
    );
  });
});
