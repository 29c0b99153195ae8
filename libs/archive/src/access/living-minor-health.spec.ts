import { accessRequestReadme } from './access-request.exporter';
import { AccessRequestStatement, accessRequestStatementOf, withCspDeadlines } from './access-request-statement';
import { livingMinorChecked } from './heir-request';

/**
 * A living minor's health information (the sector lawyer's review): « dans le cas d'une personne
 * mineure, le droit d'accès est exercé par le ou les titulaires de l'autorité parentale. À la demande
 * du mineur, cet accès a lieu par l'intermédiaire d'un médecin » (CSP L.1111-7), « sous réserve de
 * l'opposition prévue aux articles L.1111-5 et L.1111-5-1 »; the parents' request « ne peut être
 * satisfaite tant que l'opposition est maintenue » (R.1111-6). livingMinorChecked, against the birth
 * date heirRequestChecked reads from the file (the db spec
 * test/integration/retention/access-health-minor.spec.ts goes through the API and the console).
 */
const today = '2026-12-03';
const statement = 'Courrier de ses parents : copie de son dossier de soins';
const checked = async (birth: string, input: Record<string, unknown>) =>
  livingMinorChecked(accessRequestStatementOf({ receivedOn: today, statement, healthInformation: true, ...input }, today) as AccessRequestStatement, birth);
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('a living minor’s health information (CSP L.1111-7, L.1111-5, R.1111-6)', () => {
  it('her own request, 14 years old: 400 MINOR_HEALTH_ACCESS_BY_PARENTS in French (parents, physician, RGPD art. 15 for her other data)', async () => {
    const refused = checked('2012-05-01', { from: 'person' });
    await expect(refused).rejects.toMatchObject({ code: 'MINOR_HEALTH_ACCESS_BY_PARENTS', details: [expect.objectContaining({ field: 'request.from', code: 'MINOR_HEALTH_ACCESS_BY_PARENTS' })] });
    await expect(refused).rejects.toThrow(/titulaires de l’autorité parentale.*L\.1111-7.*intermédiaire d’un médecin.*RGPD, art\. 15.*sans cocher « La demande porte sur des informations de santé »/);
  });

  it('she turned 18 the day before the request: her own request is hers (no minor part kept); the day before her birthday, still a minor', async () => {
    await expect(checked('2008-12-02', { from: 'person', minorOpposition: 'recorded' })).resolves.not.toHaveProperty('minor');
    expect(await codeOf(checked('2008-12-04', { from: 'person' }))).toBe('MINOR_HEALTH_ACCESS_BY_PARENTS');
  });

  it('an emancipated minor (from 16, C. civ. 413-2, 413-6) asks herself; under 16 « emancipated » is not believed', async () => {
    await expect(checked('2010-01-15', { from: 'person', emancipated: 'oui' })).resolves.toMatchObject({ from: 'person', minor: { emancipated: true } });
    expect(await codeOf(checked('2012-01-15', { from: 'person', emancipated: true }))).toBe('MINOR_HEALTH_ACCESS_BY_PARENTS');
  });

  it('her parents’ request must state her opposition: missing, 400 MINOR_HEALTH_OPPOSITION_REQUIRED citing L.1111-5 and R.1111-6; another value, the same', async () => {
    const missing = checked('2012-05-01', { from: 'representative' });
    await expect(missing).rejects.toMatchObject({ code: 'MINOR_HEALTH_OPPOSITION_REQUIRED', details: [expect.objectContaining({ field: 'request.minorOpposition' })] });
    await expect(missing).rejects.toThrow(/L\.1111-5 et L\.1111-5-1.*R\.1111-6/);
    expect(() => accessRequestStatementOf({ from: 'representative', receivedOn: today, statement, healthInformation: true, minorOpposition: 'peut-être' }, today)).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'request.minorOpposition', code: 'MINOR_HEALTH_OPPOSITION_REQUIRED' })] }),
    );
  });

  it('her parents’ request with her opposition recorded: accepted, the opposition and the physician kept', async () => {
    const r = await checked('2012-05-01', { from: 'representative', minorOpposition: 'recorded', minorThroughPhysician: 'oui', minorPhysician: 'Dr Claire Martin' });
    expect(r).toMatchObject({ from: 'representative', healthInformation: true, minor: { opposition: 'recorded', throughPhysician: true, physician: 'Dr Claire Martin' } });
    const none = await checked('2012-05-01', { from: 'representative', minorOpposition: 'none' });
    expect(none.minor).toEqual({ opposition: 'none', throughPhysician: false });
  });

  it('from 16 her parents confirm she is not emancipated (C. civ. 413-2, 413-7): 400 MINOR_HEALTH_EMANCIPATION_UNCONFIRMED, then accepted', async () => {
    const unconfirmed = checked('2010-01-15', { from: 'representative', minorOpposition: 'none' });
    await expect(unconfirmed).rejects.toMatchObject({ code: 'MINOR_HEALTH_EMANCIPATION_UNCONFIRMED', details: [expect.objectContaining({ field: 'request.notEmancipated' })] });
    await expect(checked('2010-01-15', { from: 'representative', minorOpposition: 'none', notEmancipated: 'oui' })).resolves.toMatchObject({ minor: { opposition: 'none', notEmancipated: true } });
  });

  it('the LISEZMOI of her parents’ zip says who exercises the right, that what she opposed is not communicated while she maintains it (R.1111-6), and the physician at her request', async () => {
    const readmeOf = async (input: Record<string, unknown>) => accessRequestReadme(withCspDeadlines(await checked('2012-05-01', input), '2026-01-10', '2026-11-20'));
    const opposed = await readmeOf({ from: 'representative', minorOpposition: 'recorded', minorThroughPhysician: 'oui', minorPhysician: 'Dr Claire Martin' });
    expect(opposed).toContain('le droit d’accès à ses informations de santé est exercé par le ou les titulaires de l’autorité parentale (article L.1111-7 du Code de la santé publique, alinéa relatif aux mineurs)');
    // The sector lawyer's review: the professional seeks her consent and sorts (minor-opposition-physician.spec.ts).
    expect(opposed).toContain('s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue (article R.1111-6 du Code de la santé publique) ; le tri est fait par ce professionnel');
    expect(opposed).toContain('à la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale, Dr Claire Martin, ou consultées sur place en sa présence');
    const none = await readmeOf({ from: 'representative', minorOpposition: 'none' });
    expect(none).toContain('le mineur ne s’est pas opposé');
    expect(none).not.toContain('R.1111-6');
  });
});
