import { ValidationError } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import { CreateRequestInput, SignatureRequestsService } from '@carepact/signing';
import { PortalClient } from '@carepact/testing';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { SigningHarness, startSigningHarness } from './signing-harness';

interface RequestView {
  id: string;
  signers: { id: string; key: string; role: string; delivery: string; status: string; accessCodeRequired: boolean }[];
}

/**
 * Issue 7, items 5 and 7: a signature request's `delivery` is checked field by field (a value the
 * database refuses was a 500 that logged care data; `staff` made a resident a countersigning
 * director), and the portal's forms answer odd bodies with a French page and a 4xx, never a 500.
 */
describe('signature request delivery and portal forms: bad input is a 4xx', () => {
  let h: SigningHarness;
  let documentId: string;
  let staff: (path: string, init?: RequestInit) => Promise<Response>;

  beforeAll(async () => {
    h = await startSigningHarness();
    documentId = await h.document('Marcel', 'contrat-sejour');
    staff = await h.staff('admissions@les-tilleuls.example');
  }, 120000);
  afterAll(async () => {
    await h?.close();
  });

  const create = (delivery: unknown) => staff(`/api/documents/${documentId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.', delivery }) });
  const expectRefused = async (res: Response, field: string, code: string) => {
    const body = (await res.json()) as { error: { code: string; details?: { field: string; code: string; message: string }[] } };
    expect({ status: res.status, code: body.error.code, details: body.error.details }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ field, code, message: expect.stringMatching(/\p{L}{3,} \p{L}{3,}/u) })]),
    });
  };

  it('delivery: closed set of methods, booleans, no unknown field, never `staff` for a resident — each a 400 naming the field, nothing written', async () => {
    await expectRefused(await create({ resident: { method: 'pigeon' } }), 'delivery.resident.method', 'NOT_ALLOWED_VALUE');
    await expectRefused(await create({ resident: { method: 'email', accessCode: 'x' } }), 'delivery.resident.accessCode', 'INVALID_TYPE');
    await expectRefused(await create({ resident: { method: 'email', accessCode: 'yes' } }), 'delivery.resident.accessCode', 'INVALID_TYPE');
    await expectRefused(await create({ resident: { method: 'email', colour: 'bleu' } }), 'delivery.resident.colour', 'UNKNOWN_FIELD');
    await expectRefused(await create({ resident: { method: 'staff' } }), 'delivery.resident.method', 'STAFF_DELIVERY_NOT_ALLOWED');
    await expectRefused(await create({ resident: 'email' }), 'delivery.resident', 'INVALID_TYPE');
    await expectRefused(await create(['email']), 'delivery', 'INVALID_TYPE');
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM signature_requests WHERE document_id = $1`, [documentId])) as { n: number }[];
    expect(n).toBe(0);
    const doc = (await (await staff(`/api/documents/${documentId}`)).json()) as { status: string };
    expect(doc.status).toBe('ready');
  });

  it('the lib re-checks delivery for callers other than the API (CLI, jobs): `staff` for a person and a non-boolean code are refused', async () => {
    const [admissions] = (await h.ds.query(`SELECT u.id, u.organisation_id, u.email, r.establishment_id FROM staff_users u JOIN staff_roles r ON r.user_id = u.id WHERE u.email = 'admissions@les-tilleuls.example'`)) as {
      id: string;
      organisation_id: string;
      email: string;
      establishment_id: string;
    }[];
    const actor: StaffActor = {
      kind: 'staff',
      userId: admissions.id,
      organisationId: admissions.organisation_id,
      email: admissions.email,
      name: 'Admissions',
      sessionId: 'test',
      roles: [{ establishmentId: admissions.establishment_id, role: 'admissions' }],
    };
    // The lib itself, in this process (the harness's api is a child process).
    const app = await createApiApp(h.db.config);
    try {
      const service = app.get(SignatureRequestsService);
      const refusal = (delivery: unknown) =>
        service.create(actor, documentId, { delivery, lateReason: 'Test : délai légal de la personne de démonstration dépassé.' } as CreateRequestInput).then(
          () => null,
          (e: ValidationError) => e.details[0],
        );
      expect(await refusal({ resident: { method: 'staff' } })).toMatchObject({ field: 'delivery.resident.method', code: 'NOT_ALLOWED_VALUE' });
      expect(await refusal({ resident: { method: 'email', accessCode: 'yes' } })).toMatchObject({ field: 'delivery.resident.accessCode', code: 'INVALID_TYPE' });
    } finally {
      await app.close();
    }
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM signature_requests WHERE document_id = $1`, [documentId])) as { n: number }[];
    expect(n).toBe(0);
  });

  describe('portal forms', () => {
    let cookie: string;
    let csrf: string;
    let request: RequestView;

    beforeAll(async () => {
      const res = await create({ resident: { method: 'email', accessCode: false } });
      expect(res.status).toBe(201);
      request = (await res.json()) as RequestView;
      expect(request.signers.find((s) => s.role === 'resident')).toMatchObject({ delivery: 'email', accessCodeRequired: false });
      const [mail] = await h.waitForMail('marcel.dupont@example.org', 1);
      const opened = await fetch(PortalClient.linksIn(mail.text, h.base)[0], { redirect: 'manual' });
      expect(opened.status).toBe(303);
      cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
      // The question page carries the session's CSRF token (the landing has no form since issue 13).
      const page = await fetch(`${h.base}/portail/question`, { headers: { Cookie: cookie } });
      csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
    }, 60000);

    const post = (path: string, body: BodyInit | undefined, contentType?: string, headers: Record<string, string> = {}) =>
      fetch(h.base + path, { method: 'POST', body, redirect: 'manual', headers: { Cookie: cookie, ...(contentType ? { 'Content-Type': contentType } : {}), ...headers } });

    const expectPage = async (res: Response, status: number) => {
      const html = await res.text();
      expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status, type: 'text/html; charset=utf-8' });
      expect(html).toContain('<html lang="fr"');
      expect(html).toMatch(/formulaire|envoi|encodage/i);
      expect(html).not.toMatch(/at \w+ \(|node_modules|Error:|stack/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    };

    const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();
    const signFields = { typedName: 'Marcel Dupont', consent: 'oui' };

    it('JSON, text or multipart bodies → 415 page', async () => {
      await expectPage(await post('/portail/signer', JSON.stringify({ _csrf: csrf, ...signFields }), 'application/json'), 415);
      await expectPage(await post('/portail/signer', 'typedName=Marcel Dupont', 'text/plain'), 415);
      const multipart = new FormData();
      multipart.set('_csrf', csrf);
      multipart.set('typedName', 'Marcel Dupont');
      await expectPage(await post('/portail/signer', multipart), 415);
      await expectPage(await post('/portail/question', JSON.stringify({ _csrf: csrf, message: 'Une question ?' }), 'application/json'), 415);
    });

    it('an empty body → 400 page, with or without a form Content-Type', async () => {
      await expectPage(await post('/portail/signer', undefined, 'application/x-www-form-urlencoded'), 400);
      await expectPage(await post('/portail/refuser', undefined), 400);
      await expectPage(await post('/portail/avis', '', 'application/x-www-form-urlencoded'), 400);
    });

    it('a form over 400 kB or with more than 50 fields → 413 page', async () => {
      await expectPage(await post('/portail/signer', form({ ...signFields, drawnSignature: 'data:image/png;base64,' + 'A'.repeat(500 * 1024) }), 'application/x-www-form-urlencoded'), 413);
      const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, 'x']));
      await expectPage(await post('/portail/signer', form({ ...signFields, ...many }), 'application/x-www-form-urlencoded'), 413);
    });

    it('an unknown charset or content encoding → 415 page; a field sent twice → 400 page', async () => {
      await expectPage(await post('/portail/signer', form(signFields), 'application/x-www-form-urlencoded; charset=koi8-r'), 415);
      await expectPage(await post('/portail/signer', form(signFields), 'application/x-www-form-urlencoded; charset=utf-16'), 415);
      await expectPage(await post('/portail/signer', form(signFields), 'application/x-www-form-urlencoded', { 'Content-Encoding': 'compress' }), 415);
      await expectPage(await post('/portail/signer', `${form(signFields)}&typedName=Autre`, 'application/x-www-form-urlencoded'), 400);
    });

    it('none of it changed anything: the signer is still pending and the session still works; a proper form still signs', async () => {
      const resident = request.signers.find((s) => s.role === 'resident')!;
      const [{ status }] = (await h.ds.query(`SELECT status FROM signature_signers WHERE id = $1`, [resident.id])) as { status: string }[];
      expect(status).toBe('pending');
      expect((await fetch(`${h.base}/portail/document`, { headers: { Cookie: cookie } })).status).toBe(200);
      const page = await fetch(`${h.base}/portail/signer`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
      const signed = await post('/portail/signer', form({ typedName: 'Marcel Dupont', consent: 'oui' }), 'application/x-www-form-urlencoded');
      expect(signed.status).toBe(303);
      const [{ status: after }] = (await h.ds.query(`SELECT status FROM signature_signers WHERE id = $1`, [resident.id])) as { status: string }[];
      expect(after).toBe('signed');
    });
  });
});
