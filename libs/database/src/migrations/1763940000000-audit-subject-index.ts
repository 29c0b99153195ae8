import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document's history (issue 11, item 1) reads the events of its subjects — the document, its
 * versions and its signature requests — within the organisation's chain: without this index each
 * history page scanned the whole chain.
 */
export class AuditSubjectIndex1763940000000 implements MigrationInterface {
  name = 'AuditSubjectIndex1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_audit_events_chain_subject" ON "audit_events" ("chain_id", "subject_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_audit_events_chain_subject"`);
  }
}
