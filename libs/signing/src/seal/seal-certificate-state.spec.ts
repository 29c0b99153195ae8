import { sealCertificateState } from './seal-certificate-state';
import type { SealSubject } from './seal-identity';

const subject = (notBefore: string, notAfter: string): SealSubject => ({
  commonName: 'EHPAD Les Tilleuls',
  organization: null,
  subject: 'CN=EHPAD Les Tilleuls',
  issuer: 'CN=AC test',
  serialNumber: '01',
  notBefore: new Date(notBefore),
  notAfter: new Date(notAfter),
  sha256: '00',
  keyType: 'rsa',
});

describe('seal certificate state (issue 10 item 8)', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('counts the whole days left and warns under 30', () => {
    expect(sealCertificateState(subject('2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z'), now)).toMatchObject({ status: 'valid', daysLeft: 181 });
    expect(sealCertificateState(subject('2026-01-01T00:00:00Z', '2026-12-31T12:00:00Z'), now)).toMatchObject({ status: 'valid', daysLeft: 30 });
    expect(sealCertificateState(subject('2026-01-01T00:00:00Z', '2026-12-31T11:59:59Z'), now)).toMatchObject({ status: 'renew', daysLeft: 29 });
  });
  it('says when it has expired or is not valid yet', () => {
    expect(sealCertificateState(subject('2026-01-01T00:00:00Z', '2026-12-01T12:00:00Z'), now)).toMatchObject({ status: 'expired', daysLeft: 0 });
    expect(sealCertificateState(subject('2026-12-02T00:00:00Z', '2027-12-01T00:00:00Z'), now).status).toBe('not_yet_valid');
  });
});
