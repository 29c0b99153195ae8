import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventHash } from '@carepact/audit';
import { sha256Hex } from '@carepact/common';

/** Where a generated document goes: the organisation, the establishment, its resident, when. */
export interface FixtureDocument {
  organisationId: string;
  establishmentId: string;
  residentId: string;
  at: Date;
  signed: boolean;
}

/**
 * One contrat de séjour written directly in SQL (benches of an establishment's year: bench:archive,
 * bench:purge): the document, version 1 and three renditions of random bytes (PDF 40 kB, DOCX 20 kB,
 * HTML 8 kB, each its own blob). The caller's transaction; the signature part is the caller's.
 */
export async function insertFixtureDocument(db: Client, d: FixtureDocument, input: Record<string, unknown> = {}): Promise<{ documentId: string; versionId: string }> {
  const documentId = randomUUID();
  const versionId = randomUUID();
  await db.query(
    `INSERT INTO documents (id, organisation_id, establishment_id, resident_id, type, status, current_version_id, created_at, updated_at) VALUES ($1, $2, $3, $4, 'contrat-sejour', $5, $6, $7, $7)`,
    [documentId, d.organisationId, d.establishmentId, d.residentId, d.signed ? 'signed' : 'ready', versionId, d.at],
  );
  await db.query(
    `INSERT INTO document_versions (id, organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at, generated_at)
     VALUES ($1, $2, $3, 1, 'Création du document', 'ready', 'contrat-sejour', '1', $4, 'bench', $5, $6, $7, $7)`,
    [versionId, d.organisationId, documentId, '0'.repeat(64), JSON.stringify(input), sha256Hex(documentId), d.at],
  );
  for (const [format, size, media] of [
    ['pdf', 40_000, 'application/pdf'],
    ['docx', 20_000, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['html', 8_000, 'text/html'],
  ] as const) {
    const content = randomBytes(size);
    const sha = sha256Hex(content);
    await db.query(`INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ($1, $2, $3, now())`, [sha, size, content]);
    await db.query(`INSERT INTO renditions (version_id, format, variant, blob_sha256, byte_size, media_type, created_at) VALUES ($1, $2, 'standard', $3, $4, $5, $6)`, [
      versionId,
      format,
      sha,
      size,
      media,
      d.at,
    ]);
  }
  return { documentId, versionId };
}

export interface FixtureEvent {
  action: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

/** An organisation's audit chain as the benches extend it (its head, read once with `chainHead`). */
export interface FixtureChain {
  organisationId: string;
  seq: number;
  prev: string;
}

export async function chainHead(db: Client, organisationId: string): Promise<FixtureChain> {
  const [head] = (await db.query(`SELECT seq, hash FROM audit_chain_heads WHERE chain_id = $1`, [organisationId])).rows as { seq: string; hash: string }[];
  return { organisationId, seq: Number(head.seq), prev: head.hash };
}

/** Appends system events to the chain (hashed as AuditService does) and moves its head; the caller's transaction. */
export async function appendFixtureEvents(db: Client, chain: FixtureChain, events: FixtureEvent[], at: Date): Promise<void> {
  for (const e of events) {
    chain.seq++;
    const hash = eventHash(chain.prev, { chainId: chain.organisationId, seq: chain.seq, actorType: 'system', actorId: 'bench', action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, payload: e.payload, occurredAt: at });
    await db.query(
      `INSERT INTO audit_events (chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at) VALUES ($1, $2, $3, $4, 'system', 'bench', $5, $6, $7, $8, $9)`,
      [chain.organisationId, chain.seq, chain.prev, hash, e.action, e.subjectType, e.subjectId, e.payload, at],
    );
    chain.prev = hash;
  }
  await db.query(`UPDATE audit_chain_heads SET seq = $2, hash = $3, updated_at = now() WHERE chain_id = $1`, [chain.organisationId, chain.seq, chain.prev]);
}
