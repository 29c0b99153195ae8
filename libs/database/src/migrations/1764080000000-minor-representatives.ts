import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A minor's representatives other than the parents (libs/residents/src/minor-representation.ts):
 * the tutelle of a minor (C. civ. 390 s., 408; a pupille de l'État, CASF L.224-1 s.), the delegation
 * of parental authority by judgment (C. civ. 377, 377-1), and, for a placement (C. civ. 375-7), the
 * service the child is entrusted to and the judge's authorisation to perform a non-usual act. The
 * contact's `minor_role` says who represents; the resident records the decision. Files recorded
 * before keep nulls (a placement needs none; a tutelle or a delegation cannot exist before).
 */
export class MinorRepresentatives1764080000000 implements MigrationInterface {
  name = 'MinorRepresentatives1764080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_parental_authority"`);
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_parental_authority" CHECK (parental_authority IS NULL OR parental_authority IN ('shared', 'sole', 'court_measure', 'tutelle', 'delegation'))`,
    );
    await q.query(
      `ALTER TABLE "residents" ADD "minor_decision_authority" text, ADD "minor_decision_reference" text, ADD "minor_decision_date" date, ADD "delegation_extent" text, ADD "ward_of_state" boolean NOT NULL DEFAULT false, ADD "act_authorisation_reference" text, ADD "act_authorisation_date" date`,
    );
    // The decision: all three or none, and only for a tutelle, a delegation or a placement.
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_minor_decision" CHECK ((minor_decision_authority IS NULL AND minor_decision_reference IS NULL AND minor_decision_date IS NULL) OR (parental_authority IN ('tutelle', 'delegation', 'court_measure') AND minor_decision_authority IS NOT NULL AND minor_decision_reference IS NOT NULL AND minor_decision_date IS NOT NULL))`,
    );
    // C. civ. 377, 377-1: a delegation's extent, with its judgment; none otherwise.
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_delegation_extent" CHECK (delegation_extent IS NULL OR (parental_authority = 'delegation' AND delegation_extent IN ('total', 'partial')))`,
    );
    // CASF L.224-1: a pupille de l'État is under tutelle.
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_ward_of_state" CHECK (NOT ward_of_state OR parental_authority = 'tutelle')`);
    // C. civ. 375-7: the juge des enfants' authorisation, for a placement only, reference and date together.
    await q.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_act_authorisation" CHECK ((act_authorisation_reference IS NULL AND act_authorisation_date IS NULL) OR (parental_authority = 'court_measure' AND act_authorisation_reference IS NOT NULL AND act_authorisation_date IS NOT NULL))`,
    );
    await q.query(`ALTER TABLE "contacts" ADD "minor_role" text`);
    await q.query(`ALTER TABLE "contacts" ADD CONSTRAINT "ck_contacts_minor_role" CHECK (minor_role IS NULL OR minor_role IN ('tuteur', 'delegataire', 'service_gardien'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contacts" DROP CONSTRAINT "ck_contacts_minor_role"`);
    await q.query(`ALTER TABLE "contacts" DROP COLUMN "minor_role"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_act_authorisation"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_ward_of_state"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_delegation_extent"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_minor_decision"`);
    await q.query(
      `ALTER TABLE "residents" DROP COLUMN "act_authorisation_date", DROP COLUMN "act_authorisation_reference", DROP COLUMN "ward_of_state", DROP COLUMN "delegation_extent", DROP COLUMN "minor_decision_date", DROP COLUMN "minor_decision_reference", DROP COLUMN "minor_decision_authority"`,
    );
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_parental_authority"`);
    await q.query(`UPDATE "residents" SET "parental_authority" = NULL WHERE "parental_authority" IN ('tutelle', 'delegation')`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_parental_authority" CHECK (parental_authority IS NULL OR parental_authority IN ('shared', 'sole', 'court_measure'))`);
  }
}
