import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SealIdentity, cadesDetachedSignature, ensureDevSealIdentity } from '@carepact/signing';
import { type TestCertificate, testCertificate } from '@carepact/testing';
import forge from 'node-forge';
import { chainsTo, verifyDetachedCms } from './cms-verify';

describe('verifyDetachedCms', () => {
  const digest = (s: string) => createHash('sha256').update(s).digest();

  it('accepts the CMS that libs/signing writes, and rejects another content, a changed signature, or another CA', async () => {
    const identity = await ensureDevSealIdentity(join(mkdtempSync(join(tmpdir(), 'cp-cms-')), 'seal'), 'Résidence Test');
    const cms = cadesDetachedSignature(digest('manifeste'), identity);
    const ok = verifyDetachedCms(cms, digest('manifeste'));
    expect(ok).toMatchObject({ ok: true, reason: null });
    expect(ok.signer!.raw.equals(identity.certificate)).toBe(true);

    expect(verifyDetachedCms(cms, digest('autre')).reason).toMatch(/message-digest/);
    const broken = Buffer.from(cms);
    broken[broken.length - 5] ^= 0xff; // inside the signature value
    expect(verifyDetachedCms(broken, digest('manifeste')).reason).toMatch(/ne se vérifie pas/);
    expect(verifyDetachedCms(Buffer.from('pas du DER'), digest('manifeste')).ok).toBe(false);

    const ca = ok.certificates.find((c) => c.subject.includes('development CA'))!;
    expect(chainsTo(ok.signer!, ok.certificates, [ca], new Date()).ok).toBe(true);
    const other = await ensureDevSealIdentity(join(mkdtempSync(join(tmpdir(), 'cp-cms-')), 'seal'), 'Autre');
    const otherCa = verifyDetachedCms(cadesDetachedSignature(digest('x'), other), digest('x')).certificates[1];
    expect(chainsTo(ok.signer!, ok.certificates, [otherCa], new Date()).ok).toBe(false);
  });
});

describe('chainsTo: the seal certificate under the path rules of the TSA chain (RFC 5280 6.1)', () => {
  const digest = createHash('sha256').update('manifeste').digest();
  const der = (t: TestCertificate) => new X509Certificate(t.pem).raw;
  /** A seal identity of test certificates: `seal` signs, `chain` is carried (its issuer first). */
  const identity = (seal: TestCertificate, chain: TestCertificate[]): SealIdentity => {
    const x = new X509Certificate(seal.pem);
    return {
      privateKey: createPrivateKey(forge.pki.privateKeyToPem(seal.key)),
      certificate: x.raw,
      chain: chain.map(der),
      subject: { commonName: 'Résidence Test', organization: null, subject: x.subject, issuer: x.issuer, serialNumber: x.serialNumber } as SealIdentity['subject'],
    };
  };
  const checked = (seal: TestCertificate, chain: TestCertificate[]) => {
    const cms = verifyDetachedCms(cadesDetachedSignature(digest, identity(seal, chain)), digest);
    expect(cms.ok).toBe(true);
    return cms;
  };
  const day = 86400_000;
  const root = testCertificate({ cn: 'Racine de confiance', ca: true, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: new Date(Date.now() - 3650 * day), notAfter: new Date(Date.now() + 3650 * day) });
  const roots = [new X509Certificate(root.pem)];

  it('refuses a « seal » certificate signed by an end-entity certificate the trusted root issued (CA:false)', () => {
    // Without keyUsage: with one lacking keyCertSign, OpenSSL's own issuer check (checkIssued) would already refuse it.
    const leaf = testCertificate({ cn: 'Cachet ordinaire', issuer: root });
    const forged = testCertificate({ cn: 'Résidence Falsifiée', issuer: leaf, keyUsage: ['digitalSignature', 'nonRepudiation'] });
    const cms = checked(forged, [leaf, root]);
    expect(chainsTo(cms.signer!, cms.certificates, roots, new Date())).toMatchObject({ ok: false, reason: expect.stringContaining('« Cachet ordinaire » a signé le certificat de « Résidence Falsifiée » sans être une autorité de certification') });
  });

  it('accepts a seal certificate issued by a proper intermediate CA', () => {
    const intermediate = testCertificate({ cn: 'Autorité intermédiaire', issuer: root, ca: true, pathLen: 0, keyUsage: ['keyCertSign', 'cRLSign'] });
    const seal = testCertificate({ cn: 'Résidence Test', issuer: intermediate, keyUsage: ['digitalSignature', 'nonRepudiation'] });
    const cms = checked(seal, [intermediate, root]);
    const chain = chainsTo(cms.signer!, cms.certificates, roots, new Date());
    expect(chain).toMatchObject({ ok: true, reason: null });
    expect(chain.path!.map((c) => c.subject.match(/CN=([^\n]+)/)![1])).toEqual(['Résidence Test', 'Autorité intermédiaire', 'Racine de confiance']);
  });

  it('judges the path at the signing time: an intermediate expired then is refused; one expired since is not', () => {
    const signedAt = new Date(Date.now() - 400 * day);
    const expired = testCertificate({ cn: 'Intermédiaire expirée', issuer: root, ca: true, keyUsage: ['keyCertSign'], notBefore: new Date(Date.now() - 900 * day), notAfter: new Date(Date.now() - 500 * day) });
    const seal = testCertificate({ cn: 'Résidence Test', issuer: expired, keyUsage: ['digitalSignature'], notBefore: new Date(Date.now() - 800 * day), notAfter: new Date(Date.now() + day) });
    const cms = checked(seal, [expired, root]);
    expect(chainsTo(cms.signer!, cms.certificates, roots, signedAt)).toMatchObject({ ok: false, reason: expect.stringContaining('« Intermédiaire expirée » n’était pas valide le') });
    // Valid when the seal was made, expired today: years later, the answer is the one of the day of signing.
    const lapsed = testCertificate({ cn: 'Intermédiaire échue depuis', issuer: root, ca: true, keyUsage: ['keyCertSign'], notBefore: new Date(Date.now() - 900 * day), notAfter: new Date(Date.now() - 100 * day) });
    const old = testCertificate({ cn: 'Résidence Test', issuer: lapsed, keyUsage: ['digitalSignature'], notBefore: new Date(Date.now() - 800 * day), notAfter: new Date(Date.now() - 200 * day) });
    const oldCms = checked(old, [lapsed, root]);
    expect(chainsTo(oldCms.signer!, oldCms.certificates, roots, signedAt).ok).toBe(true);
    expect(chainsTo(oldCms.signer!, oldCms.certificates, roots, new Date())).toMatchObject({ ok: false, reason: expect.stringContaining('n’était pas valide le') });
  });
});
