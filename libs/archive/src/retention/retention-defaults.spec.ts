import { RETENTION_DEFAULTS, RETENTION_SUBJECTS, minorAccompanimentEnds, retentionEnds, retentionStart, tutelleEndingAfter } from './retention-defaults';

/** C. civ. 2235: the limitation the retention follows does not run against a minor nor a person under tutelle. */
describe('retention start (C. civ. 2224, 2235)', () => {
  it('counts from the departure for an adult with no tutelle', () => {
    expect(retentionStart('2026-01-01', '1940-05-02', null)).toEqual({ day: '2026-01-01', reason: 'depart' });
    expect(retentionEnds('2026-01-01', 5)).toBe('2031-01-01');
  });

  it('counts from the eighteenth birthday for a person who left as a minor', () => {
    // A child leaves an IME at 8: the file is kept until 5 years after her majority, not until she is 13.
    expect(retentionStart('2026-01-01', '2018-01-01', null)).toEqual({ day: '2036-01-01', reason: 'majorite' });
    expect(retentionEnds(retentionStart('2026-01-01', '2018-01-01', null).day, 5)).toBe('2041-01-01');
    // Born on 29 February: of age on 28 February of a common year.
    expect(retentionStart('2020-01-01', '2008-02-29', null).day).toBe('2026-02-28');
    // Of age already when she left: the departure.
    expect(retentionStart('2026-01-01', '2007-12-31', null).reason).toBe('depart');
  });

  it('counts from the death for a minor who died: the suspension of C. civ. 2235 ends with her, the limitation runs against her heirs', () => {
    // Born 10 March 2008, died at 7 on 30 June 2015 (the end of the accompaniment): not from 10 March 2026.
    expect(retentionStart('2015-06-30', '2008-03-10', null, '2015-06-30')).toEqual({ day: '2015-06-30', reason: 'depart' });
    expect(retentionEnds(retentionStart('2015-06-30', '2008-03-10', null, '2015-06-30').day, 5)).toBe('2020-06-30');
    // Left at 7, died at 8: from the death.
    expect(retentionStart('2015-06-30', '2008-03-10', null, '2017-01-15')).toEqual({ day: '2017-01-15', reason: 'deces_mineure' });
    // Died an adult, having left as a minor: her eighteenth birthday, as for the living.
    expect(retentionStart('2015-06-30', '2008-03-10', null, '2027-01-15')).toEqual({ day: '2026-03-10', reason: 'majorite' });
    // Died the day of her eighteenth birthday: of age that day.
    expect(retentionStart('2015-06-30', '2008-03-10', null, '2026-03-10')).toEqual({ day: '2026-03-10', reason: 'majorite' });
    // Her accompaniment's record: 20 years from the death (C. civ. 2226 al. 2), not from the majority.
    expect(minorAccompanimentEnds('2008-03-10', '2014-03-01', 20, '2015-06-30')).toBe('2035-06-30');
    expect(minorAccompanimentEnds('2008-03-10', '2014-03-01', 20, '2027-01-15')).toBe('2046-03-10');
    expect(minorAccompanimentEnds('1990-01-01', '2008-01-01', 20, '2009-01-01')).toBeNull();
  });

  it('counts from the end of a tutelle in force when she left', () => {
    const measures = [
      { type: 'curatelle', judgmentDate: '2010-01-01', startDate: null, endDate: '2035-01-01' },
      { type: 'tutelle', judgmentDate: '2015-01-01', startDate: '2015-02-01', endDate: '2024-06-30' },
      { type: 'tutelle', judgmentDate: '2000-01-01', startDate: null, endDate: '2010-01-01' },
    ];
    expect(tutelleEndingAfter(measures, '2020-03-15')).toBe('2024-06-30');
    expect(retentionStart('2020-03-15', '1950-01-01', '2024-06-30')).toEqual({ day: '2024-06-30', reason: 'fin_tutelle' });
    // A tutelle that began after she left, or ended before, does not count; neither does a curatelle.
    expect(tutelleEndingAfter(measures, '2015-01-15')).toBeNull();
    expect(tutelleEndingAfter(measures, '2024-07-01')).toBeNull();
    // A minor whose tutelle (of a minor, or an adult one from majority) ends later still: the later day.
    expect(retentionStart('2020-01-01', '2010-01-01', '2030-01-01')).toEqual({ day: '2030-01-01', reason: 'fin_tutelle' });
  });

  it('a death under tutelle: the measure ends with her (C. civ. 443 al. 1), the retention counts from the death, not the end the judgment fixed', () => {
    const measures = [{ type: 'tutelle', judgmentDate: '2018-01-01', startDate: null, endDate: '2028-01-01' }];
    // She died on 30 November 2026 (the accompaniment ends that day): the tutelle ended then, not in 2028.
    expect(tutelleEndingAfter(measures, '2026-11-30', '2026-11-30')).toBe('2026-11-30');
    const start = retentionStart('2026-11-30', '1940-05-02', tutelleEndingAfter(measures, '2026-11-30', '2026-11-30'));
    expect(start).toEqual({ day: '2026-11-30', reason: 'depart' });
    expect(retentionEnds(start.day, 5)).toBe('2031-11-30');
    // A tutelle with no end recorded ends at the death too; one that ended before the death still does not count.
    expect(tutelleEndingAfter([{ type: 'tutelle', judgmentDate: '2018-01-01', startDate: null, endDate: null }], '2026-11-30', '2026-11-30')).toBe('2026-11-30');
    expect(tutelleEndingAfter([{ type: 'tutelle', judgmentDate: '2018-01-01', startDate: null, endDate: '2026-06-30' }], '2026-11-30', '2026-11-30')).toBeNull();
    // Alive when she left: the judgment's end, as before.
    expect(tutelleEndingAfter(measures, '2026-11-30')).toBe('2028-01-01');
  });
});

/**
 * The projet personnalisé and the comptes rendus de réunion de synthèse record how the person was
 * accompanied: the proof an action for bodily injury needs (a fall, a bedsore…), which C. civ. 2226
 * prescribes ten years from the consolidation of the damage — never earlier than the departure for
 * an event during the stay. Five years (C. civ. 2224) would delete them while such an action may run.
 */
describe('retention defaults per document type cite their article', () => {
  it('keeps the accompaniment documents at least the 10 years of C. civ. 2226', () => {
    for (const s of ['projet-personnalise', 'compte-rendu-synthese'] as const) {
      expect(RETENTION_DEFAULTS[s].years).toBeGreaterThanOrEqual(10);
      expect(RETENTION_DEFAULTS[s].basis).toMatch(/C\. civ\. art\. 2226/);
    }
  });

  it('every default names the article it follows', () => {
    for (const s of RETENTION_SUBJECTS) expect(RETENTION_DEFAULTS[s].basis).toMatch(/C\. civ\. art\. 22(24|26)/);
  });
});

/**
 * C. civ. 2226 al. 2: « violences ou agressions sexuelles commises contre un mineur » — the civil
 * action is prescribed by twenty years, not running during minority (C. civ. 2235). The record of
 * the accompaniment of a person admitted as a minor is kept until her 18 years + 20 by default.
 */
describe('a person admitted as a minor (C. civ. 2226 al. 2, 2235)', () => {
  it('20 years from her eighteenth birthday by default, with its basis; none for a person admitted as an adult', () => {
    expect(RETENTION_SUBJECTS).toContain('accompagnement-mineur');
    expect(RETENTION_DEFAULTS['accompagnement-mineur'].years).toBe(20);
    expect(RETENTION_DEFAULTS['accompagnement-mineur'].basis).toMatch(/C\. civ\. art\. 2226 al\. 2.*C\. civ\. art\. 2235/);
    // The choice stated (a lawyer's review): a civil action before the criminal court follows the criminal limitation, 30 years after majority for a sexual crime on a minor.
    expect(RETENTION_DEFAULTS['accompagnement-mineur'].basis).toMatch(/trente ans à compter de sa majorité \(CPP art\. 7 al\. 3\).*\(CPP art\. 10 al\. 1\) : l’organisme peut porter cette durée à 30 ans\./);
    // CPP art. 7 al. 3 as amended by loi n° 2021-478: for a rape, the limitation slides with a new offence by the same author against another minor.
    expect(RETENTION_DEFAULTS['accompagnement-mineur'].basis).toMatch(
      /Pour un viol, ce délai est encore prolongé si le même auteur commet, avant son expiration, un nouveau viol ou une agression ou atteinte sexuelle sur un autre mineur \(« prescription glissante », CPP art\. 7 al\. 3, loi n° 2021-478 du 21 avril 2021\)/,
    );
    // Admitted at 6 (majority 10 March 2026): until 10 March 2046 — 10 years from majority would be 2036.
    expect(minorAccompanimentEnds('2008-03-10', '2014-03-01', 20)).toBe('2046-03-10');
    // Admitted the day before her eighteenth birthday: a minor; the day of it: an adult.
    expect(minorAccompanimentEnds('1990-01-01', '2007-12-31', 20)).toBe('2028-01-01');
    expect(minorAccompanimentEnds('1990-01-01', '2008-01-01', 20)).toBeNull();
    expect(minorAccompanimentEnds(null, '2014-03-01', 20)).toBeNull();
  });
});
