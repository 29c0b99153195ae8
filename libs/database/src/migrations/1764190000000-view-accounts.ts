import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `recorded_views.accounts`: what each later signer who may record the person's view heard from her,
 * beside the view the first one recorded (C. civ. 371-1 al. 3: the parents associate the child to
 * the decisions that concern her, according to her age and maturity; CASF L.311-4: the minor's view
 * is sought). The view itself (expression, comment, recorded_by_signer_id) stays the first signer's:
 * an account never overwrites it. Each element: `{ signerId, byName, comment, at }`, one per signer,
 * in the order given. A JSON array on the view's row, so that whatever keeps, exports or purges the
 * row (retention, access requests, purge_document) takes the accounts with it.
 */
export class ViewAccounts1764190000000 implements MigrationInterface {
  name = 'ViewAccounts1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "recorded_views" ADD "accounts" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE "recorded_views" ADD CONSTRAINT "ck_recorded_views_accounts" CHECK (jsonb_typeof(accounts) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "recorded_views" DROP CONSTRAINT "ck_recorded_views_accounts"`);
    await q.query(`ALTER TABLE "recorded_views" DROP COLUMN "accounts"`);
  }
}
