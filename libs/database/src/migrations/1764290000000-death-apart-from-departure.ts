import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The date of death is no longer the end of the accompaniment by force (the sector lawyer's review
 * of session 20). A person who left in 2024 (hospital, another establishment) and is known to have
 * died in 2025 keeps her departure of 2024 (retention counts from it); in an EHPAD the exit date is
 * the date of the contradictory état des lieux (CASF R.314-149 I, L.311-7-1), which can be after the
 * death. So `ck_residents_deceased_on` (migration 1764250000000: deceased_on = departed_on) becomes:
 * a date of death only with an end of the accompaniment (departed_on not null); either may come
 * first. No check against the admission here, as none exists for departed_on (the service refuses a
 * death before the admission, DEATH_BEFORE_ADMISSION; a check would turn a later correction of the
 * admission date into a 500). `departure_with_death`: the end of the accompaniment was recorded
 * with the death (its date, or the état des lieux given with it) — clearing the death, entered by
 * mistake, clears it too; an end recorded before as a departure stays (RetentionService.recordDeparture).
 * Existing rows: every recorded death was its own end of the accompaniment (the old check), so
 * departure_with_death is true for them; all stay valid. Down: the equality check back (rows with
 * two different dates would refuse it: down is for a database that has none).
 */
export class DeathApartFromDeparture1764290000000 implements MigrationInterface {
  name = 'DeathApartFromDeparture1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_deceased_on"`);
    await q.query(`ALTER TABLE "residents" ADD COLUMN "departure_with_death" boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE "residents" SET "departure_with_death" = true WHERE deceased_on IS NOT NULL`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_deceased_on" CHECK (deceased_on IS NULL OR departed_on IS NOT NULL)`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_departure_with_death" CHECK (NOT departure_with_death OR deceased_on IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_departure_with_death"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_deceased_on"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "departure_with_death"`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_deceased_on" CHECK (deceased_on IS NULL OR (departed_on IS NOT NULL AND deceased_on = departed_on))`);
  }
}
