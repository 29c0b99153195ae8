import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, item 1: a signature request keeps the legal deadline fixed when it was sent (CASF D.311,
 * libs/signing legal-deadlines.ts) and, when it was sent after it, the reason staff gave. Issue 10:
 * indexes for the « À faire » worklist (requests in progress per establishment).
 * Existing requests get their legal deadline back from the resident's admission date: the end of
 * the day one month later (contract, DIPC) or six months later (avenant), in Paris.
 */
export class WorklistDeadlines1763946000000 implements MigrationInterface {
  name = 'WorklistDeadlines1763946000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "signature_requests" ADD "legal_deadline" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "signature_requests" ADD "late_reason" text`);
    await q.query(`CREATE INDEX "ix_signature_requests_active_establishment" ON "signature_requests" ("establishment_id") WHERE status = 'active'`);
    await q.query(
      `UPDATE signature_requests r
          SET legal_deadline = (((res.admission_date + CASE WHEN d.type = 'avenant' THEN interval '6 months' ELSE interval '1 month' END)::date + time '23:59:59') AT TIME ZONE 'Europe/Paris')
         FROM documents d JOIN residents res ON res.id = d.resident_id
        WHERE d.id = r.document_id AND d.type IN ('contrat-sejour', 'dipc', 'avenant')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_signature_requests_active_establishment"`);
    await q.query(`ALTER TABLE "signature_requests" DROP COLUMN "late_reason"`);
    await q.query(`ALTER TABLE "signature_requests" DROP COLUMN "legal_deadline"`);
  }
}
