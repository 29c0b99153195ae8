import { MigrationInterface, QueryRunner } from 'typeorm';
import { PURGE_V1, purgeDocumentFunction, purgeResidentFunction } from './purge-functions';

/**
 * Issue 11 items 3 (jobs), 4 (retention, legal hold, purge) and 5 (access requests).
 *
 * - `residents.departed_on`: the end of the accompaniment, from which retention is counted
 *   (libs/retention retention-defaults.ts).
 * - `retention_policies`: an organisation's retention per document type, when it differs from the
 *   defaults (no row = the default).
 * - `legal_holds`: who placed a hold on a resident or a document, why and when; lifting sets
 *   `lifted_*` (rows are never deleted: a hold's history is evidence).
 * - `purge_tombstones`: append-only, one row per purged document or resident file, with the
 *   SHA-256 of what was deleted.
 * - `data_jobs`: archive exports, access requests and purge reports/runs with their progress.
 *
 * The deletion path. Versions, renditions, signature events, sealed documents and paper signatures
 * are write-once and blobs must never be deleted by accident: their triggers still refuse every
 * DELETE, unless the transaction-local flag `carepact.purging` is set AND the deleting role is not
 * the application's. Only the two SECURITY DEFINER functions below set the flag (they run as the
 * owner); the application role may EXECUTE them and has no DELETE grant on any of those tables.
 * Each function first refuses when a legal hold covers the resident or the document, so a hold
 * blocks every deletion in the database itself, whatever the caller computed. `documents`,
 * `residents`, `contacts` and `protection_measures` also get a BEFORE DELETE trigger refusing a
 * held row or a row of a held person (for the owner too).
 */
export class Retention1763950000000 implements MigrationInterface {
  name = 'Retention1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" ADD "departed_on" date`);
    await q.query(`CREATE TABLE "retention_policies" ("organisation_id" uuid NOT NULL, "subject" text NOT NULL, "years" integer NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_retention_policies_years" CHECK (years BETWEEN 1 AND 100), CONSTRAINT "pk_retention_policies" PRIMARY KEY ("organisation_id", "subject"))`);
    await q.query(`ALTER TABLE "retention_policies" ADD CONSTRAINT "fk_retention_policies_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT`);
    await q.query(`CREATE TABLE "legal_holds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "reason" text NOT NULL, "placed_by" text NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lifted_by" text, "lifted_at" TIMESTAMP WITH TIME ZONE, "lift_reason" text, CONSTRAINT "ck_legal_holds_subject" CHECK (subject_type IN ('resident', 'document')), CONSTRAINT "ck_legal_holds_lift" CHECK ((lifted_at IS NULL) = (lifted_by IS NULL)), CONSTRAINT "pk_legal_holds" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_legal_holds_active" ON "legal_holds" ("subject_id") WHERE lifted_at IS NULL`);
    await q.query(`CREATE TABLE "purge_tombstones" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "run_id" uuid NOT NULL, "subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "content_sha256" text NOT NULL, "blob_sha256s" text array NOT NULL, "purged_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_purge_tombstones" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_purge_tombstones_subject" ON "purge_tombstones" ("subject_type", "subject_id")`);
    await q.query(`CREATE TABLE "data_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "kind" text NOT NULL, "params" jsonb NOT NULL, "status" text NOT NULL, "phase" text, "done" integer NOT NULL DEFAULT 0, "total" integer NOT NULL DEFAULT 0, "report" jsonb, "result_file" text, "result_sha256" text, "result_bytes" bigint, "error" text, "requested_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_data_jobs_kind" CHECK (kind IN ('archive_export', 'access_request', 'purge_report', 'purge_run')), CONSTRAINT "ck_data_jobs_status" CHECK (status IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "pk_data_jobs" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_data_jobs_organisation" ON "data_jobs" ("organisation_id", "created_at")`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON retention_policies, legal_holds, data_jobs TO carepact_app`);
    await q.query(`GRANT SELECT, INSERT ON purge_tombstones TO carepact_app`);
    await q.query(`CREATE TRIGGER purge_tombstones_no_update_delete BEFORE UPDATE OR DELETE ON purge_tombstones FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    // A hold's subject, reason and placing are fixed; only lifting (once) may change it.
    await q.query(`CREATE FUNCTION legal_holds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'legal holds are never deleted' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF OLD.lifted_at IS NOT NULL OR NEW.subject_id <> OLD.subject_id OR NEW.subject_type <> OLD.subject_type OR NEW.reason <> OLD.reason
           OR NEW.placed_by <> OLD.placed_by OR NEW.placed_at <> OLD.placed_at OR NEW.organisation_id <> OLD.organisation_id THEN
          RAISE EXCEPTION 'a legal hold is only ever lifted, once' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER legal_holds_guard BEFORE UPDATE OR DELETE ON legal_holds FOR EACH ROW EXECUTE FUNCTION legal_holds_guard()`);

    // Write-once tables: DELETE only inside a purge function (flag set, owner role).
    await q.query(`CREATE OR REPLACE FUNCTION write_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('carepact.purging', true) = 'on' AND current_user <> 'carepact_app' THEN RETURN OLD; END IF;
        RAISE EXCEPTION '% rows are write-once', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER blobs_delete_only_by_purge BEFORE DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(`CREATE TRIGGER signature_signers_delete_only_by_purge BEFORE DELETE ON signature_signers FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(`CREATE OR REPLACE FUNCTION document_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF current_setting('carepact.purging', true) = 'on' AND current_user <> 'carepact_app' THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'document versions are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'pending' THEN RAISE EXCEPTION 'a generated document version is immutable' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF NEW.input IS DISTINCT FROM OLD.input OR NEW.input_hash <> OLD.input_hash OR NEW.template_id <> OLD.template_id
           OR NEW.template_version <> OLD.template_version OR NEW.template_hash <> OLD.template_hash
           OR NEW.number <> OLD.number OR NEW.document_id <> OLD.document_id OR NEW.reason <> OLD.reason THEN
          RAISE EXCEPTION 'a document version''s template and input are immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);

    // A held resident or document is never deleted, whoever asks.
    await q.query(`CREATE FUNCTION refuse_held_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND (h.subject_id = OLD.id
                   OR (h.subject_type = 'resident' AND h.subject_id::text = to_jsonb(OLD)->>'resident_id'))) THEN
          RAISE EXCEPTION 'LEGAL_HOLD: % % is under a legal hold', TG_TABLE_NAME, OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$`);
    await q.query(`CREATE TRIGGER documents_refuse_held_deletion BEFORE DELETE ON documents FOR EACH ROW EXECUTE FUNCTION refuse_held_deletion()`);
    await q.query(`CREATE TRIGGER residents_refuse_held_deletion BEFORE DELETE ON residents FOR EACH ROW EXECUTE FUNCTION refuse_held_deletion()`);
    // …nor anything of a held person's file (a measure's holders go with the measure).
    await q.query(`CREATE TRIGGER contacts_refuse_held_deletion BEFORE DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_held_deletion()`);
    await q.query(`CREATE TRIGGER protection_measures_refuse_held_deletion BEFORE DELETE ON protection_measures FOR EACH ROW EXECUTE FUNCTION refuse_held_deletion()`);

    // One document: its signature requests (signers, links, sessions, events, views, questions,
    // sealed PDF, paper scan), versions, renditions, then the blobs nothing else refers to.
    // Returns the SHA-256 of the blobs deleted. A resident's file, once none of their documents
    // remains. (The functions' text is in purge-functions.ts, which later migrations extend.)
    await q.query(purgeDocumentFunction(PURGE_V1));
    await q.query(purgeResidentFunction(PURGE_V1));
    for (const fn of ['carepact_purge_document(uuid)', 'carepact_purge_resident(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO carepact_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION carepact_purge_resident(uuid)`);
    await q.query(`DROP FUNCTION carepact_purge_document(uuid)`);
    await q.query(`DROP TRIGGER protection_measures_refuse_held_deletion ON protection_measures`);
    await q.query(`DROP TRIGGER contacts_refuse_held_deletion ON contacts`);
    await q.query(`DROP TRIGGER residents_refuse_held_deletion ON residents`);
    await q.query(`DROP TRIGGER documents_refuse_held_deletion ON documents`);
    await q.query(`DROP FUNCTION refuse_held_deletion()`);
    await q.query(`CREATE OR REPLACE FUNCTION document_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'document versions are never deleted' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF OLD.status <> 'pending' THEN RAISE EXCEPTION 'a generated document version is immutable' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF NEW.input IS DISTINCT FROM OLD.input OR NEW.input_hash <> OLD.input_hash OR NEW.template_id <> OLD.template_id
           OR NEW.template_version <> OLD.template_version OR NEW.template_hash <> OLD.template_hash
           OR NEW.number <> OLD.number OR NEW.document_id <> OLD.document_id OR NEW.reason <> OLD.reason THEN
          RAISE EXCEPTION 'a document version''s template and input are immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DROP TRIGGER signature_signers_delete_only_by_purge ON signature_signers`);
    await q.query(`DROP TRIGGER blobs_delete_only_by_purge ON blobs`);
    await q.query(`CREATE OR REPLACE FUNCTION write_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% rows are write-once', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`DROP TRIGGER legal_holds_guard ON legal_holds`);
    await q.query(`DROP FUNCTION legal_holds_guard()`);
    await q.query(`DROP TRIGGER purge_tombstones_no_update_delete ON purge_tombstones`);
    await q.query(`DROP INDEX "public"."ix_data_jobs_organisation"`);
    await q.query(`DROP TABLE "data_jobs"`);
    await q.query(`DROP INDEX "public"."uq_purge_tombstones_subject"`);
    await q.query(`DROP TABLE "purge_tombstones"`);
    await q.query(`DROP INDEX "public"."ix_legal_holds_active"`);
    await q.query(`DROP TABLE "legal_holds"`);
    await q.query(`DROP TABLE "retention_policies"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "departed_on"`);
  }
}
