import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { PadesSealer } from '../requests/adapters';
import type { SealSubject } from './seal-identity';

/** Below this many days, the settings page warns that the seal certificate must be renewed. */
export const SEAL_RENEWAL_WARNING_DAYS = 30;

export interface SealCertificateState {
  subject: string;
  commonName: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  /** `expired`: documents can no longer be sealed validly; `renew`: under 30 days left. */
  status: 'valid' | 'renew' | 'expired' | 'not_yet_valid';
}

const DAY_MS = 24 * 3600 * 1000;

export function sealCertificateState(s: SealSubject, now = new Date()): SealCertificateState {
  const daysLeft = Math.floor((s.notAfter.getTime() - now.getTime()) / DAY_MS);
  const status = now < s.notBefore ? 'not_yet_valid' : now >= s.notAfter ? 'expired' : daysLeft < SEAL_RENEWAL_WARNING_DAYS ? 'renew' : 'valid';
  return { subject: s.subject, commonName: s.commonName, issuer: s.issuer, serialNumber: s.serialNumber, notBefore: s.notBefore, notAfter: s.notAfter, daysLeft, status };
}

/**
 * The state of the certificate the establishment seals with (issue 10 item 8), read from the same
 * PKCS#12 as the worker's sealer (SEAL_P12_PATH, or the development one).
 */
@Injectable()
export class SealCertificateService {
  private readonly sealer: PadesSealer;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.sealer = new PadesSealer(config);
  }

  async state(now = new Date()): Promise<SealCertificateState> {
    return sealCertificateState((await this.sealer.sealIdentity()).subject, now);
  }
}
