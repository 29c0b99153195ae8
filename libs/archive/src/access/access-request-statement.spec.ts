import { accessRequestStatementOf, answerDueOf } from './access-request-statement';

describe('an access request’s statement (RGPD art. 15, 12(3))', () => {
  it('the answer is due one month after receipt, on the month’s last day when the day does not exist (Reg. 1182/71 art. 3.2.c)', () => {
    expect(answerDueOf('2026-10-31')).toBe('2026-11-30');
    expect(answerDueOf('2027-01-31')).toBe('2027-02-28');
    expect(answerDueOf('2028-01-30')).toBe('2028-02-29');
    expect(answerDueOf('2026-12-15')).toBe('2027-01-15');
  });

  it('nothing given is no statement; one given is checked whole', () => {
    expect(accessRequestStatementOf(undefined, '2026-12-03')).toBeNull();
    expect(accessRequestStatementOf({ from: '', receivedOn: '', statement: '  ' }, '2026-12-03')).toBeNull();
    expect(accessRequestStatementOf({ from: 'person', receivedOn: '2026-12-03', statement: ' Courrier du 1er décembre ' }, '2026-12-03')).toEqual({
      from: 'person',
      receivedOn: '2026-12-03',
      answerDue: '2027-01-03',
      statement: 'Courrier du 1er décembre',
    });
    expect(() => accessRequestStatementOf({ from: 'person', receivedOn: '2026-12-04', statement: 'Courrier' }, '2026-12-03')).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_IN_FUTURE' })] }),
    );
    expect(() => accessRequestStatementOf('courrier', '2026-12-03')).toThrow(expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ code: 'ACCESS_REQUEST_FROM_INVALID' })]) }));
  });
});
