import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each holder's own mission (C. civ. 447 al. 3): the judge may divide a curatelle or a tutelle
 * between a curateur or tuteur « chargé de la protection de la personne » and one « chargé de la
 * gestion patrimoniale »; unless he decides otherwise they are independent and inform each other
 * (447 al. 4). `mission` is `personne`, `biens` or both. Existing holders get their measure's scope:
 * they exercise the whole measure, today's behaviour (447 al. 2 for co-holders). That a mission lies
 * within the measure's scope is the application's check (validateHolderMissions): a CHECK cannot
 * read the measure's row. Down: the column goes (the measure's scope stays).
 */
export class HolderMission1764120000000 implements MigrationInterface {
  name = 'HolderMission1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "measure_holders" ADD COLUMN "mission" text[]`);
    await q.query(`UPDATE "measure_holders" h SET "mission" = m."scope" FROM "protection_measures" m WHERE m."id" = h."measure_id"`);
    await q.query(`ALTER TABLE "measure_holders" ALTER COLUMN "mission" SET NOT NULL`);
    await q.query(
      `ALTER TABLE "measure_holders" ADD CONSTRAINT "ck_measure_holders_mission" CHECK (mission <@ ARRAY['personne', 'biens']::text[] AND cardinality(mission) > 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "measure_holders" DROP CONSTRAINT "ck_measure_holders_mission"`);
    await q.query(`ALTER TABLE "measure_holders" DROP COLUMN "mission"`);
  }
}
