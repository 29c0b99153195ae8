import { sealFailureOf, sealFailureReason } from './seal-failure';

describe('seal failures: the latest word of the events, the reason in French', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 6, 10, m));
  it('a failure not retried since is the state, with its code and time', () => {
    expect(sealFailureOf([{ kind: 'signed', at: at(0) }, { kind: 'seal_failed', at: at(5), details: { code: 'SEAL_CERTIFICATE_NOT_VALID' } }])).toEqual({ code: 'SEAL_CERTIFICATE_NOT_VALID', at: at(5) });
  });
  it('retried since: none; failed again after the retry: the new one', () => {
    const failed = { kind: 'seal_failed', at: at(5), details: { code: 'SEAL_P12_BAD_PASSPHRASE' } };
    expect(sealFailureOf([failed, { kind: 'seal_retried', at: at(6) }])).toBeNull();
    expect(sealFailureOf([failed, { kind: 'seal_retried', at: at(6) }, { kind: 'seal_failed', at: at(9), details: { code: 'JOB_FAILED' } }])).toEqual({ code: 'JOB_FAILED', at: at(9) });
    expect(sealFailureOf([])).toBeNull();
  });
  it('says why and what to do in French; a code it does not know gets the generic reason', () => {
    expect(sealFailureReason('SEAL_CERTIFICATE_NOT_VALID')).toMatch(/^Le certificat de cachet .* relancer le scellement\.$/);
    expect(sealFailureReason('JOB_FAILED')).toContain('Le scellement a échoué à chaque tentative');
    expect(sealFailureReason('SOMETHING_NEW')).toBe(sealFailureReason('JOB_FAILED'));
  });
});
