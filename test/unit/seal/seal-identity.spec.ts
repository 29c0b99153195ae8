/**
 * The establishment's sealing identity: the development one is created once, kept private and
 * reused; a P12 from the configuration (here one made by OpenSSL 3 with its defaults, ECDSA P-256)
 * loads and seals; a wrong passphrase or a broken file is refused clearly.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevSealIdentity, loadSealIdentity, SealError, sealDocument } from '@carepact/signing';
import { PICTOGRAMS_DIR } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import { run, writeTemp } from '../rendering-pdf/pdf-tools';
import { ESTABLISHMENT, now, openssl, pdfsig, signedTree, tempFile, workDir } from './seal-tools';

describe('seal identity', () => {
  it('ensureDevSealIdentity creates a CA-issued RSA-2048 seal certificate once (0700 folder, 0600 files) and reuses it', async () => {
    const dir = join(workDir, 'identity-once', 'seal');
    const first = await ensureDevSealIdentity(dir, ESTABLISHMENT);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['seal.p12', 'seal.passphrase']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    const mtime = statSync(join(dir, 'seal.p12')).mtimeMs;

    const again = await ensureDevSealIdentity(dir, 'Un autre nom');
    expect(again.certificate.equals(first.certificate)).toBe(true);
    expect(statSync(join(dir, 'seal.p12')).mtimeMs).toBe(mtime);
    expect(again.privateKey.equals(first.privateKey)).toBe(true);

    expect(first.subject.commonName).toBe(ESTABLISHMENT);
    expect(first.subject.organization).toBe(ESTABLISHMENT);
    expect(first.subject.keyType).toBe('rsa');
    expect(first.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(first.chain).toHaveLength(1);
    expect(first.subject.issuer).toContain('CN=CarePact development CA');

    const pem = (der: Buffer): string => run('openssl', ['x509', '-inform', 'DER', '-in', tempFile('c.der', der)]).stdout;
    const leaf = openssl(['x509', '-noout', '-text', '-nameopt', 'utf8', '-in', tempFile('leaf.pem', pem(first.certificate))]).stdout;
    expect(leaf).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation\s/);
    expect(leaf).toMatch(/CA:FALSE/);
    const ca = openssl(['x509', '-noout', '-text', '-in', tempFile('ca.pem', pem(first.chain[0]))]).stdout;
    expect(ca).toMatch(/CA:TRUE/);
    expect(ca).toMatch(/Certificate Sign, CRL Sign/);
    // The chain verifies with OpenSSL.
    const verify = openssl(['verify', '-CAfile', tempFile('ca2.pem', pem(first.chain[0])), tempFile('leaf2.pem', pem(first.certificate))]);
    expect(verify.stdout).toContain(': OK');
  });

  it('concurrent first calls create one identity', async () => {
    const dir = join(workDir, 'identity-race', 'seal');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => ensureDevSealIdentity(dir, ESTABLISHMENT)));
    expect(a.certificate.equals(b.certificate)).toBe(true);
    expect(a.certificate.equals(c.certificate)).toBe(true);
    expect((await ensureDevSealIdentity(dir, ESTABLISHMENT)).certificate.equals(a.certificate)).toBe(true);
  });

  it('loadSealIdentity refuses a wrong passphrase with a clear error', async () => {
    const dir = join(workDir, 'identity-pass', 'seal');
    await ensureDevSealIdentity(dir, ESTABLISHMENT);
    const p12 = readFileSync(join(dir, 'seal.p12'));
    const passphrase = readFileSync(join(dir, 'seal.passphrase'), 'utf8').trim();
    expect(loadSealIdentity(p12, passphrase).subject.commonName).toBe(ESTABLISHMENT);
    let error: unknown;
    try {
      loadSealIdentity(p12, 'pas la bonne phrase');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SealError);
    expect(error).toMatchObject({ code: 'SEAL_P12_BAD_PASSPHRASE', kind: 'invalid' });
    expect((error as SealError).messageFr).toMatch(/phrase secrète/);
    expect(() => loadSealIdentity(Buffer.from('pas un PKCS#12'), passphrase)).toThrow(expect.objectContaining({ code: 'SEAL_P12_UNREADABLE' }));
  });

  it('a P12 made by OpenSSL 3 (ECDSA P-256, AES-256 + PBKDF2 + SHA-256 MAC) loads and seals; pdfsig validates it', async () => {
    const key = tempFile('ec-key.pem', '');
    const cert = tempFile('ec-cert.pem', '');
    const p12 = tempFile('ec.p12', '');
    const req = openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', key, '-out', cert, '-nodes', '-days', '30',
      '-subj', '/CN=EHPAD Les Mimosas/O=EHPAD Les Mimosas/C=FR', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation',
    ]);
    expect(req.status).toBe(0);
    expect(openssl(['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', 'pass:s3cr3t-phrase']).status).toBe(0);
    const identity = loadSealIdentity(readFileSync(p12), 's3cr3t-phrase');
    expect(identity.subject.keyType).toBe('ec');
    expect(identity.subject.commonName).toBe('EHPAD Les Mimosas');
    expect(identity.chain).toHaveLength(0);
    expect(() => loadSealIdentity(readFileSync(p12), 'wrong')).toThrow(expect.objectContaining({ code: 'SEAL_P12_BAD_PASSPHRASE' }));

    const sealed = await sealDocument(signedTree(), identity, { signingTime: now(), render: { pictogramsDir: PICTOGRAMS_DIR } });
    const r = pdfsig(writeTemp(sealed, 'sealed-ec'));
    expect(r.valid).toBe(true);
    expect(r.out).toContain('Signer Certificate Common Name: EHPAD Les Mimosas');
  });
});
