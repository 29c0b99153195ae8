/**
 * The seal as a verifier sees it (issue 4 §8): poppler's pdfsig validates it and names the signer,
 * any changed byte breaks it, and the CMS is a PAdES baseline B-B one (ETSI.CAdES.detached,
 * signing-certificate-v2, no signing-time) that OpenSSL verifies against the development CA.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { renderPdf } from '@carepact/rendering';
import { ensureDevSealIdentity, findPreparedSignature, SealError, type SealIdentity, sealDocument, signPdf } from '@carepact/signing';
import { PICTOGRAMS_DIR } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import { qpdfObjects, run, writeTemp } from '../rendering-pdf/pdf-tools';
import { ESTABLISHMENT, extractSignature, now, openssl, pdfsig, signatureDictionary, signedTree, tempFile, workDir } from './seal-tools';

describe('PAdES B-B seal of the contrat de séjour', () => {
  let identity: SealIdentity;
  let signingTime: Date;
  let sealed: Buffer;
  let file: string;

  const seal = (tree = signedTree()): Promise<Buffer> =>
    sealDocument(tree, identity, {
      signingTime,
      reason: 'Document signé par toutes les parties',
      location: 'Saint-Étienne',
      render: { pictogramsDir: PICTOGRAMS_DIR },
    });

  beforeAll(async () => {
    identity = await ensureDevSealIdentity(join(workDir, 'dev-seal'), ESTABLISHMENT);
    signingTime = now();
    sealed = await seal();
    file = writeTemp(sealed, 'sealed');
  });

  it('pdfsig: "Signature is Valid.", the whole document signed, the establishment named as signer', () => {
    const r = pdfsig(file);
    expect(r.out).toMatch(/Signature #1:/);
    expect(r.out).not.toMatch(/Signature #2:/);
    expect(r.valid).toBe(true);
    expect(r.out).toContain('Total document signed');
    expect(r.out).toContain(`Signer Certificate Common Name: ${ESTABLISHMENT}`);
    expect(r.out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(r.out).toContain('Signing Hash Algorithm: SHA-256');
    expect(r.out).toContain('Signature Field Name: CachetEtablissement');
    // The development CA is not trusted by the system: reported apart from the signature's validity.
    expect(r.out).toMatch(/Certificate Validation: /);
  });

  it('signature dictionary: Adobe.PPKLite / ETSI.CAdES.detached, /M = the signing time, byte range = the file minus /Contents', () => {
    const { sig } = signatureDictionary(qpdfObjects(file));
    expect(sig['/Type']).toBe('/Sig');
    expect(sig['/Filter']).toBe('/Adobe.PPKLite');
    expect(sig['/SubFilter']).toBe('/ETSI.CAdES.detached');
    const d = signingTime.toISOString();
    expect(sig['/M']).toBe(`u:D:${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}Z`);
    expect(sig['/Name']).toBe(`u:${ESTABLISHMENT}`);
    expect(sig['/Reason']).toBe('u:Document signé par toutes les parties');
    expect(sig['/Location']).toBe('u:Saint-Étienne');
    const [a, b, c, d2] = sig['/ByteRange'] as number[];
    expect(a).toBe(0);
    expect(c + d2).toBe(sealed.length);
    expect(sealed.toString('latin1', b, b + 1)).toBe('<');
    expect(sealed.toString('latin1', c - 1, c)).toBe('>');
    expect(sealed.toString('latin1', b - '/Contents '.length, b)).toBe('/Contents ');
  });

  it('CMS: SignedData, detached, SHA-256, signed attributes content-type, message-digest, signing-certificate-v2 — no signing-time', () => {
    const { cms, signed } = extractSignature(sealed, file);
    const der = tempFile('cms.der', cms);
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', der]);
    expect(printed.status).toBe(0);
    const out = printed.stdout;
    expect(out).toContain('contentType: pkcs7-signedData');
    expect(out).toMatch(/eContentType: pkcs7-data \([\d.]+\)\s+eContent: <ABSENT>/);
    const signerInfo = out.slice(out.indexOf('signerInfos:'));
    expect(signerInfo).toMatch(/digestAlgorithm:\s+algorithm: sha256/);
    const signedAttrs = signerInfo.slice(signerInfo.indexOf('signedAttrs:'), signerInfo.indexOf('signatureAlgorithm:'));
    const attrs = [...signedAttrs.matchAll(/object: [\w-]+ \(([\d.]+)\)/g)].map((m) => m[1]);
    expect(attrs.sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort());
    expect(out).not.toMatch(/signingTime|1\.2\.840\.113549\.1\.9\.5\b/);
    expect(signerInfo).toMatch(/unsignedAttrs:\s+<ABSENT>/);
    // message-digest = SHA-256 of the signed byte ranges.
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', der]).stdout;
    const afterOid = parsed.slice(parsed.indexOf(':messageDigest'));
    const digest = createHash('sha256').update(signed).digest('hex').toUpperCase();
    expect(/\[HEX DUMP\]:([0-9A-F]+)/.exec(afterOid)?.[1]).toBe(digest);
  });

  it('CMS: signing-certificate-v2 holds the SHA-256 of the embedded signer certificate; the chain is embedded', () => {
    const { cms } = extractSignature(sealed, file);
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', tempFile('cms.der', cms)]).stdout;
    const certHash = createHash('sha256').update(identity.certificate).digest('hex').toUpperCase();
    const afterOid = parsed.slice(parsed.indexOf('id-smime-aa-signingCertificateV2'));
    expect(afterOid).toContain(`[HEX DUMP]:${certHash}`);
    const certs = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', tempFile('cms.der', cms)]).stdout.match(/cert_info:/g) ?? [];
    expect(certs).toHaveLength(1 + identity.chain.length);
  });

  it('OpenSSL verifies the detached CMS over the signed ranges with the development CA (ESS signing-certificate-v2 checked)', () => {
    const { cms, signed } = extractSignature(sealed, file);
    const ca = tempFile('ca.der', identity.chain[identity.chain.length - 1]);
    const caPem = tempFile('ca.pem', run('openssl', ['x509', '-inform', 'DER', '-in', ca]).stdout);
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', tempFile('cms.der', cms), '-CAfile', caPem, '-purpose', 'any', '-out', '/dev/null'];
    const ok = openssl([...args, '-content', tempFile('signed.bin', signed)]);
    expect(ok.stderr).toContain('Verification successful');
    const tampered = Buffer.from(signed);
    tampered[100] ^= 1;
    const bad = openssl([...args, '-content', tempFile('tampered.bin', tampered)]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/digest failure|verification failure/i);
  });

  it('changing one byte inside the signed ranges: pdfsig reports a digest mismatch', () => {
    const { byteRange } = extractSignature(sealed, file);
    const [, b, c] = byteRange;
    const text = sealed.toString('latin1');
    // Bytes whose change keeps the file readable, so pdfsig reaches the digest check: in the
    // producer string, in the signing time, in the compressed data of a page stream, in the
    // /ByteRange padding, in the trailer /ID.
    const targets = [
      text.indexOf('CarePact carepact-pdf') + 1,
      text.indexOf('/M (D:') + 8,
      text.indexOf('stream\n', text.indexOf('/Type /Page')) + 20,
      text.indexOf('/ByteRange [') + 12,
      text.lastIndexOf('/ID [<') + 7,
    ];
    for (const at of targets) {
      expect(at).toBeGreaterThan(10);
      expect(at < b || at >= c).toBe(true);
      const copy = Buffer.from(sealed);
      copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
      const r = pdfsig(writeTemp(copy, 'tampered'));
      expect({ at, valid: r.valid }).toEqual({ at, valid: false });
      expect({ at, out: r.out }).toEqual({ at, out: expect.stringMatching(/Digest Mismatch/) });
    }
  });

  it('changing any byte of the signed ranges (sampled across the file) never leaves a valid signature', () => {
    const { byteRange } = extractSignature(sealed, file);
    const [, b, c] = byteRange;
    const offsets = [0, 9, b - 1, c, c + 1, sealed.length - 2];
    for (let i = 1; i <= 12; i++) offsets.push(Math.floor((i * (sealed.length - 1)) / 13));
    for (const at of offsets.filter((o) => o < b || o >= c)) {
      const copy = Buffer.from(sealed);
      copy[at] ^= 0x01;
      expect({ at, valid: pdfsig(writeTemp(copy, 'flipped')).valid }).toEqual({ at, valid: false });
    }
  });

  it('is deterministic: the same tree, time and identity give the same bytes (RSA PKCS#1 v1.5)', async () => {
    expect((await seal()).equals(sealed)).toBe(true);
  });

  it('a hostile title impersonating the placeholders does not mislead the signer', async () => {
    const tree = signedTree();
    tree.title = 'Contrat /ByteRange [0 9999999999 9999999999 9999999999] /Contents <0000> /Type /Sig';
    const out = await seal(tree);
    expect(pdfsig(writeTemp(out, 'hostile-title')).valid).toBe(true);
  });

  it('leaves the prepared PDF untouched, and refuses a PDF without a prepared field or already sealed', async () => {
    const prepared = await renderPdf(signedTree(), 'standard', {
      pictogramsDir: PICTOGRAMS_DIR,
      signatureField: { name: 'Cachet', tooltip: 'Cachet électronique', signingTime },
    });
    const before = Buffer.from(prepared);
    const out = signPdf(prepared, identity, { signingTime });
    expect(prepared.equals(before)).toBe(true);
    expect(findPreparedSignature(prepared).contentsStart).toBeGreaterThan(0);
    expect(() => signPdf(out, identity, { signingTime })).toThrow(SealError);
    const plain = await renderPdf(signedTree(), 'standard', { pictogramsDir: PICTOGRAMS_DIR });
    expect(() => signPdf(plain, identity, { signingTime })).toThrow(expect.objectContaining({ code: 'SEAL_PDF_NO_SIGNATURE_FIELD' }));
  });

  it('refuses to seal at a time the certificate is not valid, and a CMS larger than the room reserved', async () => {
    const past = new Date('2010-01-01T00:00:00Z');
    await expect(sealDocument(signedTree(), identity, { signingTime: past, render: { pictogramsDir: PICTOGRAMS_DIR } })).rejects.toMatchObject({
      code: 'SEAL_CERTIFICATE_NOT_VALID',
    });
    const tooSmall = await renderPdf(signedTree(), 'standard', {
      pictogramsDir: PICTOGRAMS_DIR,
      signatureField: { name: 'Cachet', tooltip: 'Cachet électronique', signingTime, contentsBytes: 2048 },
    });
    expect(() => signPdf(tooSmall, identity, { signingTime })).toThrow(expect.objectContaining({ code: 'SEAL_SIGNATURE_TOO_LARGE' }));
  });
});
