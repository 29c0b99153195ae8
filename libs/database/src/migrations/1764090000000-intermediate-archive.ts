import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intermediate archive and public archives (a sector lawyer's review, session 12).
 *
 * - `organisations.active_base_months`: how long after the end of the accompaniment a person's
 *   documents stay in the active base, where every member of staff with the role reads them; past
 *   it they are in « archive intermédiaire », opened only by a records manager who gives a reason
 *   (CNIL délibération n° 2021-028 du 11 mars 2021, référentiel accueil, hébergement et
 *   accompagnement social et médico-social, and n° 2023-095: access to the intermediate archive is
 *   restricted to persons with a specific need). Default 24 months (2 years after the last contact,
 *   as libs/archive retention-defaults.ts reads délib. 2023-095; the figure was not checked against
 *   the text here). 0 to 1200.
 * - `archive_access_grants`: each opening — who, for which person, why, until when. Write-once (the
 *   audit event `archive.opened` carries the SHA-256 of the reason). No foreign key: as
 *   `legal_holds`, a grant outlives the purge of the person it was about.
 * - `organisations.public_law`: a personne morale de droit public (établissement public autonome,
 *   CCAS, a commune's or a hospital's home…): its records are public archives (Code du patrimoine
 *   L.211-4), eliminated only with the visa of the person in charge of the State's contrôle
 *   scientifique et technique on archives (R.212-14; L.212-2; since widened to L.211-4 2°: a private
 *   body's records from a public-service mission, see RetentionService's ArchivesRegime); the purge then requires the visa (RetentionService / DataJobsService).
 */
export class IntermediateArchive1764090000000 implements MigrationInterface {
  name = 'IntermediateArchive1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organisations" ADD COLUMN "public_law" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "organisations" ADD COLUMN "active_base_months" integer NOT NULL DEFAULT 24`);
    await q.query(`ALTER TABLE "organisations" ADD CONSTRAINT "ck_organisations_active_base_months" CHECK (active_base_months BETWEEN 0 AND 1200)`);
    await q.query(
      `CREATE TABLE "archive_access_grants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "staff_user_id" uuid NOT NULL, "reason" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_archive_access_grants_expiry" CHECK (expires_at > granted_at), CONSTRAINT "pk_archive_access_grants" PRIMARY KEY ("id"))`,
    );
    await q.query(`ALTER TABLE "archive_access_grants" ADD CONSTRAINT "fk_archive_access_grants_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT`);
    await q.query(`CREATE INDEX "ix_archive_access_grants_resident" ON "archive_access_grants" ("resident_id", "staff_user_id", "expires_at")`);
    await q.query(`CREATE TRIGGER archive_access_grants_write_once BEFORE UPDATE OR DELETE ON archive_access_grants FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(`GRANT SELECT, INSERT ON archive_access_grants TO carepact_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "archive_access_grants"`);
    await q.query(`ALTER TABLE "organisations" DROP CONSTRAINT "ck_organisations_active_base_months"`);
    await q.query(`ALTER TABLE "organisations" DROP COLUMN "active_base_months"`);
    await q.query(`ALTER TABLE "organisations" DROP COLUMN "public_law"`);
  }
}
