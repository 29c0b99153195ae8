import { ACCESS_REQUEST_FROM_LABELS, HEIR_PURPOSE_LABELS, accessRequestStatementOf, answerDueOf, withHeirDeadlines } from './access-request-statement';

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

  it('an ayant droit, concubin or partenaire de PACS of a deceased person (CSP L.1110-4 V): purpose, day of the death and no objection', () => {
    expect(ACCESS_REQUEST_FROM_LABELS.ayant_droit).toBe('Ayant droit, concubin ou partenaire de PACS d’une personne décédée');
    expect(Object.values(HEIR_PURPOSE_LABELS)).toEqual(['Connaître les causes de la mort', 'Défendre la mémoire du défunt', 'Faire valoir ses droits']);
    const heir = { from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier de son fils', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none' };
    expect(accessRequestStatementOf(heir, '2026-12-03')).toEqual({
      from: 'ayant_droit',
      receivedOn: '2026-11-20',
      answerDue: '2026-12-20',
      statement: 'Courrier de son fils',
      heir: { purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none' },
    });
    const codes = (input: Record<string, unknown>) => {
      try {
        accessRequestStatementOf(input, '2026-12-03');
        return [];
      } catch (e) {
        return (e as { code: string; details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
      }
    };
    expect(codes({ ...heir, purpose: 'curiosite', deceasedOn: '', deceasedObjection: '' })).toEqual([
      'request.purpose HEIR_REQUEST_PURPOSE_INVALID',
      'request.deceasedOn HEIR_REQUEST_DEATH_DATE_INVALID',
      'request.deceasedObjection HEIR_REQUEST_OBJECTION_REQUIRED',
    ]);
    expect(codes({ ...heir, deceasedOn: '2026-11-21' })).toEqual(['request.deceasedOn HEIR_REQUEST_DEATH_AFTER_REQUEST']);
    // The person's own request needs none of it.
    expect(codes({ from: 'person', receivedOn: '2026-11-20', statement: 'Courrier' })).toEqual([]);
  });

  it('the deceased objected during her life: refused, HEIR_ACCESS_OBJECTED_BY_DECEASED with its French message', () => {
    const refused = (() => {
      try {
        accessRequestStatementOf({ from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier de sa nièce', purpose: 'assert_rights', deceasedOn: '2026-10-02', deceasedObjection: 'recorded' }, '2026-12-03');
      } catch (e) {
        return e as { code: string; messageFr: string; details: { field: string; code: string }[] };
      }
    })();
    expect(refused?.code).toBe('HEIR_ACCESS_OBJECTED_BY_DECEASED');
    expect(refused?.details.map((d) => d.field)).toEqual(['request.deceasedObjection']);
    expect(refused?.messageFr).toMatch(/opposée, de son vivant.*art\. L\.1110-4 V/);
  });

  it('an ayant droit is answered within eight days, two months for information more than five years old (CSP L.1111-7 al. 2, R.1111-1)', () => {
    const r = accessRequestStatementOf({ from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier', purpose: 'defend_memory', deceasedOn: '2026-10-02', deceasedObjection: 'none' }, '2026-12-03')!;
    // All recent: eight days.
    expect(withHeirDeadlines(r, '2023-01-10', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03' });
    expect(withHeirDeadlines(r, '2023-01-10', '2026-09-30').answerDueOlderInformation).toBeUndefined();
    // Some more than five years old: eight days for the rest, two months for it.
    expect(withHeirDeadlines(r, '2014-03-01', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03', answerDueOlderInformation: '2027-01-25' });
    // All more than five years old: two months.
    expect(withHeirDeadlines(r, '2014-03-01', '2019-06-30')).toMatchObject({ answerDue: '2027-01-25' });
    // The person's own request keeps RGPD art. 12(3)'s month.
    const own = accessRequestStatementOf({ from: 'person', receivedOn: '2026-11-25', statement: 'Courrier' }, '2026-12-03')!;
    expect(withHeirDeadlines(own, '2014-03-01', '2019-06-30').answerDue).toBe('2026-12-25');
  });
});
