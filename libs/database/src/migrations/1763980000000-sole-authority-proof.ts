import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For a minor whose parental authority one parent exercises alone (C. civ. 372 al. 2, 373, 373-1,
 * 373-2-1): why, and the proof's reference and date (libs/residents/src/sole-authority.ts). All three
 * or none, and only with `parental_authority = 'sole'`. Files recorded before keep null: the
 * signature policy refuses a one-parent signature until the proof is entered.
 */
export class SoleAuthorityProof1763980000000 implements MigrationInterface {
  name = 'SoleAuthorityProof1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" ADD "sole_authority_ground" text, ADD "sole_authority_proof_reference" text, ADD "sole_authority_proof_date" date`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_sole_authority" CHECK ((sole_authority_ground IS NULL AND sole_authority_proof_reference IS NULL AND sole_authority_proof_date IS NULL) OR (parental_authority = 'sole' AND sole_authority_ground IN ('judgment', 'other_parent_deceased', 'other_parent_deprived', 'other_parent_unable', 'filiation') AND sole_authority_proof_reference IS NOT NULL AND sole_authority_proof_date IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_sole_authority"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "sole_authority_proof_date", DROP COLUMN "sole_authority_proof_reference", DROP COLUMN "sole_authority_ground"`);
  }
}
