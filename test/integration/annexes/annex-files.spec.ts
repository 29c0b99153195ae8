import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { calendarDayIn, formatDateFr } from '@carepact/common';
import { MAX_ANNEX_BYTES } from '@carepact/signing';
import { PortalClient, TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { demoAnnexPdf } from '../../../apps/cli/src/seed/demo-annexes';
import { encrypted, malformed, notAPdf, tempFile, tool, withJavaScriptOpenAction, withUriLink } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
/** A calendar day in Paris, `offset` days from today (the service's days are Paris days). */
const day = (offset: number) => calendarDayIn(new Date(Date.now() + offset * 86_400_000));
const yesterday = () => day(-1);
const today = () => day(0);
const tomorrowPlus = (days: number) => day(days);

interface FileView {
  id: string;
  kind: string;
  versionLabel: string;
  effectiveOn: string;
  sha256: string;
  byteSize: number;
  publishedAt: string;
  href: string;
}
interface KeyView {
  key: string;
  label: string;
  current: FileView | null;
  files: FileView[];
}
interface VersionAnnexRow {
  key: string;
  label: string;
  inForceOn: string;
  file: { id: string; sha256: string; versionLabel: string; effectiveOn: string; publishedAt: string } | null;
}

/**
 * The documents handed over with the contract as files (CASF L.311-4), on the real stack: published
 * (refusals leave nothing), versioned (a new version never replaces the old), recorded by each
 * contract version, listed with their SHA-256 in the sealed evidence (JSON and printed), and served
 * in the portal to the signers of that version only.
 */
describe('documents handed over with the contract: files, versions, evidence, portal', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let base: string;
  let admissions: request.Agent;
  let director: request.Agent;
  let auditor: request.Agent;
  let livret2025: Buffer;
  let livret2026: Buffer;
  let reglement: Buffer;
  let est: string;

  const publish = (agent: request.Agent, body: Buffer, q: Record<string, string>, type = 'application/pdf') =>
    agent.post(`/api/establishments/${est}/annex-files?${new URLSearchParams(q).toString()}`).set('Content-Type', type).send(body);
  /** What a refused publication must not change. */
  const state = async () => {
    const [row] = (await ds.query(`SELECT
      (SELECT count(*)::int FROM establishment_annex_files) AS files,
      (SELECT count(*)::int FROM blobs) AS blobs,
      (SELECT count(*)::int FROM audit_events WHERE action LIKE 'annex_file.%') AS audit`)) as Record<string, number>[];
    return row;
  };
  const versionAnnexes = async (versionId: string) =>
    ((await ds.query(`SELECT annexes FROM document_versions WHERE id = $1`, [versionId])) as { annexes: VersionAnnexRow[] | null }[])[0].annexes;
  /** A contract whose annexes were handed over on `handedOverOn` (its data's `annexesHandedOverOn`). */
  const newContract = async (firstName: string, handedOverOn: string) => {
    const { protectionMeasure: _m, ...adult } = curatelleResident(est);
    const residentId = (await admissions.post('/api/residents').send({ ...adult, firstName }).expect(201)).body.id as string;
    const documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: handedOverOn }) }).expect(202)).body.id as string;
    await waitUntil('generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60_000);
    const doc = (await admissions.get(`/api/documents/${documentId}`)).body as { versions: { id: string }[] };
    return { documentId, versionId: doc.versions[doc.versions.length - 1].id };
  };
  /** Sends the contract for signature and opens the resident's in-person session on the portal (the tablet). */
  const residentSession = async (documentId: string) => {
    const view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai' }).expect(201)).body as {
      id: string;
      signers: { id: string; role: string }[];
    };
    const resident = view.signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissions.post(`/api/signature-requests/${view.id}/signers/${resident.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    return { requestId: view.id, portal };
  };

  /** The resident signs in person, the director countersigns, the worker seals: the evidence.json and the sealed PDF's text. */
  const signAndSeal = async (documentId: string, typedName: string) => {
    const { requestId, portal } = await residentSession(documentId);
    await portal.get('/portail/document');
    expect((await portal.sign({ consent: 'oui', typedName })).status).toBe(303);
    expect((await countersignRequest(director, requestId)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${requestId}`)).body.status === 'completed', 90_000);
    const done = (await director.get(`/api/signature-requests/${requestId}`)).body as { sealed: { href: string; evidenceHref: string } };
    const evidence = (await director.get(done.sealed.evidenceHref).expect(200)).body as { annexes: Record<string, unknown> & { files: Record<string, unknown>[] } };
    const pdf = (await director.get(done.sealed.href).buffer(true).parse(binary).expect(200)).body as Buffer;
    const file = tempFile('sealed.pdf', pdf);
    return { evidence, file, text: tool('pdftotext', ['-layout', file, '-']).stdout.replace(/\s+/g, ' ') };
  };

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    est = h.orgA.establishmentId;
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    // Real PDFs, rendered by the repository's renderer (as the demo's).
    livret2025 = await demoAnnexPdf('livret-accueil-2025', 'EHPAD A');
    livret2026 = await demoAnnexPdf('livret-accueil-2026', 'EHPAD A');
    reglement = await demoAnnexPdf('reglement-fonctionnement-2025', 'EHPAD A');
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it.each([
    ['a PNG, not a PDF', 'ANNEX_NOT_PDF', 400, () => notAPdf(livret2026)],
    ['damaged (cut in the middle)', 'ANNEX_MALFORMED', 400, () => malformed(livret2026)],
    ['encrypted (qpdf)', 'ANNEX_ENCRYPTED', 400, () => encrypted(livret2026)],
    ['with a JavaScript /OpenAction', 'ANNEX_JAVASCRIPT', 400, () => withJavaScriptOpenAction(livret2026)],
    ['with a clickable link (/URI)', 'ANNEX_ACTIONS', 400, () => withUriLink(livret2026)],
    ['empty', 'ANNEX_FILE_MISSING', 400, async () => Buffer.alloc(0)],
    ['over 20 MB (413 from the declared length)', 'ANNEX_TOO_LARGE', 413, async () => Buffer.concat([livret2026, Buffer.alloc(MAX_ANNEX_BYTES + 1 - livret2026.length, 0x20)])],
  ])('refused with a French message, nothing stored, no audit event: %s → %s', async (_what, code, status, make) => {
    const before = await state();
    const res = await publish(director, await make(), { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/PDF|fichier|Mo/);
    expect(res.body.error.message).not.toMatch(/scan/i);
    expect(await state()).toEqual(before);
  });

  it('refused before the file is stored: an unknown annex key, no version label, a bad date, admissions and auditors (no establishment.write), JSON instead of a PDF', async () => {
    const before = await state();
    const unknown = await publish(director, livret2026, { kind: 'inconnu', versionLabel: 'Édition 2026' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: { code: string }) => d.code)).toEqual(['ANNEX_KIND_UNKNOWN']);
    const fields = await publish(director, livret2026, { kind: 'livret-accueil-2026', versionLabel: ' ', effectiveOn: '2026-02-30' });
    expect(fields.body.error.details.map((d: { code: string }) => d.code).sort()).toEqual(['ANNEX_EFFECTIVE_DATE_INVALID', 'ANNEX_VERSION_LABEL_REQUIRED']);
    expect((await publish(admissions, livret2026, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026' })).status).toBe(403);
    expect((await publish(auditor, livret2026, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026' })).status).toBe(403);
    expect((await director.post(`/api/establishments/${est}/annex-files?kind=livret-accueil-2026&versionLabel=x`).send({ pdf: 'x' })).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // Another organisation's establishment does not exist for this director.
    expect((await director.post(`/api/establishments/${h.orgB.establishmentId}/annex-files?kind=livret-accueil-2026&versionLabel=x`).set('Content-Type', 'application/pdf').send(livret2026)).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  let first: FileView;
  let current: FileView;
  let reglementFile: FileView;

  it('publishes, lists; a new version is a new row, the old one kept; the latest in effect is current; the first file of a key may be dated back', async () => {
    // The first file of the livret, in force since January 2025, published today.
    first = (await publish(director, livret2025, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2025', effectiveOn: '2025-01-01' }).expect(201)).body as FileView;
    expect(first).toMatchObject({ kind: 'livret-accueil-2026', versionLabel: 'Édition 2025', effectiveOn: '2025-01-01', sha256: sha256(livret2025), byteSize: livret2025.length });
    expect(calendarDayIn(new Date(first.publishedAt))).toBe(today());
    current = (await publish(director, livret2026, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026', effectiveOn: yesterday() }).expect(201)).body as FileView;
    reglementFile = (await publish(director, reglement, { kind: 'reglement-fonctionnement-2025', versionLabel: 'Version 2025' }).expect(201)).body as FileView;

    // Auditors read the list (establishment.read).
    const list = (await auditor.get(`/api/establishments/${est}/annex-files`).expect(200)).body as KeyView[];
    expect(list.map((k) => k.key)).toEqual(['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes']);
    const livret = list[0];
    expect(livret.label).toBe('Livret d’accueil, édition 2026');
    expect(livret.current?.id).toBe(current.id);
    expect(livret.files.map((f) => f.id).sort()).toEqual([first.id, current.id].sort());
    expect(list[1].current?.sha256).toBe(sha256(reglement));
    expect(list[2].current).toBeNull();

    // One audit event per publication, with the file's SHA-256; the same content is stored once.
    const events = (await ds.query(`SELECT payload FROM audit_events WHERE action = 'annex_file.published' ORDER BY seq`)) as { payload: { annexFileId: string; sha256: string } }[];
    expect(events.map((e) => e.payload.annexFileId)).toEqual([first.id, current.id, reglementFile.id]);
    expect(events[1].payload.sha256).toBe(sha256(livret2026));
    // Written once: the database refuses to replace or remove a published file.
    await expect(ds.query(`UPDATE establishment_annex_files SET version_label = 'x' WHERE id = $1`, [first.id])).rejects.toThrow(/write-once|permission/);
    await expect(ds.query(`DELETE FROM establishment_annex_files WHERE id = $1`, [first.id])).rejects.toThrow(/write-once|permission/);
  });

  it('a new version may not take effect before the latest one of its key: 409 ANNEX_EFFECTIVE_DATE_TOO_EARLY in French, nothing stored', async () => {
    const before = await state();
    const res = await publish(director, livret2025, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026 bis', effectiveOn: day(-2) });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'ANNEX_EFFECTIVE_DATE_TOO_EARLY' });
    expect(res.body.error.message).toBe(
      `La version « Édition 2026 », publiée le ${formatDateFr(today())}, est en vigueur à partir du ${formatDateFr(yesterday())} : une nouvelle version ne peut pas entrer en vigueur avant cette date. Indiquez le ${formatDateFr(yesterday())} ou une date postérieure.`,
    );
    expect(res.body.error.details).toEqual([{ field: 'effectiveOn', code: 'ANNEX_EFFECTIVE_DATE_TOO_EARLY', message: res.body.error.message }]);
    // Dated back before the first file of the key, too.
    expect((await publish(director, livret2025, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2024', effectiveOn: '2024-01-01' })).status).toBe(409);
    expect(await state()).toEqual(before);
  });

  it('downloads a stored file as staff with the document-read permission (auditor), audited; unknown ids answer 404', async () => {
    const res = await auditor.get(first.href).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(sha256(res.body as Buffer)).toBe(first.sha256);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'annex_file.downloaded' AND payload->>'annexFileId' = $1`, [first.id])) as { n: number }[];
    expect(n).toBe(1);
    expect((await auditor.get(`/api/establishments/${est}/annex-files/00000000-0000-4000-8000-000000000000/content.pdf`)).status).toBe(404);
    const otherOrg = await loginAgent(h.app, h.orgB.users.administrator.email, TEST_PASSWORD);
    expect((await otherOrg.get(first.href)).status).toBe(404);
  });

  let contract: { documentId: string; versionId: string };
  let later: FileView;

  it('a contract version records the files in force on the day its data say they were handed over (ids and SHA-256), « aucun fichier » for a key without one; never changed', async () => {
    contract = await newContract('Marcel', today());
    const annexes = await versionAnnexes(contract.versionId);
    expect(annexes).toEqual([
      {
        key: 'livret-accueil-2026',
        label: 'Livret d’accueil, édition 2026',
        inForceOn: today(),
        file: { id: current.id, versionLabel: 'Édition 2026', effectiveOn: yesterday(), sha256: sha256(livret2026), byteSize: livret2026.length, publishedAt: current.publishedAt },
      },
      {
        key: 'reglement-fonctionnement-2025',
        label: 'Règlement de fonctionnement, version 2025',
        inForceOn: today(),
        file: { id: reglementFile.id, versionLabel: 'Version 2025', effectiveOn: reglementFile.effectiveOn, sha256: sha256(reglement), byteSize: reglement.length, publishedAt: reglementFile.publishedAt },
      },
      { key: 'charte-droits-libertes', label: 'Charte des droits et libertés de la personne accueillie', inForceOn: today(), file: null },
    ]);
    // The template input keeps its shape: the keys, as before.
    const [{ input }] = (await ds.query(`SELECT input FROM document_versions WHERE id = $1`, [contract.versionId])) as { input: { establishment: { annexes: string[] } } }[];
    expect(input.establishment.annexes).toEqual(['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes']);
    await expect(ds.query(`UPDATE document_versions SET annexes = '[]' WHERE id = $1`, [contract.versionId])).rejects.toThrow(/immutable/);

    // A version published afterwards is not what this contract was handed over with.
    later = (await publish(director, livret2025, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026 corrigée', effectiveOn: today() }).expect(201)).body as FileView;
    expect((await versionAnnexes(contract.versionId))![0].file!.id).toBe(current.id);
    // The same content is stored once.
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM blobs WHERE sha256 = $1`, [sha256(livret2025)])) as { n: number }[];
    expect(n).toBe(1);
  }, 90_000);

  let handedOverBefore: { documentId: string; versionId: string };

  it('handed over three days ago, created today: the version records the files in force three days ago, not today’s (the livret then, no règlement yet)', async () => {
    handedOverBefore = await newContract('Lucienne', day(-3));
    const annexes = await versionAnnexes(handedOverBefore.versionId);
    expect(annexes!.map((a) => ({ key: a.key, inForceOn: a.inForceOn, file: a.file?.id ?? null }))).toEqual([
      // « Édition 2025 », in force since January 2025: « Édition 2026 » took effect yesterday, « corrigée » today.
      { key: 'livret-accueil-2026', inForceOn: day(-3), file: first.id },
      // The règlement's only file takes effect today.
      { key: 'reglement-fonctionnement-2025', inForceOn: day(-3), file: null },
      { key: 'charte-droits-libertes', inForceOn: day(-3), file: null },
    ]);
  }, 90_000);

  it('the portal lists the documents and serves each file to a signer of that version only; the download is in the evidence', async () => {
    const { requestId, portal } = await residentSession(contract.documentId);
    await portal.get('/portail/document');
    const page = await (await portal.get('/portail/signer')).text();
    expect(page).toContain('Documents remis avec le contrat');
    expect(page).toContain(`href="/portail/documents-remis/${current.id}"`);
    expect(page).toContain(`href="/portail/documents-remis/${reglementFile.id}"`);
    expect(page).toContain('Charte des droits et libertés de la personne accueillie : l’établissement vous le remet sur papier.');
    const got = await portal.get(`/portail/documents-remis/${current.id}`);
    expect(got.status).toBe(200);
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(livret2026));
    // A file this version did not record (published since, or an older one): not served.
    for (const id of [later.id, first.id, '00000000-0000-4000-8000-000000000000']) expect((await portal.get(`/portail/documents-remis/${id}`)).status).toBe(404);
    // Without a portal session: no file.
    const anonymous = await fetch(`${base}/portail/documents-remis/${current.id}`, { redirect: 'manual' });
    expect(anonymous.headers.get('content-type') ?? '').not.toContain('application/pdf');

    // Another contract, created after the new livret: its signer gets that one, not this contract's.
    const other = await newContract('Paulette', today());
    expect((await versionAnnexes(other.versionId))![0].file!.id).toBe(later.id);
    const { portal: otherPortal } = await residentSession(other.documentId);
    expect((await otherPortal.get(`/portail/documents-remis/${current.id}`)).status).toBe(404);
    const theirs = await otherPortal.get(`/portail/documents-remis/${later.id}`);
    expect(sha256(Buffer.from(await theirs.arrayBuffer()))).toBe(sha256(livret2025));

    const events = (await ds.query(`SELECT details FROM signature_events WHERE request_id = $1 AND kind = 'annex_downloaded'`, [requestId])) as { details: Record<string, string> }[];
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ annexKey: 'livret-accueil-2026', annexFileId: current.id, sha256: sha256(livret2026) });
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'signature.annex_downloaded' AND subject_id = $1`, [requestId])) as { n: number }[];
    expect(n).toBe(1);

    // Downloading an annex is not reading the contract: signing still waits for the contract to be opened.
    expect(await (await otherPortal.get('/portail/signer')).text()).toContain('Vous n’avez pas encore ouvert le document');
  }, 120_000);

  it('the sealed evidence lists each annex with its version, effective day, publication day and SHA-256 (evidence.json and the printed PDF)', async () => {
    const [{ id: requestId }] = (await ds.query(`SELECT id FROM signature_requests WHERE document_id = $1`, [contract.documentId])) as { id: string }[];
    const portal = new PortalClient(base);
    const resident = ((await admissions.get(`/api/signature-requests/${requestId}`)).body as { signers: { id: string; role: string }[] }).signers.find((s) => s.role === 'resident')!;
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${resident.id}/in-person`).expect(200)).body as { url: string };
    await portal.open(base + new URL(url).pathname);
    expect((await portal.sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    expect((await countersignRequest(director, requestId)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${requestId}`)).body.status === 'completed', 90_000);
    const done = (await director.get(`/api/signature-requests/${requestId}`)).body as { sealed: { href: string; evidenceHref: string } };

    const evidence = (await director.get(done.sealed.evidenceHref).expect(200)).body as { annexes: Record<string, unknown>; events: { kind: string; details?: Record<string, unknown> }[] };
    expect(evidence.annexes).toEqual({
      handedOverOn: today(),
      filesInForceOn: today(),
      versionCreatedOn: today(),
      files: [
        {
          key: 'livret-accueil-2026',
          label: 'Livret d’accueil, édition 2026',
          fileId: current.id,
          versionLabel: 'Édition 2026',
          effectiveOn: yesterday(),
          publishedAt: current.publishedAt,
          sha256: sha256(livret2026),
          byteSize: livret2026.length,
        },
        {
          key: 'reglement-fonctionnement-2025',
          label: 'Règlement de fonctionnement, version 2025',
          fileId: reglementFile.id,
          versionLabel: 'Version 2025',
          effectiveOn: reglementFile.effectiveOn,
          publishedAt: reglementFile.publishedAt,
          sha256: sha256(reglement),
          byteSize: reglement.length,
        },
        { key: 'charte-droits-libertes', label: 'Charte des droits et libertés de la personne accueillie', fileId: null, versionLabel: null, effectiveOn: null, publishedAt: null, sha256: null, byteSize: null },
      ],
      // The « Annexe tarifaire » the contract lists too: no file, the tariffs of the version's input (tariff-annex-view-comments.spec.ts).
      tariffs: expect.objectContaining({ label: 'Annexe tarifaire en vigueur au 1er janvier 2026', source: 'establishment.tariffs', reproducedIn: 'Participation financière et facturation' }),
    });
    expect(evidence.events.find((e) => e.kind === 'annex_downloaded')?.details).toMatchObject({ annexFileId: current.id, sha256: sha256(livret2026) });

    const pdf = (await director.get(done.sealed.href).buffer(true).parse(binary).expect(200)).body as Buffer;
    const text = tool('pdftotext', ['-layout', tempFile('sealed.pdf', pdf), '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Documents remis avec le contrat');
    expect(text).toContain(`Remis le ${formatDateFr(today())} (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date, avec leur date de publication`);
    expect(text).toContain(`en vigueur depuis le ${formatDateFr(yesterday())}, publiée le ${formatDateFr(today())}, ${livret2026.length} octets, SHA-256 ${sha256(livret2026)}`);
    expect(text).toContain(`SHA-256 ${sha256(reglement)}`);
    expect(text).toContain('Charte des droits et libertés de la personne accueillie : aucun fichier déposé');
    expect(text).toContain('a téléchargé un document remis avec le contrat : Livret d’accueil, édition 2026');
  }, 120_000);

  it('handed over three days ago: the evidence puts the day of handing over beside the files in force that day, and a file dated back shows the day it was published', async () => {
    const { evidence, text } = await signAndSeal(handedOverBefore.documentId, 'Lucienne Dupont');
    expect(evidence.annexes).toMatchObject({ handedOverOn: day(-3), filesInForceOn: day(-3), versionCreatedOn: today() });
    expect(evidence.annexes.files[0]).toMatchObject({ fileId: first.id, effectiveOn: '2025-01-01', publishedAt: first.publishedAt });
    // Every file named was in force on the day of handing over.
    for (const f of evidence.annexes.files) if (f.effectiveOn) expect(f.effectiveOn <= day(-3)).toBe(true);
    expect(text).toContain(`Remis le ${formatDateFr(day(-3))} (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date`);
    expect(text).toContain(`version « Édition 2025 », en vigueur depuis le 1er janvier 2025, publiée le ${formatDateFr(today())}, ${livret2025.length} octets, SHA-256 ${sha256(livret2025)}`);
    expect(text).toContain('Règlement de fonctionnement, version 2025 : aucun fichier déposé');
    expect(text).not.toContain(sha256(livret2026));
  }, 120_000);

  let future: FileView;

  it('a version published ahead waits for its day; a contract may not say the documents are handed over on a day still to come (400 ANNEX_HANDOVER_IN_FUTURE)', async () => {
    future = (await publish(director, livret2025, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2027', effectiveOn: tomorrowPlus(30) }).expect(201)).body as FileView;
    const list = (await director.get(`/api/establishments/${est}/annex-files`).expect(200)).body as KeyView[];
    expect(list[0].current?.id).toBe(later.id);
    expect(list[0].files.map((f) => f.id).sort()).toEqual([first.id, current.id, later.id, future.id].sort());
    // Handed over in 40 days: not handed over yet; the files of that day would be recorded as handed over (annex-handover-future.spec.ts).
    const { protectionMeasure: _m, ...adult } = curatelleResident(est);
    const residentId = (await admissions.post('/api/residents').send({ ...adult, firstName: 'Germaine' }).expect(201)).body.id as string;
    const ahead = await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: day(40) }) });
    expect({ status: ahead.status, code: ahead.body.error?.code }).toEqual({ status: 400, code: 'ANNEX_HANDOVER_IN_FUTURE' });
    // Now that « Édition 2027 » is published, nothing may take effect before its day.
    const before = await state();
    expect((await publish(director, livret2026, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026 ter', effectiveOn: today() })).body.error.code).toBe('ANNEX_EFFECTIVE_DATE_TOO_EARLY');
    expect(await state()).toEqual(before);
    // The same day is accepted (a corrected file before it takes effect): the last published of that day is the one.
    await publish(director, livret2026, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2027 corrigée', effectiveOn: future.effectiveOn }).expect(201);
  }, 90_000);

  it('the console: the settings page shows the section; a multipart upload publishes, a refused one says why and stores nothing', async () => {
    const page = (await director.get(`/console/admin/etablissements/${est}`).expect(200)).text;
    expect(page).toContain('Documents remis avec le contrat');
    expect(page).toContain(`href="/api/establishments/${est}/annex-files/${later.id}/content.pdf"`);
    expect(page).toContain(later.sha256.slice(0, 12));
    expect(page).toContain('Aucun fichier déposé');
    // Each version with the day it was published beside the day it takes effect.
    const pageText = page.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(pageText).toContain(`« Édition 2025 », ancienne version, en vigueur le 1er janvier 2025 — PDF publiée le ${formatDateFr(today())}, SHA-256 ${first.sha256.slice(0, 12)}`);
    expect(page).toContain(`aria-label="PDF Édition 2025"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const post = (file: Buffer, kind = 'charte-droits-libertes') =>
      director
        .post(`/console/admin/etablissements/${est}/documents-remis`)
        .field('_csrf', csrf)
        .field('kind', kind)
        .field('versionLabel', 'Version 2003')
        .field('effectiveOn', '')
        .attach('file', file, { filename: 'charte.pdf', contentType: 'application/pdf' });
    const before = await state();
    const refused = await post(await withUriLink(livret2026));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Le PDF contient des actions');
    expect(await state()).toEqual(before);
    const ok = await post(await demoAnnexPdf('charte-droits-libertes', 'EHPAD A'));
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/console/admin/etablissements/${est}?fait=document-remis#documents-remis`);
    const list = (await director.get(`/api/establishments/${est}/annex-files`).expect(200)).body as KeyView[];
    expect(list.find((k) => k.key === 'charte-droits-libertes')?.current).toMatchObject({ versionLabel: 'Version 2003', effectiveOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // Dated before the version that takes effect last: 409, the message beside the date, nothing stored.
    const stateBefore = await state();
    const early = await director
      .post(`/console/admin/etablissements/${est}/documents-remis`)
      .field('_csrf', csrf)
      .field('kind', 'livret-accueil-2026')
      .field('versionLabel', 'Édition 2026 quater')
      .field('effectiveOn', today())
      .attach('file', livret2026, { filename: 'livret.pdf', contentType: 'application/pdf' });
    expect(early.status).toBe(409);
    expect(early.text).toContain(`une nouvelle version ne peut pas entrer en vigueur avant cette date. Indiquez le ${formatDateFr(future.effectiveOn)} ou une date postérieure.`);
    expect(early.text).toMatch(/id="effectiveOn-erreur"/);
    expect(await state()).toEqual(stateBefore);
    // Without the form's token: refused, nothing stored.
    const noToken = await director
      .post(`/console/admin/etablissements/${est}/documents-remis`)
      .field('kind', 'charte-droits-libertes')
      .field('versionLabel', 'x')
      .attach('file', livret2026, { filename: 'x.pdf', contentType: 'application/pdf' });
    expect(noToken.status).toBe(403);
  });
});
