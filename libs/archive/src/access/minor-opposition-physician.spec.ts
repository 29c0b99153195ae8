import { accessRequestReadme } from './access-request.exporter';
import { AccessRequestStatement, MINOR_OPPOSITION_LABELS, accessRequestStatementOf, withCspDeadlines } from './access-request-statement';
import { livingMinorChecked } from './heir-request';

/**
 * The sector lawyer's review of the access-request code, a living minor's health information asked
 * for by her parents:
 * - (3) her opposition (CSP L.1111-5, L.1111-5-1, R.1111-6): « mentionnée par écrit par le médecin,
 *   la sage-femme ou l'infirmier »; the professional who receives the parents' request « doit
 *   s'efforcer d'obtenir le consentement de la personne mineure », and only if she maintains it is
 *   the request not satisfied, « tant que l'opposition est maintenue ». Not « ces informations ne
 *   leur sont pas communiquées » nor « retirez-les du zip »: the sorting is that professional's.
 * - (4) access through a physician at her request (L.1111-7, R.1111-6 last alinéa): the information
 *   is, at the parents' choice, « adressées au médecin qu'il a désigné ou consultées sur place en
 *   présence de ce médecin » — the physician is named, as on the heirs' path (ACCESS_REQUEST_PHYSICIAN_REQUIRED).
 */
const today = '2026-12-03';
const statement = 'Courrier de ses parents : copie de son dossier de soins';
const parse = (input: Record<string, unknown>) => accessRequestStatementOf({ from: 'representative', receivedOn: today, statement, healthInformation: true, ...input }, today) as AccessRequestStatement;
const checked = (input: Record<string, unknown>) => livingMinorChecked(parse(input), '2012-05-01');
const readmeOf = (input: Record<string, unknown>) => accessRequestReadme(withCspDeadlines(checked(input), '2026-01-10', '2026-11-20'));
const refusal = (input: Record<string, unknown>) => {
  try {
    parse(input);
    return null;
  } catch (e) {
    return e as { status?: string; code: string; details: { field: string; code: string; message: string }[] };
  }
};

describe('a living minor’s opposition (CSP R.1111-6): written down by a professional, who seeks her consent; not communicated while she maintains it', () => {
  const lawyer =
    'une opposition du mineur figure au dossier (mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue';

  it('the form’s answer says so, not « ces informations ne leur sont pas communiquées »', () => {
    expect(MINOR_OPPOSITION_LABELS.recorded).toContain(`Oui : ${lawyer}`);
    expect(MINOR_OPPOSITION_LABELS.recorded).not.toContain('ne leur sont pas communiquées)');
  });

  it('the LISEZMOI says who sorts (the professional), not « retirez-les de ce paquet »', () => {
    const readme = readmeOf({ minorOpposition: 'recorded' });
    expect(readme).toContain(
      '- une opposition du mineur à ce que les titulaires de l’autorité parentale soient informés de certains soins figure au dossier (articles L.1111-5 et L.1111-5-1 ; mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue (article R.1111-6 du Code de la santé publique) ; le tri est fait par ce professionnel, avant tout envoi ;',
    );
    expect(readme).not.toContain('retirez-les');
    expect(readme).not.toContain('ne sont pas communiquées tant que l’opposition est maintenue (article R.1111-6) ;');
  });

  it('the 400 that asks for it says the same', () => {
    const e = refusal({ minorOpposition: 'peut-être' })!;
    expect(e.details[0]).toMatchObject({ field: 'request.minorOpposition', code: 'MINOR_HEALTH_OPPOSITION_REQUIRED' });
    expect(e.details[0].message).toContain('mention écrite du médecin, de la sage-femme ou de l’infirmier');
    expect(e.details[0].message).toContain('s’efforce d’obtenir son consentement');
    expect(e.details[0].message).toContain('tant qu’elle est maintenue (art. R.1111-6)');
  });
});

describe('access through a physician at the minor’s request (CSP L.1111-7, R.1111-6 last alinéa): the physician the parents designate is named', () => {
  it('without his name: 400 MINOR_HEALTH_PHYSICIAN_REQUIRED beside request.minorPhysician, in French; too short or too long, the same', () => {
    for (const minorPhysician of [undefined, '', '  ', 'Dr', 'x'.repeat(201)]) {
      const e = refusal({ minorOpposition: 'none', minorThroughPhysician: 'oui', minorPhysician });
      expect(e).toMatchObject({ details: [{ field: 'request.minorPhysician', code: 'MINOR_HEALTH_PHYSICIAN_REQUIRED' }] });
      expect(e!.details[0].message).toBe(
        'Le mineur demande que l’accès de ses parents ait lieu par l’intermédiaire d’un médecin : indiquez le nom du médecin que les titulaires de l’autorité parentale désignent, de 3 à 200 caractères. Les informations lui sont adressées, ou consultées sur place en sa présence, au choix des parents (Code de la santé publique, art. R.1111-6).',
      );
    }
  });

  it('the shared text rule first, with its own code, as for the heirs’ physician', () => {
    expect(refusal({ minorOpposition: 'none', minorThroughPhysician: true, minorPhysician: 'Dr \u202EMartin' })).toMatchObject({ details: [{ field: 'request.minorPhysician', code: 'BIDI_CONTROL' }] });
  });

  it('named: kept on the request with the minor’s part; not asked, nothing asked', () => {
    expect(checked({ minorOpposition: 'recorded', minorThroughPhysician: 'oui', minorPhysician: '  Dr Claire Martin ' }).minor).toEqual({ opposition: 'recorded', throughPhysician: true, physician: 'Dr Claire Martin' });
    expect(checked({ minorOpposition: 'none', minorPhysician: 'Dr Claire Martin' }).minor).toEqual({ opposition: 'none', throughPhysician: false });
  });

  it('the LISEZMOI: sent to the physician the parents designate, or consulted on the spot in his presence; not handed to the parents', () => {
    const readme = readmeOf({ minorOpposition: 'none', minorThroughPhysician: 'oui', minorPhysician: 'Dr Claire Martin' });
    expect(readme).toContain(
      '- à la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale, Dr Claire Martin, ou consultées sur place en sa présence (articles L.1111-7 et R.1111-6 du Code de la santé publique) ; elles ne sont pas remises aux parents ;',
    );
    expect(readme).not.toContain('remises au médecin, pas directement aux parents');
  });
});
