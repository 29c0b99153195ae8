/**
 * PAdES baseline B-T (ETSI EN 319 142-1 6.3): with a time-stamping authority configured, the seal's
 * SignerInfo carries an RFC 3161 signature-time-stamp token (unsigned attribute
 * 1.2.840.113549.1.9.16.2.14) over its signature value. The TSA is a local RFC 3161 responder over
 * real HTTP (libs/testing tsa-server.ts, its own test CA); the sealed PDF is read back by poppler's
 * pdfsig, qpdf and OpenSSL (`openssl ts -verify`), never by the signing code alone.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TsaConfig } from '@carepact/config';
import { verifyPades } from '@carepact/archive';
import { renderPdf } from '@carepact/rendering';
import { ensureDevSealIdentity, requestTimestamp, type SealIdentity, sealDocument, sealScan, signatureTimestampOf, TIMESTAMPED_CONTENTS_BYTES } from '@carepact/signing';
import { TestTsa, freePort } from '@carepact/testing';
import { PICTOGRAMS_DIR, contratSejourTree } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import { scanOf } from '../paper/scan-fixtures';
import { run, writeTemp } from '../rendering-pdf/pdf-tools';
import { ESTABLISHMENT, extractSignature, now, openssl, pdfsig, signedTree, tempFile, workDir } from './seal-tools';

const tsaConfig = (url: string, extra: Partial<TsaConfig> = {}): TsaConfig => ({ url, policyOid: null, username: null, password: null, timeoutMs: 5000, trustedRootsPem: null, qualified: false, ...extra });

describe('PAdES B-T seal: an RFC 3161 signature-time-stamp token from the TSA', () => {
  let identity: SealIdentity;
  let tsa: TestTsa;
  let sealed: Buffer;
  let file: string;
  const signingTime = now();

  const seal = (cfg: TsaConfig) =>
    sealDocument(signedTree(), identity, {
      signingTime,
      reason: 'Document signé par toutes les parties',
      render: { pictogramsDir: PICTOGRAMS_DIR },
      timestamp: async (value) => (await requestTimestamp(cfg, value)).token,
    });

  beforeAll(async () => {
    identity = await ensureDevSealIdentity(join(workDir, 'dev-seal-bt'), ESTABLISHMENT);
    tsa = await TestTsa.start();
    sealed = await seal(tsaConfig(tsa.url));
    file = writeTemp(sealed, 'sealed-bt');
  });
  afterAll(() => tsa?.close());
  beforeEach(() => {
    tsa.mode = 'ok';
  });

  it('pdfsig: the signature is valid over the whole document; qpdf --check passes', () => {
    const r = pdfsig(file);
    expect(r.valid).toBe(true);
    expect(r.out).toContain('Total document signed');
    expect(r.out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(r.out).toContain(`Signer Certificate Common Name: ${ESTABLISHMENT}`);
    const check = run('qpdf', ['--check', file]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
  });

  it('asked the TSA once, with a nonce and certReq, for the SHA-256 of the signature value', () => {
    const { cms } = extractSignature(sealed, file);
    const { signatureValue, token } = signatureTimestampOf(cms);
    expect(token).not.toBeNull();
    expect(tsa.requests).toHaveLength(1);
    expect(tsa.requests[0]).toMatchObject({ imprint: createHash('sha256').update(signatureValue).digest('hex'), certReq: true, nonce: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(token!.equals(tsa.tokens[0])).toBe(true);
    // Room reserved for the token: the B-T /Contents.
    const [, b, c] = extractSignature(sealed, file).byteRange;
    expect((c - b - 2) / 2).toBe(TIMESTAMPED_CONTENTS_BYTES);
  });

  it('OpenSSL: the CMS has the token as its only unsigned attribute; the token verifies (imprint = SHA-256 of the signature value, signed by the TSA)', () => {
    const { cms } = extractSignature(sealed, file);
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', tempFile('bt.der', cms)]).stdout;
    const unsigned = printed.slice(printed.indexOf('unsignedAttrs:'));
    expect([...unsigned.matchAll(/object: [\w-]+ \(([\d.]+)\)/g)].map((m) => m[1])).toEqual(['1.2.840.113549.1.9.16.2.14']);
    const { signatureValue, token } = signatureTimestampOf(cms);
    const tokenFile = tempFile('token.der', token!);
    const text = openssl(['ts', '-reply', '-in', tokenFile, '-token_in', '-text']).stdout;
    // « Message data: » then hex dump lines « 0000 - 88 5f … 1b-… ascii ».
    const dump = text.slice(text.indexOf('Message data:'), text.indexOf('Serial number:'));
    const imprint = [...dump.matchAll(/^\s*[0-9a-f]{4} - ([0-9a-f -]{47})/gm)].map((m) => m[1].replace(/[ -]/g, '')).join('');
    expect(imprint).toBe(createHash('sha256').update(signatureValue).digest('hex'));
    const ca = tempFile('tsa-ca.pem', tsa.caPem);
    const digest = createHash('sha256').update(signatureValue).digest('hex');
    const ok = openssl(['ts', '-verify', '-in', tokenFile, '-token_in', '-digest', digest, '-CAfile', ca]);
    expect(ok.stdout + ok.stderr).toContain('Verification: OK');
    const other = openssl(['ts', '-verify', '-in', tokenFile, '-token_in', '-digest', createHash('sha256').update('autre').digest('hex'), '-CAfile', ca]);
    expect(other.stdout + other.stderr).not.toContain('Verification: OK');
  });

  it('verification (archive:verify, « Vérifier à nouveau ») reads the time it certifies; a tampered token is refused', () => {
    const v = verifyPades(sealed);
    expect(v.ok).toBe(true);
    expect(v.timestamp).toMatchObject({ ok: true, policy: tsa.defaultPolicy });
    if (!v.timestamp?.ok) throw new Error('no timestamp');
    expect(Math.abs(v.timestamp.genTime.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    expect(v.timestamp.tsaCertificate.subject).toContain('CN=CarePact test TSA');

    // One byte of the token's signature changed, inside /Contents (outside the signed ranges).
    const { cms } = extractSignature(sealed, file);
    const token = signatureTimestampOf(cms).token!;
    const at = sealed.indexOf(Buffer.from(token.toString('hex'), 'latin1'));
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(sealed);
    const pos = at + token.length * 2 - 2; // the last byte of the token: the end of its signature
    tampered.write(((parseInt(tampered.toString('latin1', pos, pos + 2), 16) ^ 1) & 0xff).toString(16).padStart(2, '0'), pos, 'latin1');
    const bad = verifyPades(tampered);
    expect(bad.ok).toBe(true); // the seal's own signature does not cover its unsigned attributes
    expect(bad.timestamp).toEqual({ ok: false, reason: 'la signature du jeton d’horodatage ne se vérifie pas avec le certificat de l’autorité' });
    // pdfsig still reads the seal's signature as valid: only the token check finds it.
    expect(pdfsig(writeTemp(tampered, 'tampered-token')).valid).toBe(true);
  });

  it('a seal without a TSA has no token (B-B): verification says so', async () => {
    const bb = await sealDocument(signedTree(), identity, { signingTime, render: { pictogramsDir: PICTOGRAMS_DIR } });
    expect(verifyPades(bb)).toMatchObject({ ok: true, timestamp: null });
    // The seal's own time, /M in the signed bytes (second precision): what archive:verify --trust judges a B-B seal's path at.
    expect(verifyPades(bb).signingTime?.toISOString()).toBe(new Date(Math.floor(signingTime.getTime() / 1000) * 1000).toISOString());
  });

  it.each([
    ['reject', 'TSA_RESPONSE_INVALID', /demande refusé/],
    ['wrong-imprint', 'TSA_RESPONSE_INVALID', /l’empreinte horodatée ne correspond pas/],
    ['wrong-nonce', 'TSA_RESPONSE_INVALID', /nonce du jeton/],
    ['bad-signature', 'TSA_RESPONSE_INVALID', /signature du jeton d’horodatage ne se vérifie pas/],
    ['http-500', 'TSA_UNAVAILABLE', /HTTP 500/],
  ] as const)('TSA %s: no seal at all, %s with a French message', async (mode, code, message) => {
    tsa.mode = mode;
    await expect(seal(tsaConfig(tsa.url))).rejects.toMatchObject({ code, messageFr: expect.stringMatching(message) });
  });

  it('TSA unreachable, or refusing the credentials: TSA_UNAVAILABLE', async () => {
    await expect(seal(tsaConfig(`http://127.0.0.1:${await freePort()}/tsa`))).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE', messageFr: expect.stringContaining('ne répond pas (ECONNREFUSED)') });
    const locked = await TestTsa.start({ credentials: { username: 'cachet', password: 'mot-de-passe-tsa' } });
    try {
      await expect(seal(tsaConfig(locked.url, { username: 'cachet', password: 'faux' }))).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE', messageFr: expect.stringContaining('identifiants refusés') });
      const ok = await seal(tsaConfig(locked.url, { username: 'cachet', password: 'mot-de-passe-tsa' }));
      expect(verifyPades(ok).timestamp?.ok).toBe(true);
      expect(locked.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('cachet:mot-de-passe-tsa').toString('base64')}`);
    } finally {
      await locked.close();
    }
  });

  it('SEAL_TSA_CA: a token whose certificate chains to the configured roots is taken; one from another authority is refused (the code reviewer: any time-stamping certificate was trusted)', async () => {
    const ok = await seal(tsaConfig(tsa.url, { trustedRootsPem: tsa.caPem }));
    expect(verifyPades(ok).timestamp?.ok).toBe(true);
    const stranger = await TestTsa.start();
    try {
      await expect(seal(tsaConfig(stranger.url, { trustedRootsPem: tsa.caPem }))).rejects.toMatchObject({
        code: 'TSA_RESPONSE_INVALID',
        messageFr: expect.stringContaining('ne remonte à aucune autorité de SEAL_TSA_CA'),
      });
    } finally {
      await stranger.close();
    }
  });

  it('asks for the configured policy and refuses a token under another one', async () => {
    const out = await seal(tsaConfig(tsa.url, { policyOid: '1.2.250.1.999.1' }));
    expect(tsa.requests.at(-1)?.policy).toBe('1.2.250.1.999.1');
    expect(verifyPades(out).timestamp).toMatchObject({ ok: true, policy: '1.2.250.1.999.1' });
    tsa.mode = 'wrong-policy';
    await expect(seal(tsaConfig(tsa.url, { policyOid: '1.2.250.1.999.1' }))).rejects.toMatchObject({
      code: 'TSA_RESPONSE_INVALID',
      messageFr: expect.stringContaining(`politique d’horodatage ${tsa.defaultPolicy} au lieu de 1.2.250.1.999.1`),
    });
  });

  it('the scan of a paper signature is sealed B-T too: pdfsig valid, qpdf --check, the token checks out', async () => {
    const scan = await scanOf(await renderPdf(contratSejourTree('standard'), 'standard', { pictogramsDir: PICTOGRAMS_DIR }), [1]);
    const out = await sealScan(
      scan,
      identity,
      {
        stampLines: (p, n) => [`Signé sur papier — page ${p} sur ${n}`, `Scellé par ${ESTABLISHMENT}`],
        evidence: { title: 'Dossier de preuve — document signé sur papier', lines: ['Horodatage : jeton RFC 3161.'] },
        title: 'Contrat de séjour — signé sur papier',
        signingTime,
        signature: { fieldName: 'CachetEtablissement', tooltip: `Cachet électronique de ${ESTABLISHMENT}`, signerName: ESTABLISHMENT, reason: 'Document signé sur papier', location: ESTABLISHMENT },
      },
      async (value) => (await requestTimestamp(tsaConfig(tsa.url), value)).token,
    );
    const scanned = writeTemp(out, 'scan-bt');
    expect(pdfsig(scanned).valid).toBe(true);
    expect(run('qpdf', ['--check', scanned]).status).toBe(0);
    expect(verifyPades(out)).toMatchObject({ ok: true, timestamp: { ok: true } });
  });
});
