import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { AppConfig } from '@carepact/config';
import { EmailDataByKind, EmailKind, MailTransport, renderEmail } from '@carepact/notifications';
import type { DocumentTree, RenderPool } from '@carepact/rendering';
import { SEAL_FIELD_NAME, SealIdentity, type Timestamper, ensureDevSealIdentity, loadSealIdentity, requestTimestamp, sealDocument, sealScan } from '../seal';
import type { Mailer, Sealer } from './signing-jobs.service';

/** Renders the MJML email for its kind and sends it over SMTP (SMTP_URL). */
export class SmtpMailer implements Mailer {
  private readonly transport: MailTransport | null;

  constructor(private readonly config: AppConfig) {
    this.transport = config.smtp.url ? new MailTransport({ url: config.smtp.url, from: config.smtp.from }) : null;
  }

  async send<K extends EmailKind>(to: { name: string | null; address: string }, kind: K, data: EmailDataByKind[K]): Promise<void> {
    if (!this.transport) throw Object.assign(new Error('SMTP_URL is not set: no email can be sent'), { permanent: false });
    const mail = renderEmail(kind, data, { expectedOrigin: new URL(this.config.http.publicUrl).origin });
    await this.transport.send({ to: { address: to.address, name: to.name ?? undefined } as never, subject: mail.subject, html: mail.html, text: mail.text });
  }
}

/**
 * The establishment's seal: a P12 from configuration (SEAL_P12_PATH + SEAL_P12_PASSPHRASE), or in
 * development a CA and certificate generated once in the secrets folder, outside the repository.
 * With a time-stamping authority (SEAL_TSA_URL), every seal is PAdES B-T; without, B-B.
 */
export class PadesSealer implements Sealer {
  private identity: Promise<SealIdentity> | null = null;

  /** `pool`: the worker's render threads, which do the final render (the signature stays on the main thread). */
  constructor(
    private readonly config: AppConfig,
    private readonly pool?: RenderPool,
  ) {}

  private load(): Promise<SealIdentity> {
    this.identity ??= this.config.seal.p12Path
      ? Promise.resolve(loadSealIdentity(readFileSync(this.config.seal.p12Path), this.config.seal.p12Passphrase ?? ''))
      : ensureDevSealIdentity(join(this.config.paths.secretsDir, 'seal'), 'CarePact — établissement de démonstration');
    return this.identity;
  }

  /** The RFC 3161 client of the configured TSA, or undefined (B-B). */
  private timestamper(): Timestamper | undefined {
    const tsa = this.config.seal.tsa;
    return tsa ? async (signatureValue) => (await requestTimestamp(tsa, signatureValue)).token : undefined;
  }

  /** The time-stamping authority's host, when seals are time-stamped (the evidence names it). */
  timestampAuthority(): string | null {
    return this.config.seal.tsa ? new URL(this.config.seal.tsa.url).host : null;
  }

  async seal(tree: DocumentTree, opts: { signingTime: Date; name: string; reason: string; location: string }): Promise<Buffer> {
    const pool = this.pool;
    return sealDocument(tree, await this.load(), {
      signingTime: opts.signingTime,
      reason: opts.reason,
      location: opts.location,
      renderer: pool ? (t, variant, options) => pool.renderPdf(t, variant, options) : undefined,
      timestamp: this.timestamper(),
    });
  }

  async sealScan(scan: Buffer, opts: Parameters<Sealer['sealScan']>[1]): Promise<Buffer> {
    const { name, reason, location, ...prep } = opts;
    const identity = await this.load();
    const establishment = identity.subject.commonName || name;
    return sealScan(
      scan,
      identity,
      { ...prep, signature: { fieldName: SEAL_FIELD_NAME, tooltip: `Cachet électronique de ${establishment}`, signerName: name, reason, location } },
      this.timestamper(),
    );
  }

  /** The identity itself (the archive signs its manifest with it). */
  sealIdentity(): Promise<SealIdentity> {
    return this.load();
  }

  async warm(): Promise<void> {
    await this.load();
  }

  certificateSubject(): string {
    return this.subject ?? 'certificat de l’établissement';
  }

  private subject: string | null = null;
  async describe(): Promise<string> {
    const id = await this.load();
    this.subject = `${id.subject.commonName} (n° de série ${id.subject.serialNumber}, émis par ${id.subject.issuer.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? id.subject.issuer}, SHA-256 ${id.subject.sha256})`;
    return this.subject;
  }
}
