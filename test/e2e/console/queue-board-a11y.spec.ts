import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { projectRoot } from '@carepact/common';
import { launchChromium } from '@carepact/testing';

/**
 * The script that names Bull Board's icon-only buttons (views/static/queue-board-a11y.js) must name
 * a button before any later task can read it. It used to wait for the next animation frame, and
 * console-admin.spec's axe run met the board's new buttons unnamed on a busy CI machine.
 */
describe('queue board: icon-only buttons are named as soon as they are rendered', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a button rendered later is named before the task that rendered it ends (no frame to wait for)', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="fr"><head><title>Files</title></head><body><main><button><svg class="lucide lucide-settings"></svg></button></main></body></html>');
    await page.addScriptTag({ content: readFileSync(join(projectRoot(), 'apps/api/src/views/static/queue-board-a11y.js'), 'utf8') });
    expect(await page.locator('button').first().getAttribute('aria-label')).toBe('Réglages');
    const labels = await page.evaluate(async () => {
      // As React renders: new icon-only buttons in one task. The observer's callback is a
      // microtask of this task; an animation frame would come after it.
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML('beforeend', '<button><svg class="lucide lucide-refresh-cw"></svg></button><div role="button" aria-haspopup="menu"><svg></svg></div>');
      await Promise.resolve();
      return [...main.querySelectorAll('button, [role="button"]')].map((b) => [b.getAttribute('aria-label'), b.querySelector('svg')?.getAttribute('aria-hidden') ?? null]);
    });
    expect(labels).toEqual([
      ['Réglages', 'true'],
      ['Actualiser', 'true'],
      ['Menu des actions', 'true'],
    ]);
    await page.close();
  });
});
