/**
 * The one certification path check (RFC 5280 6.1, the rules a signature and a name alone do not
 * give), shared by the TSA chain check (tsaChainCheck, timestamp.ts) and the seal certificate's
 * check by `archive:verify --trust` (chainsTo, libs/archive/src/cms-verify.ts).
 */
import { X509Certificate } from 'node:crypto';
import { children, contentOf, oidString, readTlv } from './der';

/** A certificate's extensions by OID: criticality and the extnValue's content (RFC 5280 4.1, 4.2). */
export function extensionsOf(der: Buffer): Map<string, { critical: boolean; value: Buffer }> {
  const out = new Map<string, { critical: boolean; value: Buffer }>();
  const exts = children(der, children(der, readTlv(der, 0))[0]).find((t) => t.tag === 0xa3);
  if (!exts) return out;
  for (const ext of children(der, children(der, exts)[0])) {
    const parts = children(der, ext);
    const critical = parts.length === 3 && parts[1].tag === 0x01 && contentOf(der, parts[1])[0] !== 0;
    out.set(oidString(contentOf(der, parts[0])), { critical, value: contentOf(der, parts[parts.length - 1]) });
  }
  return out;
}

/** basicConstraints (RFC 5280 4.2.1.9): cA and pathLenConstraint (null: none). */
export function basicConstraintsOf(cert: X509Certificate): { ca: boolean; pathLen: number | null } {
  const ext = extensionsOf(cert.raw).get('2.5.29.19');
  if (!ext) return { ca: false, pathLen: null };
  const fields = children(ext.value, readTlv(ext.value, 0));
  const caField = fields.find((t) => t.tag === 0x01);
  const lenField = fields.find((t) => t.tag === 0x02);
  return {
    ca: caField ? contentOf(ext.value, caField)[0] !== 0 : false,
    pathLen: lenField ? Number.parseInt(contentOf(ext.value, lenField).toString('hex') || '0', 16) : null,
  };
}

/** keyUsage (RFC 5280 4.2.1.3) as its named bits, or null when the certificate has none. */
export function keyUsageOf(cert: X509Certificate): Set<'digitalSignature' | 'nonRepudiation' | 'keyCertSign'> | null {
  const ext = extensionsOf(cert.raw).get('2.5.29.15');
  if (!ext) return null;
  const bits = contentOf(ext.value, readTlv(ext.value, 0)).subarray(1); // the first byte counts the unused bits
  const bit = (n: number) => ((bits[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
  const out = new Set<'digitalSignature' | 'nonRepudiation' | 'keyCertSign'>();
  if (bit(0)) out.add('digitalSignature');
  if (bit(1)) out.add('nonRepudiation');
  if (bit(5)) out.add('keyCertSign');
  return out;
}

export const cnOf = (c: X509Certificate) => /(?:^|\n)CN=([^\n]+)/.exec(c.subject)?.[1] ?? c.subject.replace(/\n/g, ', ');

/** Longest path from the leaf to a root: the leaf, at most four CAs. */
export const MAX_CERTIFICATE_PATH = 5;

export type CertificatePathCheck = { ok: true; reason: null; path: X509Certificate[] } | { ok: false; reason: string; path: null };

/**
 * Whether `leaf` chains to one of `roots` — directly, or through intermediates among `carried` (a
 * CMS's certificates, a token's, a package's) — with, for every issuer on the path (each
 * intermediate and the root that issued the last one), the rules of RFC 5280 6.1 that a signature
 * and a name alone do not give: basicConstraints cA TRUE (4.2.1.9; an ordinary end-entity
 * certificate a root issued is not an authority, whatever it signed), keyCertSign when keyUsage is
 * present (4.2.1.3), pathLenConstraint respected (counted in intermediates below it, the
 * self-issued ones aside) and validity at `at` — a time fixed by the signed object (a token's
 * genTime, a seal's signing time), so that a verification years later decides as the one at
 * signing. `atLabel` names that time in the reason (« heure indiquée par le jeton »). A root
 * listed itself is a trust anchor: a leaf pinned in the roots is taken as it is. Every path is
 * tried (at most MAX_CERTIFICATE_PATH certificates): a carried certificate that breaks a rule does
 * not hide a good one. The leaf's own rules (its usage, its validity) are the caller's.
 */
export function certificatePathCheck(leaf: X509Certificate, carried: X509Certificate[], roots: X509Certificate[], at: Date, atLabel: string): CertificatePathCheck {
  const isRoot = (c: X509Certificate) => roots.some((r) => r.fingerprint256 === c.fingerprint256);
  const when = at.toISOString();
  const issuerProblem = (issuer: X509Certificate, path: X509Certificate[]): string | null => {
    const name = `« ${cnOf(issuer)} »`;
    const bc = basicConstraintsOf(issuer);
    if (issuer.ca !== true || !bc.ca) return `${name} a signé le certificat de « ${cnOf(path[path.length - 1])} » sans être une autorité de certification (basicConstraints sans CA:TRUE)`;
    const ku = keyUsageOf(issuer);
    if (ku && !ku.has('keyCertSign')) return `${name} n’a pas l’usage keyCertSign (keyUsage) : il ne peut pas signer de certificat`;
    const below = path.slice(1).filter((c) => c.subject !== c.issuer).length;
    if (bc.pathLen !== null && below > bc.pathLen) return `${name} n’admet que ${bc.pathLen} autorité(s) intermédiaire(s) sous elle (pathLenConstraint), la chaîne en compte ${below}`;
    if (at < new Date(issuer.validFrom) || at > new Date(issuer.validTo))
      return `le certificat de ${name} n’était pas valide le ${when}, ${atLabel} (du ${new Date(issuer.validFrom).toISOString()} au ${new Date(issuer.validTo).toISOString()})`;
    return null;
  };
  let why = `aucune autorité de confiance n’a émis le certificat de « ${cnOf(leaf)} »`;
  const walk = (path: X509Certificate[]): X509Certificate[] | null => {
    const cur = path[path.length - 1];
    if (isRoot(cur)) return path;
    if (path.length >= MAX_CERTIFICATE_PATH) return null;
    for (const issuer of [...roots, ...carried]) {
      if (path.some((p) => p.fingerprint256 === issuer.fingerprint256)) continue;
      if (!cur.checkIssued(issuer) || !cur.verify(issuer.publicKey)) continue;
      const problem = issuerProblem(issuer, path);
      if (problem) {
        why = problem;
        continue;
      }
      const found = walk([...path, issuer]);
      if (found) return found;
    }
    return null;
  };
  const path = walk([leaf]);
  return path ? { ok: true, reason: null, path } : { ok: false, reason: why, path: null };
}
