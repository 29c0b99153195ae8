import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts (issue 11 item 7) and establishment settings (issue 10 item 8): single-use
 * password links (invitation, reset; only the token's SHA-256 is stored), the reset requests
 * counted for rate limiting, when each account's password was chosen, and the establishment's contacts. Drafted from the entities by
 * TypeORM's schema builder; grants by hand.
 */
export class StaffAccounts1763951000000 implements MigrationInterface {
  name = 'StaffAccounts1763951000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "account_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_account_tokens_purpose" CHECK (purpose IN ('invitation', 'reset')), CONSTRAINT "pk_account_tokens" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_account_tokens_token_hash" ON "account_tokens" ("token_hash") `);
    await q.query(`CREATE INDEX "ix_account_tokens_user" ON "account_tokens" ("user_id") `);
    await q.query(`ALTER TABLE "account_tokens" ADD CONSTRAINT "fk_account_tokens_user" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`CREATE TABLE "password_reset_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email_hash" text NOT NULL, "ip" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_password_reset_requests" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_password_reset_requests_email_time" ON "password_reset_requests" ("email_hash", "requested_at") `);
    await q.query(`CREATE INDEX "ix_password_reset_requests_ip_time" ON "password_reset_requests" ("ip", "requested_at") `);
    await q.query(`ALTER TABLE "establishments" ADD "contacts" jsonb`);
    // Accounts created before invitations were given their password by whoever created them.
    await q.query(`ALTER TABLE "staff_users" ADD "password_set_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "staff_users" SET "password_set_at" = "created_at"`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON account_tokens, password_reset_requests TO carepact_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "staff_users" DROP COLUMN "password_set_at"`);
    await q.query(`ALTER TABLE "establishments" DROP COLUMN "contacts"`);
    await q.query(`DROP TABLE "password_reset_requests"`);
    await q.query(`DROP TABLE "account_tokens"`);
  }
}
