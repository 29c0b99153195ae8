import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paper signatures (issue 11 §6): the scan of a signed paper for a request, at most one per
 * request, written once. Drafted from the entity by TypeORM's schema builder; grants and the
 * write-once trigger by hand, as for sealed_documents.
 */
export class PaperSignatures1763945000000 implements MigrationInterface {
  name = 'PaperSignatures1763945000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "paper_signatures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "version_id" uuid NOT NULL, "original_sha256" text NOT NULL, "byte_size" integer NOT NULL, "page_count" integer NOT NULL, "signer_ids" uuid array NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_by_name" text NOT NULL, "uploaded_by_email" text NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_paper_signatures" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_paper_signatures_request" ON "paper_signatures" ("request_id") `);
    await q.query(`ALTER TABLE "paper_signatures" ADD CONSTRAINT "fk_paper_signatures_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`GRANT SELECT, INSERT ON paper_signatures TO carepact_app`);
    await q.query(`CREATE TRIGGER paper_signatures_write_once BEFORE UPDATE OR DELETE ON paper_signatures FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER paper_signatures_write_once ON paper_signatures`);
    await q.query(`DROP TABLE "paper_signatures"`);
  }
}
