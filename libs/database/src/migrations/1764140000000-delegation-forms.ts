import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delegation of parental authority takes three forms (libs/residents/src/minor-representation.ts):
 * total or partial (C. civ. 377 al. 1-2 « tout ou partie », 377-1 al. 1 « La délégation, totale ou
 * partielle ») — the parents keep what is not delegated — and shared (« délégation-partage », C. civ.
 * 377-1 al. 2: the parents « partageront tout ou partie de l'exercice de l'autorité parentale avec le
 * tiers délégataire »). The file had a single « partielle ou partagée » value, routed as a shared
 * exercise (the délégataire and the parents sign together): those rows become 'shared', so they keep
 * the meaning they were recorded and signed with. A partial delegation now records whether it covers
 * the child's admission and accompaniment in the establishment (`delegation_covers_stay`), which says
 * who signs: the délégataire alone, or the parents alone.
 */
export class DelegationForms1764140000000 implements MigrationInterface {
  name = 'DelegationForms1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_delegation_extent"`);
    await q.query(`UPDATE "residents" SET "delegation_extent" = 'shared' WHERE "delegation_extent" = 'partial'`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_delegation_extent" CHECK (delegation_extent IS NULL OR (parental_authority = 'delegation' AND delegation_extent IN ('total', 'partial', 'shared')))`,
    );
    await q.query(`ALTER TABLE "residents" ADD "delegation_covers_stay" boolean`);
    // C. civ. 377, 377-1 al. 1: what a partial delegation covers is recorded with it, and only with it.
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_delegation_covers_stay" CHECK ((delegation_extent = 'partial' AND delegation_covers_stay IS NOT NULL) OR (delegation_covers_stay IS NULL AND (delegation_extent IS NULL OR delegation_extent <> 'partial')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_delegation_covers_stay"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "delegation_covers_stay"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_delegation_extent"`);
    // Back to the single « partielle ou partagée » value; a partial delegation recorded since is routed as it was then.
    await q.query(`UPDATE "residents" SET "delegation_extent" = 'partial' WHERE "delegation_extent" = 'shared'`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_delegation_extent" CHECK (delegation_extent IS NULL OR (parental_authority = 'delegation' AND delegation_extent IN ('total', 'partial')))`,
    );
  }
}
