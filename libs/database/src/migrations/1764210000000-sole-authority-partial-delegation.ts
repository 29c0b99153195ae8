import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The proof of sole exercise of parental authority (migration 1763980000000) may also be recorded
 * under a partial délégation that does not cover the child's admission and accompaniment in the
 * establishment: the parents keep what is not delegated as they held it (C. civ. 377 al. 1, 377-1
 * al. 1) — jointly (372 al. 1), or one alone on a ground the law gives (372 al. 2, 373, 373-1,
 * 373-2-1), whose proof the establishment must hold before that parent signs alone
 * (libs/residents minor-representation.ts `delegationLeavesStayToParents`).
 */
export class SoleAuthorityPartialDelegation1764210000000 implements MigrationInterface {
  name = 'SoleAuthorityPartialDelegation1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_sole_authority"`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_sole_authority" CHECK ((sole_authority_ground IS NULL AND sole_authority_proof_reference IS NULL AND sole_authority_proof_date IS NULL) OR ((parental_authority = 'sole' OR (parental_authority = 'delegation' AND delegation_extent = 'partial' AND delegation_covers_stay = false)) AND sole_authority_ground IN ('judgment', 'other_parent_deceased', 'other_parent_deprived', 'other_parent_unable', 'filiation') AND sole_authority_proof_reference IS NOT NULL AND sole_authority_proof_date IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "residents" SET sole_authority_ground = NULL, sole_authority_proof_reference = NULL, sole_authority_proof_date = NULL WHERE parental_authority IS DISTINCT FROM 'sole'`,
    );
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_sole_authority"`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_sole_authority" CHECK ((sole_authority_ground IS NULL AND sole_authority_proof_reference IS NULL AND sole_authority_proof_date IS NULL) OR (parental_authority = 'sole' AND sole_authority_ground IN ('judgment', 'other_parent_deceased', 'other_parent_deprived', 'other_parent_unable', 'filiation') AND sole_authority_proof_reference IS NOT NULL AND sole_authority_proof_date IS NOT NULL))`,
    );
  }
}
