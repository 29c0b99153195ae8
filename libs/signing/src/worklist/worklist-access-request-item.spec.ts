import type { OpenAccessRequestRow } from './worklist.repository';
import { accessRequestItem } from './worklist.service';

/**
 * « À faire », a living person's request about her health information (CSP L.1111-7 al. 2): the
 * CSP's date for that information and RGPD art. 12(3)'s month for her other data — both shown, each
 * named, as the archives list and the zip's LISEZMOI say them; a request without health information
 * keeps its one date.
 */
const row = (over: Partial<OpenAccessRequestRow>): OpenAccessRequestRow => ({
  jobId: 'job-1',
  residentId: 'resident-1',
  residentName: 'Ahmed Benali',
  establishmentId: 'establishment-1',
  from: 'person',
  receivedOn: '2026-12-01',
  answerDue: '2027-01-01',
  answerDueOlderInformation: null,
  notBefore: null,
  status: 'done',
  answerState: null,
  requestedByName: 'Claire Admin',
  createdAt: new Date('2026-12-01T09:00:00Z'),
  ...over,
});

describe('« À faire »: an access request’s due dates', () => {
  it('her health information: its date (eight days, two months for the older) and her other data’s (RGPD art. 12), each named; due and late by the earlier', () => {
    const item = accessRequestItem(row({ answerDue: '2026-12-09', answerDueOlderInformation: '2027-02-01', answerDueOtherData: '2027-01-01', notBefore: '2026-12-03T23:00:00.000Z' }), '2026-12-04');
    expect(item.dates).toEqual([
      { label: 'Reçue le', value: '2026-12-01' },
      { label: 'Informations de santé (CSP, art. L.1111-7) : réponse due au plus tard le', value: '2026-12-09' },
      { label: 'Informations de santé de plus de cinq ans : au plus tard le', value: '2027-02-01' },
      { label: 'Autres données (RGPD, art. 12) : au plus tard le', value: '2027-01-01' },
    ]);
    expect({ dueDay: item.dueDay, overdue: item.overdue }).toEqual({ dueDay: '2026-12-09', overdue: false });
    expect(accessRequestItem(row({ answerDue: '2026-12-09', answerDueOtherData: '2027-01-01' }), '2026-12-10').overdue).toBe(true);
  });

  it('without health information: the month, one date, as before', () => {
    expect(accessRequestItem(row({}), '2026-12-04').dates).toEqual([
      { label: 'Reçue le', value: '2026-12-01' },
      { label: 'Réponse due au plus tard le', value: '2027-01-01' },
    ]);
  });
});
