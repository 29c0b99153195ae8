import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manifest, signManifest } from '@carepact/archive';
import { PortalClient, type TestCertificate, freePort, runCli, testCertificate, waitUntil, countersignFetch } from '@carepact/testing';
import { type SealIdentity, ensureDevSealIdentity } from '@carepact/signing';
import forge from 'node-forge';
import { SigningHarness, startSigningHarness } from '../../e2e/signing/signing-harness';
import { readZip, withBlobRewritten, writeZip } from './archive-tools';

/**
 * Issue 11 item 3: archive packages exported from the database and verified from the zip alone,
 * with the database and Redis unreachable, on a real sealed contract (curatelle renforcée flow).
 */
describe('archive packages: export, offline verification, tampering', () => {
  let h: SigningHarness;
  let dir: string;
  let docId: string;
  let residentId: string;
  let establishmentId: string;
  let requestId: string;
  let offline: Record<string, string>;
  /** The export uses the worker's seal (the development one in this secrets folder). */
  const exportCli = (...args: string[]) => runCli(h.db.config, ['archive:export', ...args], { CAREPACT_SECRETS_DIR: h.db.config.paths.secretsDir });
  const pkg: Record<'document' | 'resident' | 'establishment', string> = { document: '', resident: '', establishment: '' };

  const verify = (file: string, ...args: string[]) => runCli(h.db.config, ['archive:verify', file, ...args], offline);
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

  beforeAll(async () => {
    h = await startSigningHarness();
    dir = mkdtempSync(join(tmpdir(), 'carepact-archive-'));
    // Nothing listens on these ports: a verifier that touched the database or Redis would fail.
    offline = { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`, REDIS_URL: `redis://127.0.0.1:${await freePort()}` };

    docId = await h.document('Marcel', 'contrat-sejour');
    residentId = await h.residentId('Marcel');
    const admissions = await h.staff('admissions@les-tilleuls.example');
    const created = (await (await admissions(`/api/documents/${docId}/signature-requests`, { method: 'POST', body: JSON.stringify({ lateReason: 'Test : délai légal de la personne de démonstration dépassé.' }) })).json()) as { id: string };
    requestId = created.id;
    for (const [address, name] of [
      ['marcel.dupont@example.org', 'Marcel Dupont'],
      ['k.benaissa@udaf-val.example', 'Karim Benaïssa'],
    ]) {
      const mails = await h.waitForMail(address, 1, /signer|signature/i);
      const p = new PortalClient(h.base);
      await p.open(PortalClient.linksIn(mails[0].text, h.base)[0]);
      await p.get('/portail');
      await p.get('/portail/document');
      await p.get('/portail');
      expect((await p.post('/portail/signer', { consent: 'oui', typedName: name })).headers.get('location')).toBe('/portail/recapitulatif');
    }
    const director = await h.staff('direction@les-tilleuls.example');
    expect((await countersignFetch(director, requestId)).status).toBe(200);
    await waitUntil('the seal', async () => ((await h.ds.query(`SELECT 1 FROM sealed_documents WHERE request_id = $1`, [requestId])) as unknown[]).length === 1, 60000);
    [{ establishment_id: establishmentId }] = (await h.ds.query(`SELECT establishment_id FROM documents WHERE id = $1`, [docId])) as { establishment_id: string }[];
  }, 240000);
  afterAll(async () => {
    await h?.close();
  });

  it('exports a document with its sealed request; verify offline exits 0; the export is audited with the manifest hash', async () => {
    pkg.document = join(dir, 'document.zip');
    const out = await exportCli('--document', docId, '--out', pkg.document);
    expect(out).toMatchObject({ code: 0 });
    const entries = await readZip(pkg.document);
    const names = [...entries.keys()];
    expect(names).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.json.p7s',
        'audit/events.jsonl',
        'certificates/etablissement.pem',
        `documents/${docId}/document.json`,
        `documents/${docId}/v1/standard.pdf`,
        `documents/${docId}/signatures/${requestId}/document-scelle.pdf`,
        `documents/${docId}/signatures/${requestId}/preuve.json`,
      ]),
    );
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    expect(manifest.sealed).toHaveLength(1);
    // The demo's four documents handed over with the contract (CASF L.311-4), each PDF under its SHA-256.
    expect(manifest.annexes!.map((a) => a.key)).toEqual(['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes', 'notice-personne-de-confiance']);
    for (const a of manifest.annexes!) expect(createHash('sha256').update(entries.get(a.path)!).digest('hex')).toBe(a.sha256);
    // The segment covers every event about the document and its request, and ends at a signed head.
    const events = entries.get('audit/events.jsonl')!.toString().trim().split('\n').map((l) => JSON.parse(l) as { seq: number; action: string; subjectId: string | null });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['document.created', 'signature.created', 'signature.sealed']));
    expect(manifest.audit.checkpoints.at(-1)).toMatchObject({ seq: manifest.audit.toSeq, hash: manifest.audit.headHash });

    const res = await verify(pkg.document);
    expect(res).toMatchObject({ code: 0 });
    expect(res.stdout).toContain('certificate not checked against a trusted CA');
    expect(res.stdout).toMatch(/1 sceau\(x\) PAdES valides/);
    expect(out.stdout).toContain('4 document(s) remis avec le contrat');

    const sha = createHash('sha256').update(entries.get('manifest.json')!).digest('hex');
    const [audited] = (await h.ds.query(`SELECT payload FROM audit_events WHERE action = 'archive.exported' AND subject_id = $1`, [docId])) as { payload: Record<string, unknown> }[];
    expect(audited.payload).toMatchObject({ scope: 'document', manifestSha256: sha, sealed: 1 });
  });

  it('with --trust, the seal certificate must chain to the CA given', async () => {
    const pem = (await readZip(pkg.document)).get('certificates/etablissement.pem')!.toString();
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, blocks[blocks.length - 1]);
    const ok = await verify(pkg.document, '--trust', ca);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain('rattaché à l’autorité de confiance fournie');
    // A package sealed without a timestamp (PAdES B-B): a TSA trust list given changes nothing, nothing is failed for it.
    const bb = await verify(pkg.document, '--trust', ca, '--tsa-trust', ca);
    expect(bb).toMatchObject({ code: 0 });
    expect(bb.stdout).toContain('aucun sceau horodaté');
    // Another CA (the establishment certificate of another installation's development CA).
    const other = await ensureDevSealIdentity(join(dir, 'other-seal'), 'Autre établissement');
    const otherCa = join(dir, 'other-ca.pem');
    writeFileSync(otherCa, `-----BEGIN CERTIFICATE-----\n${other.chain[0].toString('base64')}\n-----END CERTIFICATE-----\n`);
    const untrusted = await verify(pkg.document, '--trust', otherCa);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain('[CERTIFICATE_UNTRUSTED]');
  });

  it('with --trust, every issuer of the signer is a CA valid when it signed: an end-entity certificate of a trusted root cannot issue a « seal »', async () => {
    const entries = await readZip(pkg.document);
    const bytes = entries.get('manifest.json')!;
    const createdAt = new Date((JSON.parse(bytes.toString()) as Manifest).createdAt);
    const day = 86400_000;
    const root = testCertificate({ cn: 'Racine qualifiée', ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
    const signer = (seal: TestCertificate, chain: TestCertificate[]): SealIdentity => {
      const x = new X509Certificate(seal.pem);
      const subject = { commonName: 'Résidence Falsifiée', organization: null, subject: x.subject, issuer: x.issuer, serialNumber: x.serialNumber } as SealIdentity['subject'];
      return { privateKey: createPrivateKey(forge.pki.privateKeyToPem(seal.key)), certificate: x.raw, chain: chain.map((c) => new X509Certificate(c.pem).raw), subject };
    };
    // The manifest re-signed under `identity`; the PDF seal stays the development CA's, trusted as well.
    const devCa = (await readZip(pkg.document)).get('certificates/etablissement.pem')!.toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!.at(-1)!;
    const trust = join(dir, 'root-and-dev.pem');
    writeFileSync(trust, root.pem + devCa);
    const signedBy = async (name: string, identity: SealIdentity) => {
      const copy = new Map(entries);
      copy.set('manifest.json.p7s', signManifest(bytes, identity));
      const file = join(dir, `${name}.zip`);
      await writeZip(file, copy);
      return verify(file, '--trust', trust);
    };
    const leaf = testCertificate({ cn: 'Cachet ordinaire', issuer: root });
    const forged = await signedBy('forged-seal', signer(testCertificate({ cn: 'Résidence Falsifiée', issuer: leaf, keyUsage: ['digitalSignature'] }), [leaf, root]));
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('[CERTIFICATE_UNTRUSTED]');
    expect(forged.stdout).toContain('« Cachet ordinaire » a signé le certificat de « Résidence Falsifiée » sans être une autorité de certification');

    const intermediate = testCertificate({ cn: 'Autorité intermédiaire', issuer: root, ca: true, pathLen: 0, keyUsage: ['keyCertSign'] });
    const proper = await signedBy('proper-seal', signer(testCertificate({ cn: 'Résidence Test', issuer: intermediate, keyUsage: ['digitalSignature'] }), [intermediate, root]));
    expect(proper).toMatchObject({ code: 0 });

    // Judged at the manifest's createdAt: an intermediate that had expired then is refused.
    const expired = testCertificate({ cn: 'Intermédiaire expirée', issuer: root, ca: true, keyUsage: ['keyCertSign'], notBefore: new Date(createdAt.getTime() - 30 * day), notAfter: new Date(createdAt.getTime() - day) });
    const late = await signedBy('expired-intermediate', signer(testCertificate({ cn: 'Résidence Test', issuer: expired, keyUsage: ['digitalSignature'] }), [expired, root]));
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('[CERTIFICATE_UNTRUSTED]');
    expect(late.stdout).toContain(`« Intermédiaire expirée » n’était pas valide le ${createdAt.toISOString()}`);
  });

  it('exports a resident and an establishment over a period; both verify offline', async () => {
    pkg.resident = join(dir, 'resident.zip');
    expect(await exportCli('--resident', residentId, '--out', pkg.resident)).toMatchObject({ code: 0 });
    expect(await verify(pkg.resident)).toMatchObject({ code: 0 });
    const r = JSON.parse((await readZip(pkg.resident)).get('manifest.json')!.toString()) as Manifest;
    expect(r.scope).toEqual({ kind: 'resident', id: residentId });
    expect(r.documents).toBeGreaterThanOrEqual(1);

    pkg.establishment = join(dir, 'establishment.zip');
    const out = await exportCli('--establishment', establishmentId, '--from', today(), '--to', today(), '--out', pkg.establishment);
    expect(out).toMatchObject({ code: 0 });
    expect(await verify(pkg.establishment)).toMatchObject({ code: 0 });
    const e = JSON.parse((await readZip(pkg.establishment)).get('manifest.json')!.toString()) as Manifest;
    expect(e.documents).toBeGreaterThanOrEqual(1);
    expect(e.sealed.map((s) => s.requestId)).toContain(requestId);
    // Bad usage: exit 2.
    expect((await exportCli('--establishment', establishmentId, '--out', join(dir, 'x.zip'))).code).toBe(2);
  });

  /** A copy of the document package with `change` applied to its entries; optionally re-signed with the real key (an insider). */
  const tampered = async (name: string, change: (e: Map<string, Buffer>, m: Manifest) => void, resign = false): Promise<string> => {
    const entries = await readZip(pkg.document);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    change(entries, manifest);
    if (resign) {
      for (const f of manifest.files) if (entries.has(f.path)) Object.assign(f, { sha256: createHash('sha256').update(entries.get(f.path)!).digest('hex'), size: entries.get(f.path)!.length });
      const bytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n');
      const identity = await ensureDevSealIdentity(join(h.db.config.paths.secretsDir, 'seal'), 'x');
      entries.set('manifest.json', bytes);
      entries.set('manifest.json.p7s', signManifest(bytes, identity));
    }
    const file = join(dir, `${name}.zip`);
    await writeZip(file, entries);
    return file;
  };
  const flip = (b: Buffer, at = Math.floor(b.length / 2)) => {
    const c = Buffer.from(b);
    c[at] ^= 0x01;
    return c;
  };
  const expectProblem = async (file: string, code: string, path: string) => {
    const res = await verify(file);
    expect({ code: res.code, line: res.stdout.trim() }).toEqual({ code: 1, line: expect.stringContaining(`${path} [${code}]`) });
  };

  it('one byte changed in any file → HASH_MISMATCH naming it', async () => {
    const rendition = `documents/${docId}/v1/standard.pdf`;
    await expectProblem(await tampered('byte-rendition', (e) => e.set(rendition, flip(e.get(rendition)!))), 'HASH_MISMATCH', rendition);
    const evidence = `documents/${docId}/signatures/${requestId}/preuve.json`;
    await expectProblem(await tampered('byte-evidence', (e) => e.set(evidence, flip(e.get(evidence)!))), 'HASH_MISMATCH', evidence);
    // A document handed over with the contract: named, in French, by its label and edition.
    const annex = (JSON.parse((await readZip(pkg.document)).get('manifest.json')!.toString()) as Manifest).annexes![0];
    const res = await verify(await tampered('byte-annex', (e) => e.set(annex.path, flip(e.get(annex.path)!))));
    expect({ code: res.code, line: res.stdout.trim() }).toEqual({ code: 1, line: expect.stringContaining(`${annex.path} [HASH_MISMATCH] — Le document remis avec le contrat « ${annex.label} » (${annex.versionLabel}) a été modifié`) });
  });

  it('a removed file → FILE_MISSING; an added file → FILE_UNEXPECTED', async () => {
    const doc = `documents/${docId}/document.json`;
    await expectProblem(await tampered('removed', (e) => e.delete(doc)), 'FILE_MISSING', doc);
    await expectProblem(await tampered('added', (e) => e.set('documents/ajout.pdf', Buffer.from('%PDF-1.7'))), 'FILE_UNEXPECTED', 'documents/ajout.pdf');
  });

  it('an edited chain segment → HASH_MISMATCH; re-signed by an insider → EVENT_HASH_MISMATCH or CHAIN_LINK_BROKEN', async () => {
    const edit = (e: Map<string, Buffer>) => e.set('audit/events.jsonl', Buffer.from(e.get('audit/events.jsonl')!.toString().replace('"document.created"', '"document.deleted"')));
    await expectProblem(await tampered('chain-edit', edit), 'HASH_MISMATCH', 'audit/events.jsonl');
    await expectProblem(await tampered('chain-edit-resigned', edit, true), 'EVENT_HASH_MISMATCH', 'audit/events.jsonl');
    const dropSecond = (e: Map<string, Buffer>) => {
      const lines = e.get('audit/events.jsonl')!.toString().split('\n');
      lines.splice(1, 1);
      e.set('audit/events.jsonl', Buffer.from(lines.join('\n')));
    };
    await expectProblem(await tampered('chain-drop-resigned', dropSecond, true), 'CHAIN_LINK_BROKEN', 'audit/events.jsonl');
  });

  it('a forged manifest → MANIFEST_SIGNATURE_INVALID', async () => {
    const forged = await tampered('forged', (e, m) => {
      m.files[0].sha256 = '0'.repeat(64);
      e.set('manifest.json', Buffer.from(JSON.stringify(m, null, 1) + '\n'));
    });
    await expectProblem(forged, 'MANIFEST_SIGNATURE_INVALID', 'manifest.json.p7s');
  });

  it('a sealed PDF with one byte changed → HASH_MISMATCH; re-signed by an insider → PADES_INVALID', async () => {
    const sealed = `documents/${docId}/signatures/${requestId}/document-scelle.pdf`;
    const change = (e: Map<string, Buffer>) => e.set(sealed, flip(e.get(sealed)!));
    await expectProblem(await tampered('pdf-byte', change), 'HASH_MISMATCH', sealed);
    await expectProblem(await tampered('pdf-byte-resigned', change, true), 'PADES_INVALID', sealed);
    // In /Contents, which the signature cannot cover: only the zero padding may follow the CMS.
    const inPadding = (e: Map<string, Buffer>) => {
      const pdf = e.get(sealed)!;
      const [, , c] = /\/ByteRange \[(\d+) (\d+) (\d+)/.exec(pdf.toString('latin1'))!.slice(1).map(Number);
      const copy = Buffer.from(pdf);
      copy[c - 3] = 0x31; // a hex '1' where the padding has '0'
      e.set(sealed, copy);
    };
    await expectProblem(await tampered('pdf-padding-resigned', inPadding, true), 'PADES_INVALID', sealed);
  });

  it('document history (issue 11, item 1): versions, seal, lineage and every audited step with who and in which capacity — readable by the auditor, without content', async () => {
    const auditor = await h.staff('audit@jardins-du-val.example');
    const res = await auditor(`/api/documents/${docId}/history`);
    expect(res.status).toBe(200);
    const history = (await res.json()) as {
      versions: { number: number; reason: string; renditions: unknown[] }[];
      signatureRequests: { id: string; status: string; sealed: { sha256: string } | null }[];
      lineage: { id: string; type: string; current: boolean }[];
      timeline: { seq: number; action: string; label: string; actor: { type: string; name: string | null }; signer: { name: string; capacity: string } | null }[];
    };
    // (fetch's JSON arrays come from outside jest's realm: compared by content, not with expect.any(Array).)
    expect(history.versions.map((v) => v.number)).toEqual([1]);
    expect(history.versions[0].renditions).toHaveLength(9);
    expect(history.signatureRequests).toEqual([expect.objectContaining({ id: requestId, status: 'completed', sealed: expect.objectContaining({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }) })]);
    expect(history.lineage).toEqual([expect.objectContaining({ id: docId, type: 'contrat-sejour', current: true })]);
    // In chain order, from creation to seal.
    const seqs = history.timeline.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const actions = history.timeline.map((e) => e.action);
    for (const [a, b] of [
      ['document.created', 'document_version.generated'],
      ['document_version.generated', 'signature.created'],
      ['signature.signed', 'signature.countersigned'],
      ['signature.countersigned', 'signature.sealed'],
    ])
      expect(actions.indexOf(a)).toBeLessThan(actions.lastIndexOf(b));
    const created = history.timeline.find((e) => e.action === 'document.created')!;
    expect(created).toMatchObject({ label: 'Document créé', actor: { type: 'staff', name: 'Nadia Haddad' } });
    const signed = history.timeline.filter((e) => e.action === 'signature.signed');
    expect(signed.map((e) => e.signer?.name).sort()).toEqual(['Karim Benaïssa', 'Marcel Dupont']);
    expect(signed.every((e) => e.signer!.capacity.length > 0)).toBe(true);
    expect(history.timeline.find((e) => e.action === 'signature.countersigned')).toMatchObject({ actor: { type: 'staff', name: 'Claire Morel' } });
    // Metadata only: no rendition bytes, no input snapshot (the care details stay out of the auditor's reach).
    const text = JSON.stringify(history);
    expect(text).not.toMatch(/"input"|base64|%PDF/);
  });

  it('verify again re-computes every hash and checks the seal; a changed byte in a stored file is named; the verification is audited', async () => {
    const admin = await h.staff('admin@jardins-du-val.example');
    type Verification = { ok: boolean; checks: { what: string; ok: boolean; detail: string | null }[] };
    const first = (await (await admin(`/api/documents/${docId}/verify`, { method: 'POST' })).json()) as Verification;
    expect(first.ok).toBe(true);
    // 9 renditions, the 4 documents handed over with the contract, then the sealed PDF's hash, its PAdES signature, its time and its evidence.
    expect(first.checks).toHaveLength(17);
    expect(first.checks.find((c) => c.what.includes('signature électronique'))).toMatchObject({ ok: true, detail: expect.stringContaining('certificat') });
    // No time-stamping authority configured here (PAdES B-B): the seal's time is the server's, and the check says so.
    expect(first.checks.find((c) => c.what.endsWith('— horodatage'))).toEqual({
      what: expect.any(String),
      ok: true,
      detail: 'aucun : le cachet ne porte pas d’horodatage qualifié (heure du serveur de l’établissement)',
    });

    const [{ blob_sha256: sha }] = (await h.ds.query(`SELECT r.blob_sha256 FROM renditions r JOIN document_versions v ON v.id = r.version_id WHERE v.document_id = $1 AND r.format = 'docx' AND r.variant = 'falc'`, [docId])) as { blob_sha256: string }[];
    const [{ content }] = (await h.ds.query(`SELECT content FROM blobs WHERE sha256 = $1`, [sha])) as { content: Buffer }[];
    const changed = Buffer.from(content);
    changed[changed.length - 10] ^= 0xff;
    await withBlobRewritten(h.db.config, sha, changed, async () => {
      const second = (await (await admin(`/api/documents/${docId}/verify`, { method: 'POST' })).json()) as Verification;
      expect(second.ok).toBe(false);
      expect(second.checks.filter((c) => !c.ok)).toEqual([{ what: 'Version 1 — Word (DOCX), facile à lire', ok: false, detail: expect.stringContaining(`au lieu de ${sha}`) }]);
    });
    const audited = (await h.ds.query(`SELECT payload FROM audit_events WHERE action = 'document.verified' AND subject_id = $1 ORDER BY seq`, [docId])) as { payload: Record<string, unknown> }[];
    expect(audited.map((a) => a.payload)).toEqual([
      { ok: true, checks: 17, failures: 0 },
      { ok: false, checks: 17, failures: 1 },
    ]);
  });

  it('an unreadable package → exit 2', async () => {
    const bad = join(dir, 'truncated.zip');
    copyFileSync(pkg.document, bad);
    writeFileSync(bad, (await readZip(pkg.document)).get('manifest.json')!);
    expect((await verify(bad)).code).toBe(2);
  });
});
