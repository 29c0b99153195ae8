import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How the accompaniment ended: by a departure, or by the person's death. `residents.departed_on`
 * stays the end of the accompaniment (retention counts from it); `deceased_on` is the date of
 * death when the stay ended by it — the same day, never another (the check below): the
 * accompaniment ends at death. The protection measure ends with it (C. civ. 443 al. 1) and so does
 * the contrat de séjour (CASF L.314-10-1), so the date is recorded as such, not only as a departure;
 * an heir's access request may be compared with it (libs/archive access). Existing rows: none
 * recorded (a departure, as they read until now). Down: the column goes.
 */
export class ResidentDeath1764250000000 implements MigrationInterface {
  name = 'ResidentDeath1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" ADD COLUMN "deceased_on" date`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_deceased_on" CHECK (deceased_on IS NULL OR (departed_on IS NOT NULL AND deceased_on = departed_on))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_deceased_on"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "deceased_on"`);
  }
}
