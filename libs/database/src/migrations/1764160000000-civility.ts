import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's civility (« Madame » / « Monsieur »), optional, on the resident and on the contact — a
 * measure's holder, subrogé or ad hoc holder is always a contact (measure_holders.contact_id, NOT
 * NULL), a professional mandataire included: the titles the documents and the console print agree
 * with it (« tutrice », « curatrice », « présente »: @carepact/common civility.ts). Existing rows
 * get none (null): their titles stay the masculine generic, their documents unchanged. Down: the
 * columns go.
 */
export class Civility1764160000000 implements MigrationInterface {
  name = 'Civility1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "residents" ADD COLUMN "civility" text`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "ck_residents_civility" CHECK (civility IS NULL OR civility IN ('madame', 'monsieur'))`);
    await q.query(`ALTER TABLE "contacts" ADD COLUMN "civility" text`);
    await q.query(`ALTER TABLE "contacts" ADD CONSTRAINT "ck_contacts_civility" CHECK (civility IS NULL OR civility IN ('madame', 'monsieur'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contacts" DROP CONSTRAINT "ck_contacts_civility"`);
    await q.query(`ALTER TABLE "contacts" DROP COLUMN "civility"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "ck_residents_civility"`);
    await q.query(`ALTER TABLE "residents" DROP COLUMN "civility"`);
  }
}
