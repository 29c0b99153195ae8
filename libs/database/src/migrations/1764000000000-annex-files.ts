import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The documents handed over with the contract become files (CASF L.311-4: livret d'accueil, charte
 * des droits et libertés, règlement de fonctionnement; DOMAIN.md: « record the date and version of
 * each annex handed over », the evidence holds « SHA-256 … of each annex »).
 * `establishment_annex_files`: one row per published PDF of an annex key, written once (a new
 * version is a new row). `document_versions.annexes`: what a version recorded of them when it was
 * created (the file current for each key, its id and SHA-256), never changed afterwards.
 * Drafted from the entities by TypeORM's schema builder; grants and triggers by hand.
 */
export class AnnexFiles1764000000000 implements MigrationInterface {
  name = 'AnnexFiles1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "establishment_annex_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "kind" text NOT NULL, "version_label" text NOT NULL, "effective_on" date NOT NULL, "blob_sha256" text NOT NULL, "byte_size" integer NOT NULL, "page_count" integer NOT NULL, "published_by" uuid, "published_by_name" text NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_establishment_annex_files" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_establishment_annex_files_current" ON "establishment_annex_files" ("establishment_id", "kind", "effective_on", "published_at") `);
    await q.query(
      `ALTER TABLE "establishment_annex_files" ADD CONSTRAINT "fk_establishment_annex_files_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "establishment_annex_files" ADD CONSTRAINT "fk_establishment_annex_files_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "establishment_annex_files" ADD CONSTRAINT "fk_establishment_annex_files_blob" FOREIGN KEY ("blob_sha256") REFERENCES "blobs"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Published once, never replaced nor removed: the evidence of signed contracts names these rows.
    await q.query(`GRANT SELECT, INSERT ON establishment_annex_files TO carepact_app`);
    await q.query(`CREATE TRIGGER establishment_annex_files_write_once BEFORE UPDATE OR DELETE ON establishment_annex_files FOR EACH ROW EXECUTE FUNCTION write_once()`);

    await q.query(`ALTER TABLE "document_versions" ADD "annexes" jsonb`);
    // Written with the version, never changed: a version keeps the files it was handed over with.
    await q.query(`CREATE FUNCTION document_version_annexes_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the annexes recorded with a document version are immutable' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(
      `CREATE TRIGGER document_version_annexes_immutable BEFORE UPDATE ON document_versions FOR EACH ROW WHEN (NEW.annexes IS DISTINCT FROM OLD.annexes) EXECUTE FUNCTION document_version_annexes_immutable()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER document_version_annexes_immutable ON document_versions`);
    await q.query(`DROP FUNCTION document_version_annexes_immutable()`);
    await q.query(`ALTER TABLE "document_versions" DROP COLUMN "annexes"`);
    await q.query(`DROP TRIGGER establishment_annex_files_write_once ON establishment_annex_files`);
    await q.query(`ALTER TABLE "establishment_annex_files" DROP CONSTRAINT "fk_establishment_annex_files_blob"`);
    await q.query(`ALTER TABLE "establishment_annex_files" DROP CONSTRAINT "fk_establishment_annex_files_establishment"`);
    await q.query(`ALTER TABLE "establishment_annex_files" DROP CONSTRAINT "fk_establishment_annex_files_organisation"`);
    await q.query(`DROP INDEX "public"."ix_establishment_annex_files_current"`);
    await q.query(`DROP TABLE "establishment_annex_files"`);
  }
}
