/**
 * CMS SignedData for a PAdES baseline B-B signature (ETSI EN 319 142-1, CAdES detached per
 * ETSI EN 319 122-1): no encapsulated content, SHA-256, signed attributes content-type,
 * message-digest and signing-certificate-v2 only. No signing-time attribute: PAdES puts the time
 * in the signature dictionary's /M. The certificate and its chain are embedded. With a
 * time-stamping authority configured, B-T: the same, plus a signature-time-stamp token
 * (timestamp.ts) as the SignerInfo's only unsigned attribute.
 *
 * The structure is written with a few DER helpers; the signature itself is node's crypto (native
 * RSA PKCS#1 v1.5, deterministic, or ECDSA).
 */
import { createHash, sign } from 'node:crypto';
import { children, integer, nullValue, octetString, oid, raw, readTlv, seq, setOf, tlv } from './der';
import type { SealIdentity } from './seal-identity';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** RFC 5754: SHA-2 AlgorithmIdentifiers have absent parameters. */
const sha256Algorithm = (): Buffer => seq(oid(OID.sha256));

/** Issuer Name and serial number INTEGER of a certificate, as encoded in it. */
function issuerAndSerial(certificate: Buffer): { issuer: Buffer; serial: Buffer } {
  const cert = readTlv(certificate, 0);
  const tbs = children(certificate, cert)[0];
  const fields = children(certificate, tbs);
  const i = fields[0].tag === 0xa0 ? 1 : 0; // [0] version, absent for v1
  return { serial: raw(certificate, fields[i]), issuer: raw(certificate, fields[i + 2]) };
}

/**
 * The DER of the signed attributes as a SET (what the signature covers, RFC 5652 5.4).
 * Exported for tests that check the attribute list.
 */
export function signedAttributes(contentDigest: Buffer, certificate: Buffer): Buffer {
  const { issuer, serial } = issuerAndSerial(certificate);
  // ESSCertIDv2 (RFC 5035): hashAlgorithm omitted as it is the DEFAULT (SHA-256); issuerSerial
  // present (ETSI EN 319 122-1 5.2.2.3) with the issuer as a directoryName [4] GeneralName.
  const essCertIdV2 = seq(octetString(createHash('sha256').update(certificate).digest()), seq(seq(tlv(0xa4, issuer)), serial));
  return setOf(
    seq(oid(OID.contentType), setOf(oid(OID.data))),
    seq(oid(OID.messageDigest), setOf(octetString(contentDigest))),
    seq(oid(OID.signingCertificateV2), setOf(seq(seq(essCertIdV2)))),
  );
}

/** Detached CMS SignedData (ContentInfo, DER) over content whose SHA-256 is `contentDigest`: PAdES B-B. */
export function cadesDetachedSignature(contentDigest: Buffer, identity: SealIdentity): Buffer {
  return assembleCades(cadesSignatureValue(contentDigest, identity), identity);
}

/** The signed attributes and the signature over them (what a signature-time-stamp token is asked for). */
export interface CadesSignatureValue {
  attrs: Buffer;
  signature: Buffer;
}

export function cadesSignatureValue(contentDigest: Buffer, identity: SealIdentity): CadesSignatureValue {
  if (contentDigest.length !== 32) throw new Error('cadesDetachedSignature: a SHA-256 digest is expected');
  const attrs = signedAttributes(contentDigest, identity.certificate);
  return { attrs, signature: sign('sha256', attrs, identity.privateKey) };
}

/**
 * The ContentInfo around a signature value. `timeStampToken` (PAdES baseline B-T, ETSI EN 319 142-1
 * 6.3 and ETSI EN 319 122-1 5.3): an RFC 3161 token over the SignerInfo's signature value, as the
 * unsigned attribute id-aa-signatureTimeStampToken (RFC 3161 appendix A). Absent, the bytes are
 * exactly those of a B-B seal.
 */
export function assembleCades({ attrs, signature }: CadesSignatureValue, identity: SealIdentity, timeStampToken?: Buffer): Buffer {
  const signatureAlgorithm = identity.subject.keyType === 'rsa' ? seq(oid(OID.rsaEncryption), nullValue()) : seq(oid(OID.ecdsaWithSha256));
  const { issuer, serial } = issuerAndSerial(identity.certificate);
  const signerInfo = seq(
    integer(1), // version 1: sid is issuerAndSerialNumber
    seq(issuer, serial),
    sha256Algorithm(),
    tlv(0xa0, attrs.subarray(readTlv(attrs, 0).contentStart)), // [0] IMPLICIT SET OF Attribute
    signatureAlgorithm,
    octetString(signature),
    ...(timeStampToken ? [tlv(0xa1, seq(oid(OID.signatureTimeStampToken), setOf(timeStampToken)))] : []), // [1] IMPLICIT unsignedAttrs
  );
  const signedData = seq(
    integer(1),
    setOf(sha256Algorithm()),
    seq(oid(OID.data)), // detached: no eContent
    tlv(0xa0, identity.certificate, ...identity.chain), // [0] IMPLICIT certificates, the signer first
    setOf(signerInfo),
  );
  return seq(oid(OID.signedData), tlv(0xa0, signedData));
}
