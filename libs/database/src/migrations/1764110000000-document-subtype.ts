import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `documents.subtype`: what an avenant amends, for the name people read (@carepact/common
 * DocumentSubtype, documentTypeLabel). An avenant to a DIPC is « avenant au document individuel de
 * prise en charge (DIPC) » (CASF D.311 VII), the annex on the freedom to come and go « annexe au
 * contrat de séjour sur la liberté d’aller et venir » (CASF L.311-4-1 I), not « avenant au contrat
 * de séjour ». Null: the type's own name.
 *
 * On the document rather than read from its current version's data: lists (« À faire », a person's
 * documents, the archive, retention) name it without reading the data, which the intermediate
 * archive refuses (libs/documents intermediate-archive.ts), and without a join to the versions.
 * DocumentsService writes it with each version, from that version's data (documentSubtypeOf).
 *
 * The documents created before: the same rule on their current version's data (liberty first, as
 * the avenant template's title; avenant 1.1.0 on for `appliesTo`, 1.4.0 on for the liberty
 * `purpose`; before, an avenant amends the contract: null).
 */
export class DocumentSubtype1764110000000 implements MigrationInterface {
  name = 'DocumentSubtype1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "documents" ADD COLUMN "subtype" text`);
    await q.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "ck_documents_subtype" CHECK (subtype IS NULL OR (type = 'avenant' AND subtype IN ('avenant-dipc', 'annexe-liberte-aller-venir')))`,
    );
    await q.query(
      `UPDATE documents d
          SET subtype = CASE WHEN v.input #>> '{document,purpose}' = 'liberte-aller-venir' THEN 'annexe-liberte-aller-venir'
                             WHEN v.input #>> '{document,appliesTo}' = 'dipc' THEN 'avenant-dipc' END
         FROM document_versions v
        WHERE v.id = d.current_version_id AND d.type = 'avenant'
          AND (v.input #>> '{document,purpose}' = 'liberte-aller-venir' OR v.input #>> '{document,appliesTo}' = 'dipc')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "documents" DROP CONSTRAINT "ck_documents_subtype"`);
    await q.query(`ALTER TABLE "documents" DROP COLUMN "subtype"`);
  }
}
