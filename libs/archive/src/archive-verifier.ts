import { X509Certificate, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { eventHash } from '@carepact/audit';
import { annexAuditKey, annexAuditMap } from '@carepact/documents';
import * as yauzl from 'yauzl';
import {
  AUDIT_EVENTS_FILE,
  ARCHIVE_FORMAT,
  ArchiveProblem,
  ArchiveProblemCode,
  MANIFEST_FILE,
  MANIFEST_SIGNATURE_FILE,
  Manifest,
  ManifestAnnex,
  ManifestSealed,
  TSA_CERTIFICATES_FILE,
} from './archive.types';
import { certificatesFromPem, chainsTo, verifyDetachedCms } from './cms-verify';
import { tsaChainCheck } from '@carepact/signing';
import { verifyPades } from './pades-verify';

export interface ArchiveVerifyOptions {
  /** CA certificates the seal certificate must chain to; without them, integrity only. */
  trusted?: X509Certificate[];
  /**
   * Roots the time-stamping authority of each B-T seal must chain to (`--tsa-trust`,
   * ARCHIVE_TSA_TRUST, SEAL_TSA_CA); without them, each token is checked but its TSA is not.
   */
  tsaTrusted?: X509Certificate[];
}

/** A sealed PDF's RFC 3161 token, checked: the time it certifies, its TSA, and whether the TSA chains to a root given. */
export interface ArchiveTimestamp {
  file: string;
  requestId: string;
  edition: number;
  genTime: string;
  /** The TSA certificate's CN. */
  authority: string;
  /** TSTInfo serial number (hex). */
  serialNumber: string;
  /** true: chains to a root of `tsaTrusted`; false: it does not (TIMESTAMP_UNTRUSTED); null: no roots given. */
  trusted: boolean | null;
  /**
   * Whether the sealed evidence records the TSA as declared qualified by the operator when it sealed
   * (sealTime.qualified, SEAL_TSA_QUALIFIED, eIDAS art. 42): only then is it « Horodatage qualifié ».
   */
  qualified: boolean;
}

export interface ArchiveVerifyReport {
  ok: boolean;
  problem: ArchiveProblem | null;
  files: number;
  sealedPdfs: number;
  /** The sealed PDFs whose seal carries a valid RFC 3161 token (PAdES B-T): the time it certifies and the TSA. */
  timestamps: ArchiveTimestamp[];
  events: number;
  signer: { subject: string; serialNumber: string; sha256: string } | null;
  /** true: chains to a CA given; false: it does not; null: no CA given (not checked). */
  trusted: boolean | null;
  manifest: Pick<Manifest, 'createdAt' | 'organisationId' | 'scope' | 'documents'> | null;
}

/** The package cannot be read as a zip at all: bad input (exit 2), not a failed check. */
export class ArchiveUnreadableError extends Error {
  readonly code = 'ZIP_UNREADABLE';
}

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
const MAX_PDF_BYTES = 512 * 1024 * 1024;

class Found extends Error {
  constructor(readonly problem: ArchiveProblem) {
    super(problem.message);
  }
}
const problem = (code: ArchiveProblemCode, file: string, message: string): never => {
  throw new Found({ code, file, message });
};

/**
 * Checks a package from the zip alone, offline (no database, no network): the manifest's CMS
 * signature under the certificate it carries (and, given CAs, that it chains to one), every file
 * against the manifest (none missing, none added, every SHA-256), the audit segment (each event's
 * hash recomputed, each link, the signed heads it contains, and that it ends at one), the PAdES
 * seal of each sealed PDF, and the documents handed over with each version (annexes) against what
 * the version's `document_version.requested` event and the sealed evidence recorded. A request may
 * have several sealed editions (a DIPC established by the director, then countersigned, CASF D.311
 * II–III): each one is checked, and named by its edition; a package written before editions (one
 * seal per request, no `edition`) is read as edition 1. Stops at the first problem. Entries are
 * read one at a time.
 */
export async function verifyArchive(file: string, opts: ArchiveVerifyOptions = {}): Promise<ArchiveVerifyReport> {
  const zip = await openZip(file);
  const report: ArchiveVerifyReport = { ok: false, problem: null, files: 0, sealedPdfs: 0, timestamps: [], events: 0, signer: null, trusted: null, manifest: null };
  try {
    const entries = await listEntries(zip);
    const byName = new Map<string, yauzl.Entry>();
    for (const e of entries) {
      if (byName.has(e.fileName)) problem('FILE_UNEXPECTED', e.fileName, 'Ce fichier figure deux fois dans le paquet.');
      byName.set(e.fileName, e);
    }
    const manifestEntry = byName.get(MANIFEST_FILE) ?? problem('FILE_MISSING', MANIFEST_FILE, 'Le manifeste est absent du paquet.');
    const signatureEntry = byName.get(MANIFEST_SIGNATURE_FILE) ?? problem('FILE_MISSING', MANIFEST_SIGNATURE_FILE, 'La signature du manifeste est absente du paquet.');
    const manifestBytes = await readEntry(zip, manifestEntry, MAX_MANIFEST_BYTES);
    const signature = await readEntry(zip, signatureEntry, 1024 * 1024);

    const cms = verifyDetachedCms(signature, createHash('sha256').update(manifestBytes).digest());
    if (!cms.ok) problem('MANIFEST_SIGNATURE_INVALID', MANIFEST_SIGNATURE_FILE, `La signature du manifeste n’est pas valide : ${cms.reason}.`);
    const signer = cms.signer!;
    report.signer = { subject: signer.subject, serialNumber: signer.serialNumber, sha256: signer.fingerprint256.replace(/:/g, '').toLowerCase() };

    const manifest = parseManifest(manifestBytes);
    // The path is judged at the time the signed manifest records (its createdAt), not today's.
    if (opts.trusted) {
      const chain = chainsTo(signer, cms.certificates, opts.trusted, new Date(manifest.createdAt));
      report.trusted = chain.ok;
      if (!chain.ok)
        problem('CERTIFICATE_UNTRUSTED', MANIFEST_SIGNATURE_FILE, `Le certificat qui signe le manifeste (${cnOf(signer)}) ne se rattache à aucune autorité de confiance fournie : ${chain.reason}.`);
    }
    report.manifest = { createdAt: manifest.createdAt, organisationId: manifest.organisationId, scope: manifest.scope, documents: manifest.documents };
    const expected = new Map(manifest.files.map((f) => [f.path, f]));
    const sealedByPath = new Map(manifest.sealed.map((s) => [s.path, s]));
    const evidenceByPath = new Map(manifest.sealed.map((s) => [s.evidencePath, s]));
    const paperByPath = new Map((manifest.paper ?? []).map((p) => [p.path, p]));
    const annexesByPath = new Map<string, ManifestAnnex[]>();
    for (const a of manifest.annexes ?? []) annexesByPath.set(a.path, [...(annexesByPath.get(a.path) ?? []), a]);
    let chainAnnexes: ChainCheck['requested'] | null = null;
    /** The TSA certificates the package carries (TSA_CERTIFICATES_FILE), and each valid token's own: the trust of each TSA is decided once all are read. */
    let packageTsaCertificates: X509Certificate[] = [];
    const tokens: { report: ArchiveTimestamp; tsa: X509Certificate; certificates: X509Certificate[]; genTime: Date }[] = [];
    /** Evidence files (small JSON) of every sealed edition, by path, kept to check that they name each paper scan's hash. */
    const evidenceText = new Map<string, { sealed: ManifestSealed; text: string }>();
    const seen = new Set<string>();

    for (const entry of entries) {
      const name = entry.fileName;
      if (name === MANIFEST_FILE || name === MANIFEST_SIGNATURE_FILE) continue;
      const listed = expected.get(name) ?? problem('FILE_UNEXPECTED', name, 'Ce fichier n’est pas dans le manifeste signé : il a été ajouté.');
      seen.add(name);
      const stream = await openEntry(zip, entry);
      const hash = createHash('sha256');
      let size = 0;
      const pdfChunks: Buffer[] | null = sealedByPath.has(name) ? [] : null;
      const evidenceChunks: Buffer[] | null = evidenceByPath.has(name) || name === TSA_CERTIFICATES_FILE ? [] : null;
      const chain = name === manifest.audit.file ? new ChainCheck(manifest) : null;
      const decoder = new StringDecoder('utf8');
      let rest = '';
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          if (pdfChunks) {
            if (size > MAX_PDF_BYTES) problem('PADES_INVALID', name, 'PDF scellé trop volumineux pour être vérifié.');
            pdfChunks.push(chunk);
          }
          if (evidenceChunks && size <= MAX_PDF_BYTES) evidenceChunks.push(chunk);
          if (chain) {
            const lines = (rest + decoder.write(chunk)).split('\n');
            rest = lines.pop() ?? '';
            for (const line of lines) chain.line(line);
          }
        }
      } catch (e) {
        if (e instanceof Found) throw e;
        problem('HASH_MISMATCH', name, `Contenu illisible dans le zip (${(e as Error).message}).`);
      }
      const chainProblem = chain ? chain.finish(rest + decoder.end()) : null;
      const sha256 = hash.digest('hex');
      const annexes = annexesByPath.get(name);
      const sealedHere = sealedByPath.get(name) ?? evidenceByPath.get(name);
      if ((sha256 !== listed.sha256 || size !== listed.size) && sealedHere)
        problem(
          'HASH_MISMATCH',
          name,
          `${sealedByPath.has(name) ? 'Le document scellé' : 'Le dossier de preuve'} (${editionFr(sealedHere)}) a été modifié : l’empreinte SHA-256 du fichier (${sha256}) n’est pas celle du manifeste (${listed.sha256}).`,
        );
      if ((sha256 !== listed.sha256 || size !== listed.size) && annexes)
        problem(
          'HASH_MISMATCH',
          name,
          `Le document remis avec le contrat ${annexFr(annexes[0])} a été modifié : l’empreinte SHA-256 du fichier (${sha256}) n’est pas celle du manifeste (${listed.sha256}).`,
        );
      if (sha256 !== listed.sha256 || size !== listed.size)
        problem('HASH_MISMATCH', name, `L’empreinte SHA-256 du fichier (${sha256}) n’est pas celle du manifeste (${listed.sha256}) : il a été modifié.`);
      if (chainProblem) throw new Found(chainProblem);
      if (chain) {
        report.events = chain.count;
        chainAnnexes = chain.requested;
      }
      for (const a of annexes ?? [])
        if (sha256 !== a.sha256)
          problem('ANNEX_MISMATCH', name, `Le document remis avec le contrat ${annexFr(a)} n’est pas celui que la version ${a.versionNumber} a enregistré (SHA-256 ${a.sha256}).`);
      const evidence = evidenceByPath.get(name);
      if (evidence && sha256 !== evidence.evidenceSha256)
        problem('EVIDENCE_MISMATCH', name, `Le dossier de preuve (${editionFr(evidence)}) n’est pas celui enregistré au scellement (SHA-256 ${evidence.evidenceSha256}).`);
      if (evidence && evidenceChunks) evidenceText.set(name, { sealed: evidence, text: Buffer.concat(evidenceChunks).toString('utf8') });
      if (name === TSA_CERTIFICATES_FILE && evidenceChunks) {
        try {
          packageTsaCertificates = certificatesFromPem(Buffer.concat(evidenceChunks).toString('utf8'));
        } catch (e) {
          problem('MANIFEST_INVALID', name, `Les certificats d’horodatage du paquet sont illisibles (${(e as Error).message}).`);
        }
      }
      const scan = paperByPath.get(name);
      if (scan && sha256 !== scan.originalSha256)
        problem('PAPER_SCAN_MISMATCH', name, `Le scan original n’est pas celui déposé (SHA-256 enregistré ${scan.originalSha256}).`);
      if (pdfChunks) {
        const pades = verifyPades(Buffer.concat(pdfChunks));
        if (!pades.ok) problem('PADES_INVALID', name, `Le sceau PAdES du PDF (${editionFr(sealedByPath.get(name)!)}) n’est pas valide : ${pades.reason}.`);
        if (opts.trusted) {
          // The seal's time: the token's certified time (B-T), else the /M the seal signs, else the manifest's sealedAt / createdAt.
          const sealed = sealedByPath.get(name);
          const at = pades.timestamp?.ok ? pades.timestamp.genTime : (pades.signingTime ?? new Date(sealed?.sealedAt ?? manifest.createdAt));
          const chain = chainsTo(pades.signer!, pades.certificates, opts.trusted, at);
          if (!chain.ok)
            problem('CERTIFICATE_UNTRUSTED', name, `Le certificat qui scelle ce PDF (${cnOf(pades.signer!)}) ne se rattache à aucune autorité de confiance fournie : ${chain.reason}.`);
        }
        // A token is outside what the seal signs: it is checked on its own (ETSI EN 319 142-1 B-T).
        if (pades.timestamp && !pades.timestamp.ok)
          problem('TIMESTAMP_INVALID', name, `L’horodatage du sceau (${editionFr(sealedByPath.get(name)!)}) n’est pas valide : ${pades.timestamp.reason}.`);
        if (pades.timestamp?.ok) {
          const s = sealedByPath.get(name)!;
          const ts: ArchiveTimestamp = {
            file: name,
            requestId: s.requestId,
            edition: s.edition ?? 1,
            genTime: pades.timestamp.genTime.toISOString(),
            authority: cnOf(pades.timestamp.tsaCertificate),
            serialNumber: pades.timestamp.serialNumber,
            trusted: null,
            qualified: false,
          };
          report.timestamps.push(ts);
          tokens.push({ report: ts, tsa: pades.timestamp.tsaCertificate, certificates: pades.timestamp.certificates, genTime: pades.timestamp.genTime });
        }
        report.sealedPdfs++;
      }
      report.files++;
    }
    for (const f of manifest.files) if (!seen.has(f.path)) problem('FILE_MISSING', f.path, 'Ce fichier du manifeste signé est absent du paquet.');
    for (const s of manifest.sealed)
      if (!expected.has(s.path) || !expected.has(s.evidencePath)) problem('MANIFEST_INVALID', s.path, 'Un document scellé du manifeste n’est pas dans sa liste de fichiers.');
    if (!expected.has(manifest.audit.file)) problem('FILE_MISSING', manifest.audit.file, 'Le segment de la chaîne d’audit est absent du manifeste.');
    for (const p of manifest.paper ?? []) {
      if (!expected.has(p.path)) problem('MANIFEST_INVALID', p.path, 'Un scan original du manifeste n’est pas dans sa liste de fichiers.');
      // The sealed evidence of the request names the scan's hash: the scan is the one that was sealed (in each of its editions).
      const texts = [...evidenceText.values()].filter((e) => e.sealed.requestId === p.requestId).map((e) => e.text);
      if (texts.some((text) => !text.includes(`"originalSha256":"${p.originalSha256}"`)))
        problem('PAPER_SCAN_MISMATCH', p.path, 'Le dossier de preuve scellé ne nomme pas ce scan original.');
    }
    if (manifest.annexes) checkAnnexes(manifest, expected, chainAnnexes ?? new Map(), evidenceText);
    // What the sealed evidence (its hash checked above) says of each token's authority: qualified only when declared so.
    for (const t of tokens) t.report.qualified = qualifiedIn(evidenceText.get(sealedByPath.get(t.report.file)!.evidencePath)?.text);
    // Last, once the package is known intact: whether each token's TSA chains to a root the verifier
    // trusts (through the certificates the token and the package carry, intermediates only). Each
    // sealed edition is reported; the first untrusted one is the problem. A seal without a token
    // (B-B) has nothing to check here.
    if (opts.tsaTrusted) {
      // The path rules of the seal's own check (tsaChainCheck: CA, keyCertSign, pathLen, validity at the certified time).
      const why = new Map<ArchiveTimestamp, string>();
      for (const t of tokens) {
        const chain = tsaChainCheck(t.tsa, [...t.certificates, ...packageTsaCertificates], opts.tsaTrusted, t.genTime);
        t.report.trusted = chain.ok;
        if (!chain.ok) why.set(t.report, chain.reason);
      }
      const untrusted = tokens.find((t) => !t.report.trusted);
      if (untrusted)
        problem(
          'TIMESTAMP_UNTRUSTED',
          untrusted.report.file,
          `L’horodatage du sceau (${editionFr(sealedByPath.get(untrusted.report.file)!)}) est délivré par « ${untrusted.report.authority} », une autorité d’horodatage qui ne se rattache à aucune autorité de confiance fournie : l’heure qu’il indique (${untrusted.report.genTime}) n’est pas établie (${why.get(untrusted.report)}).`,
        );
    }
    report.ok = true;
    return report;
  } catch (e) {
    if (e instanceof Found) return { ...report, ok: false, problem: e.problem };
    throw e;
  } finally {
    zip.close();
  }
}

/** « exemplaire 1 de la demande <id> »: a sealed edition as the messages name it (no `edition`: a package written before editions, 1). */
function editionFr(s: Pick<ManifestSealed, 'requestId' | 'edition'>): string {
  return `exemplaire ${s.edition ?? 1} de la demande ${s.requestId}`;
}

/**
 * Each request's sealed editions are 1, 2… n, each once: the first edition — the one handed over to
 * the person (CASF D.311 III) — cannot be left out while a later one is listed.
 */
function checkEditions(sealed: ManifestSealed[]): void {
  const byRequest = new Map<string, number[]>();
  for (const s of sealed) byRequest.set(s.requestId, [...(byRequest.get(s.requestId) ?? []), s.edition ?? 1]);
  for (const [requestId, editions] of byRequest) {
    const sorted = [...editions].sort((a, b) => a - b);
    const gap = sorted.findIndex((e, i) => e !== i + 1);
    if (gap >= 0)
      problem(
        'MANIFEST_INVALID',
        MANIFEST_FILE,
        sorted[gap] === sorted[gap - 1]
          ? `L’exemplaire ${sorted[gap]} de la demande ${requestId} figure deux fois dans le manifeste.`
          : `L’exemplaire ${gap + 1} de la demande ${requestId} manque au manifeste, qui en liste un suivant.`,
      );
  }
}

/** « « Livret d’accueil » (Édition 2026) »: an annex as the messages name it. */
function annexFr(a: Pick<ManifestAnnex, 'label' | 'versionLabel'>): string {
  return `« ${a.label} » (${a.versionLabel})`;
}

/**
 * The documents handed over with each version (CASF L.311-4), against what the package's other
 * records say of them: each one in the signed list of files; for each version whose
 * `document_version.requested` event is in the audit segment, exactly the files that event recorded
 * (none altered, none removed); for each sealed request, the files its evidence lists.
 */
function checkAnnexes(manifest: Manifest, files: Map<string, unknown>, requested: ChainCheck['requested'], evidenceText: Map<string, { sealed: ManifestSealed; text: string }>): void {
  const annexes = manifest.annexes ?? [];
  for (const a of annexes) if (!files.has(a.path)) problem('MANIFEST_INVALID', a.path, 'Un document remis avec le contrat du manifeste n’est pas dans sa liste de fichiers.');
  const byVersion = new Map<string, Map<string, ManifestAnnex>>();
  for (const a of annexes) byVersion.set(a.versionId, (byVersion.get(a.versionId) ?? new Map()).set(annexAuditKey(a.key), a));
  // The documents of the package (documents/<id>/document.json): their versions' events must find their files here.
  const documents = new Set(manifest.files.map((f) => /^documents\/([^/]+)\/document\.json$/.exec(f.path)?.[1]).filter((id): id is string => !!id));
  for (const [versionId, v] of requested) {
    if (!documents.has(v.documentId)) continue;
    const listed = byVersion.get(versionId);
    for (const [key, sha] of v.annexes) {
      const a = listed?.get(key);
      if (sha === null && a) problem('ANNEX_MISMATCH', a.path, `La chaîne d’audit n’enregistre aucun fichier pour ${annexFr(a)} à la version ${v.number} du document ${v.documentId}.`);
      if (sha === null) continue;
      if (!a)
        problem(
          'FILE_MISSING',
          `annexes/${sha}.pdf`,
          `Le document remis avec le contrat « ${key} » que la chaîne d’audit enregistre pour la version ${v.number} du document ${v.documentId} (SHA-256 ${sha}) est absent du paquet.`,
        );
      else if (a.sha256 !== sha)
        problem('ANNEX_MISMATCH', a.path, `Le document remis avec le contrat ${annexFr(a)} n’est pas celui que la chaîne d’audit enregistre pour la version ${v.number} (SHA-256 ${sha}) : il a été remplacé.`);
    }
  }
  for (const { sealed, text } of evidenceText.values()) {
    const requestId = sealed.edition && sealed.edition > 1 ? `${sealed.requestId} (exemplaire ${sealed.edition})` : sealed.requestId;
    let evidence: { document?: { versionId?: unknown; versionNumber?: unknown }; annexes?: { files?: { key?: unknown; label?: unknown; sha256?: unknown }[] } };
    try {
      evidence = JSON.parse(text);
    } catch {
      continue; // its hash was checked against the one recorded at sealing: nothing more to read in it
    }
    const versionId = evidence.document?.versionId;
    if (typeof versionId !== 'string' || !Array.isArray(evidence.annexes?.files)) continue;
    const listed = byVersion.get(versionId);
    for (const f of evidence.annexes.files) {
      if (typeof f?.key !== 'string' || typeof f.sha256 !== 'string') continue;
      const a = listed?.get(annexAuditKey(f.key));
      if (!a)
        problem(
          'FILE_MISSING',
          `annexes/${f.sha256}.pdf`,
          `Le document remis avec le contrat « ${String(f.label ?? f.key)} » que le dossier de preuve scellé de la demande ${requestId} nomme (version ${String(evidence.document?.versionNumber)}) est absent du paquet.`,
        );
      else if (a.sha256 !== f.sha256)
        problem('ANNEX_MISMATCH', a.path, `Le document remis avec le contrat ${annexFr(a)} n’est pas celui que nomme le dossier de preuve scellé de la demande ${requestId} (SHA-256 ${f.sha256}).`);
    }
  }
}

function cnOf(c: X509Certificate): string {
  return c.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? c.subject;
}

function parseManifest(bytes: Buffer): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    return problem('MANIFEST_INVALID', MANIFEST_FILE, 'Le manifeste n’est pas du JSON lisible.');
  }
  const hex64 = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (m?.format !== ARCHIVE_FORMAT) problem('MANIFEST_INVALID', MANIFEST_FILE, `Format de paquet inconnu (${String(m?.format)}).`);
  if (!Array.isArray(m.files) || !m.files.every((f) => typeof f?.path === 'string' && hex64(f.sha256) && Number.isSafeInteger(f.size)))
    problem('MANIFEST_INVALID', MANIFEST_FILE, 'La liste des fichiers du manifeste est invalide.');
  if (
    !Array.isArray(m.sealed) ||
    !m.sealed.every(
      (s) =>
        typeof s?.path === 'string' &&
        typeof s.evidencePath === 'string' &&
        typeof s.requestId === 'string' &&
        hex64(s.evidenceSha256) &&
        (s.edition === undefined || (Number.isSafeInteger(s.edition) && s.edition >= 1)),
    )
  )
    problem('MANIFEST_INVALID', MANIFEST_FILE, 'La liste des documents scellés du manifeste est invalide.');
  checkEditions(m.sealed);
  if (m.paper !== undefined && (!Array.isArray(m.paper) || !m.paper.every((p) => typeof p?.path === 'string' && typeof p.requestId === 'string' && hex64(p.originalSha256))))
    problem('MANIFEST_INVALID', MANIFEST_FILE, 'La liste des scans originaux du manifeste est invalide.');
  if (
    m.annexes !== undefined &&
    (!Array.isArray(m.annexes) ||
      !m.annexes.every(
        (a) =>
          typeof a?.path === 'string' &&
          typeof a.versionId === 'string' &&
          typeof a.key === 'string' &&
          typeof a.label === 'string' &&
          typeof a.versionLabel === 'string' &&
          Number.isSafeInteger(a.versionNumber) &&
          hex64(a.sha256),
      ))
  )
    problem('MANIFEST_INVALID', MANIFEST_FILE, 'La liste des documents remis avec le contrat du manifeste est invalide.');
  const a = m.audit;
  if (!a || a.file !== AUDIT_EVENTS_FILE || !Number.isSafeInteger(a.fromSeq) || !Number.isSafeInteger(a.toSeq) || !Array.isArray(a.checkpoints) || typeof a.chainId !== 'string')
    problem('MANIFEST_INVALID', MANIFEST_FILE, 'La description du segment d’audit du manifeste est invalide.');
  return m;
}

/**
 * The audit segment, line by line: consecutive numbers, each event linked to the previous one,
 * each hash recomputed, each signed head it contains matched, and its last event the last signed
 * head (the manifest signature vouches for those records: their HMAC needs the server's secret).
 */
class ChainCheck {
  count = 0;
  /**
   * The files each version of the segment was handed over with, as its `document_version.requested`
   * event recorded them (key as annexAuditKey writes it → SHA-256, null: none): version id → them.
   */
  readonly requested = new Map<string, { documentId: string; number: number; annexes: Map<string, string | null> }>();
  private readonly signed = new Map<number, string[]>();
  private expectedSeq: number;
  private prev: string;
  private firstProblem: ArchiveProblem | null = null;

  constructor(private readonly m: Manifest) {
    for (const c of m.audit.checkpoints) this.signed.set(c.seq, [...(this.signed.get(c.seq) ?? []), c.hash]);
    this.expectedSeq = m.audit.fromSeq;
    this.prev = m.audit.firstPrevHash;
  }

  private fail(code: ArchiveProblemCode, message: string): void {
    this.firstProblem ??= { code, file: this.m.audit.file, message };
  }

  line(text: string): void {
    if (this.firstProblem || text === '') return; // the rest is still read: the file's hash is checked first
    const a = this.m.audit;
    let e: { seq: number; prevHash: string; hash: string; chainId: string; actorType: string; actorId: string | null; action: string; subjectType: string | null; subjectId: string | null; payload: Record<string, unknown>; occurredAt: string };
    try {
      e = JSON.parse(text);
    } catch {
      return this.fail('CHAIN_LINK_BROKEN', `Ligne ${this.count + 1} illisible.`);
    }
    if (e.seq !== this.expectedSeq) return this.fail('CHAIN_LINK_BROKEN', `Événement n° ${this.expectedSeq} attendu, n° ${e.seq} trouvé : la chaîne est interrompue.`);
    if (e.prevHash !== this.prev || e.chainId !== a.chainId) return this.fail('CHAIN_LINK_BROKEN', `L’événement n° ${e.seq} ne suit pas l’événement précédent (lien rompu).`);
    if (eventHash(e.prevHash, { ...e, occurredAt: new Date(e.occurredAt) }) !== e.hash)
      return this.fail('EVENT_HASH_MISMATCH', `L’événement n° ${e.seq} a été modifié : son empreinte recalculée diffère.`);
    if ((this.signed.get(e.seq) ?? []).some((h) => h !== e.hash))
      return this.fail('CHECKPOINT_MISMATCH', `L’événement n° ${e.seq} ne correspond pas à la tête de chaîne signée par le point de contrôle.`);
    this.prev = e.hash;
    this.expectedSeq++;
    this.count++;
    const annexes = e.action === 'document_version.requested' && e.subjectId ? annexAuditMap(e.payload?.annexes) : null;
    if (annexes) this.requested.set(e.subjectId!, { documentId: String(e.payload.documentId), number: Number(e.payload.number), annexes });
  }

  finish(rest: string): ArchiveProblem | null {
    this.line(rest);
    if (this.firstProblem) return this.firstProblem;
    const a = this.m.audit;
    if (this.count !== a.events || this.expectedSeq - 1 !== a.toSeq || this.prev !== a.headHash)
      return { code: 'CHAIN_LINK_BROKEN', file: a.file, message: `Le segment s’arrête au n° ${this.expectedSeq - 1}, le manifeste l’annonce jusqu’au n° ${a.toSeq} : des événements manquent.` };
    const last = a.checkpoints[a.checkpoints.length - 1];
    if (!last || last.seq !== a.toSeq || last.hash !== a.headHash)
      return { code: 'SEGMENT_NOT_COVERED', file: a.file, message: 'Le segment ne se termine pas sur une tête de chaîne signée par un point de contrôle.' };
    return null;
  }
}

// ---- yauzl, promisified --------------------------------------------------------------------------

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (err, zip) =>
      err || !zip ? reject(new ArchiveUnreadableError(`Paquet illisible : ${err?.message ?? 'zip invalide'}`)) : resolve(zip),
    ),
  );
}

/** The central directory only (names and sizes): entries' contents are read later, one at a time. */
function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) out.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(out));
    zip.once('error', (e: Error) => reject(new ArchiveUnreadableError(`Paquet illisible : ${e.message}`)));
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream))));
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  if (entry.uncompressedSize > max) problem('MANIFEST_INVALID', entry.fileName, 'Fichier trop volumineux.');
  const chunks: Buffer[] = [];
  try {
    for await (const c of await openEntry(zip, entry)) chunks.push(c as Buffer);
  } catch (e) {
    problem(entry.fileName === MANIFEST_SIGNATURE_FILE ? 'MANIFEST_SIGNATURE_INVALID' : 'MANIFEST_INVALID', entry.fileName, `Illisible dans le zip (${(e as Error).message}).`);
  }
  return Buffer.concat(chunks);
}

/** Whether an evidence file (JSON) records its seal's TSA as declared qualified (sealTime.qualified); false when unreadable or older. */
function qualifiedIn(text: string | undefined): boolean {
  try {
    const e = text ? (JSON.parse(text) as { sealTime?: { source?: string; qualified?: unknown } }) : null;
    return e?.sealTime?.source === 'tsa' && e.sealTime.qualified === true;
  } catch {
    return false;
  }
}
