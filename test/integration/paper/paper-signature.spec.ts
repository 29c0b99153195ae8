import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveExporter, Manifest, TSA_CERTIFICATES_FILE, certificatesFromPem, signManifest, verifyArchive } from '@carepact/archive';
import { copyFileSync, mkdtempSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MAX_SCAN_BYTES, PadesSealer } from '@carepact/signing';
import { TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { pdfsig } from '../../unit/seal/seal-tools';
import { blankPages, encrypted, malformed, notAPdf, scanOf, tempFile, tool, withEmbeddedFile, withJavaScriptOpenAction } from '../../unit/paper/scan-fixtures';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { readZip, writeZip } from '../archive/archive-tools';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface RequestView {
  id: string;
  status: string;
  signingMethod: string;
  signingMethodLabel: string;
  signers: { id: string; role: string; status: string; authMethod: string | null }[];
  paper: { originalSha256: string; pageCount: number; signerIds: string[]; uploadedBy: { userId: string }; originalHref: string } | null;
  sealed: { href: string; evidenceHref: string } | null;
}

/**
 * Issue 11 §6 on the real stack (PostgreSQL, Redis, the api and the worker in process): staff upload
 * the scan of a paper the resident, his curateur and the director signed by hand; the scan is
 * checked, kept, stamped and sealed, and the request completes « signé sur papier ». Every refused
 * file leaves nothing behind.
 */
describe('paper signatures through the API and the worker', () => {
  let h: ApiHarness;
  let worker: WorkerHandle;
  let ds: DataSource;
  let admissions: request.Agent;
  let director: request.Agent;
  let documentId: string;
  let versionId: string;
  let view: RequestView;
  let scan: Buffer;

  const upload = (agent: request.Agent, body: Buffer, signerIds: string[], type = 'application/pdf') =>
    agent.post(`/api/signature-requests/${view.id}/paper?signerIds=${signerIds.join(',')}`).set('Content-Type', type).send(body);

  /** What a refused upload must not change. */
  const state = async () => ({
    document: ((await ds.query(`SELECT status FROM documents WHERE id = $1`, [documentId])) as { status: string }[])[0].status,
    request: ((await ds.query(`SELECT status FROM signature_requests WHERE id = $1`, [view.id])) as { status: string }[])[0].status,
    signers: ((await ds.query(`SELECT status, auth_method FROM signature_signers WHERE request_id = $1 ORDER BY key`, [view.id])) as unknown[]),
    paper: Number(((await ds.query(`SELECT count(*)::int AS n FROM paper_signatures`)) as { n: number }[])[0].n),
    blobs: Number(((await ds.query(`SELECT count(*)::int AS n FROM blobs`)) as { n: number }[])[0].n),
    // The worker keeps trying to e-mail the invitations meanwhile (no SMTP here): its events are not ours.
    events: Number(((await ds.query(`SELECT count(*)::int AS n FROM signature_events WHERE request_id = $1 AND kind IN ('paper_uploaded', 'signed_on_paper', 'revoked', 'signed')`, [view.id])) as { n: number }[])[0].n),
    audit: Number(((await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_type = 'staff'`)) as { n: number }[])[0].n),
  });

  beforeAll(async () => {
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    const residentId = (await admissions.post('/api/residents').send(curatelleResident(h.orgA.establishmentId)).expect(201)).body.id as string;
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData() }).expect(202)).body.id as string;
    await waitUntil('the contract generated', async () => (await admissions.get(`/api/documents/${documentId}`)).body.status === 'ready', 60000);
    const doc = (await admissions.get(`/api/documents/${documentId}`)).body as { versions: { id: string; renditions: { format: string; variant: string; href: string }[] }[] };
    versionId = doc.versions[0].id;
    // The real contract, printed, signed by hand, scanned: its first two pages and its signature page.
    const pdfHref = doc.versions[0].renditions.find((r) => r.format === 'pdf' && r.variant === 'standard')!.href;
    const rendered = (await admissions.get(pdfHref).buffer(true).parse(binary)).body as Buffer;
    const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [tempFile('contract.pdf', rendered)]).stdout)![1]);
    scan = await scanOf(rendered, [1, 2, pages]);
    view = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Contrat signé sur papier après le délai d’un mois (essai)' }).expect(201)).body as RequestView;
    expect(view.signers.map((s) => s.role).sort()).toEqual(['curateur', 'director', 'resident']);
  }, 180000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it.each([
    ['encrypted (qpdf --encrypt)', 'PAPER_ENCRYPTED', 400, () => encrypted(scan)],
    ['with a JavaScript /OpenAction', 'PAPER_JAVASCRIPT', 400, () => withJavaScriptOpenAction(scan)],
    ['with an embedded file', 'PAPER_EMBEDDED_FILES', 400, () => withEmbeddedFile(scan)],
    ['malformed (cut in the middle)', 'PAPER_MALFORMED', 400, () => malformed(scan)],
    ['101 pages', 'PAPER_TOO_MANY_PAGES', 400, () => blankPages(101)],
    ['a PNG, not a PDF', 'PAPER_NOT_PDF', 400, () => notAPdf(scan)],
  ])('refused, nothing written: %s → %s', async (_what, code, status, make) => {
    const before = await state();
    const res = await upload(admissions, await make(), view.signers.filter((s) => s.role !== 'director').map((s) => s.id));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/PDF|scan/);
    expect(await state()).toEqual(before);
    expect(before).toMatchObject({ document: 'in_signature', request: 'active', paper: 0 });
  });

  it('OpenAPI documents the raw PDF body and the signerIds query', async () => {
    const docs = (await request(h.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, { post?: { requestBody: { content: Record<string, unknown> }; parameters: { name: string; in: string; required: boolean }[] } }>;
    };
    const op = docs.paths['/api/signature-requests/{requestId}/paper'].post!;
    expect(Object.keys(op.requestBody.content)).toEqual(['application/pdf']);
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'signerIds', in: 'query', required: true })]));
    expect(docs.paths['/api/signature-requests/{requestId}/paper/original.pdf']).toBeDefined();
  });

  it('over 20 MB: 413 PAPER_TOO_LARGE from the declared length, before the body is read; nothing written', async () => {
    const before = await state();
    const big = Buffer.concat([scan, Buffer.alloc(MAX_SCAN_BYTES + 1 - scan.length, 0x20)]);
    const res = await upload(admissions, big, view.signers.filter((s) => s.role !== 'director').map((s) => s.id));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAPER_TOO_LARGE');
    expect(await state()).toEqual(before);
  });

  it('refused before reading: JSON instead of a PDF, no signer named, an unknown signer, an auditor, admissions declaring the director', async () => {
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    const before = await state();
    const others = view.signers.filter((s) => s.role !== 'director').map((s) => s.id);
    expect((await admissions.post(`/api/signature-requests/${view.id}/paper?signerIds=${others.join(',')}`).send({ pdf: 'x' })).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await admissions.post(`/api/signature-requests/${view.id}/paper`).set('Content-Type', 'application/pdf').send(scan)).body.error.details[0].code).toBe('PAPER_SIGNERS_MISSING');
    expect((await upload(admissions, scan, ['00000000-0000-4000-8000-000000000000'])).status).toBe(404);
    expect((await upload(auditor, scan, others)).status).toBe(403);
    // The director's countersignature on paper is declared by someone who may countersign.
    const all = view.signers.map((s) => s.id);
    expect((await upload(admissions, scan, all)).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('a clean scan: kept as uploaded, every signer « sur papier », sealed by the worker, the request completed « signé sur papier »', async () => {
    const res = await upload(director, scan, view.signers.map((s) => s.id));
    expect(res.status).toBe(200);
    const after = res.body as RequestView;
    expect(after).toMatchObject({ signingMethod: 'paper', signingMethodLabel: 'signé sur papier' });
    expect(after.paper).toMatchObject({ originalSha256: sha256(scan), pageCount: 3, uploadedBy: { userId: h.orgA.users.director.id } });
    expect(after.signers.every((s) => s.status === 'signed' && s.authMethod === 'paper')).toBe(true);

    await waitUntil('the seal', async () => (await director.get(`/api/signature-requests/${view.id}`)).body.status === 'completed', 60000);
    const done = (await director.get(`/api/signature-requests/${view.id}`)).body as RequestView;
    expect(done.signingMethodLabel).toBe('signé sur papier');
    expect((await admissions.get(`/api/documents/${documentId}`)).body.status).toBe('signed');

    // The sealed PDF: a valid PAdES signature over the whole file, the stamp on every page.
    const sealed = (await director.get(done.sealed!.href).buffer(true).parse(binary).expect(200)).body as Buffer;
    const file = tempFile('sealed-paper.pdf', sealed);
    const sig = pdfsig(file);
    expect(sig.valid).toBe(true);
    expect(sig.out).toContain('Total document signed');
    const pages = tool('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(4); // the 3 scanned pages and the evidence page
    pages.forEach((text, i) => {
      expect(text).toContain(`Signé sur papier — Contrat de séjour de Marcel Dupont — page ${i + 1} sur 4`);
      expect(text).toContain(`Version ${versionId} (n° 1)`);
      expect(text).toMatch(/scan déposé le \d{1,2}(er)? \S+ \d{4} à \d\d:\d\d:\d\d/);
    });
    expect(pages[3].replace(/\s+/g, ' ')).toContain(`empreinte SHA-256 ${sha256(scan)} (conservé tel qu’il a été déposé)`);
    copyFileSync(file, '/tmp/paper-sealed.pdf');
    expect(tool('pdftoppm', ['-png', '-r', '80', '-f', '3', '-l', '3', '-singlefile', file, '/tmp/paper-stamped-page']).status).toBe(0);

    // The evidence: how, by whom, when, the original's hash, the version signed, who signed on paper.
    const evidence = (await director.get(done.sealed!.evidenceHref).expect(200)).body as {
      signingMethod: string;
      paper: Record<string, unknown>;
      document: { versionId: string };
      signers: { signedHow: { method: string } }[];
    };
    expect(evidence.signingMethod).toBe('paper');
    expect(evidence.paper).toMatchObject({
      originalSha256: sha256(scan),
      byteSize: scan.length,
      pageCount: 3,
      versionId,
      signerIds: expect.arrayContaining(view.signers.map((s) => s.id)),
      uploadedBy: { userId: h.orgA.users.director.id, account: h.orgA.users.director.email },
    });
    expect(evidence.document.versionId).toBe(versionId);
    expect(evidence.signers.map((s) => s.signedHow.method)).toEqual(['paper', 'paper', 'paper']);

    // The original stays, byte for byte, for staff (not for auditors: content).
    const original = (await admissions.get(done.paper!.originalHref).buffer(true).parse(binary).expect(200)).body as Buffer;
    expect(sha256(original)).toBe(sha256(scan));
    const auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    expect((await auditor.get(done.paper!.originalHref)).status).toBe(403);

    // Every step in the audit chain.
    const actions = ((await ds.query(`SELECT action, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [view.id])) as { action: string; actor_id: string }[]);
    const names = actions.map((a) => a.action);
    expect(names).toEqual(expect.arrayContaining(['signature.paper_uploaded', 'signature.sealed', 'signature.downloaded']));
    expect(names.filter((a) => a === 'signature.signed_on_paper')).toHaveLength(3);
    expect(actions.find((a) => a.action === 'signature.paper_uploaded')!.actor_id).toBe(h.orgA.users.director.id);

    // Closed: a second scan is refused.
    expect((await upload(director, scan, [view.signers[0].id])).body.error.code).toBe('SIGNATURE_REQUEST_CLOSED');
  }, 120000);

  it('archive packages carry the original scan; archive:verify checks it against the manifest and the sealed evidence (PAPER_SCAN_MISMATCH)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carepact-paper-archive-'));
    const file = join(dir, 'document.zip');
    await h.app.get(ArchiveExporter).export({ kind: 'document', id: documentId }, file);
    expect(await verifyArchive(file)).toMatchObject({ ok: true, problem: null });
    const entries = await readZip(file);
    const path = `documents/${documentId}/signatures/${view.id}/scan-original.pdf`;
    expect(sha256(entries.get(path)!)).toBe(sha256(scan));
    // Sealed without a time-stamping authority (PAdES B-B): a TSA trust list given to the verifier fails nothing, and no TSA file is written.
    expect(await verifyArchive(file, { tsaTrusted: certificatesFromPem(entries.get('certificates/etablissement.pem')!.toString('utf8')) })).toMatchObject({ ok: true, problem: null, sealedPdfs: 1, timestamps: [] });
    expect(entries.has(TSA_CERTIFICATES_FILE)).toBe(false);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest.paper).toEqual([{ requestId: view.id, documentId, path, originalSha256: sha256(scan) }]);

    // Another scan, with a manifest re-signed by the establishment's own seal (its key stolen) so that
    // every file hash matches: the sealed evidence still names the original scan's hash.
    const other = await scanOf(scan, [1]);
    entries.set(path, other);
    const forged: Manifest = {
      ...manifest,
      files: manifest.files.map((f) => (f.path === path ? { ...f, sha256: sha256(other), size: other.length } : f)),
      paper: manifest.paper!.map((p) => ({ ...p, originalSha256: sha256(other) })),
    };
    const bytes = Buffer.from(JSON.stringify(forged, null, 1) + '\n', 'utf8');
    entries.set('manifest.json', bytes);
    entries.set('manifest.json.p7s', signManifest(bytes, await new PadesSealer(h.db.config).sealIdentity()));
    const tampered = join(dir, 'tampered.zip');
    await writeZip(tampered, entries);
    expect((await verifyArchive(tampered)).problem).toMatchObject({ code: 'PAPER_SCAN_MISMATCH', file: path });
    // The scan alone changed (manifest untouched): its hash no longer matches.
    const swapped = await readZip(file);
    swapped.set(path, other);
    await writeZip(tampered, swapped);
    expect((await verifyArchive(tampered)).problem).toMatchObject({ code: 'HASH_MISMATCH', file: path });
  }, 120000);
});
