import { readFileSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

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
