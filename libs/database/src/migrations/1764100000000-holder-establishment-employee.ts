import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The « préposé de l'établissement » tie moves from the measure to each holder. A judge may appoint
 * several curateurs or tuteurs who exercise the measure together (C. civ. 447 al. 2), or several
 * habilitated relatives (C. civ. 494-1): only the one employed by the establishment has interests
 * opposed to the person's in the acts concluded with it (C. civ. 451 al. 2, 454 al. 5, 455); the
 * others can still act (C. civ. 447 al. 3).
 *
 * The existing flag said « the holder » without saying which. A measure flagged with one holder:
 * that holder is flagged. With several: every holder is flagged — the prudent reading, which keeps
 * each such measure routed exactly as before (the ad hoc holder or the subrogé signs, or the
 * signature is refused) and never lets a holder who may be the préposé sign an act with the
 * establishment; staff untick the co-holder who is not employed by it. A flagged measure without
 * any holder has nobody to flag (the policy already had no holder to exclude there).
 * Down: the measure is flagged when any of its holders is.
 */
export class HolderEstablishmentEmployee1764100000000 implements MigrationInterface {
  name = 'HolderEstablishmentEmployee1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "measure_holders" ADD COLUMN "establishment_employee" boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE "measure_holders" h SET "establishment_employee" = true FROM "protection_measures" m WHERE m."id" = h."measure_id" AND m."holder_establishment_employee"`,
    );
    await q.query(`ALTER TABLE "protection_measures" DROP COLUMN "holder_establishment_employee"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "protection_measures" ADD COLUMN "holder_establishment_employee" boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE "protection_measures" m SET "holder_establishment_employee" = true WHERE EXISTS (SELECT 1 FROM "measure_holders" h WHERE h."measure_id" = m."id" AND h."establishment_employee")`,
    );
    await q.query(`ALTER TABLE "measure_holders" DROP COLUMN "establishment_employee"`);
  }
}
