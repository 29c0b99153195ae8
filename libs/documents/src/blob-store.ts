import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@carepact/common';
import { EntityManager } from 'typeorm';

/**
 * Content-addressed storage (SHA-256), each content stored once. PostgreSQL today; an
 * S3-compatible store can stand behind the same two methods (ARCHITECTURE.md, "Scale").
 */
@Injectable()
export class BlobStore {
  async put(em: EntityManager, content: Buffer): Promise<string> {
    const sha = sha256Hex(content);
    await em.query(`INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT (sha256) DO NOTHING`, [
      sha,
      content.length,
      content,
    ]);
    return sha;
  }

  /**
   * Several contents in one statement (a bundle's 9 renditions: one round trip instead of 9).
   * Returns their addresses in the same order; a content given twice is stored once.
   */
  async putMany(em: EntityManager, contents: Buffer[]): Promise<string[]> {
    return this.putManyThen(em, contents);
  }

  /**
   * putMany, and in the same statement the rows that point at these blobs (a version's renditions:
   * one round trip instead of two, issue 12). `then` receives the addresses and the parameter list
   * (the blobs' parameters already in it) and returns an INSERT whose own parameters it has pushed.
   * The INSERT runs after the blobs' (its foreign keys are checked at the end of the statement).
   */
  async putManyThen(em: EntityManager, contents: Buffer[], then?: (shas: string[], params: unknown[]) => string): Promise<string[]> {
    const shas = contents.map((c) => sha256Hex(c));
    const unique = new Map<string, Buffer>();
    contents.forEach((c, i) => unique.set(shas[i], c));
    const params: unknown[] = [];
    const rows = [...unique].map(([sha, c]) => {
      params.push(sha, c.length, c);
      const n = params.length;
      return `($${n - 2}, $${n - 1}, $${n}, now())`;
    });
    const blobs = rows.length ? `INSERT INTO blobs (sha256, byte_size, content, created_at) VALUES ${rows.join(', ')} ON CONFLICT (sha256) DO NOTHING` : null;
    const next = then ? then(shas, params) : null;
    if (blobs && next) await em.query(`WITH stored AS (${blobs}) ${next}`, params);
    else if (blobs || next) await em.query((blobs ?? next)!, params);
    return shas;
  }

  async get(em: EntityManager, sha256: string): Promise<Buffer | null> {
    const content = await this.unchecked(em, sha256);
    // Integrity on read: a blob whose bytes no longer match its address is never served.
    if (content && sha256Hex(content) !== sha256) throw new Error(`blob ${sha256} corrupted`);
    return content;
  }

  /** The stored bytes as they are, even altered: only for a verification that reports the mismatch itself. */
  async unchecked(em: EntityManager, sha256: string): Promise<Buffer | null> {
    const rows = (await em.query(`SELECT content FROM blobs WHERE sha256 = $1`, [sha256])) as { content: Buffer }[];
    return rows.length ? rows[0].content : null;
  }
}
