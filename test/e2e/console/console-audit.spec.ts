import { AuditService } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { axeViolations, pageBasics } from '@carepact/testing';
import { Client } from 'pg';
import { WorklistFixture, seedWorklist } from '../../integration/worklist/worklist-fixtures';
import { blankPages, withJavaScriptOpenAction } from '../../unit/paper/scan-fixtures';
import { ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * Issue 11, items 1 and 2, in Chromium: « Journal d’audit » (filters, keyset pages, « Vérifier la
 * chaîne » naming the first broken event, the CSV export of the same filters, audited) and a
 * document's history page with « Vérifier à nouveau »; the upload of a paper signature's scan with
 * the service's French refusals in the form (issue 11, item 6); axe-core, keyboard, 320 px.
 */
describe('console: journal d’audit and document history (issue 11)', () => {
  let h: ConsoleHarness;
  let f: WorklistFixture;
  let su: Client;
  beforeAll(async () => {
    h = await startConsoleHarness();
    f = await seedWorklist(h.app, h.org.users.administrator, h.org.establishmentId, h.org.organisationId);
    // 60 more events through the real AuditService, so the log has several pages.
    const audit = h.app.get(AuditService);
    const tx = h.app.get(TransactionRunner);
    for (let i = 0; i < 60; i++)
      await tx.run((em) => audit.append(em, { chainId: h.org.organisationId, actor: { type: 'system', id: null }, action: 'test.filler', payload: { n: i, note: i === 0 ? '=HYPERLINK("x")' : 'ok' } }));
    su = new Client({ connectionString: h.db.url });
    await su.connect();
  }, 180_000);
  afterAll(async () => {
    await su?.end();
    await h?.close();
  });

  it('the auditor reads the log by pages, filters it, exports it (audited) — axe, keyboard, 320 px', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.auditor.email);
    await page.getByRole('link', { name: 'Journal d’audit', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/console/journal');
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'Journal d’audit — CarePact', h1: 1 });
    const rows = page.locator('table.audit-table tbody tr');
    expect(await rows.count()).toBe(50);
    const firstSeqs = await page.locator('table.audit-table tbody th').allTextContents();
    expect(firstSeqs.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/audit-journal.png', fullPage: false });
    await page.locator('.table-scroll').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/audit-journal-table.png', fullPage: false });

    // Keyset page: the next page starts after the last seq shown (afterSeq), never an OFFSET.
    await page.getByRole('link', { name: 'Événements suivants' }).click();
    expect(new URL(page.url()).searchParams.get('afterSeq')).toBe('50');
    expect(await page.locator('table.audit-table tbody th').first().textContent()).toBe('51');

    // Filters: an action family; a wrong date gets a French message next to the field.
    await page.goto('/console/journal');
    await page.getByLabel('Action').fill('test.*');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const seqs = await page.locator('table.audit-table tbody td code').filter({ hasText: /^test\./ }).count();
    expect(seqs).toBe(50);
    expect(await page.locator('table.audit-table tbody td code').filter({ hasText: /^(?!test\.)[a-z_]+\.[a-z_]+$/ }).count()).toBe(0);
    await page.goto('/console/journal?from=2026-02-31');
    expect(await page.title()).toBe('Erreur — Journal d’audit — CarePact');
    expect(await page.locator('#from-erreur').textContent()).toBe('Indiquez la date de début (JJ/MM/AAAA).');
    expect(await axeViolations(page)).toEqual([]);

    // CSV: the same filters, UTF-8 with BOM, formulas neutralised, and the export itself audited.
    await page.goto('/console/journal?action=test.filler');
    const href = await page.getByRole('link', { name: /Exporter les événements filtrés en CSV/ }).getAttribute('href');
    expect(href).toBe('/api/audit/events.csv?action=test.filler');
    const csv = await page.request.get(href!);
    const body = await csv.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(61);
    expect(text).not.toMatch(/,=HYPERLINK/);
    const [exported] = (await su.query(`SELECT payload FROM audit_events WHERE chain_id = $1 AND action = 'audit.exported' ORDER BY seq DESC LIMIT 1`, [h.org.organisationId])).rows;
    expect(exported.payload).toMatchObject({ format: 'csv', rows: 60, action: 'test.filler' });
    // Each read of the page is audited too.
    const [read] = (await su.query(`SELECT count(*)::int AS n FROM audit_events WHERE chain_id = $1 AND action = 'audit.read' AND payload->>'via' = 'console'`, [h.org.organisationId])).rows;
    expect(read.n).toBeGreaterThanOrEqual(4);

    // Keyboard: « Vérifier la chaîne » is reached by Tab and works with Enter.
    await page.goto('/console/journal');
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Vérifier la chaîne';
    }
    expect(reached).toBe(true);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('#verification').textContent()).toContain('La chaîne est intacte.');
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false, h1: 1 });
    await page.screenshot({ path: '/tmp/audit-journal-320.png', fullPage: false });
  });

  it('« Vérifier la chaîne » names the first broken event and links to it', async () => {
    const [target] = (await su.query(`SELECT id, seq FROM audit_events WHERE chain_id = $1 AND action = 'test.filler' ORDER BY seq LIMIT 1 OFFSET 9`, [h.org.organisationId])).rows;
    await su.query('BEGIN');
    await su.query(`SET LOCAL session_replication_role = replica`);
    await su.query(`UPDATE audit_events SET payload = '{"n": 999}' WHERE id = $1`, [target.id]);
    await su.query('COMMIT');
    try {
      const page = await h.newPage();
      await h.login(page, h.org.users.administrator.email);
      await page.goto('/console/journal');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Vérifier la chaîne' }).click()]);
      const alert = page.locator('#verification');
      expect(await alert.locator('h2').textContent()).toBe('La chaîne d’audit est rompue');
      expect(await alert.textContent()).toContain(`Premier événement rompu : n° ${target.seq} (${target.id})`);
      expect(await alert.textContent()).toContain('HASH_MISMATCH');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/audit-journal-broken.png', fullPage: false });
      await page.getByRole('link', { name: `Voir le journal à partir de l’événement n° ${target.seq}` }).click();
      expect(await page.locator('table.audit-table tbody th').first().textContent()).toBe(String(target.seq));
    } finally {
      await su.query('BEGIN');
      await su.query(`SET LOCAL session_replication_role = replica`);
      await su.query(`UPDATE audit_events SET payload = $2 WHERE id = $1`, [target.id, JSON.stringify({ n: 9, note: 'ok' })]);
      await su.query('COMMIT');
    }
  });

  it('a document’s history: linked from the document page, lineage, versions, « Vérifier à nouveau » with each check — axe, 320 px', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.auditor.email);
    await page.goto(`/console/documents/${f.documents.countersign}`);
    await page.getByRole('link', { name: 'Historique du document et vérification des empreintes' }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${f.documents.countersign}/historique`);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', h1: 1 });
    expect(await page.title()).toMatch(/^Historique — .+ — CarePact$/);
    expect(await page.locator('ol.versions li').first().textContent()).toContain('Version 1');
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Vérifier à nouveau' }).click()]);
    const result = page.locator('#verification');
    expect(await result.locator('h2').textContent()).toMatch(/^(Vérification réussie|La vérification a trouvé des problèmes)$/);
    expect(await result.textContent()).toMatch(/\d+ contrôles/);
    const [verified] = (await su.query(`SELECT payload FROM audit_events WHERE chain_id = $1 AND action = 'document.verified' AND subject_id = $2`, [h.org.organisationId, f.documents.countersign])).rows;
    expect(verified.payload).toHaveProperty('checks');
    // Shown once: a reload does not show it again.
    await page.reload();
    expect(await page.locator('#verification').count()).toBe(0);
    expect(await page.locator('ol.timeline li').filter({ hasText: 'Vérification des empreintes et du sceau' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/document-history.png', fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false, h1: 1 });

    // « Voir dans le journal »: the document's events (its versions' and requests' too); the person's, by her id, without her file.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'Voir dans le journal', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('documentId')).toBe(f.documents.countersign);
    expect(await page.locator('table.audit-table tbody td code').filter({ hasText: /^document\.verified$/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`/console/documents/${f.documents.countersign}/historique`);
    await page.getByRole('link', { name: 'Voir dans le journal tous les événements de la personne' }).click();
    expect(new URL(page.url()).searchParams.get('residentId')).toBe(f.residents.countersign);
    const actions = await page.locator('table.audit-table tbody td code.action-code').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['resident.created', 'document.verified']));
  });

  it('staff upload a paper signature’s scan: French refusals in the form, nothing stored; then the request is signed on paper — axe, 320 px', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.admissions.email);
    await page.goto(`/console/documents/${f.documents.awaiting}`);
    await page.getByRole('link', { name: 'Déposer le scan signé sur papier' }).click();
    const path = `/console/documents/${f.documents.awaiting}/demandes/${f.requests.awaiting}/papier`;
    expect(new URL(page.url()).pathname).toBe(path);
    expect(await pageBasics(page)).toMatchObject({ lang: 'fr', title: 'Déposer le scan signé sur papier — CarePact', h1: 1 });
    expect(await axeViolations(page)).toEqual([]);
    const papers = async () => Number((await su.query(`SELECT count(*)::int AS n FROM paper_signatures WHERE request_id = $1`, [f.requests.awaiting])).rows[0].n);

    // Nothing ticked, no file: both fields say what is missing.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Déposer le scan signé' }).click()]);
    expect(await page.title()).toBe('Erreur — Déposer le scan signé sur papier — CarePact');
    expect(await page.locator('#signerIds-erreur').textContent()).toBe('Cochez les personnes dont la signature manuscrite est sur le papier.');
    expect(await page.locator('#scan-erreur').textContent()).toBe('Choisissez le fichier PDF du scan.');
    expect(await axeViolations(page)).toEqual([]);

    // A scan with JavaScript: the service's refusal, in French, next to the file; the ticks are kept.
    const blank = await blankPages(1);
    await page.getByLabel(/Denis Attente/).check();
    await page.setInputFiles('#scan', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: await withJavaScriptOpenAction(blank) });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Déposer le scan signé' }).click()]);
    expect(await page.locator('#scan-erreur').textContent()).toBe('Le PDF contient du JavaScript : il est refusé. Envoyez le PDF produit directement par le scanner.');
    expect(await page.getByLabel(/Denis Attente/).isChecked()).toBe(true);
    expect(await papers()).toBe(0);
    await page.screenshot({ path: '/tmp/paper-refused.png', fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await pageBasics(page)).toMatchObject({ overflowX: false, h1: 1 });
    await page.setViewportSize({ width: 1280, height: 720 });

    // Over 20 MB: the form's reader stops at the limit and the same French refusal is shown (413).
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    big.write('%PDF-1.7\n');
    await page.setInputFiles('#scan', { name: 'gros.pdf', mimeType: 'application/pdf', buffer: big });
    const [tooLarge] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Déposer le scan signé' }).click()]);
    expect(tooLarge!.status()).toBe(413);
    expect(await page.locator('#scan-erreur').textContent()).toMatch(/^Le scan dépasse 20 Mo\./);
    expect(await papers()).toBe(0);

    // The scan as the scanner made it: 303 to the document page, which says so once.
    await page.setInputFiles('#scan', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: blank });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Déposer le scan signé' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${f.documents.awaiting}`);
    expect(await page.locator('main').textContent()).toContain('Le scan signé sur papier est déposé.');
    // To the message itself, in view (the redirect went to #signatures before, below it: scrolled out).
    expect(new URL(page.url()).hash).toBe('#message');
    const box = await page.locator('#message').boundingBox();
    expect(box!.y).toBeGreaterThan(-1);
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    expect(await papers()).toBe(1);
    const [denis] = (await su.query(`SELECT status, auth_method FROM signature_signers WHERE id = $1`, [f.signers['awaiting.resident']])).rows;
    expect(denis).toEqual({ status: 'signed', auth_method: 'paper' });
  });
});
