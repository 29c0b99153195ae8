import { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SeededOrganisation, TEST_PASSWORD, TestDatabase, axeViolations, createTestDatabase, launchChromium, pageBasics, seedOrganisation } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../apps/api/src/bootstrap';

/**
 * The console's test bed: a fresh database, the real api listening on a port (in process: the
 * console needs no worker until a document is generated), one organisation with a user per role,
 * and Debian's Chromium.
 */
export interface ConsoleHarness {
  db: TestDatabase;
  app: INestApplication;
  url: string;
  org: SeededOrganisation;
  browser: Browser;
  /** A new browser context (its own cookies) and page; every console error is collected in `problems`. */
  newPage(): Promise<Page & { problems: string[] }>;
  /** Logs in through the form as it is seen; lands on the page the login leads to. */
  login(page: Page, email: string, password?: string): Promise<void>;
  /** The `n` of a `SELECT count(*) AS n …` on the test database, as a number. */
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function startConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const db = await createTestDatabase(env);
  const app = await createApiApp(db.config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const org = await seedOrganisation(app, 'console');
  const browser = await launchChromium();
  return {
    db,
    app,
    url,
    org,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: url, locale: 'fr-FR' });
      const page = (await context.newPage()) as Page & { problems: string[] };
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') page.problems.push(m.text());
      });
      page.on('pageerror', (e) => page.problems.push(String(e)));
      return page;
    },
    async login(page, email, password = TEST_PASSWORD) {
      await page.goto('/connexion');
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByLabel('Mot de passe').fill(password);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
    },
    async count(sql, params = []) {
      return Number(((await app.get(DataSource).query(sql, params)) as { n: string }[])[0].n);
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      await db.drop();
    },
  };
}

/**
 * What every console page state is checked for: no axe-core violation, French, its title followed
 * by « — CarePact » (WCAG 2.4.2), one h1, and no horizontal scrolling at 320 px (WCAG 1.4.10),
 * where axe runs again. The viewport is back at 1280 × 900 afterwards.
 */
export async function checkConsolePage(page: Page, title: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: `${title} — CarePact`, h1: 1, overflowX: false });
  await page.setViewportSize({ width: 320, height: 640 });
  expect((await pageBasics(page)).overflowX).toBe(false);
  expect(await squeezedCaptions(page)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/**
 * The captions of the page's tables narrower than half the page: a stacked table's caption kept as a
 * table caption was 14 px wide at 320 px, one letter per line (the newcomer's review of session 16).
 */
async function squeezedCaptions(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('caption')]
      .filter((c) => c.getClientRects().length && c.getBoundingClientRect().width < document.documentElement.clientWidth / 2)
      .map((c) => `${c.textContent?.trim()}: ${Math.round(c.getBoundingClientRect().width)} px`),
  );
}

/**
 * Clicks a button (the first one so named with `first`; its whole name with `exact`) and waits for
 * the page the form leads to.
 */
export async function submitForm(page: Page, name: string | RegExp, o: { exact?: boolean; first?: boolean } = {}): Promise<void> {
  const button = page.getByRole('button', { name, ...(o.exact ? { exact: true } : {}) });
  await Promise.all([page.waitForNavigation(), (o.first ? button.first() : button).click()]);
}

/** The console CSRF token of a page's form (a hidden `_csrf` field), for posting it outside the browser. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
