import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccessRequestExporter, ArchiveExporter, Manifest, ManifestAnnex, signManifest, verifyArchive } from '@carepact/archive';
import { SYSTEM_ACTOR } from '@carepact/audit';
import { todayIso } from '@carepact/residents';
import { ensureDevSealIdentity } from '@carepact/signing';
import { PortalClient, TEST_PASSWORD, contractData, curatelleResident, loginAgent, waitUntil, countersignRequest } from '@carepact/testing';
import { startWorker, WorkerHandle } from '../../../apps/worker/src/bootstrap';
import { demoAnnexPdf } from '../../../apps/cli/src/seed/demo-annexes';
import { readZip, withBlobRewritten, writeZip } from '../archive/archive-tools';
import { ApiHarness, startApiHarness } from '../api/api-harness';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
// Dated the day of the refusal made below (C. civ. 469 al. 3: the person asks the judge after it; DECISION_BEFORE_REFUSAL otherwise).
const ORDONNANCE = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', decisionDate: todayIso(), reference: 'RG 26/00777', note: 'Ordonnance reçue par courrier.' };
const LIVRET = 'Livret d’accueil, édition 2026';
const REGLEMENT = 'Règlement de fonctionnement, version 2025';

interface FileView {
  id: string;
  effectiveOn: string;
}

/**
 * The archive and the audit chain carry the documents handed over with the contract (CASF L.311-4)
 * and the judge's authorisation to sign alone (C. civ. 469 al. 3): a contract whose two versions
 * were handed over with different editions of the livret d'accueil, refused by the curateur, signed
 * by the person alone on the judge's ordonnance, then sealed — exported (archive package, access
 * request), verified offline (an altered annex named), re-verified from the database, and each
 * version's files in its `document_version.requested` event.
 */
describe('archive packages carry the annex files and the sole-signature authorisations', () => {
  let h: ApiHarness;
  let base = '';
  let worker: WorkerHandle;
  let ds: DataSource;
  let dir: string;
  let admissions: request.Agent;
  let director: request.Agent;
  let auditor: request.Agent;
  let est: string;
  let residentId: string;
  let documentId: string;
  let v1: string;
  let v2: string;
  let sealedRequestId: string;
  let livret1: Buffer;
  let livret2: Buffer;
  let reglement: Buffer;
  const files: Record<'livret1' | 'livret2' | 'reglement', FileView> = {} as never;
  let pkg: string;

  const staffName = async (id: string) => ((await ds.query(`SELECT name FROM staff_users WHERE id = $1`, [id])) as { name: string }[])[0].name;
  const publish = (body: Buffer, q: Record<string, string>) =>
    director.post(`/api/establishments/${est}/annex-files?${new URLSearchParams(q).toString()}`).set('Content-Type', 'application/pdf').send(body).expect(201);
  const ready = (versions: number) =>
    waitUntil(
      'generated',
      async () => {
        const d = (await admissions.get(`/api/documents/${documentId}`)).body as { status: string; versions: unknown[] };
        return d.status === 'ready' && d.versions.length === versions;
      },
      90_000,
    );
  const inPerson = async (requestId: string, role: string): Promise<PortalClient> => {
    const view = (await admissions.get(`/api/signature-requests/${requestId}`).expect(200)).body as { signers: { id: string; role: string }[] };
    const signer = view.signers.find((s) => s.role === role)!;
    const { url } = (await admissions.post(`/api/signature-requests/${requestId}/signers/${signer.id}/in-person`).expect(200)).body as { url: string };
    const portal = new PortalClient(base);
    await portal.open(base + new URL(url).pathname);
    return portal;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carepact-archive-annexes-'));
    h = await startApiHarness({ OUTBOX_POLL_MS: '100' });
    await h.app.listen(0, '127.0.0.1');
    base = (await h.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(h.db.config, { probe: false });
    ds = h.app.get(DataSource);
    est = h.orgA.establishmentId;
    admissions = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    director = await loginAgent(h.app, h.orgA.users.director.email, TEST_PASSWORD);
    auditor = await loginAgent(h.app, h.orgA.users.auditor.email, TEST_PASSWORD);
    livret1 = await demoAnnexPdf('livret-accueil-2025', 'EHPAD A');
    livret2 = await demoAnnexPdf('livret-accueil-2026', 'EHPAD A');
    reglement = await demoAnnexPdf('reglement-fonctionnement-2025', 'EHPAD A');
    // Version 1 is handed over with the first livret and the règlement (no file for the charte).
    files.livret1 = (await publish(livret1, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026', effectiveOn: yesterday() })).body as FileView;
    files.reglement = (await publish(reglement, { kind: 'reglement-fonctionnement-2025', versionLabel: 'Version 2025', effectiveOn: yesterday() })).body as FileView;
    residentId = (await admissions.post('/api/residents').send(curatelleResident(est)).expect(201)).body.id as string;
    // Handed over today: each version records the files in force on its data's annexesHandedOverOn.
    documentId = (await admissions.post('/api/documents').send({ residentId, type: 'contrat-sejour', data: contractData({ annexesHandedOverOn: todayIso() }) }).expect(202)).body.id as string;
    await ready(1);
    // Version 2, after a corrected livret: the corrected one, the same règlement.
    files.livret2 = (await publish(livret2, { kind: 'livret-accueil-2026', versionLabel: 'Édition 2026 corrigée', effectiveOn: todayIso() })).body as FileView;
    await admissions.post(`/api/documents/${documentId}/versions`).send({ data: contractData({ annexesHandedOverOn: todayIso() }), reason: 'Livret d’accueil corrigé remis avec le contrat.' }).expect(202);
    await ready(2);
    [v1, v2] = ((await admissions.get(`/api/documents/${documentId}`)).body as { versions: { id: string; number: number }[] }).versions.sort((a, b) => a.number - b.number).map((v) => v.id);

    // The curateur refuses to assist her; the judge authorises her to sign alone (C. civ. 469 al. 3).
    const refused = (await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as { id: string };
    const curateur = await inPerson(refused.id, 'curateur');
    await curateur.get('/portail/document');
    expect((await curateur.post('/portail/refuser', { reason: 'Le tarif n’est pas celui convenu.' })).status).toBe(303);
    await admissions.post(`/api/documents/${documentId}/sole-signature-authorisation`).send(ORDONNANCE).expect(201);
    // She signs alone, the director countersigns: sealed.
    sealedRequestId = ((await admissions.post(`/api/documents/${documentId}/signature-requests`).send({ lateReason: 'Essai : envoi après le délai légal.' }).expect(201)).body as { id: string }).id;
    const person = await inPerson(sealedRequestId, 'resident');
    expect((await person.sign({ consent: 'oui', typedName: 'Marcel Dupont' })).status).toBe(303);
    expect((await countersignRequest(director, sealedRequestId)).status).toBe(200);
    await waitUntil('sealed', async () => (await director.get(`/api/signature-requests/${sealedRequestId}`)).body.status === 'completed', 90_000);
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('each version’s document_version.requested event holds its annexes’ SHA-256 (key → hash, null without a file); the chain still verifies', async () => {
    const payloads = (await ds.query(`SELECT subject_id, payload FROM audit_events WHERE action = 'document_version.requested' AND subject_id = ANY($1) ORDER BY seq`, [[v1, v2]])) as {
      subject_id: string;
      payload: Record<string, unknown>;
    }[];
    expect(payloads.map((p) => [p.subject_id, p.payload.annexes])).toEqual([
      [v1, [`livret-accueil-2026=${sha256(livret1)}`, `reglement-fonctionnement-2025=${sha256(reglement)}`, 'charte-droits-libertes=null']],
      [v2, [`livret-accueil-2026=${sha256(livret2)}`, `reglement-fonctionnement-2025=${sha256(reglement)}`, 'charte-droits-libertes=null']],
    ]);
    // Hashes and keys only, never a file's content nor its label.
    expect(JSON.stringify(payloads)).not.toMatch(/%PDF|Livret d’accueil/);
    const verified = (await auditor.get('/api/audit/verify').expect(200)).body as { ok: boolean };
    expect(verified.ok).toBe(true);
  });

  it('the archive package holds each annex PDF once (content-addressed), listed in the manifest with its key, label, version, date and SHA-256; the document’s metadata holds the judge’s authorisation; verifies offline', async () => {
    pkg = join(dir, 'document.zip');
    const result = await h.app.get(ArchiveExporter).export({ kind: 'document', id: documentId }, pkg);
    const entries = await readZip(pkg);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    const path = (b: Buffer) => `annexes/${sha256(b)}.pdf`;
    // Three files for four (version, annex) pairs: the règlement of both versions is in the package once.
    expect([...entries.keys()].filter((n) => n.startsWith('annexes/')).sort()).toEqual([path(livret1), path(livret2), path(reglement)].sort());
    for (const b of [livret1, livret2, reglement]) expect(entries.get(path(b))!.equals(b)).toBe(true);
    expect(manifest.files.filter((f) => f.path.startsWith('annexes/')).map((f) => [f.path, f.sha256]).sort()).toEqual([livret1, livret2, reglement].map((b) => [path(b), sha256(b)]).sort());
    const annex = (version: string, number: number, key: string, label: string, file: FileView, versionLabel: string, bytes: Buffer): ManifestAnnex => ({
      documentId,
      versionId: version,
      versionNumber: number,
      key,
      label,
      fileId: file.id,
      versionLabel,
      effectiveOn: file.effectiveOn,
      sha256: sha256(bytes),
      size: bytes.length,
      path: path(bytes),
    });
    expect(manifest.annexes).toEqual([
      annex(v1, 1, 'livret-accueil-2026', LIVRET, files.livret1, 'Édition 2026', livret1),
      annex(v1, 1, 'reglement-fonctionnement-2025', REGLEMENT, files.reglement, 'Version 2025', reglement),
      annex(v2, 2, 'livret-accueil-2026', LIVRET, files.livret2, 'Édition 2026 corrigée', livret2),
      annex(v2, 2, 'reglement-fonctionnement-2025', REGLEMENT, files.reglement, 'Version 2025', reglement),
    ]);
    expect(result).toMatchObject({ annexes: 3 });

    const meta = JSON.parse(entries.get(`documents/${documentId}/document.json`)!.toString()) as {
      versions: { id: string; annexes: { key: string; file: { sha256: string } | null }[] | null }[];
      soleSignatureAuthorisations: Record<string, unknown>[];
    };
    // What each version recorded, the key without a file included.
    expect(meta.versions.map((v) => v.annexes?.map((a) => [a.key, a.file?.sha256 ?? null]))).toEqual([
      [
        ['livret-accueil-2026', sha256(livret1)],
        ['reglement-fonctionnement-2025', sha256(reglement)],
        ['charte-droits-libertes', null],
      ],
      [
        ['livret-accueil-2026', sha256(livret2)],
        ['reglement-fonctionnement-2025', sha256(reglement)],
        ['charte-droits-libertes', null],
      ],
    ]);
    expect(meta.soleSignatureAuthorisations).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        refusedRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        versionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        measureId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        court: ORDONNANCE.court,
        decisionDate: ORDONNANCE.decisionDate,
        reference: ORDONNANCE.reference,
        note: ORDONNANCE.note,
        legalBasis: 'C. civ. 469 al. 3',
        recordedBy: { userId: h.orgA.users.admissions.id, name: await staffName(h.orgA.users.admissions.id) },
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    const report = await verifyArchive(pkg);
    expect({ ok: report.ok, problem: report.problem }).toEqual({ ok: true, problem: null });
  });

  /** A copy of the package with `change` applied; `resign`: the manifest's hashes recomputed and signed again with the real key (an insider). */
  const tampered = async (name: string, change: (e: Map<string, Buffer>, m: Manifest) => void, resign = false): Promise<string> => {
    const entries = await readZip(pkg);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    change(entries, manifest);
    if (resign) {
      manifest.files = manifest.files.filter((f) => entries.has(f.path));
      for (const f of manifest.files) Object.assign(f, { sha256: sha256(entries.get(f.path)!), size: entries.get(f.path)!.length });
      const identity = await ensureDevSealIdentity(join(h.db.config.paths.secretsDir, 'seal'), 'x');
      const bytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n');
      entries.set('manifest.json', bytes);
      entries.set('manifest.json.p7s', signManifest(bytes, identity));
    }
    const file = join(dir, `${name}.zip`);
    await writeZip(file, entries);
    return file;
  };

  it('an annex PDF altered in the package fails verification, naming the file in French; re-signed by an insider, the audit chain and the sealed evidence still name the file handed over', async () => {
    const livretPath = `annexes/${sha256(livret2)}.pdf`;
    const altered = (e: Map<string, Buffer>) => {
      const b = Buffer.from(e.get(livretPath)!);
      b[Math.floor(b.length / 2)] ^= 0x01;
      e.set(livretPath, b);
    };
    const plain = await verifyArchive(await tampered('annex-byte', altered));
    expect(plain.ok).toBe(false);
    expect(plain.problem).toEqual({ code: 'HASH_MISMATCH', file: livretPath, message: expect.stringContaining(`« ${LIVRET} » (Édition 2026 corrigée)`) });
    expect(plain.problem!.message).toMatch(/document remis avec le contrat .* a été modifié/);

    // The insider also rewrites the manifest's entry for it and signs again: the chain recorded another file.
    const resigned = await verifyArchive(
      await tampered(
        'annex-resigned',
        (e, m) => {
          altered(e);
          const bytes = e.get(livretPath)!;
          for (const a of m.annexes!) if (a.path === livretPath) a.sha256 = sha256(bytes);
        },
        true,
      ),
    );
    expect(resigned.problem).toMatchObject({ code: 'ANNEX_MISMATCH', file: livretPath, message: expect.stringContaining(`« ${LIVRET} »`) });

    // Removed from the package and from its manifest: the chain says version 2 was handed over with it.
    const removed = await verifyArchive(
      await tampered(
        'annex-removed',
        (e, m) => {
          e.delete(livretPath);
          m.annexes = m.annexes!.filter((a) => a.path !== livretPath);
        },
        true,
      ),
    );
    expect(removed.problem).toMatchObject({ code: 'FILE_MISSING', message: expect.stringContaining('version 2') });
  });

  it('the access request (RGPD art. 15) includes the annex files with the document’s files, lists them, and the judge’s authorisation', async () => {
    const out = join(dir, 'acces.zip');
    await h.app.get(AccessRequestExporter).export(h.orgA.organisationId, residentId, out, SYSTEM_ACTOR);
    const entries = await readZip(out);
    for (const b of [livret1, livret2, reglement]) expect(entries.get(`documents-remis/${sha256(b)}.pdf`)?.equals(b)).toBe(true);
    const manifest = JSON.parse(entries.get('manifeste.json')!.toString()) as { files: { path: string; sha256: string }[]; annexes: ManifestAnnex[] };
    expect(manifest.files).toEqual(expect.arrayContaining([livret1, livret2, reglement].map((b) => ({ path: `documents-remis/${sha256(b)}.pdf`, sha256: sha256(b), size: b.length }))));
    expect(manifest.annexes.map((a) => [a.versionId, a.key, a.versionLabel, a.sha256])).toEqual([
      [v1, 'livret-accueil-2026', 'Édition 2026', sha256(livret1)],
      [v1, 'reglement-fonctionnement-2025', 'Version 2025', sha256(reglement)],
      [v2, 'livret-accueil-2026', 'Édition 2026 corrigée', sha256(livret2)],
      [v2, 'reglement-fonctionnement-2025', 'Version 2025', sha256(reglement)],
    ]);
    const meta = JSON.parse(entries.get(`documents/${documentId}/document.json`)!.toString()) as { autorisationsDuJuge: Record<string, unknown>[] };
    expect(meta.autorisationsDuJuge).toEqual([expect.objectContaining({ court: ORDONNANCE.court, reference: ORDONNANCE.reference, note: ORDONNANCE.note, recordedBy: { userId: h.orgA.users.admissions.id, name: await staffName(h.orgA.users.admissions.id) } })]);
    expect(entries.get('LISEZMOI.txt')!.toString()).toContain('documents-remis/');
  });

  it('« Vérifier à nouveau » re-computes each version’s annex files too, and names an altered one', async () => {
    type Verification = { ok: boolean; checks: { what: string; ok: boolean; detail: string | null }[] };
    const first = (await director.post(`/api/documents/${documentId}/verify`).expect(200)).body as Verification;
    expect(first.ok).toBe(true);
    const annexChecks = first.checks.filter((c) => c.what.includes('document remis avec le contrat'));
    expect(annexChecks.map((c) => c.what)).toEqual([
      `Version 1 — document remis avec le contrat : ${LIVRET} (Édition 2026)`,
      `Version 1 — document remis avec le contrat : ${REGLEMENT} (Version 2025)`,
      `Version 2 — document remis avec le contrat : ${LIVRET} (Édition 2026 corrigée)`,
      `Version 2 — document remis avec le contrat : ${REGLEMENT} (Version 2025)`,
    ]);
    const sha = sha256(livret2);
    const changed = Buffer.from(livret2);
    changed[changed.length - 10] ^= 0xff;
    await withBlobRewritten(h.db.config, sha, changed, async () => {
      const second = (await director.post(`/api/documents/${documentId}/verify`).expect(200)).body as Verification;
      expect(second.ok).toBe(false);
      expect(second.checks.filter((c) => !c.ok)).toEqual([
        { what: `Version 2 — document remis avec le contrat : ${LIVRET} (Édition 2026 corrigée)`, ok: false, detail: expect.stringContaining(`au lieu de ${sha}`) },
      ]);
    });
  });
});
