import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { parseMimeMessage } from './mime-parser';

export interface ReceivedMail {
  id: string;
  receivedAt: Date;
  /** The From header, decoded (`CarePact <no-reply@…>`). */
  from: string;
  /** The envelope recipients (RCPT TO): who the message was actually delivered to. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Decoded headers by lower-case name (first occurrence). */
  headers: Record<string, string>;
}

export interface DevMailboxOptions {
  /** Messages kept, oldest dropped first. */
  capacity?: number;
  /** Largest message accepted, in bytes. */
  maxMessageBytes?: number;
  /**
   * Where the messages are kept across restarts (`messages.jsonl`, one message a line); without it
   * they live in memory only (tests).
   */
  storeDir?: string;
}

type Listener = (mail: ReceivedMail) => void;

/**
 * A local SMTP server for development and tests when SMTP_URL is not set: it keeps the last
 * messages (in memory, and in `storeDir` when given, so a restart of `npm start` does not lose the
 * links a new user has not opened yet) and serves them at /dev/mail.
 * Bound to 127.0.0.1 only, no authentication, no TLS: it must never be reachable from outside.
 */
export class DevMailbox {
  private server: SMTPServer | null = null;
  private readonly mails: ReceivedMail[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly file: string | null;
  /** Lines in the file: compacted to the last `capacity` once it holds twice as many. */
  private fileLines = 0;

  constructor(options: DevMailboxOptions = {}) {
    this.capacity = options.capacity ?? 200;
    this.maxBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
    this.file = options.storeDir ? join(options.storeDir, 'messages.jsonl') : null;
    if (options.storeDir) {
      mkdirSync(options.storeDir, { recursive: true, mode: 0o700 });
      this.load();
    }
  }

  private load(): void {
    if (!this.file || !existsSync(this.file)) return;
    const lines = readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    this.fileLines = lines.length;
    for (const line of lines) {
      try {
        const m = JSON.parse(line) as ReceivedMail & { receivedAt: string };
        if (typeof m.id !== 'string' || typeof m.subject !== 'string') continue;
        this.mails.push({ ...m, receivedAt: new Date(m.receivedAt) });
      } catch {
        // A line cut short by a crash mid-write: the others still count.
      }
    }
    if (this.mails.length > this.capacity) this.mails.splice(0, this.mails.length - this.capacity);
  }

  private persist(mail: ReceivedMail): void {
    if (!this.file) return;
    if (this.fileLines + 1 > 2 * this.capacity) {
      // Rewrite with the messages kept, then swap: the file never grows past twice the capacity.
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, this.mails.map((m) => `${JSON.stringify(m)}\n`).join(''), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.fileLines = this.mails.length;
    } else {
      appendFileSync(this.file, `${JSON.stringify(mail)}\n`, { mode: 0o600 });
      this.fileLines++;
    }
  }

  /** Starts listening; port 0 picks a free port. */
  async start(port: number): Promise<{ port: number }> {
    if (this.server) throw new Error('DevMailbox already started');
    // Loaded here: only the development api runs a mailbox, every other process imports this library without one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SMTPServer: Server } = require('smtp-server') as typeof import('smtp-server');
    const server = new Server({
      banner: 'CarePact dev mailbox',
      authOptional: true,
      // nodemailer upgrades to STARTTLS whenever it is offered, and would then refuse the
      // self-signed certificate smtp-server uses by default: loopback needs no TLS.
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: this.maxBytes,
      logger: false,
      closeTimeout: 1000,
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    // A client's protocol error must not bring the API down with it.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return { port: (server.server.address() as AddressInfo).port };
  }

  /** Newest first. */
  list(): ReceivedMail[] {
    return [...this.mails].reverse();
  }

  get(id: string): ReceivedMail | undefined {
    return this.mails.find((m) => m.id === id);
  }

  clear(): void {
    this.mails.length = 0;
    if (this.file) {
      writeFileSync(this.file, '', { mode: 0o600 });
      this.fileLines = 0;
    }
  }

  /** Called for each message received; returns the function that unsubscribes. */
  onMail(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const already = this.mails.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching email within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onMail((m) => {
        if (!match(m)) return;
        clearTimeout(timer);
        off();
        resolve(m);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => {
      // Past the limit the rest is drained and dropped; smtp-server sets sizeExceeded.
      if (!stream.sizeExceeded) chunks.push(c);
    });
    stream.on('error', (e) => callback(e));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const e = Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 });
        return callback(e);
      }
      try {
        this.store(Buffer.concat(chunks), session);
        callback();
      } catch {
        callback(Object.assign(new Error('Message could not be read'), { responseCode: 554 }));
      }
    });
  }

  private store(raw: Buffer, session: SMTPServerSession): void {
    const parsed = parseMimeMessage(raw);
    const mail: ReceivedMail = {
      id: randomUUID(),
      receivedAt: new Date(),
      from: parsed.headers['from'] ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
      to: session.envelope.rcptTo.map((r) => r.address),
      subject: parsed.headers['subject'] ?? '',
      text: parsed.text ?? '',
      html: parsed.html ?? '',
      headers: parsed.headers,
    };
    this.mails.push(mail);
    if (this.mails.length > this.capacity) this.mails.splice(0, this.mails.length - this.capacity);
    try {
      this.persist(mail);
    } catch {
      // A full or read-only disk must not refuse the message: it is listed, only until the next restart.
    }
    for (const l of this.listeners) {
      try {
        l(mail);
      } catch {
        // A listener's failure is its own; the message is stored and acknowledged regardless.
      }
    }
  }
}
