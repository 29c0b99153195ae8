import { MigrationInterface, QueryRunner } from 'typeorm';
import { PURGE_V1, PURGE_V2, purgeDocumentFunction, purgeResidentFunction } from './purge-functions';

/**
 * The purge functions, written with Retention1763950000000, did not know the tables added after
 * them that refer to a document or a resident: a document with an internal visa
 * (`document_visas`, write-once, ON DELETE RESTRICT) or made by a bulk run (`bulk_run_items`), and
 * a resident listed in a bulk run, and a document on which the establishment answered a signer's
 * question (`signer_question_answers`), could not be purged once their retention ran out (CNIL
 * référentiel social et médico-social, délibération 2023-095: the data must go at the end of
 * their retention). v2 (purge-functions.ts) deletes a document's visas and answers with it, unlinks the bulk
 * run items (the run keeps its counts; the item no longer names the document or the person, so
 * `bulk_run_items.resident_id` may now be NULL) and never deletes a blob an establishment's
 * annex file uses.
 */
export class PurgeLaterTables1764030000000 implements MigrationInterface {
  name = 'PurgeLaterTables1764030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bulk_run_items" ALTER COLUMN "resident_id" DROP NOT NULL`);
    await q.query(purgeDocumentFunction(PURGE_V2));
    await q.query(purgeResidentFunction(PURGE_V2));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(purgeResidentFunction(PURGE_V1));
    await q.query(purgeDocumentFunction(PURGE_V1));
    // Items of purged residents have no resident left to point to: the column cannot be NOT NULL again
    // without deleting them, which would change the runs' counts. Refused rather than done silently.
    const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM "bulk_run_items" WHERE "resident_id" IS NULL`)) as { n: number }[];
    if (n > 0) throw new Error(`PurgeLaterTables1764030000000 cannot be reverted: ${n} bulk run item(s) belong to purged residents`);
    await q.query(`ALTER TABLE "bulk_run_items" ALTER COLUMN "resident_id" SET NOT NULL`);
  }
}
