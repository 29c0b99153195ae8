import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `documents.subtype` for the tariff avenant (@carepact/common DocumentSubtype, documentSubtypeOf):
 * `avenant-tarifaire` (to the contrat de séjour) and `avenant-tarifaire-dipc` (to a DIPC). The new
 * prices per day — the yearly revalorisation within the arrêté's percentage (CASF L.342-3), or the
 * departmental tariff (CASF L.314-1) — are « avenant tarifaire au contrat de séjour », apart from the
 * accompaniment avenant on the objectives and services (CASF L.311-4, D.311), which keeps « avenant
 * au contrat de séjour »: the resident's file, the history, « À faire », the e-mails and the
 * Archives/Conservation lists named a person's two avenants of one year alike.
 *
 * The documents created before: the same rule on their current version's data (avenant 1.3.0 on:
 * `document.purpose == 'tarifs'`; `appliesTo == 'dipc'` for the DIPC), the liberty annex first as in
 * documentSubtypeOf (its check refuses a DIPC, so it is never a tariff avenant).
 * `down` names them back as 1764110000000 did (to a DIPC: `avenant-dipc`; else null) before the
 * narrower check.
 */
export class TariffAvenantSubtype1764150000000 implements MigrationInterface {
  name = 'TariffAvenantSubtype1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "documents" DROP CONSTRAINT "ck_documents_subtype"`);
    await q.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "ck_documents_subtype" CHECK (subtype IS NULL OR (type = 'avenant' AND subtype IN ('avenant-dipc', 'annexe-liberte-aller-venir', 'avenant-tarifaire', 'avenant-tarifaire-dipc')))`,
    );
    await q.query(
      `UPDATE documents d
          SET subtype = CASE WHEN v.input #>> '{document,appliesTo}' = 'dipc' THEN 'avenant-tarifaire-dipc' ELSE 'avenant-tarifaire' END
         FROM document_versions v
        WHERE v.id = d.current_version_id AND d.type = 'avenant'
          AND v.input #>> '{document,purpose}' = 'tarifs'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE documents SET subtype = 'avenant-dipc' WHERE subtype = 'avenant-tarifaire-dipc'`);
    await q.query(`UPDATE documents SET subtype = NULL WHERE subtype = 'avenant-tarifaire'`);
    await q.query(`ALTER TABLE "documents" DROP CONSTRAINT "ck_documents_subtype"`);
    await q.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "ck_documents_subtype" CHECK (subtype IS NULL OR (type = 'avenant' AND subtype IN ('avenant-dipc', 'annexe-liberte-aller-venir')))`,
    );
  }
}
