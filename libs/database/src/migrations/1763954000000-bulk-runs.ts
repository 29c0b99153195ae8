import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, item 7: bulk generation. A run (one document type for many residents of an
 * establishment, the data common to all, who started it) and one item per resident: pending, then
 * created (its document, marked in the transaction that creates the document, so a worker killed
 * mid-run resumes without duplicates), skipped with its reason, or failed with code and message.
 * Items are never deleted (no DELETE grant): the run is its own record of what happened.
 */
export class BulkRuns1763954000000 implements MigrationInterface {
  name = 'BulkRuns1763954000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "bulk_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "kind" text NOT NULL, "document_type" text NOT NULL, "common_data" jsonb NOT NULL, "status" text NOT NULL, "started_by" uuid NOT NULL, "item_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_bulk_runs_status" CHECK (status IN ('running', 'completed', 'cancelled')), CONSTRAINT "ck_bulk_runs_kind" CHECK (kind IN ('avenant-tarifs')), CONSTRAINT "pk_bulk_runs" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_bulk_runs_establishment" ON "bulk_runs" ("organisation_id", "establishment_id", "created_at")`);
    await q.query(
      `CREATE TABLE "bulk_run_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "run_id" uuid NOT NULL, "position" integer NOT NULL, "resident_id" uuid NOT NULL, "status" text NOT NULL, "document_id" uuid, "code" text, "message" text, "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_bulk_run_items_status" CHECK (status IN ('pending', 'created', 'skipped', 'failed', 'cancelled')), CONSTRAINT "pk_bulk_run_items" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_bulk_run_items_pending" ON "bulk_run_items" ("run_id", "position") WHERE status = 'pending'`);
    await q.query(`CREATE UNIQUE INDEX "uq_bulk_run_items_resident" ON "bulk_run_items" ("run_id", "resident_id")`);
    await q.query(`ALTER TABLE "bulk_runs" ADD CONSTRAINT "fk_bulk_runs_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "bulk_runs" ADD CONSTRAINT "fk_bulk_runs_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "bulk_run_items" ADD CONSTRAINT "fk_bulk_run_items_run" FOREIGN KEY ("run_id") REFERENCES "bulk_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "bulk_run_items" ADD CONSTRAINT "fk_bulk_run_items_resident" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "bulk_run_items" ADD CONSTRAINT "fk_bulk_run_items_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON bulk_runs, bulk_run_items TO carepact_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "bulk_run_items"`);
    await q.query(`DROP TABLE "bulk_runs"`);
  }
}
