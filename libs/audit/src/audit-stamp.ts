import { EntityManager } from 'typeorm';

/**
 * The sequence number of an audit chain's head: it moves with every audited event of the chain, and
 * every state change of the product is audited in the transaction that makes it (design note
 * SECURITY-RELIABILITY.md). So two equal stamps mean no audited change in between, in any process:
 * what a page computed from the organisation's data can be reused until the stamp moves.
 * One primary-key read; '0' for a chain without events.
 */
export async function auditChainStamp(em: EntityManager, chainId: string): Promise<string> {
  const rows = (await em.query(`SELECT seq FROM audit_chain_heads WHERE chain_id = $1`, [chainId])) as { seq: string }[];
  return rows[0]?.seq ?? '0';
}
