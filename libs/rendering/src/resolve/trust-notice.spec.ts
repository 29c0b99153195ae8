import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { paragraphLines as lines } from './testing/parties.builder';

/**
 * Contrat de séjour 1.5.0: the personne de confiance notice before the consent interview (CASF
 * L.311-4 al. 5, D.311-0-4). Eight days at least before the interview, the person (and, if any, her
 * legal representative) receives the notice of annexe 4-10; its delivery is attested by a document
 * dated and signed by the director or his representative, the person and her legal representative.
 * Not owed when she has already designated a personne de confiance. 1.4.0 required the notice's
 * date of everybody, checked no interval and let the attestation be a yes/no.
 * 1.6.0 (trust-notice-exemptions.spec.ts) reads D.311-0-4 whole; 1.5.0 stays as it was for the
 * documents made with it, so these tests load it by its version.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const template = loader.load('contrat-sejour', '1.5.0');

/** The lines of the « Personne de confiance » section. */
const section = (input: TemplateInput, variant: ContentVariant): string[] => {
  const all = lines(resolve(template, input, variant));
  const from = all.indexOf(variant === 'falc' ? 'Votre personne de confiance' : 'Personne de confiance');
  const to = all.indexOf(variant === 'falc' ? 'Les documents donnés avec ce contrat' : 'Documents remis avec le contrat');
  expect(from).toBeGreaterThan(0);
  return all.slice(from + 1, to);
};
/** The fixture's contract of `key` with its consent interview changed. */
function withInterview(key: string, interview: Record<string, unknown> | ((was: Record<string, unknown>) => Record<string, unknown>)): TemplateInput {
  const input = templateInputFromFixture(fixture, 'contrat-sejour', key);
  const was = input.document.consentInterview as Record<string, unknown>;
  return { ...input, document: { ...input.document, consentInterview: typeof interview === 'function' ? interview(was) : interview } };
}
const problems = (input: TemplateInput) => validateTemplateInput(template, input).map((e) => `${e.field}:${e.code}`);

describe('contrat de séjour 1.5.0: the personne de confiance notice before the consent interview (CASF D.311-0-4)', () => {
  it('is published and unchanged (1.6.0 follows it); 1.4.0 stays loadable for the documents made with it', () => {
    expect(template.content.version).toBe('1.5.0');
    expect(template.published?.sha256).toBe('9778d14b2ca271af20f3ee8067d39514b4371a3708233084209834f6293afc21');
    // 1.7.0 (a minor's tuteur, délégataire or service gardien, C. civ. 375-7, 377, 408) follows 1.6.0.
    // 1.8.0 (after the lawyer's review: who signs for a minor, the notice to a tuteur of property too, none for a minor) follows it.
    // 1.9.0 (a holder préposé of the establishment named in the measure paragraph, C. civ. 451 al. 2) follows it.
    // 1.10.0 (a one-parent authority, the tuteur's capacity without gender: minor-parties-wording.spec.ts) follows it.
    expect(loader.load('contrat-sejour').content.version).toBe('1.14.0');
    expect(loader.load('contrat-sejour', '1.4.0').published?.sha256).toBe('5b6ada854f43bc4731eed712f808d2cf1aa017ae52e9eb65c1b29a025a55ce74');
  });

  it('the notice less than eight days before the interview is refused on its field, naming the article; eight days pass', () => {
    const at = (noticeGivenOn: string) => withInterview('marcel-dupont', { on: '2026-10-20', outcome: 'consent', noticeGivenOn, attestationSignedOn: noticeGivenOn });
    expect(validateTemplateInput(template, at('2026-10-17'))).toEqual([
      {
        field: 'document.consentInterview.noticeGivenOn',
        code: 'NOTICE_TOO_LATE',
        message: 'La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien.',
      },
    ]);
    expect(problems(at('2026-10-13'))).toEqual(['document.consentInterview.noticeGivenOn:NOTICE_TOO_LATE']);
    expect(problems(at('2026-10-20'))).toEqual(['document.consentInterview.noticeGivenOn:NOTICE_TOO_LATE']);
    expect(problems(at('2026-10-12'))).toEqual([]);
    expect(problems(at('2026-09-01'))).toEqual([]);
    // The worker refuses it too (resolve runs the same validation).
    expect(() => resolve(template, at('2026-10-17'), 'standard')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('without a personne de confiance: the notice’s and the attestation’s dates are required; the attestation is not dated before the notice', () => {
    expect(problems(withInterview('marcel-dupont', { on: '2026-10-20', outcome: 'consent' }))).toEqual([
      'document.consentInterview.noticeGivenOn:REQUIRED',
      'document.consentInterview.attestationSignedOn:REQUIRED',
    ]);
    expect(problems(withInterview('marcel-dupont', (i) => ({ ...i, attestationSignedOn: undefined })))).toEqual(['document.consentInterview.attestationSignedOn:REQUIRED']);
    expect(problems(withInterview('marcel-dupont', (i) => ({ ...i, attestationSignedOn: '2026-10-08' })))).toEqual(['document.consentInterview.attestationSignedOn:ATTESTATION_BEFORE_NOTICE']);
    // A yes/no is no longer what is recorded: the attestation is a dated document.
    expect(problems(withInterview('marcel-dupont', (i) => ({ ...i, attestationSigned: true })))).toEqual(['document.consentInterview.attestationSigned:UNKNOWN_FIELD']);
    // The whole consent interview missing: one error on the group, not on each of its members.
    const { consentInterview: _c, ...rest } = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont').document;
    expect(problems({ ...templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont'), document: rest })).toEqual(['document.consentInterview:REQUIRED']);
  });

  it('with a personne de confiance already designated (Jeanne Martin): no notice owed, none held to eight days', () => {
    const jeanne = templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin');
    expect((jeanne.resident.personneDeConfiance as { firstName: string }).firstName).toBe('Sylvie');
    expect(jeanne.document.consentInterview).toEqual({ on: '2026-10-28', outcome: 'consent' });
    expect(problems(jeanne)).toEqual([]);
    expect(problems(withInterview('jeanne-martin', { on: '2026-10-28', outcome: 'consent', noticeGivenOn: '2026-10-27' }))).toEqual([]);
  });

  it('a personne de confiance designated on the interview’s day or after it, or on no recorded day, does not spare the notice', () => {
    const jeanne = templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin');
    const designated = (designatedOn: string | null): TemplateInput => ({
      ...jeanne,
      resident: { ...jeanne.resident, personneDeConfiance: { ...(jeanne.resident.personneDeConfiance as Record<string, unknown>), designatedOn } },
    });
    for (const day of ['2026-10-28', '2026-11-02', null])
      expect({ day, problems: problems(designated(day)) }).toEqual({
        day,
        problems: ['document.consentInterview.noticeGivenOn:REQUIRED', 'document.consentInterview.attestationSignedOn:REQUIRED'],
      });
    expect(problems(designated('2026-10-27'))).toEqual([]);
  });

  it('the standard text: to whom and when the notice was given, eight days before, the attestation dated and signed by whom', () => {
    expect(section(templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont'), 'standard').slice(0, 2)).toEqual([
      'La notice d’information sur la personne de confiance a été remise à Marcel Dupont le 9 octobre 2026, au moins huit jours avant l’entretien de recherche du consentement ; l’attestation de sa délivrance, datée du 9 octobre 2026 et signée par le directeur ou son représentant, par Marcel Dupont, est jointe au contrat.',
      'Lors de l’entretien du 20 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
    ]);
    // Under tutelle (representation): her legal representative receives the notice and signs the attestation too.
    expect(section(templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard'), 'standard')[0]).toBe(
      'La notice d’information sur la personne de confiance a été remise à Lucie Bernard et à son représentant légal le 14 août 2026, au moins huit jours avant l’entretien de recherche du consentement ; l’attestation de sa délivrance, datée du 14 août 2026 et signée par le directeur ou son représentant, par Lucie Bernard et par son représentant légal, est jointe au contrat.',
    );
    // Already designated: said so, she is named in the next paragraph.
    expect(section(templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin'), 'standard')).toEqual([
      'Jeanne Martin avait désigné une personne de confiance, nommée ci-dessous, le 12 juin 2025, avant l’entretien de recherche du consentement : la notice d’information sur la personne de confiance n’avait donc pas à lui être remise avant cet entretien.',
      'Lors de l’entretien du 28 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Jeanne Martin a exprimé son consentement à son entrée dans l’établissement.',
      'Jeanne Martin a désigné comme personne de confiance Sylvie Martin, fille. La personne de confiance peut accompagner la personne dans ses démarches et assister aux entretiens ; elle ne signe jamais à sa place.',
    ]);
    // Designated, yet given the notice (late): its date, never « huit jours avant ».
    const late = section(withInterview('jeanne-martin', { on: '2026-10-28', outcome: 'consent', noticeGivenOn: '2026-10-27' }), 'standard')[0];
    expect(late).toBe('La notice d’information sur la personne de confiance a été remise à Jeanne Martin le 27 octobre 2026.');
  });

  it('the easy-to-read text says the same in short sentences, and passes the FALC rules without a warning', () => {
    const terms = template.content.glossary.map((g) => g.term);
    const marcel = section(templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont'), 'falc');
    expect(marcel.slice(0, 7)).toEqual([
      'Une feuille explique ce qu’est la personne de confiance.',
      'Vous avez reçu cette feuille le 9 octobre 2026.',
      'Vous avez eu 8 jours ou plus pour la lire.',
      'Le 9 octobre 2026, vous avez signé un papier avec la direction.',
      'Ce papier dit que vous avez reçu la feuille.',
      'Le 20 octobre 2026, vous avez parlé avec la direction.',
      'Vous avez dit oui pour vivre ici.',
    ]);
    const lucie = section(templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard'), 'falc');
    expect(lucie.slice(0, 7)).toEqual([
      'Une feuille explique ce qu’est la personne de confiance.',
      'Vous avez reçu cette feuille le 14 août 2026.',
      'Vous avez eu 8 jours ou plus pour la lire.',
      'Votre tuteur a aussi reçu cette feuille.',
      'Le 14 août 2026, vous avez signé un papier avec la direction.',
      'Ce papier dit que vous avez reçu la feuille.',
      'Votre tuteur a aussi signé ce papier.',
    ]);
    const jeanne = section(templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin'), 'falc');
    expect(jeanne.slice(0, 4)).toEqual(['Vous avez déjà choisi une personne de confiance.', 'Le 28 octobre 2026, vous avez parlé avec la direction.', 'Vous avez dit oui pour vivre ici.', 'Votre personne de confiance est Sylvie Martin.']);
    for (const l of [...marcel, ...lucie, ...jeanne]) expect({ line: l, findings: lintFalcText(l, terms) }).toEqual({ line: l, findings: [] });
  });

  it('documents made with 1.4.0 keep their text, and 1.4.0 did not check the eight days (the defect 1.5.0 corrects)', () => {
    const old = loader.load('contrat-sejour', '1.4.0');
    const before = (noticeGivenOn: string) => withInterview('marcel-dupont', { on: '2026-10-20', outcome: 'consent', noticeGivenOn, attestationSigned: true });
    expect(validateTemplateInput(old, before('2026-10-17'))).toEqual([]);
    expect(lines(resolve(old, before('2026-10-09'), 'standard'))).toContain(
      'La notice d’information sur la personne de confiance a été remise le 9 octobre 2026 ; l’attestation de sa délivrance est signée et jointe au contrat. Lors de l’entretien du 20 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
    );
  });
});
