import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request may now be sealed more than once (CASF D.311 II and III): a DIPC is established by the
 * director's signature — sealed then (edition 1) and handed over to the person and her legal
 * representative without waiting for their optional countersignature — and sealed again (edition
 * 2, 3…) when one of them countersigns within the countersignature window. Each edition is its own
 * write-once row; « the » sealed document of a request is its latest edition.
 */
export class SealedEditions1764060000000 implements MigrationInterface {
  name = 'SealedEditions1764060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sealed_documents" ADD COLUMN "edition" integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "sealed_documents" ADD CONSTRAINT "ck_sealed_documents_edition" CHECK ("edition" >= 1)`);
    await q.query(`DROP INDEX "public"."uq_sealed_documents_request"`);
    await q.query(`CREATE UNIQUE INDEX "uq_sealed_documents_request_edition" ON "sealed_documents" ("request_id", "edition") `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back to one seal per request would drop sealed editions (write-once evidence): refused.
    const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM "sealed_documents" WHERE "edition" > 1`)) as { n: number }[];
    if (n > 0) throw new Error(`${n} sealed edition(s) after the first exist: they cannot be dropped (write-once evidence)`);
    await q.query(`DROP INDEX "public"."uq_sealed_documents_request_edition"`);
    await q.query(`CREATE UNIQUE INDEX "uq_sealed_documents_request" ON "sealed_documents" ("request_id") `);
    await q.query(`ALTER TABLE "sealed_documents" DROP CONSTRAINT "ck_sealed_documents_edition"`);
    await q.query(`ALTER TABLE "sealed_documents" DROP COLUMN "edition"`);
  }
}
