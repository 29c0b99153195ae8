import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One running bulk run per establishment and kind (review: two simultaneous « Lancer » each started
 * a run, and every resident got two tariff avenants au 1er janvier). A partial unique index: a
 * second start, or a retry that makes a finished run running again, while one runs is refused by
 * the database even when both requests arrive at once (BulkRunsService answers 409
 * BULK_RUN_ALREADY_RUNNING, naming the running run).
 *
 * Runs already running twice for one establishment are not settled here (cancelling one could
 * leave residents without their avenant): the migration stops and names them; cancel one from the
 * console, or let them finish, then migrate again.
 */
export class BulkRunRunningUnique1763990000000 implements MigrationInterface {
  name = 'BulkRunRunningUnique1763990000000';

  async up(q: QueryRunner): Promise<void> {
    const twice = (await q.query(
      `SELECT establishment_id, kind, string_agg(id::text, ', ' ORDER BY created_at) AS runs FROM bulk_runs WHERE status = 'running' GROUP BY 1, 2 HAVING count(*) > 1`,
    )) as { establishment_id: string; kind: string; runs: string }[];
    if (twice.length)
      throw new Error(
        `Several bulk runs are running for one establishment and kind; cancel all but one (or wait for them to finish), then run the migrations again: ${twice
          .map((t) => `establishment ${t.establishment_id}, ${t.kind}: ${t.runs}`)
          .join('; ')}`,
      );
    await q.query(`CREATE UNIQUE INDEX "uq_bulk_runs_running" ON "bulk_runs" ("establishment_id", "kind") WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_bulk_runs_running"`);
  }
}
