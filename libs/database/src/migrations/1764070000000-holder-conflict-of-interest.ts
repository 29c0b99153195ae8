import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conflicts of interest between the protected person and the holder of her measure. The judge may
 * appoint as mandataire judiciaire a « préposé d'établissement » (C. civ. 451 al. 2): for the acts
 * between the person and the establishment (contrat de séjour, avenants, DIPC) his interests are
 * opposed to hers. The subrogé curateur / tuteur then assists or represents her (C. civ. 454 al. 5);
 * without one, the judge appoints a curateur or tuteur ad hoc (C. civ. 455). The measure records
 * the holder's tie to the establishment, the subrogé and the ad hoc appointment.
 */
export class HolderConflictOfInterest1764070000000 implements MigrationInterface {
  name = 'HolderConflictOfInterest1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "holder_establishment_employee" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "subroge_contact_id" uuid`);
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "ad_hoc_contact_id" uuid`);
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "ad_hoc_judgment_reference" text`);
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "ad_hoc_judgment_date" date`);
    await q.query(
      `ALTER TABLE "protection_measures" ADD CONSTRAINT "ck_protection_measures_ad_hoc" CHECK ((ad_hoc_contact_id IS NULL AND ad_hoc_judgment_reference IS NULL AND ad_hoc_judgment_date IS NULL) OR (ad_hoc_contact_id IS NOT NULL AND ad_hoc_judgment_reference IS NOT NULL AND ad_hoc_judgment_date IS NOT NULL))`,
    );
    await q.query(
      `ALTER TABLE "protection_measures" ADD CONSTRAINT "fk_protection_measures_subroge" FOREIGN KEY ("subroge_contact_id") REFERENCES "contacts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "protection_measures" ADD CONSTRAINT "fk_protection_measures_ad_hoc" FOREIGN KEY ("ad_hoc_contact_id") REFERENCES "contacts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "protection_measures" DROP CONSTRAINT "fk_protection_measures_ad_hoc"`);
    await q.query(`ALTER TABLE "protection_measures" DROP CONSTRAINT "fk_protection_measures_subroge"`);
    await q.query(`ALTER TABLE "protection_measures" DROP CONSTRAINT "ck_protection_measures_ad_hoc"`);
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "ad_hoc_judgment_date"`);
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "ad_hoc_judgment_reference"`);
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "ad_hoc_contact_id"`);
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "subroge_contact_id"`);
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "holder_establishment_employee"`);
  }
}
