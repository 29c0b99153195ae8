import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform foundation (issue 2): organisations, establishments, staff, sessions, residents and
 * their protection measures, the audit chain and the outbox. Tables drafted from the entities by
 * TypeORM's schema builder, then completed by hand: the application role and its grants, and the
 * triggers that make audit rows append-only for everyone.
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // The restricted role the application acts as (`-c role=carepact_app`). Roles are cluster-wide:
    // tolerate another database (or a concurrent test) having created it first.
    await q.query(`DO $$ BEGIN CREATE ROLE carepact_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('GRANT carepact_app TO %I', current_user); EXCEPTION WHEN others THEN NULL; END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO carepact_app`);

    await q.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "chain_id" uuid NOT NULL, "seq" bigint NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, "actor_type" text NOT NULL, "actor_id" text, "action" text NOT NULL, "subject_type" text, "subject_id" text, "payload" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_audit_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_events_chain_seq" ON "audit_events" ("chain_id", "seq") `);
    await q.query(`CREATE TABLE "audit_chain_heads" ("chain_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_audit_chain_heads" PRIMARY KEY ("chain_id"))`);
    await q.query(`CREATE TABLE "audit_checkpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "chain_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" text NOT NULL, "signature" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_audit_checkpoints" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_checkpoints_chain_seq" ON "audit_checkpoints" ("chain_id", "seq") `);
    await q.query(`CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "siren" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_organisations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "establishments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "name" text NOT NULL, "category" text NOT NULL, "finess" text NOT NULL, "address" text NOT NULL, "phone" text, "director_first_name" text NOT NULL, "director_last_name" text NOT NULL, "director_email" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_establishments_finess" CHECK (finess ~ '^[0-9A-B]{9}$'), CONSTRAINT "pk_establishments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_establishments_organisation" ON "establishments" ("organisation_id") `);
    await q.query(`CREATE TABLE "staff_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_staff_users" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_staff_users_organisation" ON "staff_users" ("organisation_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_staff_users_email" ON "staff_users" ("email") `);
    await q.query(`CREATE TABLE "staff_roles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "role" text NOT NULL, CONSTRAINT "ck_staff_roles_role" CHECK (role IN ('admissions', 'coordinator', 'director', 'auditor', 'administrator')), CONSTRAINT "pk_staff_roles" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_staff_roles_user_establishment_role" ON "staff_roles" ("user_id", "establishment_id", "role") `);
    await q.query(`CREATE TABLE "staff_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_staff_sessions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_staff_sessions_user" ON "staff_sessions" ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_staff_sessions_token_hash" ON "staff_sessions" ("token_hash") `);
    await q.query(`CREATE TABLE "login_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email_hash" text NOT NULL, "ip" text NOT NULL, "succeeded" boolean NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_login_attempts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_login_attempts_ip_time" ON "login_attempts" ("ip", "attempted_at") `);
    await q.query(`CREATE INDEX "ix_login_attempts_email_time" ON "login_attempts" ("email_hash", "attempted_at") `);
    await q.query(`CREATE TABLE "residents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "birth_name" text, "birth_date" date NOT NULL, "admission_date" date NOT NULL, "stay_type" text NOT NULL, "planned_end_date" date, "room" text, "prefers_large_print" boolean NOT NULL DEFAULT false, "prefers_easy_to_read" boolean NOT NULL DEFAULT false, "language" text NOT NULL DEFAULT 'fr', "email" text, "phone" text, "parental_authority" text, "personne_de_confiance_id" uuid, "personne_de_confiance_designated_on" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_residents_parental_authority" CHECK (parental_authority IS NULL OR parental_authority IN ('shared', 'sole', 'court_measure')), CONSTRAINT "ck_residents_stay_type" CHECK (stay_type IN ('permanent', 'temporary', 'day_care', 'at_home')), CONSTRAINT "pk_residents" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_residents_org_establishment" ON "residents" ("organisation_id", "establishment_id") `);
    await q.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "relation" text, "organisation_name" text, "email" text, "phone" text, "address" text, "holds_parental_authority" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_contacts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_contacts_resident" ON "contacts" ("resident_id") `);
    await q.query(`CREATE TABLE "protection_measures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "type" text NOT NULL, "mode" text NOT NULL, "scope" text array NOT NULL, "general" boolean NOT NULL DEFAULT true, "acts" text array NOT NULL, "mission" text, "court" text NOT NULL, "judgment_reference" text NOT NULL, "judgment_date" date NOT NULL, "start_date" date, "end_date" date, "mandate_effective_date" date, "judge_authorises_holder_alone" boolean NOT NULL DEFAULT false, "authorisation_reference" text, "proof_document_ref" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_protection_measures_dates" CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date), CONSTRAINT "ck_protection_measures_scope" CHECK (scope <@ ARRAY['personne', 'biens']::text[] AND cardinality(scope) > 0), CONSTRAINT "ck_protection_measures_mode" CHECK (mode IN ('assistance', 'representation')), CONSTRAINT "ck_protection_measures_type" CHECK (type IN ('sauvegarde_justice', 'curatelle', 'curatelle_renforcee', 'tutelle', 'habilitation_familiale', 'mandat_protection_future')), CONSTRAINT "pk_protection_measures" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_protection_measures_resident" ON "protection_measures" ("resident_id") `);
    await q.query(`CREATE TABLE "measure_holders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "measure_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "role" text NOT NULL, CONSTRAINT "ck_measure_holders_role" CHECK (role IN ('mandataire_special', 'curateur', 'tuteur', 'personne_habilitee', 'mandataire')), CONSTRAINT "pk_measure_holders" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_measure_holders_measure_contact" ON "measure_holders" ("measure_id", "contact_id") `);
    await q.query(`CREATE TABLE "outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid, "job_name" text NOT NULL, "job_id" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL, "enqueued_at" TIMESTAMP WITH TIME ZONE, "enqueue_count" integer NOT NULL DEFAULT '0', "done_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, "last_error" text, CONSTRAINT "pk_outbox" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_outbox_pending" ON "outbox" ("done_at", "available_at") `);
    await q.query(`CREATE UNIQUE INDEX "uq_outbox_job_id" ON "outbox" ("job_id") `);
    await q.query(`ALTER TABLE "establishments" ADD CONSTRAINT "fk_establishments_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "staff_users" ADD CONSTRAINT "fk_staff_users_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "staff_roles" ADD CONSTRAINT "fk_staff_roles_user" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "staff_roles" ADD CONSTRAINT "fk_staff_roles_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "staff_sessions" ADD CONSTRAINT "fk_staff_sessions_user" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "fk_residents_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "fk_residents_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "residents" ADD CONSTRAINT "fk_residents_personne_de_confiance" FOREIGN KEY ("personne_de_confiance_id") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contacts" ADD CONSTRAINT "fk_contacts_resident" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "protection_measures" ADD CONSTRAINT "fk_protection_measures_resident" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "measure_holders" ADD CONSTRAINT "fk_measure_holders_measure" FOREIGN KEY ("measure_id") REFERENCES "protection_measures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "measure_holders" ADD CONSTRAINT "fk_measure_holders_contact" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO carepact_app`);
    await q.query(`REVOKE ALL ON migrations FROM carepact_app`);
    await q.query(`GRANT SELECT ON migrations TO carepact_app`);
    // Audit rows and checkpoints are append-only: the grants say so for the application role and
    // the triggers say so for every role, owner included (SECURITY-RELIABILITY.md, "Audit chain").
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_checkpoints FROM carepact_app`);
    await q.query(`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit rows are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await q.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
    // Wakes the outbox relay as soon as a row commits (it also polls, so a missed notice is harmless).
    await q.query(`CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('carepact_outbox', ''); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await q.query(`DROP TRIGGER ${table}_no_update_delete ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await q.query(`DROP FUNCTION audit_append_only()`);
    await q.query(`ALTER TABLE "measure_holders" DROP CONSTRAINT "fk_measure_holders_contact"`);
    await q.query(`ALTER TABLE "measure_holders" DROP CONSTRAINT "fk_measure_holders_measure"`);
    await q.query(`ALTER TABLE "protection_measures" DROP CONSTRAINT "fk_protection_measures_resident"`);
    await q.query(`ALTER TABLE "contacts" DROP CONSTRAINT "fk_contacts_resident"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "fk_residents_personne_de_confiance"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "fk_residents_establishment"`);
    await q.query(`ALTER TABLE "residents" DROP CONSTRAINT "fk_residents_organisation"`);
    await q.query(`ALTER TABLE "staff_sessions" DROP CONSTRAINT "fk_staff_sessions_user"`);
    await q.query(`ALTER TABLE "staff_roles" DROP CONSTRAINT "fk_staff_roles_establishment"`);
    await q.query(`ALTER TABLE "staff_roles" DROP CONSTRAINT "fk_staff_roles_user"`);
    await q.query(`ALTER TABLE "staff_users" DROP CONSTRAINT "fk_staff_users_organisation"`);
    await q.query(`ALTER TABLE "establishments" DROP CONSTRAINT "fk_establishments_organisation"`);
    await q.query(`DROP INDEX "public"."uq_outbox_job_id"`);
    await q.query(`DROP INDEX "public"."ix_outbox_pending"`);
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP INDEX "public"."uq_measure_holders_measure_contact"`);
    await q.query(`DROP TABLE "measure_holders"`);
    await q.query(`DROP INDEX "public"."ix_protection_measures_resident"`);
    await q.query(`DROP TABLE "protection_measures"`);
    await q.query(`DROP INDEX "public"."ix_contacts_resident"`);
    await q.query(`DROP TABLE "contacts"`);
    await q.query(`DROP INDEX "public"."ix_residents_org_establishment"`);
    await q.query(`DROP TABLE "residents"`);
    await q.query(`DROP INDEX "public"."ix_login_attempts_email_time"`);
    await q.query(`DROP INDEX "public"."ix_login_attempts_ip_time"`);
    await q.query(`DROP TABLE "login_attempts"`);
    await q.query(`DROP INDEX "public"."uq_staff_sessions_token_hash"`);
    await q.query(`DROP INDEX "public"."ix_staff_sessions_user"`);
    await q.query(`DROP TABLE "staff_sessions"`);
    await q.query(`DROP INDEX "public"."uq_staff_roles_user_establishment_role"`);
    await q.query(`DROP TABLE "staff_roles"`);
    await q.query(`DROP INDEX "public"."uq_staff_users_email"`);
    await q.query(`DROP INDEX "public"."ix_staff_users_organisation"`);
    await q.query(`DROP TABLE "staff_users"`);
    await q.query(`DROP INDEX "public"."ix_establishments_organisation"`);
    await q.query(`DROP TABLE "establishments"`);
    await q.query(`DROP TABLE "organisations"`);
    await q.query(`DROP INDEX "public"."uq_audit_checkpoints_chain_seq"`);
    await q.query(`DROP TABLE "audit_checkpoints"`);
    await q.query(`DROP TABLE "audit_chain_heads"`);
    await q.query(`DROP INDEX "public"."uq_audit_events_chain_seq"`);
    await q.query(`DROP TABLE "audit_events"`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM carepact_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM carepact_app`);
    // The role itself stays: it is shared by every CarePact database of the cluster.
  }
}
