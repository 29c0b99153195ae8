import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * C. civ. 469 al. 3 (curatelle; C. civ. 494-1 al. 1 and 494-10 for an habilitation familiale in
 * assistance): after the assistant refused to assist the person in an act, the judge may authorise
 * her to do it alone. `sole_signature_authorisations` records that ordonnance on the document it is
 * for (libs/signing sole-signature): court, date, reference, an optional note, who recorded it and
 * when, the refused request it answers, the version of the document that request carried (its id,
 * input and template hashes: the act the judge authorised, not a later version of it) and the
 * protection measure the refusal was made under (no foreign key: a measure deleted or replaced
 * later only means the authorisation no longer applies). Rows are written once (a correction is a
 * new row); they go only with their document, by the retention purge (ON DELETE CASCADE, and the
 * write-once trigger lets only the purge function's owner role delete).
 */
export class SoleSignatureAuthorisations1764010000000 implements MigrationInterface {
  name = 'SoleSignatureAuthorisations1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "sole_signature_authorisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "document_id" uuid NOT NULL, "refused_request_id" uuid NOT NULL, "version_id" uuid NOT NULL, "version_input_hash" text NOT NULL, "version_template_hash" text NOT NULL, "measure_id" uuid NOT NULL, "court" text NOT NULL, "decision_date" date NOT NULL, "reference" text NOT NULL, "note" text, "recorded_by" uuid, "recorded_by_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_sole_signature_authorisations" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_sole_signature_authorisations_document" ON "sole_signature_authorisations" ("document_id", "recorded_at") `);
    await q.query(
      `ALTER TABLE "sole_signature_authorisations" ADD CONSTRAINT "fk_sole_signature_authorisations_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sole_signature_authorisations" ADD CONSTRAINT "fk_sole_signature_authorisations_request" FOREIGN KEY ("refused_request_id") REFERENCES "signature_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sole_signature_authorisations" ADD CONSTRAINT "fk_sole_signature_authorisations_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`GRANT SELECT, INSERT ON sole_signature_authorisations TO carepact_app`);
    await q.query(`CREATE TRIGGER sole_signature_authorisations_write_once BEFORE UPDATE OR DELETE ON sole_signature_authorisations FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sole_signature_authorisations_write_once ON sole_signature_authorisations`);
    await q.query(`ALTER TABLE "sole_signature_authorisations" DROP CONSTRAINT "fk_sole_signature_authorisations_version"`);
    await q.query(`ALTER TABLE "sole_signature_authorisations" DROP CONSTRAINT "fk_sole_signature_authorisations_request"`);
    await q.query(`ALTER TABLE "sole_signature_authorisations" DROP CONSTRAINT "fk_sole_signature_authorisations_document"`);
    await q.query(`DROP INDEX "public"."ix_sole_signature_authorisations_document"`);
    await q.query(`DROP TABLE "sole_signature_authorisations"`);
  }
}
