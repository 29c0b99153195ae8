import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An establishment's legal status, public or private (libs/identity establishment-category.ts
 * ESTABLISHMENT_LEGAL_STATUSES): it decides the recourse a refusal of access names (a public
 * establishment: the CADA first, CRPA L.342-1, R.343-1; a private one: the judicial court and a
 * personne qualifiée, CASF L.311-5). Optional: existing establishments have none until staff record
 * it (the refusal letter then names both recourses).
 */
export class EstablishmentLegalStatus1764230000000 implements MigrationInterface {
  name = 'EstablishmentLegalStatus1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "establishments" ADD "legal_status" text`);
    await q.query(`ALTER TABLE "establishments" ADD CONSTRAINT "ck_establishments_legal_status" CHECK (legal_status IN ('public', 'private'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "establishments" DROP CONSTRAINT "ck_establishments_legal_status"`);
    await q.query(`ALTER TABLE "establishments" DROP COLUMN "legal_status"`);
  }
}
