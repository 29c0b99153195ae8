import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents, immutable versions, renditions and content-addressed blobs (issue 3), plus the
 * establishment's tariffs and annexes used by the contrat de séjour. Drafted from the entities by
 * TypeORM's schema builder, completed by hand: grants, and triggers that keep a generated version,
 * its renditions and blobs from ever being edited.
 */
export class Documents1763910000000 implements MigrationInterface {
  name = 'Documents1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "establishments" ADD "tariffs" jsonb`);
    await q.query(`ALTER TABLE "establishments" ADD "annexes" jsonb`);
    await q.query(`CREATE TABLE "blobs" ("sha256" text NOT NULL, "byte_size" integer NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_blobs" PRIMARY KEY ("sha256"))`);
    await q.query(`CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "establishment_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "current_version_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_documents_status" CHECK (status IN ('generating', 'ready', 'generation_failed', 'in_signature', 'signed', 'refused', 'cancelled')), CONSTRAINT "ck_documents_type" CHECK (type IN ('contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese')), CONSTRAINT "pk_documents" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_documents_resident" ON "documents" ("organisation_id", "resident_id") `);
    await q.query(`CREATE TABLE "document_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "document_id" uuid NOT NULL, "number" integer NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "template_id" text NOT NULL, "template_version" text NOT NULL, "template_hash" text NOT NULL, "renderer_version" text NOT NULL, "input" jsonb NOT NULL, "input_hash" text NOT NULL, "error_code" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "generated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_document_versions_status" CHECK (status IN ('pending', 'ready', 'failed')), CONSTRAINT "pk_document_versions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_document_versions_number" ON "document_versions" ("document_id", "number") `);
    await q.query(`CREATE TABLE "renditions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version_id" uuid NOT NULL, "format" text NOT NULL, "variant" text NOT NULL, "blob_sha256" text NOT NULL, "byte_size" integer NOT NULL, "media_type" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_renditions_variant" CHECK (variant IN ('standard', 'falc', 'large-print')), CONSTRAINT "ck_renditions_format" CHECK (format IN ('pdf', 'docx', 'html')), CONSTRAINT "pk_renditions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_renditions_version_format_variant" ON "renditions" ("version_id", "format", "variant") `);
    await q.query(`ALTER TABLE "documents" ADD CONSTRAINT "fk_documents_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "documents" ADD CONSTRAINT "fk_documents_establishment" FOREIGN KEY ("establishment_id") REFERENCES "establishments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "documents" ADD CONSTRAINT "fk_documents_resident" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "document_versions" ADD CONSTRAINT "fk_document_versions_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "renditions" ADD CONSTRAINT "fk_renditions_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "renditions" ADD CONSTRAINT "fk_renditions_blob" FOREIGN KEY ("blob_sha256") REFERENCES "blobs"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON documents TO carepact_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON document_versions TO carepact_app`);
    await q.query(`GRANT SELECT, INSERT ON renditions, blobs TO carepact_app`);
    // A version's template, input and number never change; once generated (ready or failed) nothing
    // changes. Renditions and blobs are write-once.
    await q.query(`CREATE FUNCTION document_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'document versions are never deleted' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF OLD.status <> 'pending' THEN RAISE EXCEPTION 'a generated document version is immutable' USING ERRCODE = 'insufficient_privilege'; END IF;
        IF NEW.input IS DISTINCT FROM OLD.input OR NEW.input_hash <> OLD.input_hash OR NEW.template_id <> OLD.template_id
           OR NEW.template_version <> OLD.template_version OR NEW.template_hash <> OLD.template_hash
           OR NEW.number <> OLD.number OR NEW.document_id <> OLD.document_id OR NEW.reason <> OLD.reason THEN
          RAISE EXCEPTION 'a document version''s template and input are immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER document_versions_immutable BEFORE UPDATE OR DELETE ON document_versions FOR EACH ROW EXECUTE FUNCTION document_versions_immutable()`);
    await q.query(`CREATE FUNCTION write_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% rows are write-once', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`CREATE TRIGGER renditions_write_once BEFORE UPDATE OR DELETE ON renditions FOR EACH ROW EXECUTE FUNCTION write_once()`);
    await q.query(`CREATE TRIGGER blobs_write_once BEFORE UPDATE ON blobs FOR EACH ROW EXECUTE FUNCTION write_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER blobs_write_once ON blobs`);
    await q.query(`DROP TRIGGER renditions_write_once ON renditions`);
    await q.query(`DROP FUNCTION write_once()`);
    await q.query(`DROP TRIGGER document_versions_immutable ON document_versions`);
    await q.query(`DROP FUNCTION document_versions_immutable()`);
    await q.query(`DROP TABLE "renditions"`);
    await q.query(`DROP TABLE "document_versions"`);
    await q.query(`DROP TABLE "documents"`);
    await q.query(`DROP TABLE "blobs"`);
    await q.query(`ALTER TABLE "establishments" DROP COLUMN "annexes"`);
    await q.query(`ALTER TABLE "establishments" DROP COLUMN "tariffs"`);
  }
}
