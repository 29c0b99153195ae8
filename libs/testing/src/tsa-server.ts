/**
 * A local RFC 3161 time-stamping authority for tests, over real HTTP (the one stand-in allowed for
 * the outside TSA the seal asks in production, SEAL_TSA_URL). It has its own test CA and a TSA
 * certificate (extended key usage id-kp-timeStamping, critical), reads the TimeStampReq, and answers
 * a TimeStampResp whose token is a CMS SignedData over a TSTInfo with the request's imprint and
 * nonce, signed attributes content-type, message-digest and signing-certificate-v2. Built with
 * node-forge's ASN.1 and RSA; nothing of the code under test is used.
 *
 * `mode` makes it misbehave the ways a TSA can: refuse (PKIStatus rejection), answer HTTP 500, time
 * stamp another imprint, another nonce, under its own policy rather than the one asked, or send a
 * token whose signature does not verify.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import forge from 'node-forge';

export type TsaMode = 'ok' | 'reject' | 'http-500' | 'wrong-imprint' | 'wrong-nonce' | 'wrong-policy' | 'bad-signature';

const OIDS = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const C = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

const seq = (...v: forge.asn1.Asn1[]) => asn1.create(U, T.SEQUENCE, true, v);
const oid = (o: string) => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(U, T.OCTETSTRING, false, b.toString('binary'));
/** A non-negative INTEGER in its minimal DER form. */
const int = (b: Buffer) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return asn1.create(U, T.INTEGER, false, (v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v).toString('binary'));
};
const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const fromDer = (b: Buffer) => asn1.fromDer(b.toString('binary'));
/** SET OF in DER order (X.690 11.6): elements sorted by their encodings. */
const setOf = (...v: forge.asn1.Asn1[]) => asn1.create(U, T.SET, true, v.map((x) => [der(x), x] as const).sort((a, b) => Buffer.compare(a[0], b[0])).map(([, x]) => x));

function forgeKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string) as forge.pki.rsa.PublicKey,
  };
}

const serial = (): string => {
  const b = randomBytes(12);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
};

/** A test certificate with its key (the TSA's CA, an intermediate, a TSA or any other certificate a test needs). */
export interface TestCertificate {
  certificate: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  pem: string;
}

/**
 * A certificate for the chain tests of a TSA (RFC 5280): self-signed without `issuer`. `ca` writes
 * basicConstraints (critical) with cA and, when given, pathLenConstraint; `keyUsage` the bits named
 * (critical); `timeStamping` the extended key usage id-kp-timeStamping (critical unless
 * 'non-critical'), `serverAuth` a TLS server's. Valid from an hour ago for a year unless dates given.
 */
export function testCertificate(opts: {
  cn: string;
  issuer?: TestCertificate;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: ('keyCertSign' | 'cRLSign' | 'digitalSignature' | 'nonRepudiation')[];
  timeStamping?: true | 'non-critical';
  serverAuth?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}): TestCertificate {
  const keys = forgeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86400_000);
  const name = [{ shortName: 'CN', value: opts.cn }, { shortName: 'O', value: 'CarePact tests' }, { shortName: 'C', value: 'FR' }];
  cert.setSubject(name);
  cert.setIssuer(opts.issuer ? opts.issuer.certificate.subject.attributes : name);
  const exts: object[] = [{ name: 'basicConstraints', cA: opts.ca ?? false, ...(opts.pathLen !== undefined ? { pathLenConstraint: opts.pathLen } : {}), critical: true }];
  if (opts.keyUsage) exts.push({ name: 'keyUsage', ...Object.fromEntries(opts.keyUsage.map((k) => [k, true])), critical: true });
  if (opts.timeStamping) exts.push({ name: 'extKeyUsage', timeStamping: true, critical: opts.timeStamping === true });
  else if (opts.serverAuth) exts.push({ name: 'extKeyUsage', serverAuth: true });
  exts.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(exts);
  cert.sign(opts.issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return { certificate: cert, key: keys.privateKey, pem: forge.pki.certificateToPem(cert) };
}

export class TestTsa {
  mode: TsaMode = 'ok';
  /** Requests received (each one's imprint and nonce, hex). */
  readonly requests: { imprint: string; nonce: string | null; certReq: boolean; policy: string | null; authorization: string | null }[] = [];
  /** Tokens answered, DER. */
  readonly tokens: Buffer[] = [];
  /** The policy a token carries when the request names none. */
  readonly defaultPolicy = '1.3.6.1.4.1.61007.3161.1';
  private counter = 0;
  /** Set by `signWith`: the certificate and key that sign the tokens instead of the TSA's, and the certificates they carry besides. */
  private signer: { certificate: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; carried: forge.pki.Certificate[] } | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly caCertificate: forge.pki.Certificate,
    readonly tsaCertificate: forge.pki.Certificate,
    private readonly tsaKey: forge.pki.rsa.PrivateKey,
    /** The test CA's key: what a test issues certificates with (`testCertificate`, `ca`). */
    private readonly caKey: forge.pki.rsa.PrivateKey,
    /** Basic credentials the TSA requires, when set. */
    private readonly credentials: { username: string; password: string } | null,
  ) {}

  static async start(opts: { credentials?: { username: string; password: string } } = {}): Promise<TestTsa> {
    const ca = forgeKeys();
    const tsa = forgeKeys();
    const now = Date.now();
    const caName = [{ shortName: 'CN', value: 'CarePact test TSA CA' }, { shortName: 'O', value: 'CarePact tests' }, { shortName: 'C', value: 'FR' }];
    const caCert = forge.pki.createCertificate();
    caCert.publicKey = ca.publicKey;
    caCert.serialNumber = serial();
    caCert.validity.notBefore = new Date(now - 3600_000);
    caCert.validity.notAfter = new Date(now + 10 * 365 * 86400_000);
    caCert.setSubject(caName);
    caCert.setIssuer(caName);
    caCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    caCert.sign(ca.privateKey, forge.md.sha256.create());
    const tsaCert = forge.pki.createCertificate();
    tsaCert.publicKey = tsa.publicKey;
    tsaCert.serialNumber = serial();
    tsaCert.validity.notBefore = new Date(now - 3600_000);
    tsaCert.validity.notAfter = new Date(now + 5 * 365 * 86400_000);
    tsaCert.setSubject([{ shortName: 'CN', value: 'CarePact test TSA' }, { shortName: 'O', value: 'CarePact tests' }, { shortName: 'C', value: 'FR' }]);
    tsaCert.setIssuer(caName);
    tsaCert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      // RFC 3161 2.3: id-kp-timeStamping only, critical.
      { name: 'extKeyUsage', timeStamping: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    tsaCert.sign(ca.privateKey, forge.md.sha256.create());

    let self: TestTsa | null = null;
    // Each answer closes its connection: a keep-alive socket the server drops after its 5 s idle
    // timeout, reused by the client's next request while a test was busy building keys, gave
    // ECONNRESET (TSA_UNAVAILABLE) instead of the answer under test (the code review of session 17).
    const server = createServer((req, res) => {
      res.shouldKeepAlive = false;
      void self!.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    self = new TestTsa(server, `http://127.0.0.1:${port}/tsa`, caCert, tsaCert, tsa.privateKey, ca.privateKey, opts.credentials ?? null);
    return self;
  }

  /** The test CA with its key, to issue certificates under the root the installation trusts (`testCertificate({ issuer: tsa.ca })`). */
  get ca(): TestCertificate {
    return { certificate: this.caCertificate, key: this.caKey, pem: this.caPem };
  }

  /**
   * Tokens signed by `signer` (a TSA certificate of a test's making: an attacker's, one under an
   * intermediate) and carrying `carried` besides it; `null`: the TSA's own certificate again.
   */
  signWith(signer: TestCertificate | null, carried: TestCertificate[] = []): void {
    this.signer = signer ? { certificate: signer.certificate, key: signer.key, carried: carried.map((c) => c.certificate) } : null;
  }

  /** The test CA, PEM (for `openssl ts -verify -CAfile`). */
  get caPem(): string {
    return forge.pki.certificateToPem(this.caCertificate);
  }

  /** Stops listening (a TSA that is down: connections are refused) until `start` again. */
  stop(): Promise<void> {
    return this.close();
  }

  /** Listens again on the same address after `stop`. */
  async restart(): Promise<void> {
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const auth = req.headers.authorization ?? null;
    if (this.credentials && auth !== `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="tsa"' }).end();
      return;
    }
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query' || this.mode === 'http-500') {
      res.writeHead(this.mode === 'http-500' ? 500 : 400).end();
      return;
    }
    const body = this.answer(Buffer.concat(chunks), auth);
    res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body);
  }

  private answer(request: Buffer, authorization: string | null): Buffer {
    // TimeStampReq: version, messageImprint, [reqPolicy], [nonce], [certReq].
    const req = fromDer(request).value as forge.asn1.Asn1[];
    const imprint = req[1].value as forge.asn1.Asn1[];
    const hashAlg = asn1.derToOid(forge.util.createBuffer(((imprint[0].value as forge.asn1.Asn1[])[0].value as string)));
    const hashed = Buffer.from(imprint[1].value as string, 'binary');
    const rest = req.slice(2);
    const policyNode = rest.find((n) => n.type === T.OID);
    const nonceNode = rest.find((n) => n.type === T.INTEGER);
    const certReqNode = rest.find((n) => n.type === T.BOOLEAN);
    const policy = policyNode ? asn1.derToOid(forge.util.createBuffer(policyNode.value as string)) : null;
    const nonce = nonceNode ? Buffer.from(nonceNode.value as string, 'binary') : null;
    const certReq = certReqNode ? (certReqNode.value as string) !== '\x00' : false;
    this.requests.push({ imprint: hashed.toString('hex'), nonce: nonce?.toString('hex') ?? null, certReq, policy, authorization });

    if (this.mode === 'reject' || hashAlg !== OIDS.sha256) {
      // PKIStatusInfo: rejection (2), failInfo badAlg or badRequest.
      return der(seq(seq(asn1.create(U, T.INTEGER, false, '\x02'), asn1.create(U, T.BITSTRING, false, '\x07\x80'))));
    }
    const tst = this.tstInfo(
      this.mode === 'wrong-imprint' ? createHash('sha256').update('autre chose').digest() : hashed,
      this.mode === 'wrong-nonce' ? randomBytes(8) : nonce,
      this.mode === 'wrong-policy' ? null : policy,
    );
    const token = this.token(tst, certReq);
    this.tokens.push(token);
    return der(seq(seq(asn1.create(U, T.INTEGER, false, '\x00')), fromDer(token)));
  }

  private tstInfo(imprint: Buffer, nonce: Buffer | null, policy: string | null): Buffer {
    const d = new Date();
    const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
    const genTime = `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}.${p2(d.getUTCMilliseconds(), 3)}Z`;
    const sn = Buffer.alloc(4);
    sn.writeUInt32BE(++this.counter);
    return der(
      seq(
        asn1.create(U, T.INTEGER, false, '\x01'),
        oid(policy ?? this.defaultPolicy),
        seq(seq(oid(OIDS.sha256)), octets(imprint)),
        int(sn),
        asn1.create(U, T.GENERALIZEDTIME, false, genTime),
        seq(asn1.create(U, T.INTEGER, false, '\x01')), // accuracy: one second
        ...(nonce ? [int(nonce)] : []),
      ),
    );
  }

  private token(tst: Buffer, certReq: boolean): Buffer {
    const certDer = der(forge.pki.certificateToAsn1(this.signer?.certificate ?? this.tsaCertificate));
    const tbs = (fromDer(certDer).value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const [issuer, sn] = [tbs[3], tbs[1]];
    const essCertIdV2 = seq(octets(createHash('sha256').update(certDer).digest()), seq(seq(asn1.create(C, 4, true, [issuer])), sn));
    const attrs = [
      seq(oid(OIDS.contentType), setOf(oid(OIDS.tstInfo))),
      seq(oid(OIDS.messageDigest), setOf(octets(createHash('sha256').update(tst).digest()))),
      seq(oid(OIDS.signingCertificateV2), setOf(seq(seq(essCertIdV2)))),
    ];
    const signedSet = setOf(...attrs);
    const md = forge.md.sha256.create();
    md.update(der(signedSet).toString('binary'));
    const signature = Buffer.from((this.signer?.key ?? this.tsaKey).sign(md), 'binary');
    if (this.mode === 'bad-signature') signature[signature.length - 1] ^= 0x01;
    const signerInfo = seq(
      asn1.create(U, T.INTEGER, false, '\x01'),
      seq(issuer, sn),
      seq(oid(OIDS.sha256)),
      asn1.create(C, 0, true, signedSet.value as forge.asn1.Asn1[]),
      seq(oid(OIDS.rsaEncryption), asn1.create(U, T.NULL, false, '')),
      octets(signature),
    );
    const signedData = seq(
      asn1.create(U, T.INTEGER, false, '\x03'),
      setOf(seq(oid(OIDS.sha256))),
      seq(oid(OIDS.tstInfo), asn1.create(C, 0, true, [octets(tst)])),
      ...(certReq ? [asn1.create(C, 0, true, [fromDer(certDer), ...(this.signer?.carried ?? []).map((c) => forge.pki.certificateToAsn1(c))])] : []),
      setOf(signerInfo),
    );
    return der(seq(oid(OIDS.signedData), asn1.create(C, 0, true, [signedData])));
  }
}
