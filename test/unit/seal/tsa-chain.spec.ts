/**
 * The TSA certificate's path to SEAL_TSA_CA's roots (RFC 5280 6.1, RFC 3161 2.3): the attacker's
 * review reproduced a token signed by an « Evil TSA » certificate that an ordinary end-entity
 * certificate (CA:FALSE, a TLS server's) had issued under the trusted root, and it was taken at
 * sealing: each link was checked for its issuer's name and signature only. Now every issuer on the
 * path must be an authority (cA TRUE, keyCertSign when keyUsage is present, pathLenConstraint
 * respected) valid at the time the token certifies, and the TSA certificate's time-stamping usage
 * critical. The TSA is the local RFC 3161 responder over real HTTP (libs/testing tsa-server.ts),
 * signing with certificates of each test's making; `tsaChainCheck` is the one function the seal,
 * `archive:verify` and « Vérifier à nouveau » call.
 */
import { X509Certificate } from 'node:crypto';
import type { TsaConfig } from '@carepact/config';
import { requestTimestamp, tsaChainCheck } from '@carepact/signing';
import { type TestCertificate, TestTsa, testCertificate } from '@carepact/testing';

const DAY = 86400_000;
const x509 = (c: TestCertificate) => new X509Certificate(c.pem);

describe('the TSA certificate’s path to SEAL_TSA_CA: every issuer an authority, valid at the certified time', () => {
  let tsa: TestTsa;
  let cfg: TsaConfig;
  const stamp = () => requestTimestamp(cfg, Buffer.from('valeur de la signature du cachet'));

  beforeAll(async () => {
    tsa = await TestTsa.start();
    cfg = { url: tsa.url, policyOid: null, username: null, password: null, timeoutMs: 5000, trustedRootsPem: tsa.caPem, qualified: false };
  });
  afterEach(() => tsa.signWith(null));
  afterAll(() => tsa?.close());

  it('the attacker’s chain: an end-entity certificate (CA:FALSE) of the trusted root signed an « Evil TSA » certificate — refused at sealing (TSA_RESPONSE_INVALID), and by the verifiers’ check', async () => {
    const leaf = testCertificate({ cn: 'www.attacker.example', issuer: tsa.ca, serverAuth: true });
    const evil = testCertificate({ cn: 'Evil TSA', issuer: leaf, timeStamping: true });
    tsa.signWith(evil, [leaf]);
    await expect(stamp()).rejects.toMatchObject({
      code: 'TSA_RESPONSE_INVALID',
      messageFr: expect.stringContaining('ne remonte à aucune autorité de SEAL_TSA_CA : « www.attacker.example » a signé le certificat de « Evil TSA » sans être une autorité de certification (basicConstraints sans CA:TRUE)'),
    });
    expect(tsaChainCheck(x509(evil), [x509(leaf)], [x509(tsa.ca)], new Date())).toMatchObject({ ok: false, reason: expect.stringContaining('sans être une autorité de certification') });
  });

  it('an intermediate expired before the certified time: refused', async () => {
    const expired = testCertificate({ cn: 'Intermédiaire expiré', issuer: tsa.ca, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const signer = testCertificate({ cn: 'TSA sous un intermédiaire expiré', issuer: expired, timeStamping: true, keyUsage: ['digitalSignature'] });
    tsa.signWith(signer, [expired]);
    await expect(stamp()).rejects.toMatchObject({
      code: 'TSA_RESPONSE_INVALID',
      messageFr: expect.stringMatching(/le certificat de « Intermédiaire expiré » n’était pas valide le \d{4}-\d\d-\d\dT[\d:.]+Z, heure indiquée par le jeton/),
    });
  });

  it('pathLenConstraint 0 on the first intermediate, a second intermediate under it: refused', async () => {
    const first = testCertificate({ cn: 'Intermédiaire pathLen 0', issuer: tsa.ca, ca: true, pathLen: 0, keyUsage: ['keyCertSign'] });
    const second = testCertificate({ cn: 'Second intermédiaire', issuer: first, ca: true, keyUsage: ['keyCertSign'] });
    const signer = testCertificate({ cn: 'TSA sous deux intermédiaires', issuer: second, timeStamping: true });
    tsa.signWith(signer, [second, first]);
    await expect(stamp()).rejects.toMatchObject({
      code: 'TSA_RESPONSE_INVALID',
      messageFr: expect.stringContaining('« Intermédiaire pathLen 0 » n’admet que 0 autorité(s) intermédiaire(s) sous elle (pathLenConstraint), la chaîne en compte 1'),
    });
  });

  it('an intermediate whose keyUsage lacks keyCertSign: refused', async () => {
    const inter = testCertificate({ cn: 'Intermédiaire sans keyCertSign', issuer: tsa.ca, ca: true, keyUsage: ['digitalSignature'] });
    const signer = testCertificate({ cn: 'TSA sous un intermédiaire sans keyCertSign', issuer: inter, timeStamping: true });
    tsa.signWith(signer, [inter]);
    await expect(stamp()).rejects.toMatchObject({ code: 'TSA_RESPONSE_INVALID', messageFr: expect.stringContaining('ne remonte à aucune autorité de SEAL_TSA_CA') });
  });

  it('a TSA certificate whose id-kp-timeStamping usage is not critical (RFC 3161 2.3): refused, with or without SEAL_TSA_CA', async () => {
    const signer = testCertificate({ cn: 'TSA à usage non critique', issuer: tsa.ca, timeStamping: 'non-critical' });
    tsa.signWith(signer);
    for (const trustedRootsPem of [tsa.caPem, null])
      await expect(requestTimestamp({ ...cfg, trustedRootsPem }, Buffer.from('valeur'))).rejects.toMatchObject({
        code: 'TSA_RESPONSE_INVALID',
        messageFr: expect.stringContaining('ne marque pas critique son usage étendu id-kp-timeStamping'),
      });
  });

  it('a proper intermediate (CA, keyCertSign, pathLen 0) between the root and the TSA: accepted; the same path is judged at the certified time, not today', async () => {
    const inter = testCertificate({ cn: 'Intermédiaire horodatage', issuer: tsa.ca, ca: true, pathLen: 0, keyUsage: ['keyCertSign', 'cRLSign'], notAfter: new Date(Date.now() + 30 * DAY) });
    const signer = testCertificate({ cn: 'TSA sous intermédiaire', issuer: inter, timeStamping: true, keyUsage: ['digitalSignature', 'nonRepudiation'] });
    tsa.signWith(signer, [inter]);
    const token = await stamp();
    expect(token.tsaCertificate.subject).toContain('CN=TSA sous intermédiaire');
    const check = tsaChainCheck(token.tsaCertificate, token.certificates, [x509(tsa.ca)], token.genTime);
    expect(check.ok).toBe(true);
    expect(check.path?.map((c) => c.subject.split('\n').find((l) => l.startsWith('CN=')))).toEqual(['CN=TSA sous intermédiaire', 'CN=Intermédiaire horodatage', 'CN=CarePact test TSA CA']);
    // Years later, the intermediate expired since: the token's time is what counts.
    expect(tsaChainCheck(token.tsaCertificate, token.certificates, [x509(tsa.ca)], new Date(Date.now() + 60 * DAY)).ok).toBe(false);
  });
});
