import { readFileSync } from 'node:fs';
import { Browser, Page, chromium, errors } from 'playwright-core';

/** The Debian Chromium (installed by scripts/ensure-test-tools.js); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (tests run as root in CI), and no traffic of its own: only what a page asks for. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** axe-core's source, to inject into a page (`page.addScriptTag({ content: AXE_SOURCE })`). */
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The one way the tests start a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * The id of the focused element, once the element `expected` has the focus or `timeout` ms have passed.
 * `autofocus` (the error summary) is applied by the browser at its next rendering step, which can come
 * after the load event on a busy machine: a test that reads the focus at once races it.
 */
export async function focusedIdOnceSettled(page: Page, expected: string, timeout = 5000): Promise<string | undefined> {
  try {
    await page.waitForFunction((id) => document.activeElement?.id === id, expected, { timeout });
  } catch (e) {
    if (!(e instanceof errors.TimeoutError)) throw e;
  }
  return page.evaluate(() => document.activeElement?.id || undefined);
}
