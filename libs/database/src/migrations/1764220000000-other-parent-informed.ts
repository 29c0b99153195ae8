import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * C. civ. 373-2-1 al. 5: « Le parent qui n'a pas l'exercice de l'autorité parentale conserve le droit
 * et le devoir de surveiller l'entretien et l'éducation de l'enfant. Il doit être informé des choix
 * importants relatifs à la vie de ce dernier. » When one parent alone signs a minor's document and the
 * other keeps that right (libs/residents sole-authority.ts `informsOtherParent`), staff record on the
 * document that the other parent was informed (libs/signing other-parent): the day, how (courrier,
 * e-mail, remis en main propre, entretien, autre), an optional note, the version of the document then
 * current, who recorded it and when. Several rows per document are allowed (informed of the admission,
 * then of a later version). Rows are written once; they go only with their document, by the retention
 * purge (ON DELETE CASCADE, and the write-once trigger lets only the purge function's owner role delete).
 */
export class OtherParentInformed1764220000000 implements MigrationInterface {
  name = 'OtherParentInformed1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "other_parent_informed" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "document_id" uuid NOT NULL, "version_id" uuid NOT NULL, "informed_on" date NOT NULL, "how" text NOT NULL, "note" text, "recorded_by" uuid, "recorded_by_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_other_parent_informed_how" CHECK (how IN ('courrier', 'email', 'main_propre', 'entretien', 'autre')), CONSTRAINT "pk_other_parent_informed" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_other_parent_informed_document" ON "other_parent_informed" ("document_id", "recorded_at") `);
    await q.query(
      `ALTER TABLE "other_parent_informed" ADD CONSTRAINT "fk_other_parent_informed_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "other_parent_informed" ADD CONSTRAINT "fk_other_parent_informed_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`GRANT SELECT, INSERT ON other_parent_informed TO carepact_app`);
    await q.query(`CREATE TRIGGER other_parent_informed_write_once BEFORE UPDATE OR DELETE ON other_parent_informed FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER other_parent_informed_write_once ON other_parent_informed`);
    await q.query(`ALTER TABLE "other_parent_informed" DROP CONSTRAINT "fk_other_parent_informed_version"`);
    await q.query(`ALTER TABLE "other_parent_informed" DROP CONSTRAINT "fk_other_parent_informed_document"`);
    await q.query(`DROP INDEX "public"."ix_other_parent_informed_document"`);
    await q.query(`DROP TABLE "other_parent_informed"`);
  }
}
