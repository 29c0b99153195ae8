/**
 * The establishment's sealing identity: its private key (a node KeyObject, used by node's crypto
 * for every signature) and its certificate with the chain, read from a PKCS#12 file.
 *
 * node-forge is used for what node's crypto cannot do, and only there: reading and writing
 * PKCS#12 and issuing the development certificates. It never computes a seal signature (its pure-JS
 * RSA costs ~40 ms; node's native one ~1 ms).
 */
import { generateKeyPair, type KeyObject, X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type * as forge from 'node-forge';

let forgeModule: typeof forge | undefined;
/**
 * node-forge (1.7 MB of JavaScript heap once loaded), loaded at the first seal rather than with the
 * signing library: the api and the worker's main thread import the library at start (issue 12:
 * worker memory over a bulk run, where no seal is made).
 */
function forgeLib(): typeof forge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (forgeModule ??= require('node-forge') as typeof forge);
}
import { SealError } from './seal.errors';

export interface SealSubject {
  /** Subject common name, e.g. "Résidence Les Tilleuls". */
  commonName: string;
  /** Subject organisation, when the certificate names one. */
  organization: string | null;
  /** Subject and issuer, one "KEY=value" per line as node prints them. */
  subject: string;
  issuer: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate (what signing-certificate-v2 carries), lower-case hex. */
  sha256: string;
  keyType: 'rsa' | 'ec';
}

export interface SealIdentity {
  privateKey: KeyObject;
  /** The signer's certificate, DER. */
  certificate: Buffer;
  /** The issuing certificates, DER, from the signer's issuer up (the root included when given). */
  chain: Buffer[];
  subject: SealSubject;
}

const P12_FILE = 'seal.p12';
const PASSPHRASE_FILE = 'seal.passphrase';

const bytesOf = (b: forge.util.ByteStringBuffer): Buffer => Buffer.from(b.getBytes(), 'binary');

/**
 * Reads a PKCS#12 (a P12 from the configuration or the development one). The key must be RSA
 * (≥ 2048 bits) or ECDSA P-256/P-384, the certificate must match it.
 */
export function loadSealIdentity(p12: Buffer, passphrase: string): SealIdentity {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forgeLib().asn1.fromDer(forgeLib().util.createBuffer(p12.toString('binary')));
    pfx = forgeLib().pkcs12.pkcs12FromAsn1(asn1, true, passphrase);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/MAC could not be verified|password/i.test(message)) {
      throw new SealError('SEAL_P12_BAD_PASSPHRASE', "La phrase secrète ne déverrouille pas le certificat de l'établissement (PKCS#12).");
    }
    throw new SealError('SEAL_P12_UNREADABLE', `Le certificat de l'établissement (PKCS#12) est illisible : ${message}`);
  }

  const keyBags = [
    ...(pfx.getBags({ bagType: forgeLib().pki.oids.pkcs8ShroudedKeyBag })[forgeLib().pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(pfx.getBags({ bagType: forgeLib().pki.oids.keyBag })[forgeLib().pki.oids.keyBag] ?? []),
  ];
  if (keyBags.length !== 1) {
    throw new SealError('SEAL_P12_NO_KEY', `Le fichier PKCS#12 doit contenir exactement une clé privée (il en contient ${keyBags.length}).`);
  }
  const bag = keyBags[0];
  // RSA keys come back parsed by forge, others (EC) as their PrivateKeyInfo.
  const keyInfo = bag.key
    ? forgeLib().pki.wrapRsaPrivateKey(forgeLib().pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : (bag.asn1 as forge.asn1.Asn1 | undefined);
  if (!keyInfo) throw new SealError('SEAL_P12_NO_KEY', 'Le fichier PKCS#12 ne contient pas de clé privée lisible.');
  const privateKey = createPrivateKey({ key: bytesOf(forgeLib().asn1.toDer(keyInfo)), format: 'der', type: 'pkcs8' });
  const keyType = checkKey(privateKey);

  const certs = (pfx.getBags({ bagType: forgeLib().pki.oids.certBag })[forgeLib().pki.oids.certBag] ?? []).map((b) => {
    const asn1 = b.cert ? forgeLib().pki.certificateToAsn1(b.cert) : (b.asn1 as forge.asn1.Asn1);
    const der = bytesOf(forgeLib().asn1.toDer(asn1));
    return { der, x509: new X509Certificate(der) };
  });
  const leaf = certs.find((c) => c.x509.checkPrivateKey(privateKey));
  if (!leaf) {
    throw new SealError('SEAL_P12_NO_CERTIFICATE', 'Le fichier PKCS#12 ne contient pas le certificat de la clé privée.');
  }
  // The chain in issuing order: each next certificate issued the previous one.
  const rest = certs.filter((c) => c !== leaf);
  const chain: Buffer[] = [];
  for (let cur = leaf; ; ) {
    const next = rest.find((c) => !chain.includes(c.der) && c !== cur && cur.x509.checkIssued(c.x509) && cur.x509.verify(c.x509.publicKey));
    if (!next || next === cur) break;
    chain.push(next.der);
    if (next.x509.checkIssued(next.x509)) break; // self-signed root
    cur = next;
  }
  for (const c of rest) if (!chain.includes(c.der)) chain.push(c.der);

  return { privateKey, certificate: leaf.der, chain, subject: subjectOf(leaf.x509, keyType) };
}

function checkKey(key: KeyObject): 'rsa' | 'ec' {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048) return 'rsa';
  if (key.asymmetricKeyType === 'ec' && (d?.namedCurve === 'prime256v1' || d?.namedCurve === 'secp384r1')) return 'ec';
  throw new SealError(
    'SEAL_KEY_UNSUPPORTED',
    `Clé du certificat non prise en charge (${key.asymmetricKeyType ?? '?'}) : RSA de 2048 bits ou plus, ou ECDSA P-256/P-384.`,
  );
}

function subjectOf(x509: X509Certificate, keyType: 'rsa' | 'ec'): SealSubject {
  const field = (name: string): string | null => {
    const line = x509.subject.split('\n').find((l) => l.startsWith(`${name}=`));
    return line ? line.slice(name.length + 1) : null;
  };
  return {
    commonName: field('CN') ?? '',
    organization: field('O'),
    subject: x509.subject,
    issuer: x509.issuer,
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    sha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
    keyType,
  };
}

// ---- development identity ------------------------------------------------------------------------

const DEV_CA_NAME = 'CarePact development CA';

/**
 * Development only: the identity kept in `dir` (a folder of its own, outside the repository),
 * created on first call — a self-signed "CarePact development CA" and the establishment's
 * certificate issued by it, RSA-2048, as `seal.p12` and `seal.passphrase` (mode 0600, folder 0700).
 * Later calls load them. Concurrent first calls create it once: the identity is built in a
 * temporary sibling folder and renamed onto `dir`, which only one rename can win.
 */
export async function ensureDevSealIdentity(dir: string, establishmentName: string): Promise<SealIdentity> {
  const existing = readDevIdentity(dir);
  if (existing) return existing;
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(dir)}.tmp-`)); // mode 0700
  try {
    const passphrase = randomBytes(32).toString('base64url');
    const p12 = await createDevP12(establishmentName, passphrase);
    writeFileSync(join(tmp, P12_FILE), p12, { mode: 0o600 });
    writeFileSync(join(tmp, PASSPHRASE_FILE), `${passphrase}\n`, { mode: 0o600 });
    try {
      // Replaces `dir` only when it is missing or empty; fails when another process won.
      renameSync(tmp, dir);
    } catch (err) {
      if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const created = readDevIdentity(dir);
  if (!created) {
    throw new SealError('SEAL_DEV_IDENTITY_DIR', `Le dossier ${dir} existe déjà sans identité de scellement : choisissez un dossier dédié.`);
  }
  return created;
}

function readDevIdentity(dir: string): SealIdentity | null {
  const p12File = join(dir, P12_FILE);
  if (!existsSync(p12File)) return null;
  const passphrase = readFileSync(join(dir, PASSPHRASE_FILE), 'utf8').trim();
  return loadSealIdentity(readFileSync(p12File), passphrase);
}

const generateRsa = promisify(generateKeyPair);

async function createDevP12(establishmentName: string, passphrase: string): Promise<Buffer> {
  const [ca, leaf] = await Promise.all([newRsaKey(), newRsaKey()]);
  const now = new Date();
  const years = (n: number): Date => new Date(Date.UTC(now.getUTCFullYear() + n, now.getUTCMonth(), now.getUTCDate()));
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000); // an hour of clock skew

  const caName = [attr('CN', DEV_CA_NAME), attr('O', 'CarePact (développement)'), attr('C', 'FR')];
  const caCert = forgeLib().pki.createCertificate();
  caCert.publicKey = ca.forgePublic;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = years(20);
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgePrivate, forgeLib().md.sha256.create());

  const leafCert = forgeLib().pki.createCertificate();
  leafCert.publicKey = leaf.forgePublic;
  leafCert.serialNumber = serial();
  leafCert.validity.notBefore = notBefore;
  leafCert.validity.notAfter = years(5);
  leafCert.setSubject([attr('CN', establishmentName), attr('O', establishmentName), attr('C', 'FR')]);
  leafCert.setIssuer(caName);
  leafCert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    // A seal: digitalSignature + nonRepudiation (contentCommitment), nothing else.
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leafCert.sign(ca.forgePrivate, forgeLib().md.sha256.create());

  const p12 = forgeLib().pkcs12.toPkcs12Asn1(leaf.forgePrivate, [leafCert, caCert], passphrase, {
    algorithm: 'aes256',
    friendlyName: establishmentName,
    generateLocalKeyId: true,
  });
  return bytesOf(forgeLib().asn1.toDer(p12));
}

/** Keys come from node's crypto (fast, native); forge only receives them to issue certificates. */
async function newRsaKey(): Promise<{ forgePrivate: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey }> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return {
    forgePrivate: forgeLib().pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey,
    forgePublic: forgeLib().pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string) as forge.pki.rsa.PublicKey,
  };
}

/** UTF8String attributes: establishment names carry accents (forge UTF-8-encodes the value). */
function attr(shortName: 'CN' | 'O' | 'C', value: string): forge.pki.CertificateField {
  if (shortName === 'C') return { shortName, value };
  return { shortName, value, valueTagClass: forgeLib().asn1.Type.UTF8 as unknown as forge.asn1.Class };
}

/** A positive 16-byte serial (RFC 5280 4.1.2.2: at most 20 octets, positive). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
}
