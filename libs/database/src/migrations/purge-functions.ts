/**
 * The text of the two purge functions (`carepact_purge_document`, `carepact_purge_resident`), one
 * builder for every migration that defines them, so that a later migration adds the tables it
 * must clear and its `down` puts back the earlier text exactly.
 *
 * - v1 (Retention1763950000000): signature requests and everything under them, versions,
 *   renditions, the blobs nothing else refers to; a resident's contacts, measures and file.
 * - v2 (PurgeLaterTables1764030000000): the tables added after v1 that refer to a document or a
 *   resident — the establishment's answers to a signer's questions and the document's visas
 *   (write-once, deleted with it), bulk-run items (they keep the run's counts and lose their link:
 *   document, person and message set to NULL, the message being built from the person's file),
 *   and annex files (a blob an establishment's annex file uses is never deleted with a document).
 *   schema.spec.ts checks that every foreign key into a purged table is either ON DELETE CASCADE /
 *   SET NULL or from a table these functions name.
 *
 * Both run as their owner (SECURITY DEFINER) and set the transaction-local `carepact.purging`
 * flag that the write-once triggers accept from a role other than the application's
 * (Retention1763950000000's header says why).
 */
export interface PurgeFunctionParts {
  /** Statements run before the document's requests' questions are deleted (rows referring to them). */
  beforeQuestions: string[];
  /** Statements run before the document's versions are deleted (rows referring to the document or its versions). */
  beforeVersions: string[];
  /** Further `AND NOT EXISTS (…)` guards on a blob before it is deleted (`b` is the blob). */
  blobGuards: string[];
  /** Statements run before the resident's row is deleted (rows referring to the resident). */
  beforeResident: string[];
}

export const PURGE_V1: PurgeFunctionParts = { beforeQuestions: [], beforeVersions: [], blobGuards: [], beforeResident: [] };

export const PURGE_V2: PurgeFunctionParts = {
  beforeQuestions: [
    `DELETE FROM signer_question_answers WHERE question_id IN (SELECT x.id FROM signer_questions x JOIN signature_requests q ON q.id = x.request_id WHERE q.document_id = p_document);`,
  ],
  beforeVersions: [
    `DELETE FROM document_visas WHERE document_id = p_document;`,
    `UPDATE bulk_run_items SET document_id = NULL, message = NULL WHERE document_id = p_document;`,
  ],
  blobGuards: [`AND NOT EXISTS (SELECT 1 FROM establishment_annex_files a WHERE a.blob_sha256 = b.sha256)`],
  beforeResident: [`UPDATE bulk_run_items SET resident_id = NULL, message = NULL WHERE resident_id = p_resident;`],
};

const lines = (statements: string[], indent: string) => statements.map((x) => `${indent}${x}\n`).join('');

export function purgeDocumentFunction(parts: PurgeFunctionParts): string {
  return `CREATE OR REPLACE FUNCTION carepact_purge_document(p_document uuid) RETURNS text[] LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_resident uuid;
        v_candidates text[];
        v_deleted text[];
      BEGIN
        SELECT resident_id INTO v_resident FROM documents WHERE id = p_document FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'PURGE_NOT_FOUND: document %', p_document USING ERRCODE = 'no_data_found'; END IF;
        IF EXISTS (SELECT 1 FROM legal_holds WHERE lifted_at IS NULL AND subject_id IN (p_document, v_resident)) THEN
          RAISE EXCEPTION 'LEGAL_HOLD: document % is under a legal hold', p_document USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT coalesce(array_agg(DISTINCT sha), '{}') INTO v_candidates FROM (
          SELECT r.blob_sha256 AS sha FROM renditions r JOIN document_versions v ON v.id = r.version_id WHERE v.document_id = p_document
          UNION SELECT s.blob_sha256 FROM sealed_documents s JOIN signature_requests q ON q.id = s.request_id WHERE q.document_id = p_document
          UNION SELECT p.original_sha256 FROM paper_signatures p JOIN signature_requests q ON q.id = p.request_id WHERE q.document_id = p_document) x;
        PERFORM set_config('carepact.purging', 'on', true);
        DELETE FROM paper_signatures WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
        DELETE FROM sealed_documents WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
        DELETE FROM signature_events WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
        DELETE FROM recorded_views WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
${lines(parts.beforeQuestions, '        ')}        DELETE FROM signer_questions WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
        DELETE FROM portal_sessions WHERE signer_id IN (SELECT s.id FROM signature_signers s JOIN signature_requests q ON q.id = s.request_id WHERE q.document_id = p_document);
        DELETE FROM signing_links WHERE signer_id IN (SELECT s.id FROM signature_signers s JOIN signature_requests q ON q.id = s.request_id WHERE q.document_id = p_document);
        DELETE FROM signature_signers WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id = p_document);
        DELETE FROM signature_requests WHERE document_id = p_document;
        UPDATE documents SET current_version_id = NULL WHERE id = p_document;
${lines(parts.beforeVersions, '        ')}        DELETE FROM renditions WHERE version_id IN (SELECT id FROM document_versions WHERE document_id = p_document);
        DELETE FROM document_versions WHERE document_id = p_document;
        DELETE FROM documents WHERE id = p_document;
        WITH gone AS (
          DELETE FROM blobs b WHERE b.sha256 = ANY (v_candidates)
             AND NOT EXISTS (SELECT 1 FROM renditions r WHERE r.blob_sha256 = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM sealed_documents s WHERE s.blob_sha256 = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM paper_signatures p WHERE p.original_sha256 = b.sha256)
${lines(parts.blobGuards, '             ')}          RETURNING b.sha256)
        SELECT coalesce(array_agg(sha256 ORDER BY sha256), '{}') INTO v_deleted FROM gone;
        PERFORM set_config('carepact.purging', 'off', true);
        RETURN v_deleted;
      END $$`;
}

export function purgeResidentFunction(parts: PurgeFunctionParts): string {
  return `CREATE OR REPLACE FUNCTION carepact_purge_resident(p_resident uuid) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM 1 FROM residents WHERE id = p_resident FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'PURGE_NOT_FOUND: resident %', p_resident USING ERRCODE = 'no_data_found'; END IF;
        IF EXISTS (SELECT 1 FROM legal_holds WHERE lifted_at IS NULL AND subject_id = p_resident) THEN
          RAISE EXCEPTION 'LEGAL_HOLD: resident % is under a legal hold', p_resident USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM documents WHERE resident_id = p_resident) THEN
          RAISE EXCEPTION 'PURGE_DOCUMENTS_REMAIN: resident % still has documents', p_resident USING ERRCODE = 'restrict_violation';
        END IF;
        UPDATE residents SET personne_de_confiance_id = NULL WHERE id = p_resident;
        DELETE FROM measure_holders WHERE measure_id IN (SELECT id FROM protection_measures WHERE resident_id = p_resident);
        DELETE FROM protection_measures WHERE resident_id = p_resident;
        DELETE FROM contacts WHERE resident_id = p_resident;
${lines(parts.beforeResident, '        ')}        DELETE FROM residents WHERE id = p_resident;
      END $$`;
}
