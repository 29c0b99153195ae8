import { Injectable } from '@nestjs/common';
import { ExistingTariffAvenant, PendingTariffAvenant, SignedContract, SignedTariffAvenant, TARIFF_AVENANT_CLOSED_STATUSES, TariffPrices, tariffAvenantOn } from './bulk/tariff-avenant';
import { EntityManager, In } from 'typeorm';
import { DocumentEntity, DocumentStatus, DocumentVersionEntity, RenditionEntity, VersionStatus } from './documents.entities';
import { SUPERSEDABLE_CONTRACT_STATUSES, contractAdmissionSql, supersedingContractIdSql } from './superseded-contract';

/** The standard PDF of a version: what a signature request shows and signs. */
export interface SignableVersion {
  versionId: string;
  status: VersionStatus;
  inputHash: string;
  pdfSha256: string;
}

/** What rendering a version again needs (the portal's reading view, the seal). */
export type VersionInput = Pick<DocumentVersionEntity, 'id' | 'templateId' | 'templateVersion' | 'input'>;
/** A version as the worker generates it (DocumentsRepository.versionToGenerate). */
export type VersionToGenerate = Pick<DocumentVersionEntity, 'id' | 'organisationId' | 'documentId' | 'status' | 'templateId' | 'templateVersion' | 'templateHash' | 'inputHash' | 'input'>;

// contractAdmissionSql (superseded-contract.ts): the admission a contract is made for — as text, as node-postgres reads a `date`; CONTRACT_IN_FORCE_SQL, otherContractsOfAdmission and supersededContractSql compare contracts with it.

/**
 * A resident's contract state, read with her file by a document's creation, its preview and the
 * console's list of types (DocumentsService FILE_FOR_A_NEW_DOCUMENT, libs/residents
 * readResidentFileWith, over the resident `r`: issue 12, it was a statement of its own):
 * - CONTRACT_REFUSED_SQL: whether a contrat de séjour of the resident was refused (the DIPC is then
 *   required, CASF D.311);
 * - CONTRACT_IN_FORCE_SQL: the contract of this admission that is neither refused nor cancelled —
 *   `signed`, else `in_progress`, else NULL — the one a second contract would duplicate (CASF
 *   L.311-4: amended by avenant). A contract made for another admission date (a new admission on
 *   the same file) does not count. The admission date as node-postgres reads a `date`: its text.
 */
export const CONTRACT_REFUSED_SQL = `EXISTS (SELECT 1 FROM documents WHERE resident_id = r.id AND type = 'contrat-sejour' AND status = 'refused')`;
export const CONTRACT_IN_FORCE_SQL = `SELECT CASE WHEN d.status = 'signed' THEN 'signed' ELSE 'in_progress' END
                 FROM documents d LEFT JOIN document_versions v ON v.id = d.current_version_id
                WHERE d.resident_id = r.id AND d.type = 'contrat-sejour' AND d.status NOT IN ('refused', 'cancelled')
                  AND ${contractAdmissionSql('v', 'r')} = r.admission_date::text
                ORDER BY (d.status = 'signed') DESC, d.updated_at DESC LIMIT 1`;

/**
 * Reads of documents, versions and renditions. Other libs (signing) read these tables only through
 * these methods (exported by DocumentsModule), never with their own SQL.
 */
@Injectable()
export class DocumentsRepository {
  findById(em: EntityManager, id: string): Promise<DocumentEntity | null> {
    return em.findOne(DocumentEntity, { where: { id } });
  }

  findScoped(em: EntityManager, organisationId: string, establishmentIds: string[], id: string): Promise<DocumentEntity | null> {
    if (!establishmentIds.length) return Promise.resolve(null);
    return em.findOne(DocumentEntity, { where: { id, organisationId, establishmentId: In(establishmentIds) } });
  }

  list(em: EntityManager, organisationId: string, establishmentIds: string[], residentId?: string): Promise<DocumentEntity[]> {
    if (!establishmentIds.length) return Promise.resolve([]);
    return em.find(DocumentEntity, {
      where: { organisationId, establishmentId: In(establishmentIds), ...(residentId ? { residentId } : {}) },
      order: { createdAt: 'DESC' },
      take: 500,
    });
  }

  /**
   * Of these documents, the contrats de séjour not sent (or abandoned) superseded by a signed contract
   * of their stay (superseded-contract.ts), each with that contract's id: one statement for a list.
   */
  async supersedingContracts(em: EntityManager, documentIds: string[]): Promise<Map<string, string>> {
    if (!documentIds.length) return new Map();
    const rows = (await em.query(
      `SELECT d.id, ${supersedingContractIdSql('d')} AS by FROM documents d
        WHERE d.id = ANY($1::uuid[]) AND d.type = 'contrat-sejour' AND d.status = ANY($2::text[])`,
      [documentIds, SUPERSEDABLE_CONTRACT_STATUSES],
    )) as { id: string; by: string | null }[];
    return new Map(rows.filter((r) => r.by).map((r) => [r.id, r.by!]));
  }

  versionsOf(em: EntityManager, documentId: string): Promise<DocumentVersionEntity[]> {
    return em.find(DocumentVersionEntity, {
      where: { documentId },
      order: { number: 'ASC' },
      // Not the input (the care details, large); the annexes recorded (ids and hashes): the archive and « Vérifier à nouveau » read them.
      select: ['id', 'documentId', 'organisationId', 'number', 'reason', 'status', 'templateId', 'templateVersion', 'templateHash', 'rendererVersion', 'inputHash', 'annexes', 'errorCode', 'createdBy', 'createdAt', 'generatedAt'],
    });
  }

  findVersion(em: EntityManager, documentId: string, versionId: string): Promise<DocumentVersionEntity | null> {
    return em.findOne(DocumentVersionEntity, { where: { id: versionId, documentId } });
  }

  findVersionById(em: EntityManager, versionId: string): Promise<DocumentVersionEntity | null> {
    return em.findOne(DocumentVersionEntity, { where: { id: versionId } });
  }

  /**
   * What the worker needs to generate a version, in one plain query (issue 12: the entity's
   * hydration was a measurable share of the worker's main thread per document).
   */
  async versionToGenerate(em: EntityManager, versionId: string): Promise<VersionToGenerate | null> {
    const [r] = (await em.query(
      `SELECT id, organisation_id, document_id, status, template_id, template_version, template_hash, input_hash, input FROM document_versions WHERE id = $1`,
      [versionId],
    )) as { id: string; organisation_id: string; document_id: string; status: VersionStatus; template_id: string; template_version: string; template_hash: string; input_hash: string; input: Record<string, unknown> }[];
    return r
      ? {
          id: r.id,
          organisationId: r.organisation_id,
          documentId: r.document_id,
          status: r.status,
          templateId: r.template_id,
          templateVersion: r.template_version,
          templateHash: r.template_hash,
          inputHash: r.input_hash,
          input: r.input,
        }
      : null;
  }

  versionInput(em: EntityManager, versionId: string): Promise<VersionInput | null> {
    return em.findOne(DocumentVersionEntity, { where: { id: versionId }, select: ['id', 'templateId', 'templateVersion', 'input'] });
  }

  /** The version with its standard PDF rendition, or null when it has none (not generated). */
  async signableVersion(em: EntityManager, versionId: string): Promise<SignableVersion | null> {
    const [row] = (await em.query(
      `SELECT v.id, v.input_hash, v.status, r.blob_sha256 AS pdf FROM document_versions v
         JOIN renditions r ON r.version_id = v.id AND r.format = 'pdf' AND r.variant = 'standard' WHERE v.id = $1`,
      [versionId],
    )) as { id: string; input_hash: string; status: VersionStatus; pdf: string }[];
    return row ? { versionId: row.id, status: row.status, inputHash: row.input_hash, pdfSha256: row.pdf } : null;
  }

  renditionsOf(em: EntityManager, versionIds: string[]): Promise<RenditionEntity[]> {
    if (!versionIds.length) return Promise.resolve([]);
    return em.find(RenditionEntity, { where: { versionId: In(versionIds) }, order: { format: 'ASC', variant: 'ASC' } });
  }

  findRendition(em: EntityManager, versionId: string, format: string, variant: string): Promise<RenditionEntity | null> {
    return em.findOne(RenditionEntity, { where: { versionId, format: format as RenditionEntity['format'], variant: variant as RenditionEntity['variant'] } });
  }

  /**
   * Documents of an archive package (libs/archive), oldest first: one document, a resident's, or an
   * establishment's created in [createdFrom, createdTo).
   */
  archiveDocuments(
    em: EntityManager,
    scope: { documentId?: string; residentId?: string; establishmentId?: string; createdFrom?: Date; createdTo?: Date },
  ): Promise<DocumentEntity[]> {
    const qb = em.createQueryBuilder(DocumentEntity, 'd').orderBy('d.created_at', 'ASC').addOrderBy('d.id', 'ASC');
    if (scope.documentId) qb.andWhere('d.id = :documentId', { documentId: scope.documentId });
    if (scope.residentId) qb.andWhere('d.resident_id = :residentId', { residentId: scope.residentId });
    if (scope.establishmentId) qb.andWhere('d.establishment_id = :establishmentId', { establishmentId: scope.establishmentId });
    if (scope.createdFrom) qb.andWhere('d.created_at >= :createdFrom', { createdFrom: scope.createdFrom });
    if (scope.createdTo) qb.andWhere('d.created_at < :createdTo', { createdTo: scope.createdTo });
    return qb.getMany();
  }

  async nextVersionNumber(em: EntityManager, documentId: string): Promise<number> {
    const [{ n }] = (await em.query(`SELECT COALESCE(max(number), 0) + 1 AS n FROM document_versions WHERE document_id = $1`, [documentId])) as { n: number }[];
    return Number(n);
  }

  async lockDocument(em: EntityManager, id: string): Promise<DocumentEntity | null> {
    return em.createQueryBuilder(DocumentEntity, 'd').setLock('pessimistic_write').where('d.id = :id', { id }).getOne();
  }

  async residentHasRefusedContract(em: EntityManager, residentId: string): Promise<boolean> {
    // A plain EXISTS, not em.count: checked on every document created (issue 12, TypeORM's count builder per request).
    const [{ refused }] = (await em.query(`SELECT EXISTS (SELECT 1 FROM documents WHERE resident_id = $1 AND type = 'contrat-sejour' AND status = 'refused') AS refused`, [residentId])) as {
      refused: boolean;
    }[];
    return refused;
  }

  /**
   * The other contrats de séjour of the admission a contract is made for, neither refused nor
   * cancelled, the signed ones first: CASF L.311-4 and D.311, one contract per stay, amended by
   * avenant — what a second one would duplicate. The admission is the date its current version's
   * data name (`resident.admissionDate`, else the file's), or `admissionDate` when given (the
   * version about to be made: a correction takes the file's date at that moment). A contract of
   * another admission (the same file readmitted) does not count.
   */
  async otherContractsOfAdmission(em: EntityManager, documentId: string, admissionDate?: string): Promise<{ id: string; status: DocumentStatus }[]> {
    return (await em.query(
      `WITH x AS (SELECT d.id, d.resident_id, COALESCE($2::text, ${contractAdmissionSql('v', 'r')}) AS admission
                    FROM documents d JOIN residents r ON r.id = d.resident_id LEFT JOIN document_versions v ON v.id = d.current_version_id
                   WHERE d.id = $1)
       SELECT o.id, o.status
         FROM x JOIN documents o ON o.resident_id = x.resident_id AND o.id <> x.id AND o.type = 'contrat-sejour' AND o.status NOT IN ('refused', 'cancelled')
         JOIN residents r ON r.id = o.resident_id LEFT JOIN document_versions ov ON ov.id = o.current_version_id
        WHERE ${contractAdmissionSql('ov', 'r')} = x.admission
        ORDER BY (o.status = 'signed') DESC, o.created_at, o.id`,
      [documentId, admissionDate ?? null],
    )) as { id: string; status: DocumentStatus }[];
  }

  /**
   * Each resident's latest signed contrat de séjour or DIPC: its type, signature day (Paris: the
   * completed request's close, else the document's last change) and, with `withInput`, its data.
   * An avenant modifies a concluded contract (CASF L.311-4): no avenant without one.
   *
   * With `tariffOn` (a new tariff avenant's effective date), each contract also carries the price
   * in force on that date (CASF L.342-3, the base of the year's variation): the latest signed
   * tariff avenant taking effect before it, and the latest one still awaiting signature after that
   * one (`SignedContract.lastTariffAvenant`, `pendingTariffAvenant`); and the latest signed one
   * taking effect before 1 January of that date's year, in force on 31 December before it (the
   * base of the yearly percentage, `yearBaseTariffAvenant`). `exceptDocumentId`, the avenant being
   * corrected, is none of them.
   */
  async signedContracts(
    em: EntityManager,
    organisationId: string,
    residentIds: string[],
    withInput = true,
    tariffOn?: { effectiveOn: string; exceptDocumentId?: string },
  ): Promise<Map<string, SignedContract>> {
    const out = new Map<string, SignedContract>();
    if (!residentIds.length) return out;
    const rows = (await em.query(
      `SELECT DISTINCT ON (d.resident_id) d.resident_id, d.type, ${withInput ? 'v.input' : 'NULL AS input'},
              to_char(COALESCE((SELECT max(r.closed_at) FROM signature_requests r WHERE r.document_id = d.id AND r.status = 'completed'), d.updated_at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS signed_on
         FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.organisation_id = $1 AND d.resident_id = ANY($2::uuid[]) AND d.type IN ('contrat-sejour', 'dipc') AND d.status = 'signed'
        ORDER BY d.resident_id, d.updated_at DESC`,
      [organisationId, residentIds],
    )) as { resident_id: string; type: 'contrat-sejour' | 'dipc'; input: Record<string, unknown>; signed_on: string }[];
    for (const r of rows) out.set(r.resident_id, { type: r.type, signedOn: r.signed_on, input: r.input });
    if (tariffOn && out.size) {
      const { signed, pending } = await this.tariffAvenantsBefore(em, organisationId, [...out.keys()], tariffOn.effectiveOn, tariffOn.exceptDocumentId);
      const later = await this.tariffAvenantsAfter(em, organisationId, [...out.keys()], tariffOn.effectiveOn, tariffOn.exceptDocumentId);
      // CASF L.342-3: the yearly percentage is on the price in force on 31 December of the previous year.
      const newYear = `${tariffOn.effectiveOn.slice(0, 4)}-01-01`;
      const yearBase = newYear < tariffOn.effectiveOn ? (await this.tariffAvenantsBefore(em, organisationId, [...out.keys()], newYear, tariffOn.exceptDocumentId)).signed : signed;
      for (const [residentId, c] of out) {
        c.laterTariffAvenant = later.get(residentId) ?? null;
        const last = signed.get(residentId) ?? null;
        const waiting = pending.get(residentId) ?? null;
        c.lastTariffAvenant = last;
        c.yearBaseTariffAvenant = yearBase.get(residentId) ?? null;
        // Only one taking effect after the last signed one changes the price in force: an older
        // one left unsigned is superseded by it (ISO dates compare as text).
        c.pendingTariffAvenant = waiting && (!last || waiting.effectiveOn > last.effectiveOn) ? waiting : null;
      }
    }
    return out;
  }

  /**
   * Each resident's tariff avenants taking effect before `effectiveOn` (ordered by effective date,
   * not by creation: an avenant made late for an earlier date is still the earlier one): the
   * latest signed (its new prices are in force, CASF L.342-3) and the latest neither signed nor
   * closed (awaiting its signature). Refused and cancelled ones never took effect.
   */
  private async tariffAvenantsBefore(
    em: EntityManager,
    organisationId: string,
    residentIds: string[],
    effectiveOn: string,
    exceptDocumentId?: string,
  ): Promise<{ signed: Map<string, SignedTariffAvenant>; pending: Map<string, PendingTariffAvenant> }> {
    const rows = (await em.query(
      `SELECT DISTINCT ON (d.resident_id, d.status = 'signed') d.resident_id, d.id, d.status, d.created_at,
              v.input #>> '{document,tariffChange,effectiveOn}' AS effective_on, v.input #> '{document,tariffChange,prices}' AS prices
         FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.organisation_id = $1 AND d.resident_id = ANY($2::uuid[]) AND d.type = 'avenant' AND d.status <> ALL($4::text[])
          AND v.input #>> '{document,purpose}' = 'tarifs' AND v.input #>> '{document,tariffChange,effectiveOn}' < $3
          AND ($5::uuid IS NULL OR d.id <> $5::uuid)
        ORDER BY d.resident_id, d.status = 'signed', v.input #>> '{document,tariffChange,effectiveOn}' DESC, d.updated_at DESC`,
      [organisationId, residentIds, effectiveOn, TARIFF_AVENANT_CLOSED_STATUSES, exceptDocumentId ?? null],
    )) as { resident_id: string; id: string; status: string; created_at: Date; effective_on: string; prices: TariffPrices | null }[];
    const signed = new Map<string, SignedTariffAvenant>();
    const pending = new Map<string, PendingTariffAvenant>();
    for (const r of rows) {
      if (r.status === 'signed')
        signed.set(r.resident_id, { documentId: r.id, effectiveOn: r.effective_on, prices: r.prices ?? { hebergementPerDay: null, dependanceGir56PerDay: null, totalPerDay: null } });
      else pending.set(r.resident_id, { documentId: r.id, effectiveOn: r.effective_on, createdAt: r.created_at, status: r.status });
    }
    return { signed, pending };
  }

  /**
   * Each resident's earliest tariff avenant taking effect after `effectiveOn`, signed or awaiting
   * its signature (refused and cancelled ones never took effect); `exceptDocumentId`, the avenant
   * being corrected, is not one.
   */
  private async tariffAvenantsAfter(em: EntityManager, organisationId: string, residentIds: string[], effectiveOn: string, exceptDocumentId?: string): Promise<Map<string, PendingTariffAvenant>> {
    const rows = (await em.query(
      `SELECT DISTINCT ON (d.resident_id) d.resident_id, d.id, d.status, d.created_at, v.input #>> '{document,tariffChange,effectiveOn}' AS effective_on
         FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.organisation_id = $1 AND d.resident_id = ANY($2::uuid[]) AND d.type = 'avenant' AND d.status <> ALL($4::text[])
          AND v.input #>> '{document,purpose}' = 'tarifs' AND v.input #>> '{document,tariffChange,effectiveOn}' > $3
          AND ($5::uuid IS NULL OR d.id <> $5::uuid)
        ORDER BY d.resident_id, v.input #>> '{document,tariffChange,effectiveOn}', d.created_at`,
      [organisationId, residentIds, effectiveOn, TARIFF_AVENANT_CLOSED_STATUSES, exceptDocumentId ?? null],
    )) as { resident_id: string; id: string; status: string; created_at: Date; effective_on: string }[];
    return new Map(rows.map((r) => [r.resident_id, { documentId: r.id, effectiveOn: r.effective_on, createdAt: r.created_at, status: r.status }]));
  }

  /** Whether the resident has a signed contrat de séjour or DIPC (an avenant needs one to amend, CASF L.311-4). */
  async hasSignedContract(em: EntityManager, organisationId: string, residentId: string): Promise<boolean> {
    return (await this.signedContracts(em, organisationId, [residentId], false)).has(residentId);
  }

  /**
   * Each resident's tariff avenant taking effect on `effectiveOn` whose document is not closed
   * (TARIFF_AVENANT_CLOSED_STATUSES; its current version says so), whatever made it — a bulk run or
   * one by one: resident id → the oldest. The one check of « one tariff avenant per resident and
   * effective date », for the bulk candidates and worker and for DocumentsService.create; and for
   * its correction (addVersion), leaving out `exceptDocumentId`, the avenant being corrected.
   */
  async tariffAvenantsOn(em: EntityManager, organisationId: string, residentIds: string[], effectiveOn: string, exceptDocumentId?: string): Promise<Map<string, ExistingTariffAvenant>> {
    if (!residentIds.length) return new Map();
    const rows = (await em.query(
      `SELECT DISTINCT ON (d.resident_id) d.resident_id, d.id, d.created_at FROM documents d JOIN document_versions v ON v.id = d.current_version_id
        WHERE d.organisation_id = $1 AND d.resident_id = ANY($2::uuid[]) AND d.type = 'avenant' AND d.status <> ALL($4::text[]) AND ${tariffAvenantOn('v', '$3')}
          AND ($5::uuid IS NULL OR d.id <> $5::uuid)
        ORDER BY d.resident_id, d.created_at`,
      [organisationId, residentIds, effectiveOn, TARIFF_AVENANT_CLOSED_STATUSES, exceptDocumentId ?? null],
    )) as { resident_id: string; id: string; created_at: Date }[];
    return new Map(rows.map((r) => [r.resident_id, { documentId: r.id, createdAt: r.created_at }]));
  }

  /**
   * Locks the resident's row until the transaction ends (FOR NO KEY UPDATE: the file's readers and
   * its foreign keys are not held up), so that the tariff avenant check then made sees any avenant
   * another transaction was creating for them: it has committed by then. False: no such resident.
   */
  async lockResident(em: EntityManager, organisationId: string, residentId: string): Promise<boolean> {
    const rows = (await em.query(`SELECT id FROM residents WHERE id = $1 AND organisation_id = $2 FOR NO KEY UPDATE`, [residentId, organisationId])) as { id: string }[];
    return rows.length > 0;
  }

  /**
   * Whether this version of an avenant is the first avenant of CASF D.311 (« un avenant précise
   * dans le délai maximum de six mois les objectifs et les prestations adaptées à la personne »):
   * an accompaniment avenant, while the resident has no signed one yet. A tariff avenant (new
   * daily prices, CASF L.342-3 or L.314-1) neither is one nor takes its place.
   */
  async isFirstAccompanimentAvenant(em: EntityManager, organisationId: string, residentId: string, versionId: string): Promise<boolean> {
    const [row] = (await em.query(
      `SELECT ${accompanimentAvenant('v')} AS accompaniment,
              EXISTS (SELECT 1 FROM documents d JOIN document_versions sv ON sv.id = d.current_version_id
                       WHERE d.organisation_id = $2 AND d.resident_id = $3 AND d.type = 'avenant' AND d.status = 'signed' AND ${accompanimentAvenant('sv')}) AS signed_before
         FROM document_versions v WHERE v.id = $1`,
      [versionId, organisationId, residentId],
    )) as { accompaniment: boolean; signed_before: boolean }[];
    return !!row && row.accompaniment && !row.signed_before;
  }
}

/**
 * SQL: the avenant version aliased `v` is an accompaniment avenant (objectives and services, CASF
 * D.311), not a tariff one. Versions of templates before 1.3.0 have no purpose: all were.
 */
export function accompanimentAvenant(v: string): string {
  return `coalesce(${v}.input #>> '{document,purpose}', 'accompagnement') = 'accompagnement'`;
}
