import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signature routing (issue 4): requests bound to one version hash, signers with their capacity and
 * the measure behind it, single-purpose links (hash only), short portal sessions, the chronological
 * evidence, recorded views, questions, and the one seal per request. Drafted from the entities by
 * TypeORM's schema builder; grants and the append-only evidence added by hand.
 */
export class Signing1763920000000 implements MigrationInterface {
  name = 'Signing1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "signature_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "document_id" uuid NOT NULL, "version_id" uuid NOT NULL, "version_hash" text NOT NULL, "pdf_sha256" text NOT NULL, "status" text NOT NULL, "mode" text NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "reminder_days" integer array NOT NULL, "policy" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_signature_requests_mode" CHECK (mode IN ('parallel', 'sequential')), CONSTRAINT "ck_signature_requests_status" CHECK (status IN ('active', 'completed', 'refused', 'cancelled', 'expired')), CONSTRAINT "pk_signature_requests" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_signature_requests_document" ON "signature_requests" ("document_id") `);
    await q.query(`CREATE TABLE "signature_signers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "key" text NOT NULL, "role" text NOT NULL, "contact_id" uuid, "first_name" text NOT NULL, "last_name" text NOT NULL, "email" text, "capacity" text NOT NULL, "measure" jsonb, "legal_basis" text NOT NULL, "order_no" integer NOT NULL, "optional" boolean NOT NULL, "delivery" text NOT NULL, "status" text NOT NULL, "access_code_required" boolean NOT NULL DEFAULT false, "access_code_hash" text, "access_code_expires_at" TIMESTAMP WITH TIME ZONE, "access_code_failures" integer NOT NULL DEFAULT '0', "acted_at" TIMESTAMP WITH TIME ZONE, "typed_name" text, "drawn_signature" text, "refusal_reason" text, "refusal_acknowledged_at" TIMESTAMP WITH TIME ZONE, "auth_method" text, "ip" text, "user_agent" text, "witness" jsonb, "last_email_status" text, CONSTRAINT "ck_signature_signers_delivery" CHECK (delivery IN ('email', 'in_person', 'staff')), CONSTRAINT "ck_signature_signers_status" CHECK (status IN ('pending', 'signed', 'refused')), CONSTRAINT "pk_signature_signers" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_signature_signers_request_key" ON "signature_signers" ("request_id", "key") `);
    await q.query(`CREATE TABLE "signing_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "request_id" uuid NOT NULL, "signer_id" uuid NOT NULL, "token_hash" text NOT NULL, "version_hash" text NOT NULL, "purpose" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_signing_links" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_signing_links_signer" ON "signing_links" ("signer_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_signing_links_token_hash" ON "signing_links" ("token_hash") `);
    await q.query(`CREATE TABLE "portal_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "signer_id" uuid NOT NULL, "link_id" uuid, "token_hash" text NOT NULL, "csrf_token" text NOT NULL, "opened_by" uuid, "code_verified" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_portal_sessions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_portal_sessions_token_hash" ON "portal_sessions" ("token_hash") `);
    await q.query(`CREATE TABLE "signature_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "signer_id" uuid, "kind" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" text, "user_agent" text, "details" jsonb NOT NULL, CONSTRAINT "pk_signature_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_signature_events_request" ON "signature_events" ("request_id", "at") `);
    await q.query(`CREATE TABLE "recorded_views" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "view_key" text NOT NULL, "person_name" text NOT NULL, "expression" text NOT NULL, "comment" text, "recorded_by_signer_id" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_recorded_views_expression" CHECK (expression IN ('accord', 'accord_partiel', 'desaccord', 'ne_se_prononce_pas', 'ne_peut_pas_s_exprimer')), CONSTRAINT "pk_recorded_views" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_recorded_views_request_key" ON "recorded_views" ("request_id", "view_key") `);
    await q.query(`CREATE TABLE "signer_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "signer_id" uuid NOT NULL, "message" text NOT NULL, "asked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE, "answered_by" uuid, "answer" text, CONSTRAINT "pk_signer_questions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_signer_questions_request" ON "signer_questions" ("request_id") `);
    await q.query(`CREATE TABLE "sealed_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "version_id" uuid NOT NULL, "blob_sha256" text NOT NULL, "evidence" jsonb NOT NULL, "evidence_sha256" text NOT NULL, "certificate_subject" text NOT NULL, "sealed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_sealed_documents" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_sealed_documents_request" ON "sealed_documents" ("request_id") `);
    await q.query(`ALTER TABLE "signature_requests" ADD CONSTRAINT "fk_signature_requests_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "signature_requests" ADD CONSTRAINT "fk_signature_requests_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "signature_signers" ADD CONSTRAINT "fk_signature_signers_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "signing_links" ADD CONSTRAINT "fk_signing_links_signer" FOREIGN KEY ("signer_id") REFERENCES "signature_signers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "portal_sessions" ADD CONSTRAINT "fk_portal_sessions_signer" FOREIGN KEY ("signer_id") REFERENCES "signature_signers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "signature_events" ADD CONSTRAINT "fk_signature_events_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "recorded_views" ADD CONSTRAINT "fk_recorded_views_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "signer_questions" ADD CONSTRAINT "fk_signer_questions_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sealed_documents" ADD CONSTRAINT "fk_sealed_documents_request" FOREIGN KEY ("request_id") REFERENCES "signature_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON signature_requests, signature_signers, signing_links, portal_sessions, signature_events, recorded_views, signer_questions, sealed_documents TO carepact_app`);
    // Evidence events and seals are never changed once written.
    await q.query(`REVOKE UPDATE ON signature_events, sealed_documents FROM carepact_app`);
    await q.query(`CREATE TRIGGER signature_events_write_once BEFORE UPDATE OR DELETE ON signature_events FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(`CREATE TRIGGER sealed_documents_write_once BEFORE UPDATE OR DELETE ON sealed_documents FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sealed_documents_write_once ON sealed_documents`);
    await q.query(`DROP TRIGGER signature_events_write_once ON signature_events`);
    await q.query(`ALTER TABLE "sealed_documents" DROP CONSTRAINT "fk_sealed_documents_request"`);
    await q.query(`ALTER TABLE "signer_questions" DROP CONSTRAINT "fk_signer_questions_request"`);
    await q.query(`ALTER TABLE "recorded_views" DROP CONSTRAINT "fk_recorded_views_request"`);
    await q.query(`ALTER TABLE "signature_events" DROP CONSTRAINT "fk_signature_events_request"`);
    await q.query(`ALTER TABLE "portal_sessions" DROP CONSTRAINT "fk_portal_sessions_signer"`);
    await q.query(`ALTER TABLE "signing_links" DROP CONSTRAINT "fk_signing_links_signer"`);
    await q.query(`ALTER TABLE "signature_signers" DROP CONSTRAINT "fk_signature_signers_request"`);
    await q.query(`ALTER TABLE "signature_requests" DROP CONSTRAINT "fk_signature_requests_version"`);
    await q.query(`ALTER TABLE "signature_requests" DROP CONSTRAINT "fk_signature_requests_document"`);
    await q.query(`DROP INDEX "public"."uq_sealed_documents_request"`);
    await q.query(`DROP TABLE "sealed_documents"`);
    await q.query(`DROP INDEX "public"."ix_signer_questions_request"`);
    await q.query(`DROP TABLE "signer_questions"`);
    await q.query(`DROP INDEX "public"."uq_recorded_views_request_key"`);
    await q.query(`DROP TABLE "recorded_views"`);
    await q.query(`DROP INDEX "public"."ix_signature_events_request"`);
    await q.query(`DROP TABLE "signature_events"`);
    await q.query(`DROP INDEX "public"."uq_portal_sessions_token_hash"`);
    await q.query(`DROP TABLE "portal_sessions"`);
    await q.query(`DROP INDEX "public"."uq_signing_links_token_hash"`);
    await q.query(`DROP INDEX "public"."ix_signing_links_signer"`);
    await q.query(`DROP TABLE "signing_links"`);
    await q.query(`DROP INDEX "public"."uq_signature_signers_request_key"`);
    await q.query(`DROP TABLE "signature_signers"`);
    await q.query(`DROP INDEX "public"."ix_signature_requests_document"`);
    await q.query(`DROP TABLE "signature_requests"`);
  }
}
