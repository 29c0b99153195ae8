/**
 * Offline check of a detached CMS SignedData (RFC 5652) as libs/signing writes it (cms.ts): one
 * SignerInfo, SHA-256, signed attributes. Used for the archive manifest's signature and for the
 * PAdES signature of each sealed PDF. Only node's crypto and the DER readers of libs/signing.
 */
import { X509Certificate, createHash, verify } from 'node:crypto';
import { type CertificatePathCheck, type Tlv, certificatePathCheck, children, oid, raw, readTlv } from '@carepact/signing';

const OID = {
  signedData: oid('1.2.840.113549.1.7.2'),
  messageDigest: oid('1.2.840.113549.1.9.4'),
  signingCertificateV2: oid('1.2.840.113549.1.9.16.2.47'),
  sha256: oid('2.16.840.1.101.3.4.2.1'),
};

export interface CmsCheck {
  ok: boolean;
  /** Why it failed (French), when it did. */
  reason: string | null;
  /** The signer's certificate, and every certificate the CMS carries (the signer's first). */
  signer: X509Certificate | null;
  certificates: X509Certificate[];
}

const fail = (reason: string, certificates: X509Certificate[] = [], signer: X509Certificate | null = null): CmsCheck => ({ ok: false, reason, signer, certificates });

/** Checks that `cms` signs content whose SHA-256 is `digest`, under the certificate it embeds. */
export function verifyDetachedCms(cms: Buffer, digest: Buffer): CmsCheck {
  try {
    const info = readTlv(cms, 0);
    const [type, wrapped] = children(cms, info);
    if (!raw(cms, type).equals(OID.signedData) || wrapped?.tag !== 0xa0) return fail('la signature n’est pas une structure CMS SignedData');
    const signedData = children(cms, children(cms, wrapped)[0]);
    const certSet = signedData.find((t) => t.tag === 0xa0);
    const signerInfos = signedData[signedData.length - 1];
    const certificates = certSet ? children(cms, certSet).map((t) => new X509Certificate(raw(cms, t))) : [];
    const infos = children(cms, signerInfos);
    if (infos.length !== 1) return fail(`la signature contient ${infos.length} signataires, un seul attendu`, certificates);
    const si = children(cms, infos[0]);
    const [, sid, digestAlg] = si;
    const attrs = si.find((t) => t.tag === 0xa0);
    // The signature value is last, or before the [1] unsigned attributes (a B-T seal's time-stamp token).
    const signature = si[si.length - 1].tag === 0xa1 ? si[si.length - 2] : si[si.length - 1];
    if (!attrs) return fail('attributs signés absents', certificates);
    if (!raw(cms, children(cms, digestAlg)[0]).equals(OID.sha256)) return fail('algorithme d’empreinte autre que SHA-256', certificates);
    const [issuer, serial] = children(cms, sid);
    const signer = certificates.find((c) => {
      const der = c.raw;
      const f = children(der, children(der, readTlv(der, 0))[0]);
      const i = f[0].tag === 0xa0 ? 1 : 0;
      return raw(der, f[i]).equals(raw(cms, serial)) && raw(der, f[i + 2]).equals(raw(cms, issuer));
    });
    if (!signer) return fail('le certificat du signataire n’est pas dans la signature', certificates);
    const attributes = new Map<string, Tlv>();
    for (const a of children(cms, attrs)) {
      const [type, values] = children(cms, a);
      attributes.set(raw(cms, type).toString('hex'), children(cms, values)[0]);
    }
    const md = attributes.get(OID.messageDigest.toString('hex'));
    if (!md) return fail('attribut message-digest absent', certificates, signer);
    const mdValue = cms.subarray(md.contentStart, md.end);
    if (!mdValue.equals(digest)) return fail('l’empreinte signée (message-digest) ne correspond pas au contenu', certificates, signer);
    const scv2 = attributes.get(OID.signingCertificateV2.toString('hex'));
    if (scv2) {
      // SigningCertificateV2 → certs SEQUENCE → ESSCertIDv2 → certHash (SHA-256 by default).
      const certId = children(cms, children(cms, scv2)[0])[0];
      const hash = children(cms, certId)[0];
      if (hash.tag === 0x04 && !cms.subarray(hash.contentStart, hash.end).equals(createHash('sha256').update(signer.raw).digest()))
        return fail('l’attribut signing-certificate-v2 désigne un autre certificat', certificates, signer);
    }
    // What was signed is the attributes' DER as a SET (RFC 5652 5.4), not the [0] IMPLICIT tag.
    const signedAttrs = Buffer.from(raw(cms, attrs));
    signedAttrs[0] = 0x31;
    const ok = verify('sha256', signedAttrs, signer.publicKey, cms.subarray(signature.contentStart, signature.end));
    if (!ok) return fail('la signature ne se vérifie pas avec le certificat inclus', certificates, signer);
    const ordered = [signer, ...certificates.filter((c) => c !== signer)];
    return { ok: true, reason: null, signer, certificates: ordered };
  } catch (e) {
    return fail(`structure de signature illisible (${(e as Error).message})`);
  }
}

/**
 * Whether `leaf` (the seal certificate, the manifest's signer) chains, through the certificates
 * given with it, to one of the trusted CAs, under the path rules of the TSA chain check
 * (certificatePathCheck, libs/signing: every issuer a CA — basicConstraints CA:TRUE — with
 * keyCertSign, pathLen respected, valid at `at`), and `leaf` itself valid at `at`. `at` is the
 * signing time the signed object records (a B-T seal's token genTime, else the /M the seal signs,
 * the manifest's createdAt), never the time of verification: an archive is verified years later,
 * when the certificates have expired, and must give the same answer as the day it was sealed.
 */
export function chainsTo(leaf: X509Certificate, intermediates: X509Certificate[], trusted: X509Certificate[], at: Date): CertificatePathCheck {
  const path = certificatePathCheck(leaf, intermediates, trusted, at, 'heure de la signature');
  if (path.ok && !trusted.some((t) => t.fingerprint256 === leaf.fingerprint256) && (at < new Date(leaf.validFrom) || at > new Date(leaf.validTo)))
    return { ok: false, reason: `le certificat de « ${cnOf(leaf)} » n’était pas valide le ${at.toISOString()}, heure de la signature (du ${new Date(leaf.validFrom).toISOString()} au ${new Date(leaf.validTo).toISOString()})`, path: null };
  return path;
}

const cnOf = (c: X509Certificate) => /(?:^|\n)CN=([^\n]+)/.exec(c.subject)?.[1] ?? c.subject.replace(/\n/g, ', ');

/** Every certificate of a PEM file (a CA bundle may hold several). */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}
