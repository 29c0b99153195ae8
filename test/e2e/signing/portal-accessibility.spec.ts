/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { MAILBOX_PAGE_CSS, renderMailboxPage } from '@carepact/notifications';
import { PortalClient } from '@carepact/testing';
import { SigningHarness, startSigningHarness } from './signing-harness';

/**
 * Issue 4, accessibility of the signing portal (ACCESSIBILITY.md, "Web pages"): every portal page
 * in every state, validation errors included, passes axe-core (WCAG 2.0/2.1 A and AA, and 2.5.8
 * target size) in Debian's Chromium; the whole signing flow works with the keyboard alone, focus
 * is always visible, and the landing and reading pages reflow at 320 CSS px.
 */

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface RequestView {
  id: string;
  status: string;
  signers: { id: string; key: string; role: string; name: string; status: string; delivery: string }[];
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

interface Focused {
  tag: string;
  id: string;
  name: string | null;
  type: string | null;
  text: string;
  focusVisible: boolean;
}

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
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
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

  const axe = async (page: Page, label: string): Promise<void> => {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async (tags: string[]) => {
      const w = window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }>;
        };
      };
      const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`) }));
    }, AXE_TAGS);
    expect({ page: label, violations }).toEqual({ page: label, violations: [] as Violation[] });
    // The strict CSP must not have blocked anything the page needs (scripts, styles).
    expect({ page: label, consoleErrors: (page as Page & { problems?: string[] }).problems ?? [] }).toEqual({ page: label, consoleErrors: [] });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    checked.push(label);
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
  /** Submits a form by its action with a real click (the keyboard test below uses no mouse). */
  const submit = async (page: Page, action: string, expectedStatus: number): Promise<void> => {
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(action) && r.request().method() === 'POST'), page.locator(`form[action="${action}"] button[type=submit]`).click()]);
    expect({ action, status: res.status() }).toEqual({ action, status: expectedStatus });
    await page.waitForLoadState();
  };
  const focusedIsErrorSummary = (page: Page) => page.evaluate(() => document.activeElement?.id === 'erreurs');
  const noHorizontalScroll = async (page: Page, label: string) => {
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect({ page: label, ...widths }).toEqual({ page: label, scroll: expect.any(Number) as number, client: 320 });
    expect({ page: label, fits: widths.scroll <= 320 }).toEqual({ page: label, fits: true });
  };

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

  it('a capable adult: landing, the three reading views, every validation error, CSRF 403, confirmations, signed, and the download page after sealing', async () => {
    const created = await createRequest(await h.document('Seán', 'contrat-sejour'));
    const page = await newPage();
    await open(page, await linkFor('sean.obrien@example.org'));
    await axe(page, 'landing — pending');
    await page.goto(`${h.base}/portail/document`);
    await axe(page, 'reading — default');
    for (const v of ['standard', 'falc', 'large-print']) {
      await page.goto(`${h.base}/portail/document?version=${v}`);
      await axe(page, `reading — ${v}`);
    }

    // Reflow at 320 CSS px: no horizontal scrolling on the landing and reading pages.
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/portail', '/portail/document?version=standard', '/portail/document?version=falc', '/portail/document?version=large-print']) {
      await page.goto(h.base + path);
      await noHorizontalScroll(page, path);
      await axe(page, `320 px — ${path}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${h.base}/portail`);
    await page.fill('#typedName', 'Seán O’Brien-Nuñez');
    await submit(page, '/portail/signer', 400);
    expect(await focusedIsErrorSummary(page)).toBe(true);
    expect(await page.locator('#consent').getAttribute('aria-invalid')).toBe('true');
    await axe(page, 'error — sign without consent');

    await page.check('#consent');
    await page.fill('#typedName', 'Jean Dupont');
    await submit(page, '/portail/signer', 400);
    expect(await focusedIsErrorSummary(page)).toBe(true);
    expect(await page.locator('#typedName').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#typedName').inputValue()).toBe('Jean Dupont');
    await axe(page, 'error — wrong typed name');

    await page.fill('#message', '   ');
    await submit(page, '/portail/question', 400);
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — empty question');

    await page.fill('#message', 'Puis-je venir signer avec ma fille ?');
    await submit(page, '/portail/question', 200);
    await axe(page, 'confirmation — question');

    await page.goto(`${h.base}/portail`);
    await page.evaluate(() => {
      (document.querySelector('form[action="/portail/signer"] input[name=_csrf]') as HTMLInputElement).value = 'falsifie';
    });
    await page.check('#consent');
    await page.fill('#typedName', 'Seán O’Brien-Nuñez');
    await submit(page, '/portail/signer', 403);
    await axe(page, 'error — CSRF 403');

    await page.goto(`${h.base}/portail`);
    await page.check('#consent');
    await page.fill('#typedName', 'Sean O’Brien-Nunez');
    await submit(page, '/portail/signer', 200);
    await axe(page, 'confirmation — signed');
    await page.goto(`${h.base}/portail`);
    expect(await page.textContent('main')).toContain('Vous avez signé ce document');
    await axe(page, 'landing — already signed');

    const director = await staff('direction@les-tilleuls.example');
    expect((await director(`/api/signature-requests/${created.id}/countersign`, { method: 'POST' })).status).toBe(200);
    const download = await linkFor('sean.obrien@example.org', /signé/i);
    const after = await newPage();
    await open(after, download);
    expect(await after.textContent('h1')).toContain('Document signé');
    await axe(after, 'download — sealed');
  }, 240000);

  it('access code, refusal and a closed request: the code form, a wrong code, the code accepted, refused, closed', async () => {
    const created = await createRequest(await h.document('Marcel', 'contrat-sejour'));
    const curateur = created.signers.find((s) => s.role === 'curateur')!;
    const issued = (await (await (await staff())(`/api/signature-requests/${created.id}/signers/${curateur.id}/access-code`, { method: 'POST' })).json()) as { code: string };
    const page = await newPage();
    await open(page, await linkFor('k.benaissa@udaf-val.example'));
    expect(await page.locator('#code').count()).toBe(1);
    await axe(page, 'landing — access code required');
    await page.fill('#code', issued.code === '000000' ? '111111' : '000000');
    await submit(page, '/portail/code', 400);
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — wrong access code');
    await page.fill('#code', `${issued.code.slice(0, 3)} ${issued.code.slice(3)}`);
    await submit(page, '/portail/code', 200);
    await axe(page, 'confirmation — code accepted');
    await page.goto(`${h.base}/portail`);
    await axe(page, 'landing — code accepted, ready to sign');

    // The resident (easy-to-read preference) refuses: the request closes for everyone.
    const resident = await newPage();
    await open(resident, await linkFor('marcel.dupont@example.org'));
    await resident.goto(`${h.base}/portail/document`);
    expect(await resident.locator('[aria-current="true"]').textContent()).toContain('Facile à lire');
    await resident.goto(`${h.base}/portail`);
    await resident.fill('#reason', 'Je veux en parler avec mon curateur.');
    await submit(resident, '/portail/refuser', 200);
    await axe(resident, 'confirmation — refused');
    await resident.goto(`${h.base}/portail`);
    expect(await resident.textContent('main')).toContain('Vous avez refusé de signer');
    await axe(resident, 'landing — refused');

    await page.goto(`${h.base}/portail`);
    expect(await page.textContent('main')).toContain('Cette demande de signature est close');
    await axe(page, 'landing — closed');
  });

  it('tutelle: the view step, its validation error and its confirmation; sequential mode: waiting for others', async () => {
    lucie = await createRequest(await h.document('Lucie', 'contrat-sejour'));
    lucieLink = await linkFor('alain.bernard@example.org');
    const page = await newPage();
    await open(page, lucieLink);
    expect(await page.locator('form[action="/portail/avis"]').count()).toBe(1);
    await axe(page, 'landing — view step (tutelle)');
    await submit(page, '/portail/avis', 400);
    expect(await focusedIsErrorSummary(page)).toBe(true);
    await axe(page, 'error — view without an answer');

    // Sequential mode: a parent whose turn has not come sees who signs first.
    const enzo = await createRequest(await h.document('Enzo', 'contrat-sejour'), { mode: 'sequential' });
    const thomas = enzo.signers.find((s) => s.name.startsWith('Thomas'))!;
    await h.ds.query(`UPDATE signature_signers SET order_no = order_no + 1 WHERE id = $1`, [thomas.id]);
    const waiting = await newPage();
    await open(waiting, await linkFor('thomas.petit@example.org'));
    expect(await waiting.textContent('main')).toContain('Votre signature sera demandée après celle de');
    await axe(waiting, 'landing — waiting for others (sequential)');
  });

  it('in person on a tablet (large-print preference): landing and reading view', async () => {
    const created = await createRequest(await h.document('Jeanne', 'contrat-sejour'));
    const resident = created.signers.find((s) => s.role === 'resident')!;
    const opened = (await (await (await staff())(`/api/signature-requests/${created.id}/signers/${resident.id}/in-person`, { method: 'POST' })).json()) as { url: string };
    const page = await newPage();
    await open(page, opened.url);
    expect(await page.evaluate(() => document.documentElement.classList.contains('cp-large'))).toBe(true);
    await axe(page, 'landing — in person, large print');
    await page.goto(`${h.base}/portail/document`);
    expect(await page.locator('[aria-current="true"]').textContent()).toContain('Gros caractères');
    await axe(page, 'reading — in person, large print by default');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${h.base}/portail`);
    await noHorizontalScroll(page, 'landing — large print');
  });

  it('the pages without a session: dead link (404), session expired (401), and the development mailbox', async () => {
    const page = await newPage();
    const dead = await page.goto(`${h.base}/s/${'A'.repeat(43)}`);
    expect(dead?.status()).toBe(404);
    await axe(page, 'link not found (404)');
    const expired = await page.goto(`${h.base}/portail`);
    expect(expired?.status()).toBe(401);
    await axe(page, 'session expired (401)');
    const tooMany = await page.goto(`${h.base}/portail/document`);
    expect(tooMany?.status()).toBe(401);

    // /dev/mail (development only): the same page the api serves, with the mails this run received.
    await page.route('http://mail.test/**', (route) =>
      new URL(route.request().url()).pathname === '/dev/mail.css'
        ? route.fulfill({ status: 200, contentType: 'text/css', body: MAILBOX_PAGE_CSS })
        : route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: renderMailboxPage(h.mailbox.list(), { stylesheetHref: '/dev/mail.css' }) }),
    );
    await page.goto('http://mail.test/dev/mail');
    await axe(page, '/dev/mail');
  });

  it('the whole signing flow with the keyboard only, focus always visible', async () => {
    await createRequest(await h.document('Ahmed', 'dipc'));
    const page = await newPage();
    await open(page, await linkFor('ahmed.benali@example.org'));
    // Skip link first, and it works.
    const skip = await tabTo(page, () => true, 'the first stop');
    expect(skip.text).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');

    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Lire le document', 'the reading link');
    await pressAndWait(page, 'Enter', /\/portail\/document$/);
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Facile à lire', 'the easy-to-read switch');
    await pressAndWait(page, 'Enter', /version=falc$/);
    expect(await page.locator('[aria-current="true"]').textContent()).toContain('Facile à lire');
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Retour à la page de signature', 'back to the signing page');
    await pressAndWait(page, 'Enter', /\/portail$/);

    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#consent')).toBe(true);
    await tabTo(page, (f) => f.id === 'typedName', 'the name field');
    await page.keyboard.type('Ahmed Benali');
    // Shift+Tab goes back to the consent box, Tab returns: nothing lost.
    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox, backwards', true);
    expect(await page.isChecked('#consent')).toBe(true);
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Signer', 'the sign button');
    await pressAndWait(page, 'Enter', /\/portail\/signer$/);
    expect(await page.textContent('h1')).toBe('Merci, votre signature est enregistrée');
  });

  it('the tutelle representative records the person’s view, then signs, with the keyboard only', async () => {
    // Lucie's request from the earlier test is still active; the tuteur opens the same link again.
    const page = await newPage();
    await open(page, lucieLink);

    const first = await tabTo(page, (f) => f.type === 'radio', 'the first answer');
    expect(first.id).toBe('expression-0');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#expression-1')).toBe(true);
    await tabTo(page, (f) => f.id === 'comment', 'the comment');
    await page.keyboard.type('Lucie est d’accord, sauf pour les sorties.');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Enregistrer l’avis', 'the record button');
    await pressAndWait(page, 'Enter', /\/portail\/avis$/);
    expect(await page.textContent('h1')).toBe('L’avis est enregistré');
    await axe(page, 'confirmation — view recorded');
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Continuer', 'continue');
    await pressAndWait(page, 'Enter', /\/portail$/);
    await tabTo(page, (f) => f.id === 'consent', 'the consent checkbox');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.id === 'typedName', 'the name field');
    await page.keyboard.type('Alain Bernard');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portail\/signer$/);
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
        'landing — already signed',
        'landing — refused',
        'landing — closed',
        'reading — standard',
        'reading — falc',
        'reading — large-print',
        'confirmation — signed',
        'confirmation — refused',
        'confirmation — question',
        'confirmation — view recorded',
        'confirmation — code accepted',
        'error — sign without consent',
        'error — wrong typed name',
        'error — wrong access code',
        'error — empty question',
        'error — view without an answer',
        'error — CSRF 403',
        'link not found (404)',
        'session expired (401)',
        'download — sealed',
        '/dev/mail',
      ]),
    );
  });
});
