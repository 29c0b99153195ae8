import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chained audit checkpoints (issue 7, item 15). One platform checkpoint per run of the worker:
 * `seq`, the previous checkpoint's hash and the heads of every chain, signed together. The heads
 * live in `audit_checkpoints` (one row per chain whose head moved, `checkpoint_seq` naming the
 * platform checkpoint); the heads that did not move are carried forward and signed all the same.
 * Rows written before this migration keep `checkpoint_seq` NULL and their own signature.
 * Drafted from the entities by TypeORM's schema builder; grants and append-only triggers by hand.
 */
export class AuditCheckpointChain1763930000000 implements MigrationInterface {
  name = 'AuditCheckpointChain1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_platform_checkpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, "chains" integer NOT NULL, "signature" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_audit_platform_checkpoints" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_platform_checkpoints_seq" ON "audit_platform_checkpoints" ("seq") `);
    await q.query(`ALTER TABLE "audit_checkpoints" ADD "checkpoint_seq" bigint`);
    // A chain's head may now be signed twice: once by a legacy row, once by the first platform checkpoint.
    await q.query(`DROP INDEX "public"."uq_audit_checkpoints_chain_seq"`);
    await q.query(`CREATE INDEX "ix_audit_checkpoints_chain_seq" ON "audit_checkpoints" ("chain_id", "seq") `);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_checkpoints_checkpoint_chain" ON "audit_checkpoints" ("checkpoint_seq", "chain_id") `);

    await q.query(`GRANT SELECT, INSERT ON audit_platform_checkpoints TO carepact_app`);
    await q.query(`CREATE TRIGGER audit_platform_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_platform_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER audit_platform_checkpoints_no_truncate BEFORE TRUNCATE ON audit_platform_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_platform_checkpoints_no_truncate ON audit_platform_checkpoints`);
    await q.query(`DROP TRIGGER audit_platform_checkpoints_no_update_delete ON audit_platform_checkpoints`);
    // Rows written since stay valid single-chain checkpoints (they carry their own signature); only
    // a second signature of a head already signed before the migration has to go for the old index.
    await q.query(`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_delete`);
    await q.query(`DELETE FROM audit_checkpoints c WHERE c.checkpoint_seq IS NOT NULL
                     AND EXISTS (SELECT 1 FROM audit_checkpoints o WHERE o.chain_id = c.chain_id AND o.seq = c.seq AND o.checkpoint_seq IS NULL)`);
    await q.query(`ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_no_update_delete`);
    await q.query(`DROP INDEX "public"."uq_audit_checkpoints_checkpoint_chain"`);
    await q.query(`DROP INDEX "public"."ix_audit_checkpoints_chain_seq"`);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_checkpoints_chain_seq" ON "audit_checkpoints" ("chain_id", "seq") `);
    await q.query(`ALTER TABLE "audit_checkpoints" DROP COLUMN "checkpoint_seq"`);
    await q.query(`DROP INDEX "public"."uq_audit_platform_checkpoints_seq"`);
    await q.query(`DROP TABLE "audit_platform_checkpoints"`);
  }
}
