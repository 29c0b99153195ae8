/**
 * RFC 3161 time-stamping for the seal (PAdES baseline B-T, ETSI EN 319 142-1 6.3): a TimeStampReq
 * over the SHA-256 of the CMS signature value, sent to the configured time-stamping authority
 * (SEAL_TSA_URL), and the check of the token it returns — status granted, the imprint and the nonce
 * that were asked for, the token's CMS signature under the TSA certificate it carries (certReq),
 * that certificate's time-stamping purpose and validity at the time it certifies.
 *
 * The same check (`verifyTimestampToken`) reads the token back wherever a seal is verified
 * (libs/archive pades-verify.ts). Written with the DER helpers of der.ts and node's crypto only.
 */
import { X509Certificate, createHash, constants, randomBytes, verify } from 'node:crypto';
import type { TsaConfig } from '@carepact/config';
import { booleanValue, children, contentOf, integer, oid, oidString, octetString, raw, readTlv, seq, type Tlv, unsignedInteger } from './der';
import { TimestampError } from './seal.errors';
import { type CertificatePathCheck, certificatePathCheck, extensionsOf, keyUsageOf } from './certificate-path';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** Hash algorithms a token may use (its imprint, its CMS digest): node's names. SHA-1 only for ESSCertID. */
const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms of the token's SignerInfo: the digest is the SignerInfo's digestAlgorithm. */
const SIGNATURES: Record<string, 'rsa' | 'rsa-pss' | 'ecdsa'> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.11': 'rsa',
  '1.2.840.113549.1.1.12': 'rsa',
  '1.2.840.113549.1.1.13': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa-pss',
  '1.2.840.10045.4.3.2': 'ecdsa',
  '1.2.840.10045.4.3.3': 'ecdsa',
  '1.2.840.10045.4.3.4': 'ecdsa',
};

/** What a valid token certifies. */
export interface TimestampInfo {
  /** The time the TSA certifies (TSTInfo genTime). */
  genTime: Date;
  /** TSTInfo serialNumber, upper-case hex. */
  serialNumber: string;
  /** TSTInfo policy (TSAPolicyId). */
  policy: string;
  /** The TSA's certificate (the token's signer) and every certificate the token carries. */
  tsaCertificate: X509Certificate;
  certificates: X509Certificate[];
}

export type TimestampCheck = ({ ok: true; reason: null } & TimestampInfo) | { ok: false; reason: string };

class Invalid extends Error {}
const invalid = (reason: string): never => {
  throw new Invalid(reason);
};

/** The TimeStampReq (RFC 3161 2.4.1) for a SHA-256 imprint: a nonce, certReq true, the policy when configured. */
export function timestampRequest(imprint: Buffer, nonce: Buffer, policyOid: string | null = null): Buffer {
  return seq(
    integer(1),
    seq(seq(oid(OID.sha256)), octetString(imprint)),
    ...(policyOid ? [oid(policyOid)] : []),
    unsignedInteger(nonce),
    booleanValue(true),
  );
}

/** The bytes of an unsigned INTEGER's value, without the leading zero DER may need. */
function integerValue(buf: Buffer, t: Tlv): Buffer {
  return stripZeros(contentOf(buf, t));
}

function stripZeros(v: Buffer): Buffer {
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return v;
}

/** GeneralizedTime (RFC 3161: YYYYMMDDhhmmss[.s...]Z). */
function generalizedTime(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s);
  if (!m) return invalid(`heure du jeton illisible (${s.slice(0, 40)})`);
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`);
  if (Number.isNaN(d.getTime())) return invalid('heure du jeton invalide');
  return d;
}

/** The SubjectKeyIdentifier of a certificate, or null. */
function subjectKeyIdentifier(der: Buffer): Buffer | null {
  const tbs = children(der, children(der, readTlv(der, 0))[0]);
  const exts = tbs.find((t) => t.tag === 0xa3);
  if (!exts) return null;
  for (const ext of children(der, children(der, exts)[0])) {
    const parts = children(der, ext);
    if (oidString(contentOf(der, parts[0])) !== '2.5.29.14') continue;
    const value = contentOf(der, parts[parts.length - 1]);
    return contentOf(value, readTlv(value, 0));
  }
  return null;
}

function issuerAndSerialOf(der: Buffer): { issuer: Buffer; serial: Buffer } {
  const f = children(der, children(der, readTlv(der, 0))[0]);
  const i = f[0].tag === 0xa0 ? 1 : 0;
  return { serial: raw(der, f[i]), issuer: raw(der, f[i + 2]) };
}

/**
 * Checks a TimeStampToken (RFC 3161 2.4.2, a CMS SignedData over a TSTInfo) against the message it
 * must time-stamp (for the seal: the SignerInfo's signature value) and, when given, the nonce sent.
 * Never throws: a reason in French when it does not check out.
 */
export function verifyTimestampToken(token: Buffer, message: Buffer, nonce?: Buffer): TimestampCheck {
  try {
    return { ok: true, reason: null, ...readToken(token, message, nonce) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    return { ok: false, reason: `jeton d’horodatage illisible (${(e as Error).message})` };
  }
}

function readToken(token: Buffer, message: Buffer, nonce?: Buffer): TimestampInfo {
  const info = readTlv(token, 0);
  if (info.end !== token.length) invalid('octets en trop après le jeton d’horodatage');
  const [type, wrapped] = children(token, info);
  if (oidString(contentOf(token, type)) !== OID.signedData || wrapped?.tag !== 0xa0) invalid('le jeton d’horodatage n’est pas une structure CMS SignedData');
  const sd = children(token, children(token, wrapped)[0]);
  const encap = children(token, sd[2]);
  if (oidString(contentOf(token, encap[0])) !== OID.tstInfo) invalid('le jeton ne contient pas de TSTInfo');
  if (encap[1]?.tag !== 0xa0) invalid('TSTInfo absent du jeton');
  const eContent = children(token, encap[1])[0];
  if (eContent.tag !== 0x04) invalid('TSTInfo mal encodé');
  const tst = contentOf(token, eContent);

  // TSTInfo: version, policy, messageImprint, serialNumber, genTime, [accuracy], [ordering], [nonce], [tsa], [extensions].
  const fields = children(tst, readTlv(tst, 0));
  const [version, policy, imprint, serial, genTimeTlv] = fields;
  if (contentOf(tst, version).toString('hex') !== '01') invalid('version de TSTInfo inattendue');
  const [imprintAlg, hashed] = children(tst, imprint);
  const hashName = HASHES[oidString(contentOf(tst, children(tst, imprintAlg)[0]))];
  if (!hashName) invalid('algorithme d’empreinte du jeton non pris en charge');
  if (!contentOf(tst, hashed).equals(createHash(hashName).update(message).digest()))
    invalid('l’empreinte horodatée ne correspond pas à la valeur de la signature du cachet');
  if (genTimeTlv.tag !== 0x18) invalid('heure du jeton absente');
  const genTime = generalizedTime(contentOf(tst, genTimeTlv).toString('latin1'));
  const tokenNonce = fields.slice(5).find((t) => t.tag === 0x02);
  if (nonce && (!tokenNonce || !integerValue(tst, tokenNonce).equals(stripZeros(nonce))))
    invalid('le nonce du jeton n’est pas celui de la demande');

  // The CMS around it.
  const certSet = sd.find((t, i) => i > 2 && t.tag === 0xa0);
  const certificates = certSet ? children(token, certSet).filter((t) => t.tag === 0x30).map((t) => new X509Certificate(raw(token, t))) : [];
  const infos = children(token, sd[sd.length - 1]);
  if (infos.length !== 1) invalid(`le jeton contient ${infos.length} signataires, un seul attendu`);
  const si = children(token, infos[0]);
  const [, sid, digestAlg] = si;
  const attrsTlv = si.find((t) => t.tag === 0xa0);
  if (!attrsTlv) invalid('attributs signés du jeton absents');
  const sigAlg = si[si.indexOf(attrsTlv!) + 1];
  const signature = si[si.indexOf(attrsTlv!) + 2];
  const digestName = HASHES[oidString(contentOf(token, children(token, digestAlg)[0]))];
  if (!digestName) invalid('algorithme d’empreinte de la signature du jeton non pris en charge');
  let signer: X509Certificate | undefined;
  if (sid.tag === 0x30) {
    const [issuer, sn] = children(token, sid);
    signer = certificates.find((c) => {
      const x = issuerAndSerialOf(c.raw);
      return x.issuer.equals(raw(token, issuer)) && x.serial.equals(raw(token, sn));
    });
  } else if (sid.tag === 0x80) {
    const ski = contentOf(token, sid);
    signer = certificates.find((c) => subjectKeyIdentifier(c.raw)?.equals(ski));
  }
  if (!signer) invalid('le certificat de l’autorité d’horodatage n’est pas dans le jeton');

  const attributes = new Map<string, Tlv>();
  for (const a of children(token, attrsTlv!)) {
    const [t, values] = children(token, a);
    attributes.set(oidString(contentOf(token, t)), children(token, values)[0]);
  }
  const ct = attributes.get(OID.contentType);
  if (!ct || oidString(contentOf(token, ct)) !== OID.tstInfo) invalid('attribut content-type du jeton absent ou inattendu');
  const md = attributes.get(OID.messageDigest);
  if (!md || !contentOf(token, md).equals(createHash(digestName).update(tst).digest())) invalid('l’empreinte signée du jeton ne correspond pas à son TSTInfo');
  // RFC 3161 2.4.1 / RFC 5816: the ESS signing-certificate (SHA-1) or signing-certificate-v2 names the TSA certificate.
  const scv2 = attributes.get(OID.signingCertificateV2);
  const scv1 = attributes.get(OID.signingCertificate);
  if (!scv2 && !scv1) invalid('attribut signing-certificate du jeton absent');
  const certId = children(token, children(token, (scv2 ?? scv1)!)[0])[0];
  const idParts = children(token, certId);
  let certHashAlg = scv2 ? 'sha256' : 'sha1';
  let hashTlv = idParts[0];
  if (scv2 && idParts[0].tag === 0x30) {
    certHashAlg = HASHES[oidString(contentOf(token, children(token, idParts[0])[0]))] ?? invalid('algorithme de signing-certificate-v2 non pris en charge');
    hashTlv = idParts[1];
  }
  if (!contentOf(token, hashTlv).equals(createHash(certHashAlg).update(signer!.raw).digest())) invalid('l’attribut signing-certificate du jeton désigne un autre certificat');

  const signed = Buffer.from(raw(token, attrsTlv!));
  signed[0] = 0x31; // what is signed is the SET OF, not the [0] IMPLICIT tag (RFC 5652 5.4)
  const kind = SIGNATURES[oidString(contentOf(token, children(token, sigAlg)[0]))];
  if (!kind) invalid('algorithme de signature du jeton non pris en charge');
  const key = kind === 'rsa-pss' ? { key: signer!.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : signer!.publicKey;
  if (!verify(digestName, signed, key, contentOf(token, signature))) invalid('la signature du jeton d’horodatage ne se vérifie pas avec le certificat de l’autorité');

  // RFC 3161 2.3: the TSA certificate's extended key usage is time-stamping only, critical.
  const notTsa = tsaCertificateProblem(signer!);
  if (notTsa) invalid(notTsa);
  if (genTime < new Date(signer!.validFrom) || genTime > new Date(signer!.validTo))
    invalid('le certificat de l’autorité d’horodatage n’était pas valide à l’heure qu’elle indique');

  return {
    genTime,
    serialNumber: integerValue(tst, serial).toString('hex').toUpperCase(),
    policy: oidString(contentOf(tst, policy)),
    tsaCertificate: signer!,
    certificates: [signer!, ...certificates.filter((c) => c !== signer)],
  };
}

/** Largest TimeStampResp read (a token with its certificate chain is a few kilobytes). */
const MAX_RESPONSE_BYTES = 256 * 1024;

const PKI_STATUS_FR = ['accordé', 'accordé avec modifications', 'refusé', 'en attente', 'révocation imminente', 'révocation'];

/**
 * Asks the TSA for a token over `message` (the seal's signature value) and checks it. Never returns
 * an unchecked token: a TSA that cannot be reached or answers with an HTTP error is
 * TSA_UNAVAILABLE; an answer that is not a granted, matching, correctly signed token is
 * TSA_RESPONSE_INVALID. Messages name the TSA's host, never its credentials.
 */
export async function requestTimestamp(tsa: TsaConfig, message: Buffer): Promise<{ token: Buffer } & TimestampInfo> {
  const host = (() => {
    try {
      return new URL(tsa.url).host;
    } catch {
      return 'adresse invalide';
    }
  })();
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] & 0x7f) | 0x01; // positive, no leading zero: compared byte for byte
  const body = timestampRequest(createHash('sha256').update(message).digest(), nonce, tsa.policyOid);
  const headers: Record<string, string> = { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' };
  if (tsa.username !== null || tsa.password !== null)
    headers.authorization = `Basic ${Buffer.from(`${tsa.username ?? ''}:${tsa.password ?? ''}`, 'utf8').toString('base64')}`;
  let res: Response;
  let reply: Buffer;
  try {
    res = await fetch(tsa.url, { method: 'POST', headers, body: new Uint8Array(body), redirect: 'error', signal: AbortSignal.timeout(tsa.timeoutMs) });
    reply = await readLimited(res);
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TooLarge') throw new TimestampError('TSA_RESPONSE_INVALID', `La réponse de l’autorité d’horodatage (${host}) est refusée : plus de ${MAX_RESPONSE_BYTES} octets.`);
    const why = err.name === 'TimeoutError' ? `pas de réponse en ${tsa.timeoutMs} ms` : (err.cause?.code ?? err.name);
    throw new TimestampError('TSA_UNAVAILABLE', `L’autorité d’horodatage (${host}) ne répond pas (${why}) : le document n’est pas scellé sans horodatage.`);
  }
  if (res.status !== 200)
    throw new TimestampError('TSA_UNAVAILABLE', `L’autorité d’horodatage (${host}) a répondu HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (identifiants refusés)' : ''} : le document n’est pas scellé sans horodatage.`);
  const bad = (why: string): never => {
    throw new TimestampError('TSA_RESPONSE_INVALID', `La réponse de l’autorité d’horodatage (${host}) est refusée : ${why}.`);
  };
  let token: Buffer;
  try {
    const resp = readTlv(reply, 0);
    const [statusInfo, tokenTlv] = children(reply, resp);
    const statusParts = children(reply, statusInfo);
    const status = contentOf(reply, statusParts[0]);
    const code = status.length === 1 ? status[0] : -1;
    if (code !== 0 && code !== 1) return bad(`demande ${PKI_STATUS_FR[code] ?? `statut ${status.toString('hex')}`}`);
    if (!tokenTlv) return bad('aucun jeton dans la réponse');
    token = Buffer.from(raw(reply, tokenTlv));
  } catch (e) {
    return bad(`réponse illisible (${(e as Error).message})`);
  }
  const check = verifyTimestampToken(token, message, nonce);
  if (!check.ok) return bad(check.reason);
  if (tsa.policyOid && check.policy !== tsa.policyOid) return bad(`politique d’horodatage ${check.policy} au lieu de ${tsa.policyOid}`);
  if (tsa.trustedRootsPem !== null) {
    const chain = tsaChainCheck(check.tsaCertificate, check.certificates, rootsOf(tsa.trustedRootsPem), check.genTime);
    if (!chain.ok) return bad(`le certificat de l’autorité d’horodatage (${check.tsaCertificate.subject.replace(/\n/g, ', ')}) ne remonte à aucune autorité de SEAL_TSA_CA : ${chain.reason}`);
  }
  return { token, ...check };
}

/** The certificates of a PEM bundle (SEAL_TSA_CA). */
export function rootsOf(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => new X509Certificate(c));
}

/**
 * RFC 3161 2.3 and RFC 5280 4.2.1.3: the TSA certificate's extended key usage is id-kp-timeStamping
 * only, in a critical extension; its keyUsage, when present, allows signatures. Null when it does, else why.
 */
function tsaCertificateProblem(cert: X509Certificate): string | null {
  const eku = cert.keyUsage ?? [];
  if (eku.length !== 1 || eku[0] !== OID.timeStamping) return 'le certificat du jeton n’est pas un certificat d’horodatage (usage étendu id-kp-timeStamping)';
  if (!extensionsOf(cert.raw).get('2.5.29.37')?.critical) return 'le certificat du jeton ne marque pas critique son usage étendu id-kp-timeStamping (RFC 3161, 2.3)';
  const ku = keyUsageOf(cert);
  if (ku && !ku.has('digitalSignature') && !ku.has('nonRepudiation')) return 'l’usage de la clé du certificat du jeton (keyUsage) n’autorise pas la signature';
  return null;
}

export type TsaChainCheck = CertificatePathCheck;

/**
 * Whether a TSA certificate chains to one of `roots` — directly, or through intermediates among
 * `carried` (the token's certificates, a package's) — under the path rules of
 * certificatePathCheck (every issuer a CA with keyCertSign, pathLen respected, valid at `at`, the
 * time the token certifies: its genTime, fixed, so that a verification years later decides as the
 * one at sealing). The one check of a TSA's chain: at sealing (`requestTimestamp`, SEAL_TSA_CA), by
 * `archive:verify` (--tsa-trust) and « Vérifier à nouveau » (libs/archive).
 */
export function tsaChainCheck(cert: X509Certificate, carried: X509Certificate[], roots: X509Certificate[], at: Date): TsaChainCheck {
  return certificatePathCheck(cert, carried, roots, at, 'heure indiquée par le jeton');
}

async function readLimited(res: Response): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) throw Object.assign(new Error('réponse trop volumineuse'), { name: 'TooLarge' });
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw Object.assign(new Error('réponse trop volumineuse'), { name: 'TooLarge' });
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

const SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

/**
 * The signature-time-stamp token of a CMS SignedData's (only) SignerInfo, with the signature value
 * it must time-stamp: `token` null when the seal has none (B-B).
 */
export function signatureTimestampOf(cms: Buffer): { signatureValue: Buffer; token: Buffer | null } {
  const signedData = children(cms, children(cms, children(cms, readTlv(cms, 0))[1])[0]);
  const si = children(cms, children(cms, signedData[signedData.length - 1])[0]);
  const unsigned = si[si.length - 1].tag === 0xa1 ? si[si.length - 1] : null;
  const signature = si[si.length - (unsigned ? 2 : 1)];
  let token: Buffer | null = null;
  for (const a of unsigned ? children(cms, unsigned) : []) {
    const [t, values] = children(cms, a);
    if (oidString(contentOf(cms, t)) === SIGNATURE_TIMESTAMP_TOKEN) token = Buffer.from(raw(cms, children(cms, values)[0]));
  }
  return { signatureValue: Buffer.from(contentOf(cms, signature)), token };
}

/** The CMS in a sealed PDF's /Contents (one signature, as signPdf writes it), without its zero padding. */
export function sealCmsOf(pdf: Buffer): Buffer | null {
  const m = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]/.exec(pdf.toString('latin1'));
  if (!m) return null;
  const padded = Buffer.from(pdf.toString('latin1', Number(m[1]) + 1, Number(m[2]) - 1), 'hex');
  try {
    return padded.subarray(0, readTlv(padded, 0).end);
  } catch {
    return null;
  }
}

/** The seal's timestamp, checked (null when the seal carries none, or the PDF has no readable seal). */
export function sealTimestampOf(pdf: Buffer): TimestampCheck | null {
  const cms = sealCmsOf(pdf);
  if (!cms) return null;
  const { signatureValue, token } = signatureTimestampOf(cms);
  return token ? verifyTimestampToken(token, signatureValue) : null;
}

/**
 * What the `signature.sealed` audit event records of a B-T seal's token (flat, as signature events'
 * details are): the time it certifies, its serial number, the TSA (certificate subject and serial)
 * and the token's SHA-256 — the certified time in the audit chain itself, not only in the evidence.
 * Empty for a seal without a valid token (B-B): an event without these keys is an older or B-B one.
 * `timestampQualified`: whether the operator declared the TSA a qualified trust service
 * (SEAL_TSA_QUALIFIED, eIDAS art. 42) — the product cannot know it; absent from older events.
 */
export function sealTimestampAuditDetails(pdf: Buffer, qualified = false): Record<string, string | boolean> {
  const cms = sealCmsOf(pdf);
  const token = cms ? signatureTimestampOf(cms) : null;
  if (!token?.token) return {};
  const ts = verifyTimestampToken(token.token, token.signatureValue);
  if (!ts.ok) return {};
  return {
    timestampGenTime: ts.genTime.toISOString(),
    timestampSerialNumber: ts.serialNumber,
    timestampAuthority: ts.tsaCertificate.subject.replace(/\n/g, ', '),
    timestampAuthoritySerialNumber: ts.tsaCertificate.serialNumber.toUpperCase(),
    timestampTokenSha256: createHash('sha256').update(token.token).digest('hex'),
    timestampQualified: qualified,
  };
}
