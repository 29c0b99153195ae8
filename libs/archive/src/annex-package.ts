import { BlobStore, VersionAnnex } from '@carepact/documents';
import { OTHER_PARENT_LEGAL_BASIS, OtherParentInformedEntity, SoleSignatureAuthorisationEntity, soleSignatureLaw } from '@carepact/signing';
import { EntityManager } from 'typeorm';
import type { ManifestAnnex } from './archive.types';
import { StreamingZip } from './zip-writer';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The documents handed over with each contract version (CASF L.311-4: livret d'accueil, règlement
 * de fonctionnement, charte…) written into a package, as the version recorded them
 * (document_versions.annexes): each PDF once, under `<dir>/<sha256>.pdf` (content-addressed: the
 * livret handed over with fifty contracts is one file), and one manifest entry per version and key
 * that had a file. A key without a file (« aucun fichier déposé ») stays in the version's record,
 * in its document.json. For the archive package (`annexes/`) and the access request
 * (`documents-remis/`).
 */
export class AnnexPackager {
  readonly entries: ManifestAnnex[] = [];
  /** SHA-256 → path of the file already in the package. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly zip: StreamingZip,
    private readonly blobs: BlobStore,
    private readonly dir: string,
  ) {}

  /** How many annex PDFs the package holds. */
  get files(): number {
    return this.written.size;
  }

  async addVersion(em: EntityManager, documentId: string, version: { id: string; number: number; annexes: VersionAnnex[] | null }): Promise<void> {
    for (const a of version.annexes ?? []) {
      if (!a.file) continue;
      const sha = a.file.sha256;
      if (!SHA256.test(sha)) throw new Error(`annex ${a.key} of version ${version.id}: invalid SHA-256 ${sha}`);
      let path = this.written.get(sha);
      if (!path) {
        // Read checked (BlobStore.get): a stored file that no longer matches its hash is not archived as if it did.
        const bytes = await this.blobs.get(em, sha);
        if (!bytes) throw new Error(`annex file ${a.file.id} of version ${version.id}: blob ${sha} missing`);
        path = `${this.dir}/${sha}.pdf`;
        await this.zip.add(path, bytes);
        this.written.set(sha, path);
      }
      this.entries.push({
        documentId,
        versionId: version.id,
        versionNumber: version.number,
        key: a.key,
        label: a.label,
        fileId: a.file.id,
        versionLabel: a.file.versionLabel,
        effectiveOn: a.file.effectiveOn,
        sha256: sha,
        size: a.file.byteSize,
        path,
      });
    }
  }
}

/** One judge's authorisation for the person to sign the document alone, as a package keeps it. */
export interface SoleSignatureRecord {
  id: string;
  /** The request her assistant refused to assist her on, the version it was on, and the measure it was refused under. */
  refusedRequestId: string;
  versionId: string;
  measureId: string;
  court: string;
  decisionDate: string;
  reference: string;
  note: string | null;
  legalBasis: string;
  recordedBy: { userId: string | null; name: string };
  recordedAt: string;
}

/**
 * Every authorisation recorded on a document (C. civ. 469 al. 3: after her curateur refused his
 * assistance, the judge authorised her to sign alone; C. civ. 494-1 and 494-10 under an habilitation
 * familiale), oldest first: a correction is a new record,
 * the latest applies, and the package keeps them all. In the document's metadata of the archive
 * package and of the access request.
 */
export async function soleSignatureRecords(em: EntityManager, documentId: string): Promise<SoleSignatureRecord[]> {
  const rows = await em.find(SoleSignatureAuthorisationEntity, { where: { documentId }, order: { recordedAt: 'ASC', id: 'ASC' } });
  // The article depends on the measure: 469 al. 3 for a curatelle, 494-1 and 494-10 for an habilitation familiale.
  const types = new Map(
    ((rows.length ? await em.query(`SELECT id, type FROM protection_measures WHERE id = ANY ($1::uuid[])`, [rows.map((a) => a.measureId)]) : []) as { id: string; type: string }[]).map((m) => [
      m.id,
      m.type,
    ]),
  );
  return rows.map((a) => ({
    id: a.id,
    refusedRequestId: a.refusedRequestId,
    versionId: a.versionId,
    measureId: a.measureId,
    court: a.court,
    decisionDate: a.decisionDate,
    reference: a.reference,
    note: a.note,
    legalBasis: soleSignatureLaw(types.get(a.measureId)).basis,
    recordedBy: { userId: a.recordedBy, name: a.recordedByName },
    recordedAt: a.recordedAt.toISOString(),
  }));
}

/** A record that the other parent was informed of the document (C. civ. 373-2-1 al. 5), as the package keeps it. */
export interface OtherParentInformedRecord {
  id: string;
  versionId: string;
  informedOn: string;
  how: string;
  note: string | null;
  legalBasis: typeof OTHER_PARENT_LEGAL_BASIS;
  recordedBy: { userId: string | null; name: string };
  recordedAt: string;
}

/**
 * The records that the other parent was informed (C. civ. 373-2-1 al. 5), oldest first: they belong to
 * the document and go with it, in its archive package as in what its purge deletes.
 */
export async function otherParentInformedRecords(em: EntityManager, documentId: string): Promise<OtherParentInformedRecord[]> {
  const rows = await em.find(OtherParentInformedEntity, { where: { documentId }, order: { recordedAt: 'ASC', id: 'ASC' } });
  return rows.map((r) => ({
    id: r.id,
    versionId: r.versionId,
    informedOn: r.informedOn,
    how: r.how,
    note: r.note,
    legalBasis: OTHER_PARENT_LEGAL_BASIS,
    recordedBy: { userId: r.recordedBy, name: r.recordedByName },
    recordedAt: r.recordedAt.toISOString(),
  }));
}
