import { DomainError } from '@carepact/common';

/**
 * Why an email was not accepted, in the terms the worker decides on: a permanent failure (the
 * address is invalid or the server answered 5xx) is not retried and is shown to staff; a
 * transient one (connection refused, timeout, 4xx) is retried with backoff. As a DomainError it
 * answers `permanent` like every other error the worker sees.
 */
export type MailErrorCode =
  /** The address failed our own check before any connection. */
  | 'MAIL_INVALID_RECIPIENT'
  /** The server refused the recipient (5xx to RCPT TO). */
  | 'MAIL_RECIPIENT_REJECTED'
  /** The server refused the message itself (5xx to MAIL FROM or DATA: size, policy, sender). */
  | 'MAIL_MESSAGE_REJECTED'
  /** The server deferred (4xx): try again later. */
  | 'MAIL_DEFERRED'
  /** No SMTP conversation: refused, reset, timed out, DNS failed. */
  | 'MAIL_SERVER_UNREACHABLE'
  /** TLS or authentication failed: a configuration problem an administrator can fix; retried
   * meanwhile so that no email is lost while SMTP_URL is corrected. */
  | 'MAIL_SERVER_CONFIGURATION'
  /** Anything else (an unexpected reply): retried, since nothing says it cannot succeed. */
  | 'MAIL_SEND_FAILED';

const MESSAGES: Record<MailErrorCode, string> = {
  MAIL_INVALID_RECIPIENT: "L'adresse email du destinataire est invalide.",
  MAIL_RECIPIENT_REJECTED: "Le serveur de messagerie a refusé l'adresse du destinataire.",
  MAIL_MESSAGE_REJECTED: 'Le serveur de messagerie a refusé le message.',
  MAIL_DEFERRED: 'Le serveur de messagerie a demandé de réessayer plus tard.',
  MAIL_SERVER_UNREACHABLE: 'Le serveur de messagerie est injoignable.',
  MAIL_SERVER_CONFIGURATION: "La connexion au serveur de messagerie a échoué (chiffrement ou identifiants) : vérifiez SMTP_URL.",
  MAIL_SEND_FAILED: "L'envoi du message a échoué.",
};

const PERMANENT: ReadonlySet<MailErrorCode> = new Set(['MAIL_INVALID_RECIPIENT', 'MAIL_RECIPIENT_REJECTED', 'MAIL_MESSAGE_REJECTED']);

export class MailDeliveryError extends DomainError {
  constructor(
    readonly mailCode: MailErrorCode,
    /** SMTP reply code (550, 421…) when the server answered. */
    readonly responseCode: number | null = null,
    /** The server's reply, addresses masked (it often repeats the recipient's). */
    readonly serverResponse: string | null = null,
  ) {
    super(PERMANENT.has(mailCode) ? 'invalid' : 'unavailable', mailCode, MESSAGES[mailCode]);
    this.name = 'MailDeliveryError';
  }
}

export function isMailDeliveryError(e: unknown): e is MailDeliveryError {
  return e instanceof MailDeliveryError;
}

/** nodemailer's error shape (it sets these on plain Errors). */
interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

/** Classifies a nodemailer failure. */
export function classifySmtpError(error: unknown): MailDeliveryError {
  const e = (error && typeof error === 'object' ? error : {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : '';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
  const response = typeof e.response === 'string' ? maskAddresses(e.response).slice(0, 300) : null;
  const make = (c: MailErrorCode) => new MailDeliveryError(c, responseCode, response);

  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'ETLS' || code === 'EREQUIRETLS') return make('MAIL_SERVER_CONFIGURATION');
  if (responseCode !== null) {
    if (responseCode >= 400 && responseCode < 500) return make('MAIL_DEFERRED');
    // 503 "bad sequence of commands" is the client's state, not the message: a new connection may succeed.
    if (responseCode >= 500 && responseCode < 600 && responseCode !== 503) {
      return make(command.startsWith('RCPT') ? 'MAIL_RECIPIENT_REJECTED' : 'MAIL_MESSAGE_REJECTED');
    }
  }
  if (['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY'].includes(code)) return make('MAIL_SERVER_UNREACHABLE');
  return make('MAIL_SEND_FAILED');
}

function maskAddresses(s: string): string {
  return s.replace(/[^\s<>@"',;:]+@[^\s<>@"',;:]+/g, '[adresse]');
}
