import { Browser, Page } from 'playwright-core';
import { EMAIL_KINDS, EmailDataByKind, EmailKind, emailSamples, MAILBOX_PAGE_CSS, primaryLinkOf, renderEmail, renderMailboxPage, ReceivedMail } from '@carepact/notifications';
import { AXE_SOURCE, launchChromium } from '@carepact/testing';

/**
 * Every email, as a mail client would show it, in the Debian Chromium: axe-core finds no WCAG 2.1
 * AA violation (nor 2.2 target size), the one link is the primary action with its exact address,
 * no script element exists even when names are crafted to inject one, and the names show as typed.
 */
const NASTY = `</mj-text><mj-raw><script>window.pwned=1</script></mj-raw><img src=x onerror="window.pwned=1"> {{subject}} ‮ Seán 😀`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function withPage<T>(html: string, fn: (page: Page) => Promise<T>, css?: string): Promise<T> {
  const page = await browser.newPage();
  // Renderers make no network requests, and neither may the emails once opened.
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
  });
  try {
    await page.setContent(html);
    if (css) await page.addStyleTag({ content: css });
    const result = await fn(page);
    expect(requests).toEqual([]);
    return result;
  } finally {
    await page.close();
  }
}

async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  // A string expression: this file is type-checked without the DOM library.
  const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })`,
  );
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

interface Dom {
  lang: string;
  title: string;
  scripts: number;
  links: { href: string; text: string; width: number; height: number }[];
  images: number;
  pwned: boolean;
  bodyText: string;
}

const DOM = `(() => ({
  lang: document.documentElement.lang,
  title: document.title,
  scripts: document.querySelectorAll('script').length,
  links: [...document.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.innerText.trim(), width: a.getBoundingClientRect().width, height: a.getBoundingClientRect().height })),
  images: document.querySelectorAll('img').length,
  pwned: window.pwned === 1,
  bodyText: document.body.innerText,
}))()`;

function nastyData<K extends EmailKind>(kind: K): EmailDataByKind[K] {
  const d = structuredClone(emailSamples()[kind]) as unknown as Record<string, unknown>;
  d.establishment = { name: NASTY, phone: NASTY };
  for (const k of ['recipientName', 'residentName', 'signerName']) if (k in d && d[k] !== null) d[k] = NASTY;
  return d as unknown as EmailDataByKind[K];
}

describe.each(EMAIL_KINDS)('email %s in Chromium', (kind) => {
  const data = emailSamples()[kind];
  const link = primaryLinkOf(kind, data);

  it('passes axe-core and has one readable primary link with the exact address (none for a cancelled request)', async () => {
    const email = renderEmail(kind, data);
    await withPage(email.html, async (page) => {
      const dom = await page.evaluate<Dom>(DOM);
      expect(dom.scripts).toBe(0);
      expect(dom.lang).toBe('fr');
      expect(dom.title).toBe(email.subject);
      expect(dom.images).toBe(0);
      if (link === null) {
        expect(dom.links).toEqual([]);
        expect(dom.bodyText).toContain('EHPAD Les Tilleuls');
        expect(await axeViolations(page)).toEqual([]);
        return;
      }
      expect(dom.links).toHaveLength(1);
      expect(dom.links[0].href).toBe(link);
      expect(dom.links[0].text.length).toBeGreaterThan(10);
      // Large enough to hit (WCAG 2.5.8 asks 24 px; this is a comfortable button).
      expect(dom.links[0].height).toBeGreaterThanOrEqual(44);
      expect(dom.bodyText).toContain('EHPAD Les Tilleuls');
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  it('shows crafted names literally and runs nothing', async () => {
    const email = renderEmail(kind, nastyData(kind));
    await withPage(email.html, async (page) => {
      const dom = await page.evaluate<Dom>(DOM);
      expect(dom.scripts).toBe(0);
      expect(dom.images).toBe(0);
      expect(dom.pwned).toBe(false);
      expect(dom.links.map((l) => l.href)).toEqual(link === null ? [] : [link]);
      expect(dom.bodyText).toContain(NASTY);
      expect(await axeViolations(page)).toEqual([]);
    });
  });
});

describe('development mailbox page in Chromium', () => {
  const mails: ReceivedMail[] = EMAIL_KINDS.map((kind, i) => {
    const e = renderEmail(kind, kind === 'staff-question' ? nastyData(kind) : emailSamples()[kind]);
    return { id: `id-${i}`, receivedAt: new Date(Date.UTC(2026, 10, 20, 9, i)), from: 'CarePact <no-reply@carepact.localhost>', to: ['jeanne@exemple.fr'], subject: e.subject, text: e.text, html: e.html, headers: {} };
  });

  it('passes axe-core, links every URL of the messages, and runs nothing', async () => {
    const html = renderMailboxPage(mails, { htmlHref: (m) => `/dev/mail/${m.id}.html` });
    await withPage(
      html,
      async (page) => {
        const dom = await page.evaluate<Dom>(DOM);
        expect(dom.lang).toBe('fr');
        expect(dom.scripts).toBe(0);
        expect(dom.pwned).toBe(false);
        const hrefs = dom.links.map((l) => l.href);
        for (const kind of EMAIL_KINDS) {
          const link = primaryLinkOf(kind, emailSamples()[kind]);
          if (link !== null) expect(hrefs).toContain(link);
        }
        expect(hrefs.filter((h) => h.startsWith('/dev/mail/'))).toHaveLength(EMAIL_KINDS.length);
        expect(dom.bodyText).toContain(NASTY);
        // After the DOM checks: axe adds its own script element.
        expect(await axeViolations(page)).toEqual([]);
      },
      MAILBOX_PAGE_CSS,
    );
  });
});
