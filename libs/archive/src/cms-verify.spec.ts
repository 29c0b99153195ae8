import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cadesDetachedSignature, ensureDevSealIdentity } from '@carepact/signing';
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
    expect(chainsTo(ok.signer!, ok.certificates, [ca])).toBe(true);
    const other = await ensureDevSealIdentity(join(mkdtempSync(join(tmpdir(), 'cp-cms-')), 'seal'), 'Autre');
    const otherCa = verifyDetachedCms(cadesDetachedSignature(digest('x'), other), digest('x')).certificates[1];
    expect(chainsTo(ok.signer!, ok.certificates, [otherCa])).toBe(false);
  });
});
