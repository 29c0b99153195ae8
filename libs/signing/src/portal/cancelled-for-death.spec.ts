import { DEATH_CANCEL_REASON_LIKE } from './cancelled-for-death';
import { departureCancelReason } from '../requests/signature-requests.service';
import { RequestView, requestViewFor } from '../requests/request-views.service';

/** SQL LIKE, for the one pattern used: `%` any run of characters. */
const like = (value: string, pattern: string) => new RegExp(`^${pattern.split('%').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

describe('a request cancelled with the person’s death, as the portal recognises it', () => {
  it('the pattern matches the reason cancelForDeparture writes after a death, not after a departure', () => {
    expect(like(departureCancelReason('2026-11-30', true), DEATH_CANCEL_REASON_LIKE)).toBe(true);
    expect(like(departureCancelReason('2026-11-30', false), DEATH_CANCEL_REASON_LIKE)).toBe(false);
    expect(like('Erreur de tarif', DEATH_CANCEL_REASON_LIKE)).toBe(false);
  });
});

describe('RequestView.cancellation for a reader without document.content', () => {
  const view = { signers: [], views: [], questions: [], sentLate: null, handover: null, nextStep: null, soleSignatureAuthorisation: null, explanation: '' } as unknown as RequestView;
  it('staff’s reason is withheld (« » — a reason was given), the date and the name stay; none given stays null', () => {
    const c = { at: '2026-12-03T13:05:00.000Z', reason: 'Erreur de tarif', byName: 'Claire Morel' };
    expect(requestViewFor({ ...view, cancellation: c }, { content: false, residentFile: false }).cancellation).toEqual({ ...c, reason: '' });
    expect(requestViewFor({ ...view, cancellation: c }, { content: true, residentFile: true }).cancellation).toEqual(c);
    expect(requestViewFor({ ...view, cancellation: { ...c, reason: null } }, { content: false, residentFile: false }).cancellation).toEqual({ ...c, reason: null });
  });
});
