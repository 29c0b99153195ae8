import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The answer to a request after the death (CSP L.1110-4 V, L.1111-7), on its job: the selection
 * staff record (what is kept for the purpose, and why), the delivery (never before the 48 hours of
 * L.1111-7 al. 2) or the reasoned refusal and its letter (libs/archive access-answer.ts). One jsonb
 * column, its state a stable code checked here. Existing jobs: none (null). Down: the column goes.
 */
export class AccessAnswer1764180000000 implements MigrationInterface {
  name = 'AccessAnswer1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "data_jobs" ADD COLUMN "answer" jsonb`);
    await q.query(
      `ALTER TABLE "data_jobs" ADD CONSTRAINT "ck_data_jobs_answer" CHECK (answer IS NULL OR (kind = 'access_request' AND answer->>'state' IN ('selection_recorded', 'delivered', 'refused')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "data_jobs" DROP CONSTRAINT "ck_data_jobs_answer"`);
    await q.query(`ALTER TABLE "data_jobs" DROP COLUMN "answer"`);
  }
}
