import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EstablishmentAnnexFileEntity, VersionAnnex } from './annex-files.entities';

/** Files of the documents handed over with the contract (establishment_annex_files): reads and the one insert. */
@Injectable()
export class AnnexFilesRepository {
  /** Every file published for the establishment, newest first within each key (effective day, then publication). */
  all(em: EntityManager, organisationId: string, establishmentId: string): Promise<EstablishmentAnnexFileEntity[]> {
    return em.find(EstablishmentAnnexFileEntity, {
      where: { organisationId, establishmentId },
      order: { kind: 'ASC', effectiveOn: 'DESC', publishedAt: 'DESC' },
    });
  }

  findById(em: EntityManager, organisationId: string, id: string): Promise<EstablishmentAnnexFileEntity | null> {
    return em.findOne(EstablishmentAnnexFileEntity, { where: { id, organisationId } });
  }

  /**
   * The current file of each key on `on` (YYYY-MM-DD): the one whose effective day is the latest
   * not after `on`, the last published when two take effect the same day. A key with no file in
   * effect is absent from the map.
   */
  async current(em: EntityManager, establishmentId: string, keys: string[], on: string): Promise<Map<string, EstablishmentAnnexFileEntity>> {
    if (!keys.length) return new Map();
    const rows = (await em.query(
      `SELECT DISTINCT ON (kind) ${COLUMNS}
         FROM establishment_annex_files
        WHERE establishment_id = $1 AND kind = ANY($2) AND effective_on <= $3
        ORDER BY kind, effective_on DESC, published_at DESC`,
      [establishmentId, keys, on],
    )) as Record<string, unknown>[];
    return new Map(rows.map((r) => [String(r.kind), fromRow(r)]));
  }

  /**
   * What a document version records of the annexes handed over with it: each key of the
   * establishment, in its order, with its label, the day `on` and the file current that day (or none).
   */
  async versionRecord(em: EntityManager, establishmentId: string, keys: string[], on: string, label: (key: string) => string): Promise<VersionAnnex[]> {
    const current = await this.current(em, establishmentId, keys, on);
    return keys.map((key) => {
      const f = current.get(key);
      return {
        key,
        label: label(key),
        inForceOn: on,
        file: f ? { id: f.id, versionLabel: f.versionLabel, effectiveOn: f.effectiveOn, sha256: f.blobSha256, byteSize: f.byteSize, publishedAt: f.publishedAt.toISOString() } : null,
      };
    });
  }

  /**
   * The version of `kind` that takes effect last (the last published among those of that day), or
   * null before the first: a new version may not take effect before it (AnnexFilesService). Locks
   * the key until `em`'s transaction ends, so that two publications of the same key are checked one
   * after the other.
   */
  async latestUnderLock(em: EntityManager, establishmentId: string, kind: string): Promise<EstablishmentAnnexFileEntity | null> {
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`annex-file:${establishmentId}:${kind}`]);
    const rows = (await em.query(
      `SELECT ${COLUMNS}
         FROM establishment_annex_files
        WHERE establishment_id = $1 AND kind = $2
        ORDER BY effective_on DESC, published_at DESC
        LIMIT 1`,
      [establishmentId, kind],
    )) as Record<string, unknown>[];
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** What a version recorded (document_versions.annexes): null for a type that hands nothing over, or a version older than the record. */
  async ofVersion(em: EntityManager, versionId: string): Promise<VersionAnnex[] | null> {
    const rows = (await em.query(`SELECT annexes FROM document_versions WHERE id = $1`, [versionId])) as { annexes: VersionAnnex[] | null }[];
    return rows[0]?.annexes ?? null;
  }

  async insert(em: EntityManager, row: Omit<EstablishmentAnnexFileEntity, 'id'>): Promise<EstablishmentAnnexFileEntity> {
    const entity = em.create(EstablishmentAnnexFileEntity, row);
    await em.insert(EstablishmentAnnexFileEntity, entity);
    return entity;
  }
}

/** The columns `fromRow` reads (a date column comes back as 'YYYY-MM-DD': data-source.ts). */
const COLUMNS = 'id, organisation_id, establishment_id, kind, version_label, effective_on, blob_sha256, byte_size, page_count, published_by, published_by_name, published_at';

function fromRow(r: Record<string, unknown>): EstablishmentAnnexFileEntity {
  return {
    id: r.id as string,
    organisationId: r.organisation_id as string,
    establishmentId: r.establishment_id as string,
    kind: r.kind as string,
    versionLabel: r.version_label as string,
    effectiveOn: r.effective_on as string,
    blobSha256: r.blob_sha256 as string,
    byteSize: Number(r.byte_size),
    pageCount: Number(r.page_count),
    publishedBy: (r.published_by as string | null) ?? null,
    publishedByName: r.published_by_name as string,
    publishedAt: r.published_at as Date,
  };
}
