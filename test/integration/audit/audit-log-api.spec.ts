import { randomUUID } from 'node:crypto';
import { AuditService } from '@carepact/audit';
import { TransactionRunner } from '@carepact/database';
import { StaffService } from '@carepact/identity';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';
import { ApiHarness, startApiHarness } from '../api/api-harness';

interface EventView {
  seq: number;
  action: string;
  actorId: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
}

/** Issue 11 item 2: the audit log API for auditors and administrators. */
describe('audit log API: filters, pagination, CSV export', () => {
  let h: ApiHarness;
  let orgId: string;
  let residentId: string;
  const documentId = randomUUID();
  let formulaUserId: string;

  const auditor = () => loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
  const append = (actor: { type: 'system' | 'staff'; id: string }, action: string, extra: { subject?: { type: string; id: string }; payload?: Record<string, string> } = {}) =>
    h.app.get(TransactionRunner).run((em) => h.app.get(AuditService).append(em, { chainId: orgId, actor, action, ...extra }));
  const lastActions = async (n: number) =>
    ((await h.app.get(DataSource).query(`SELECT action, payload FROM audit_events WHERE chain_id = $1 ORDER BY seq DESC LIMIT $2`, [orgId, n])) as {
      action: string;
      payload: Record<string, unknown>;
    }[]);

  beforeAll(async () => {
    h = await startApiHarness();
    orgId = h.orgA.organisationId;
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id;
    // A staff member whose name is a spreadsheet formula, who then acts (logs in).
    const user = await h.app
      .get(TransactionRunner)
      .run((em) =>
        h.app.get(StaffService).createUser(em, { type: 'system', id: 'test' }, orgId, {
          email: 'formule@example.test',
          name: '=cmd|\' /C calc\'!A0',
          password: TEST_PASSWORD,
          roles: [{ establishmentId: h.orgA.establishmentId, role: 'coordinator' }],
        }),
      );
    formulaUserId = user.id;
    await loginAgent(h.app, 'formule@example.test', TEST_PASSWORD);
    await append({ type: 'system', id: '=cmd' }, 'test.formula', { payload: { note: '@SUM(A1)' } });
    // The document and its version exist: the resident and document filters find events through them.
    const sql = (text: string, params: unknown[]) => h.app.get(DataSource).query(text, params) as Promise<{ id: string }[]>;
    await sql(`INSERT INTO documents (id, organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'contrat-sejour', 'ready', now(), now())`, [
      documentId,
      orgId,
      h.orgA.establishmentId,
      residentId,
    ]);
    const [version] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', 'contrat-sejour', '1.1.0', 'h', 'r', '{}', 'h', now()) RETURNING id`,
      [orgId, documentId],
    );
    await append({ type: 'system', id: 'test' }, 'document.created', { subject: { type: 'document', id: documentId }, payload: { residentId } });
    await append({ type: 'system', id: 'test' }, 'document_version.generated', { subject: { type: 'document_version', id: version.id }, payload: { documentId } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('filters by actor, action (exact or family), resident, document and dates; each read is audited with its filters', async () => {
    const a = await auditor();
    const byActor = (await a.get(`/api/audit/events?limit=500&actor=${h.orgA.users.admissions.id}`).expect(200)).body as EventView[];
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actorId === h.orgA.users.admissions.id)).toBe(true);
    expect(byActor.map((e) => e.action)).toEqual(expect.arrayContaining(['staff.login.succeeded', 'resident.created']));

    const created = (await a.get('/api/audit/events?limit=500&action=resident.created').expect(200)).body as EventView[];
    expect(created.map((e) => [e.action, e.subjectId])).toEqual([['resident.created', residentId]]);
    const logins = (await a.get('/api/audit/events?limit=500&action=staff.login.*').expect(200)).body as EventView[];
    expect(new Set(logins.map((e) => e.action))).toEqual(new Set(['staff.login.succeeded']));

    const resident = (await a.get(`/api/audit/events?limit=500&residentId=${residentId}`).expect(200)).body as EventView[];
    expect(resident.map((e) => e.action)).toEqual(expect.arrayContaining(['resident.created', 'measure.created', 'document.created']));
    expect(resident.every((e) => e.subjectId === residentId || e.payload.residentId === residentId || e.payload.documentId === documentId)).toBe(true);

    const document = (await a.get(`/api/audit/events?limit=500&documentId=${documentId}`).expect(200)).body as EventView[];
    expect(document.map((e) => e.action)).toEqual(['document.created', 'document_version.generated']);

    const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
    expect((await a.get(`/api/audit/events?from=${day(1)}`).expect(200)).body).toEqual([]);
    expect((await a.get(`/api/audit/events?to=${day(-1)}`).expect(200)).body).toEqual([]);
    const todays = (await a.get(`/api/audit/events?limit=500&from=${day(0)}&to=${day(0)}&action=resident.created`).expect(200)).body as EventView[];
    expect(todays).toHaveLength(1);
    await a.get('/api/audit/events?from=hier').expect(400);
    await a.get('/api/audit/events?residentId=pas-un-id').expect(400);

    const [read] = await lastActions(1);
    expect(read).toMatchObject({ action: 'audit.read', payload: { action: 'resident.created', count: 1 } });
  });

  it('paginates by keyset: afterSeq = the last seq received, no event twice, none skipped', async () => {
    const a = await auditor();
    const all = (await a.get('/api/audit/events?limit=500&action=staff.login.succeeded').expect(200)).body as EventView[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const pages: EventView[] = [];
    for (let after = 0; ; ) {
      const page = (await a.get(`/api/audit/events?limit=2&action=staff.login.succeeded&afterSeq=${after}`).expect(200)).body as EventView[];
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(2);
      pages.push(...page);
      after = page[page.length - 1].seq;
    }
    // Logging in as the auditor added events after the first read: compare the common prefix.
    expect(pages.slice(0, all.length).map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(new Set(pages.map((e) => e.seq)).size).toBe(pages.length);
  });

  it('exports CSV in UTF-8 with a BOM, formula cells neutralised, and the export audited', async () => {
    const a = await auditor();
    const res = await a.get('/api/audit/events.csv').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="journal-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8').slice(1);
    const lines = text.split('\r\n').filter((l) => l);
    expect(lines[0]).toBe('seq,occurredAt,actorType,actorId,actorName,action,subjectType,subjectId,payload,hash');
    // The formula name, the formula system label: each starts with an apostrophe; nothing starts with = + - @.
    const formulaLogin = lines.find((l) => l.includes(formulaUserId) && l.includes('staff.login.succeeded'))!;
    expect(formulaLogin).toContain(`,${formulaUserId},'=cmd|' /C calc'!A0,staff.login.succeeded,`);
    const formulaSystem = lines.find((l) => l.includes('test.formula'))!;
    expect(formulaSystem).toContain(",system,'=cmd,,test.formula,,,\"{\"\"note\"\":\"\"@SUM(A1)\"\"}\",");
    for (const line of lines.slice(1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    // The French accents survive (UTF-8).
    expect(text).not.toContain('Ã');

    const [exported] = await lastActions(1);
    expect(exported.action).toBe('audit.exported');
    expect(exported.payload).toMatchObject({ format: 'csv', rows: lines.length - 1 });
  });

  it('filters the CSV like the list, and refuses roles without audit access (403)', async () => {
    const a = await auditor();
    const res = await a.get(`/api/audit/events.csv?residentId=${residentId}&action=resident.created`).expect(200);
    const rows = (res.text as string).split('\r\n').filter((l) => l);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`,resident.created,resident,${residentId},`);
    const [exported] = await lastActions(1);
    expect(exported.payload).toMatchObject({ residentId, action: 'resident.created', rows: 1 });

    const exports = async () =>
      ((await h.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'audit.exported'`)) as { n: number }[])[0].n;
    const before = await exports();
    const admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    await admissions.get('/api/audit/events').expect(403);
    await admissions.get('/api/audit/events.csv').expect(403);
    await admissions.get('/api/audit/verify').expect(403);
    expect(await exports()).toBe(before);
  });
});
