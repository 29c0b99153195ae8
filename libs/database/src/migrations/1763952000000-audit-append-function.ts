import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, item 4: one statement per audit append. `audit_append` does, in the server, what
 * AuditService.append did in four round trips: lock the chain head (created at seq 0 on first use),
 * take the next seq and the time (milliseconds, as JavaScript stores it), hash
 * SHA-256(prev_hash ‖ canonical body), insert the event and move the head. The canonical body is
 * built by the application (libs/audit audit-hash.ts, `eventBodyParts`) around the two values only
 * the locked head knows — `occurredAt` and `seq` — so the chain format does not change: the
 * application re-computes the returned hash and refuses the append if it differs.
 */
export class AuditAppendFunction1763952000000 implements MigrationInterface {
  name = 'AuditAppendFunction1763952000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION audit_append(
        p_chain_id uuid, p_actor_type text, p_actor_id text, p_action text, p_subject_type text, p_subject_id text, p_payload jsonb,
        p_body_head text, p_body_mid text, p_body_tail text)
      RETURNS TABLE (event_id uuid, event_seq bigint, event_prev_hash text, event_hash text, event_occurred_at timestamptz)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_seq bigint;
        v_prev text;
        v_at timestamptz;
        v_hash text;
        v_id uuid;
      BEGIN
        SELECT h.seq, h.hash INTO v_seq, v_prev FROM audit_chain_heads h WHERE h.chain_id = p_chain_id FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO audit_chain_heads (chain_id, seq, hash, updated_at) VALUES (p_chain_id, 0, repeat('0', 64), now())
            ON CONFLICT (chain_id) DO NOTHING;
          SELECT h.seq, h.hash INTO v_seq, v_prev FROM audit_chain_heads h WHERE h.chain_id = p_chain_id FOR UPDATE;
        END IF;
        v_seq := v_seq + 1;
        v_at := date_trunc('milliseconds', clock_timestamp());
        v_hash := encode(sha256(convert_to(
          v_prev || p_body_head || to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || p_body_mid || v_seq::text || p_body_tail,
          'UTF8')), 'hex');
        INSERT INTO audit_events (chain_id, seq, prev_hash, hash, actor_type, actor_id, action, subject_type, subject_id, payload, occurred_at)
          VALUES (p_chain_id, v_seq, v_prev, v_hash, p_actor_type, p_actor_id, p_action, p_subject_type, p_subject_id, p_payload, v_at)
          RETURNING id INTO v_id;
        UPDATE audit_chain_heads SET seq = v_seq, hash = v_hash, updated_at = v_at WHERE chain_id = p_chain_id;
        RETURN QUERY SELECT v_id, v_seq, v_prev, v_hash, v_at;
      END
      $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_append(uuid, text, text, text, text, text, jsonb, text, text, text) TO carepact_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_append(uuid, text, text, text, text, text, jsonb, text, text, text)`);
  }
}
