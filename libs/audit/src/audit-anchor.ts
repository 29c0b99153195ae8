import { createReadStream } from 'node:fs';
import { FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { DataSource, EntityManager } from 'typeorm';
import { AnchorReport, CheckpointBreak } from './audit-verifier';

/** One file per platform in AUDIT_ANCHOR_DIR: one JSON line per checkpoint, in order. */
export const ANCHOR_FILE = 'audit-checkpoints.jsonl';
/** pg_advisory_xact_lock key: one anchor writer at a time, whatever the worker process. */
const ANCHOR_LOCK = 7_150_002;
const BATCH = 500;

export interface AnchorLine {
  seq: number;
  hash: string;
  prevHash: string;
  chains: number;
  createdAt: string;
}

/** The anchor and the database disagree: the worker stops anchoring and says so (never overwrites). */
export class AnchorDisagreementError extends Error {
  readonly code = 'ANCHOR_DISAGREES';
}

/**
 * The copy of the checkpoint chain outside the database. A database restored to an older state,
 * or whose checkpoint tail was deleted, is consistent in itself; the anchor still lists the
 * checkpoints it lost.
 *
 * Lines are appended after the checkpoint's transaction commits, then fsync'd: a crash between
 * the two leaves the anchor one checkpoint behind (caught up by the next `sync`), never ahead, so
 * the verifier can require every line of the anchor to be in the database. A crash during the write
 * can leave a torn last line without its newline: `verify` ignores it and `sync` cuts it off.
 */
@Injectable()
export class AuditAnchor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  get file(): string {
    return join(this.config.audit.anchorDir, ANCHOR_FILE);
  }

  /**
   * Appends every committed checkpoint the anchor lacks. Refuses (AnchorDisagreementError) when the
   * database does not hold the anchor's last checkpoint as written: that is what `audit:verify
   * --anchor` must report, and appending would bury it.
   */
  async sync(): Promise<{ file: string; appended: number }> {
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1)`, [ANCHOR_LOCK]);
      const file = this.file;
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const created = !(await exists(file));
      const handle = await open(file, 'a+', 0o600);
      try {
        if (created) await fsyncDirectory(dirname(file));
        const tail = await readTail(handle, file);
        if (tail.last) await this.assertInDatabase(em, tail.last);
        // Cut a torn line (crash mid-write) before appending after it.
        if (tail.tornFrom !== null) await handle.truncate(tail.tornFrom);
        let after = tail.last?.seq ?? 0;
        let appended = 0;
        for (;;) {
          const rows = (await em.query(
            `SELECT seq, prev_hash, hash, chains, created_at FROM audit_platform_checkpoints WHERE seq > $1 ORDER BY seq LIMIT ${BATCH}`,
            [after],
          )) as { seq: string; prev_hash: string; hash: string; chains: number; created_at: Date }[];
          if (rows.length === 0) break;
          const text = rows
            .map((r) => JSON.stringify({ seq: Number(r.seq), hash: r.hash, prevHash: r.prev_hash, chains: r.chains, createdAt: new Date(r.created_at).toISOString() } satisfies AnchorLine) + '\n')
            .join('');
          await handle.write(text);
          await handle.sync();
          appended += rows.length;
          after = Number(rows[rows.length - 1].seq);
        }
        if (tail.tornFrom !== null && appended === 0) await handle.sync();
        return { file, appended };
      } finally {
        await handle.close();
      }
    });
  }

  /** Every checkpoint of the anchor file must be in the database, identical. The first disagreement is reported. */
  async verify(em: EntityManager, file: string): Promise<AnchorReport> {
    // A last line without its newline is a write a crash interrupted: not a checkpoint claim.
    const complete = await endsWithNewlineOrEmpty(file);
    let lines = 0;
    const batch: AnchorLine[] = [];
    let held: string | null = null;
    let lineNo = 0;
    const report = (firstBroken: CheckpointBreak | null): AnchorReport => ({ file, lines, ok: !firstBroken, firstBroken });
    const take = async (text: string, no: number): Promise<CheckpointBreak | null> => {
      const entry = parseLine(text);
      if (!entry) return { checkpointSeq: 0, reason: 'ANCHOR_UNREADABLE', message: `La ligne ${no} du fichier d'ancre est illisible.` };
      lines++;
      batch.push(entry);
      return batch.length >= BATCH ? this.compare(em, batch.splice(0)) : null;
    };
    for await (const text of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      if (held !== null) {
        const problem = await take(held, lineNo);
        if (problem) return report(problem);
      }
      held = text;
      lineNo++;
    }
    if (held !== null && complete) {
      const problem = await take(held, lineNo);
      if (problem) return report(problem);
    }
    return report(batch.length ? await this.compare(em, batch) : null);
  }

  private async compare(em: EntityManager, entries: AnchorLine[]): Promise<CheckpointBreak | null> {
    const rows = (await em.query(`SELECT seq, hash FROM audit_platform_checkpoints WHERE seq = ANY($1::bigint[])`, [entries.map((e) => e.seq)])) as {
      seq: string;
      hash: string;
    }[];
    const inDb = new Map(rows.map((r) => [Number(r.seq), r.hash]));
    for (const e of entries) {
      const hash = inDb.get(e.seq);
      if (hash === undefined)
        return {
          checkpointSeq: e.seq,
          reason: 'CHECKPOINT_MISSING',
          message: `Le point de contrôle n° ${e.seq} du ${e.createdAt} figure dans l'ancre mais pas dans la base : la base a été restaurée à un état antérieur ou ce point de contrôle a été supprimé.`,
        };
      if (hash !== e.hash)
        return {
          checkpointSeq: e.seq,
          reason: 'CHECKPOINT_ANCHOR_MISMATCH',
          message: `Le point de contrôle n° ${e.seq} de la base diffère de celui de l'ancre (${e.createdAt}) : la base a été restaurée puis a continué, ou ce point de contrôle a été remplacé.`,
        };
    }
    return null;
  }

  private async assertInDatabase(em: EntityManager, last: AnchorLine): Promise<void> {
    const [row] = (await em.query(`SELECT hash FROM audit_platform_checkpoints WHERE seq = $1`, [last.seq])) as { hash: string }[];
    if (!row || row.hash !== last.hash)
      throw new AnchorDisagreementError(
        `L'ancre ${this.file} atteste le point de contrôle n° ${last.seq} que la base ${row ? 'contient sous une autre forme' : 'ne contient pas'} : ` +
          `vérifiez avec « audit:verify --anchor ». Après une restauration assumée, archivez ce fichier : le suivant repartira de la base.`,
      );
  }
}

function parseLine(line: string): AnchorLine | null {
  try {
    const v = JSON.parse(line) as Partial<AnchorLine>;
    if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 1 || typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) return null;
    return { seq: v.seq as number, hash: v.hash, prevHash: String(v.prevHash ?? ''), chains: Number(v.chains ?? 0), createdAt: String(v.createdAt ?? '') };
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function endsWithNewlineOrEmpty(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/** The last complete line, and where a torn last line starts (null when the file ends with a newline). */
async function readTail(handle: FileHandle, file: string): Promise<{ last: AnchorLine | null; tornFrom: number | null }> {
  const { size } = await handle.stat();
  if (size === 0) return { last: null, tornFrom: null };
  // Lines are about 200 bytes; 64 KiB always holds the last complete one and any torn remainder.
  const start = Math.max(0, size - 64 * 1024);
  const buf = Buffer.alloc(size - start);
  await handle.read(buf, 0, buf.length, start);
  const text = buf.toString('utf8');
  const lastNewline = text.lastIndexOf('\n');
  const tornFrom = lastNewline === text.length - 1 ? null : start + Buffer.byteLength(text.slice(0, lastNewline + 1));
  const complete = text.slice(0, lastNewline + 1).split('\n').filter((l) => l !== '');
  if (complete.length === 0) return { last: null, tornFrom };
  const last = parseLine(complete[complete.length - 1]);
  if (!last) throw new AnchorDisagreementError(`La dernière ligne du fichier d'ancre ${file} est illisible.`);
  return { last, tornFrom };
}

async function fsyncDirectory(dir: string): Promise<void> {
  // The new file's directory entry must be durable too, or a crash could lose the whole file.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
