import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { MailDeliveryError, classifySmtpError } from './mail-errors';
import { isValidEmailAddress, parseMailbox, type ParsedMailbox } from './mail-address';
import { subjectLine } from './email-values';

export interface MailTransportOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465` (implicit TLS). */
  url: string;
  /** SMTP_FROM, e.g. `CarePact <no-reply@example.fr>`. */
  from: string;
  /** Milliseconds; nodemailer's defaults (2 min to connect, 10 min idle) would hold a job far
   * beyond its lock. */
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export interface MailRecipient {
  address: string;
  name?: string | null;
}

export interface OutgoingMail {
  /** One recipient per message: signing links are personal. */
  to: string | MailRecipient;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (names of letters, digits and dashes; the headers CarePact sets itself cannot be replaced). */
  headers?: Record<string, string>;
  /**
   * A Message-ID derived from the outbox entry (`<id@host>`): the worker delivers at least once, and
   * a repeated send keeps the same id, which lets receiving systems recognise the duplicate.
   */
  messageId?: string;
  /** Where replies go, e.g. the establishment's address. */
  replyTo?: string | MailRecipient;
}

export interface SentMail {
  messageId: string;
}

/** Headers that come from the message itself or are set here: a caller cannot override them. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'auto-submitted',
  'return-path',
]);

/**
 * Sends CarePact's emails over SMTP. Every failure becomes a MailDeliveryError that says whether
 * a retry can help. Message content is never logged (the links in it are credentials).
 */
export class MailTransport {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly from: ParsedMailbox;

  constructor(options: MailTransportOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new Error('SMTP_URL is not a URL');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
    const from = parseMailbox(options.from);
    if (!from) throw new Error('SMTP_FROM must be an address or "Name <address>"');
    this.from = from;
    this.transporter = createTransport({
      url: options.url,
      connectionTimeout: options.connectionTimeoutMs ?? 15_000,
      greetingTimeout: options.connectionTimeoutMs ?? 15_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      // Content is always given as strings: never let a message make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const to = recipient(mail.to);
    const replyTo = mail.replyTo === undefined ? undefined : recipient(mail.replyTo);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(mail.headers ?? {})) {
      if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
        throw new Error(`header ${JSON.stringify(name)} cannot be set`);
      }
      headers[name] = subjectLine(value, 900);
    }
    // RFC 3834: an automatic message; well-behaved auto-responders do not answer it.
    headers['Auto-Submitted'] = 'auto-generated';
    // Outlook/Exchange honour this one instead of Auto-Submitted for out-of-office replies.
    headers['X-Auto-Response-Suppress'] = 'All';
    if (mail.messageId !== undefined && !/^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(mail.messageId)) {
      throw new Error('messageId must look like <id@host>');
    }
    try {
      const info = await this.transporter.sendMail({
        from: { name: this.from.name ?? '', address: this.from.address },
        to: { name: to.name ?? '', address: to.address },
        ...(replyTo ? { replyTo: { name: replyTo.name ?? '', address: replyTo.address } } : {}),
        subject: subjectLine(mail.subject),
        text: mail.text,
        html: mail.html,
        headers,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
      });
      // With one recipient, a refusal is an error above; this guards a server that accepts the
      // transaction without the recipient.
      if (info.rejected.length > 0) throw new MailDeliveryError('MAIL_RECIPIENT_REJECTED');
      return { messageId: info.messageId };
    } catch (e) {
      if (e instanceof MailDeliveryError) throw e;
      throw classifySmtpError(e);
    }
  }

  /** Checks that the server answers and accepts our credentials (for a health check at start). */
  async verify(): Promise<void> {
    try {
      await this.transporter.verify();
    } catch (e) {
      throw classifySmtpError(e);
    }
  }

  close(): void {
    this.transporter.close();
  }
}

function recipient(value: string | MailRecipient): { address: string; name: string | null } {
  const r = typeof value === 'string' ? { address: value, name: null } : value;
  if (!r || !isValidEmailAddress(r.address)) throw new MailDeliveryError('MAIL_INVALID_RECIPIENT');
  // A display name is data: nodemailer encodes it (RFC 2047); CR/LF never reaches the header.
  const name = typeof r.name === 'string' ? subjectLine(r.name, 120) : '';
  return { address: r.address, name: name === '' ? null : name };
}
