import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, item 3: the internal visa between generation and sending. `document_visa_rules` says,
 * per establishment and document type, whose visa (coordinator or director) a document needs;
 * `document_visas` keeps the one decision given on each version (approved, or rejected with its
 * reason), written once. `signer_question_answers` keeps the answers given to a signer's question
 * after the first (the first stays in `signer_questions`, issue 7 item 14), so that the signer
 * reads them in the portal too.
 */
export class DocumentVisas1763953000000 implements MigrationInterface {
  name = 'DocumentVisas1763953000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "document_visa_rules" ("establishment_id" uuid NOT NULL, "document_type" text NOT NULL, "organisation_id" uuid NOT NULL, "approver_role" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "ck_document_visa_rules_type" CHECK (document_type IN ('contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese')), CONSTRAINT "ck_document_visa_rules_role" CHECK (approver_role IN ('coordinator', 'director')), CONSTRAINT "pk_document_visa_rules" PRIMARY KEY ("establishment_id", "document_type"))`,
    );
    await q.query(
      `CREATE TABLE "document_visas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "document_id" uuid NOT NULL, "version_id" uuid NOT NULL, "approver_role" text NOT NULL, "decision" text NOT NULL, "reason" text, "decided_by" uuid NOT NULL, "decided_by_name" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_document_visas_role" CHECK (approver_role IN ('coordinator', 'director')), CONSTRAINT "ck_document_visas_decision" CHECK (decision IN ('approved', 'rejected')), CONSTRAINT "pk_document_visas" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_document_visas_version" ON "document_visas" ("version_id") `);
    await q.query(`CREATE INDEX "ix_document_visas_document" ON "document_visas" ("document_id") `);
    await q.query(
      `ALTER TABLE "document_visa_rules" ADD CONSTRAINT "fk_document_visa_rules_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "document_visas" ADD CONSTRAINT "fk_document_visas_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "document_visas" ADD CONSTRAINT "fk_document_visas_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON document_visa_rules TO carepact_app`);
    // A decision is never changed: a refused version is corrected (a new version, a new visa).
    await q.query(`GRANT SELECT, INSERT ON document_visas TO carepact_app`);
    await q.query(`CREATE TRIGGER document_visas_write_once BEFORE UPDATE OR DELETE ON document_visas FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(
      `CREATE TABLE "signer_question_answers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "question_id" uuid NOT NULL, "answer" text NOT NULL, "answered_by" uuid NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_signer_question_answers" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_signer_question_answers_question" ON "signer_question_answers" ("question_id") `);
    await q.query(
      `ALTER TABLE "signer_question_answers" ADD CONSTRAINT "fk_signer_question_answers_question" FOREIGN KEY ("question_id") REFERENCES "signer_questions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(`GRANT SELECT, INSERT ON signer_question_answers TO carepact_app`);
    await q.query(`CREATE TRIGGER signer_question_answers_write_once BEFORE UPDATE OR DELETE ON signer_question_answers FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER signer_question_answers_write_once ON signer_question_answers`);
    await q.query(`ALTER TABLE "signer_question_answers" DROP CONSTRAINT "fk_signer_question_answers_question"`);
    await q.query(`DROP INDEX "public"."ix_signer_question_answers_question"`);
    await q.query(`DROP TABLE "signer_question_answers"`);
    await q.query(`DROP TRIGGER document_visas_write_once ON document_visas`);
    await q.query(`ALTER TABLE "document_visas" DROP CONSTRAINT "fk_document_visas_version"`);
    await q.query(`ALTER TABLE "document_visas" DROP CONSTRAINT "fk_document_visas_document"`);
    await q.query(`ALTER TABLE "document_visa_rules" DROP CONSTRAINT "fk_document_visa_rules_establishment"`);
    await q.query(`DROP INDEX "public"."ix_document_visas_document"`);
    await q.query(`DROP INDEX "public"."uq_document_visas_version"`);
    await q.query(`DROP TABLE "document_visas"`);
    await q.query(`DROP TABLE "document_visa_rules"`);
  }
}
