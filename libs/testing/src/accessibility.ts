import type { Page } from 'playwright-core';
import { AXE_SOURCE } from './chromium';

/** The rules every page is held to: WCAG 2.0/2.1 A and AA, and WCAG 2.2 AA (2.5.8 target size…). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's violations on the page as it is now (axe injected once per document). */
export async function axeViolations(page: Page, tags: string[] = AXE_TAGS): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (t: string[]) => {
    const w = window as unknown as {
      axe: {
        run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }>;
      };
    };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: t }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`) }));
  }, tags);
}

/**
 * What a page must satisfy in every state: no axe violation, one h1, French, a title, nothing wider
 * than the viewport at 320 px (WCAG 1.4.10) — checked by the caller after `page.setViewportSize`.
 */
export async function pageBasics(page: Page): Promise<{ lang: string; title: string; h1: number; overflowX: boolean }> {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    overflowX: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  }));
}
