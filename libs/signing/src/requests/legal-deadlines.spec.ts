import { contractHandoverDay, contractSignatureDay, dipcDay, legalDeadline, legalDeadlineCapsRequest, legalDeadlineDay, legalDeadlineRule } from './legal-deadlines';

/**
 * CASF D.311 III: « Le contrat de séjour ou le document individuel de prise en charge est établi lors
 * de l'admission et remis […] au plus tard dans les quinze jours qui suivent l'admission. Le contrat
 * est signé dans le mois qui suit l'admission. » The DIPC is « établi et signé par le directeur »
 * (D.311 II): its deadline is the fifteen days; its optional countersignature has none.
 */
describe('legal deadlines (CASF D.311)', () => {
  const admitted = '2026-11-02';

  it('the contract: handed over within 15 days, signed within one month', () => {
    expect(contractHandoverDay(admitted)).toBe('2026-11-17');
    expect(contractSignatureDay(admitted)).toBe('2026-12-02');
    expect(legalDeadlineDay('contrat-sejour', admitted)).toBe('2026-12-02');
  });

  it('the DIPC: drawn up, signed by the director and handed over within 15 days — not the contract’s month', () => {
    expect(dipcDay(admitted)).toBe('2026-11-17');
    expect(legalDeadlineDay('dipc', admitted)).toBe('2026-11-17');
    // The end of that day in Paris (UTC+1 in November).
    expect(legalDeadline('dipc', admitted)!.toISOString()).toBe('2026-11-17T22:59:59.000Z');
  });

  it('says in French what the deadline is, the DIPC’s countersignature having none', () => {
    expect(legalDeadlineRule('contrat-sejour')).toBe('contrat signé dans le mois qui suit l’admission, CASF D.311 III');
    const dipc = legalDeadlineRule('dipc')!;
    expect(dipc).toContain('DIPC établi, signé par la direction et remis dans les quinze jours qui suivent l’admission');
    expect(dipc).toContain('contresignature de la personne ou de son représentant est facultative et sans délai');
    expect(dipc).not.toContain('mois');
    expect(legalDeadlineRule('avenant')).toContain('six mois');
    expect(legalDeadlineRule('projet-personnalise')).toBeNull();
    expect(legalDeadlineDay('projet-personnalise', admitted)).toBeNull();
  });

  it('the DIPC’s deadline binds the director, not the request: the person may countersign after it', () => {
    expect(legalDeadlineCapsRequest('dipc')).toBe(false);
    for (const t of ['contrat-sejour', 'avenant']) expect(legalDeadlineCapsRequest(t)).toBe(true);
  });
});
