import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFalcText, TemplateLoader } from '@carepact/templates';
import type { ContentVariant } from '../tree';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { paragraphLines as lines } from './testing/parties.builder';

/**
 * Contrat de séjour 1.6.0: CASF D.311-0-4 as written, not only its first paragraph.
 * - al. 1–2: eight days at least before the consent interview (L.311-4 al. 5), the notice of annexe
 *   4-10 to the person (and her legal representative), its delivery attested by a dated, signed document;
 * - al. 3: the eight days no longer apply once the person designates her personne de confiance — the
 *   notice and the attestation are still owed;
 * - al. 4, 1°: the article does not apply when she had already designated one — before the
 *   information was due (eight days before the interview, and before the notice if one was given);
 *   2°: when another establishment or service delivered the information before; 3°: for an asylum
 *   seeker, when the OFII delivered it with the notice.
 * - who: L.311-5-1 (every adult accompanied by an ESSMS) and L.311-4 al. 5 (every contrat de séjour),
 *   not only homes for older people (1.5.0: `elderlyCare and adult`).
 * 1.5.0 spared the notice and its attestation whenever a designation was dated before the interview
 * (even the day before, even after the notice), knew no 2°/3°, and asked nothing outside homes for older people.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const VERSION = '1.6.0';
const template = loader.load('contrat-sejour', VERSION);

/** The lines of the « Personne de confiance » section. */
const section = (input: TemplateInput, variant: ContentVariant): string[] => {
  const all = lines(resolve(template, input, variant));
  const from = all.indexOf(variant === 'falc' ? 'Votre personne de confiance' : 'Personne de confiance');
  const to = all.indexOf(variant === 'falc' ? 'Les documents donnés avec ce contrat' : 'Documents remis avec le contrat');
  expect(from).toBeGreaterThan(0);
  return all.slice(from + 1, to);
};
const problems = (input: TemplateInput) => validateTemplateInput(template, input).map((e) => `${e.field}:${e.code}`);
const messageOf = (input: TemplateInput, field: string) => validateTemplateInput(template, input).find((e) => e.field === field)?.message;
const terms = template.content.glossary.map((g) => g.term);
const falcClean = (ls: string[]) => {
  for (const l of ls) expect({ line: l, findings: lintFalcText(l, terms) }).toEqual({ line: l, findings: [] });
};

/**
 * Marcel Dupont's contract (interview on 20 October 2026), with a personne de confiance designated
 * on `designatedOn` (none when undefined) and the consent interview given.
 */
function marcel(interview: Record<string, unknown>, designatedOn?: string | null): TemplateInput {
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
  const resident =
    designatedOn === undefined ? input.resident : { ...input.resident, personneDeConfiance: { firstName: 'Claire', lastName: 'Dupont', relation: 'fille', email: null, designatedOn } };
  return { ...input, resident, document: { ...input.document, consentInterview: { on: '2026-10-20', outcome: 'consent', ...interview } } };
}
const NOTICE = 'document.consentInterview.noticeGivenOn';
const ATTESTATION = 'document.consentInterview.attestationSignedOn';

describe(`contrat de séjour ${VERSION}: CASF D.311-0-4 with its exemptions (1° to 3°) and its al. 3`, () => {
  it('(a) 1° — designated eight days at least before the interview, no notice given: the article does not apply, neither notice nor attestation', () => {
    for (const day of ['2025-06-12', '2026-10-12']) expect({ day, problems: problems(marcel({}, day)) }).toEqual({ day, problems: [] });
    expect(section(marcel({}, '2026-10-12'), 'standard').slice(0, 2)).toEqual([
      'Marcel Dupont avait désigné une personne de confiance, nommée ci-dessous, le 12 octobre 2026, soit au moins huit jours avant l’entretien de recherche du consentement : l’information préalable sur la personne de confiance, sa notice et l’attestation de sa délivrance n’étaient donc pas dues.',
      'Lors de l’entretien du 20 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
    ]);
    const falc = section(marcel({}, '2026-10-12'), 'falc');
    expect(falc.slice(0, 3)).toEqual(['Vous avez déjà choisi une personne de confiance.', 'Vous l’avez choisie le 12 octobre 2026.', 'Nous n’avions pas besoin de vous donner la feuille qui l’explique.']);
    falcClean(falc);
  });

  it('(a) 1° — designated before a notice that came late: still 1° (no eight days, no attestation); the contract says both', () => {
    const input = marcel({ noticeGivenOn: '2026-10-17' }, '2026-09-01');
    expect(problems(input)).toEqual([]);
    expect(section(input, 'standard').slice(0, 2)).toEqual([
      'Marcel Dupont avait désigné une personne de confiance, nommée ci-dessous, le 1er septembre 2026, soit au moins huit jours avant l’entretien de recherche du consentement et avant la remise de la notice d’information : l’information préalable sur la personne de confiance, sa notice et l’attestation de sa délivrance n’étaient donc pas dues.',
      'La notice d’information sur la personne de confiance a été remise à Marcel Dupont le 17 octobre 2026.',
    ]);
  });

  it('(a) designated less than eight days before the interview with no notice: not « déjà » — the information was due on the eighth day; the notice and the attestation are asked for, the eight days no longer apply', () => {
    // 1.5.0 spared both (designated before the interview).
    for (const day of ['2026-10-13', '2026-10-19'])
      expect({ day, problems: problems(marcel({}, day)) }).toEqual({ day, problems: [`${NOTICE}:REQUIRED`, `${ATTESTATION}:REQUIRED`] });
    expect(messageOf(marcel({}, '2026-10-15'), NOTICE)).toBe(
      'La personne a désigné sa personne de confiance moins de huit jours avant l’entretien : l’information lui était due huit jours avant celui-ci. Indiquez la date de remise de la notice d’information et celle de l’attestation de sa délivrance ; le délai de huit jours a cessé de s’appliquer avec la désignation (CASF D.311-0-4 al. 1 à 3).',
    );
    // …then a notice given after the designation, before the interview, with its attestation: accepted (al. 3).
    expect(problems(marcel({ noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }, '2026-10-15'))).toEqual([]);
  });

  it('(b) al. 3 — a notice, then the designation before the interview: the eight days no longer apply, the attestation is still owed', () => {
    // 1.5.0 asked for no attestation here (designated before the interview).
    expect(problems(marcel({ noticeGivenOn: '2026-10-09' }, '2026-10-10'))).toEqual([`${ATTESTATION}:REQUIRED`]);
    expect(problems(marcel({ noticeGivenOn: '2026-10-17' }, '2026-10-18'))).toEqual([`${ATTESTATION}:REQUIRED`]);
    // Three days before the interview, designated the next day: no NOTICE_TOO_LATE.
    const lifted = marcel({ noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }, '2026-10-18');
    expect(problems(lifted)).toEqual([]);
    expect(section(lifted, 'standard')[0]).toBe(
      'La notice d’information sur la personne de confiance a été remise à Marcel Dupont le 17 octobre 2026, avant l’entretien de recherche du consentement ; Marcel Dupont ayant désigné sa personne de confiance le 18 octobre 2026, le délai de huit jours avant cet entretien ne s’appliquait plus ; l’attestation de sa délivrance, datée du 17 octobre 2026 et signée par le directeur ou son représentant, par Marcel Dupont, est jointe au contrat.',
    );
    const falc = section(lifted, 'falc');
    expect(falc.slice(0, 6)).toEqual([
      'Une feuille explique ce qu’est la personne de confiance.',
      'Vous avez reçu cette feuille le 17 octobre 2026.',
      'Vous avez choisi votre personne de confiance le 18 octobre 2026.',
      'Après ce choix, nous pouvions parler avec vous sans attendre 8 jours.',
      'Le 17 octobre 2026, vous avez signé un papier avec la direction.',
      'Ce papier dit que vous avez reçu la feuille.',
    ]);
    falcClean(falc);
  });

  it('(b) the eight days still apply when the designation comes on the interview’s day or after it, or bears no date', () => {
    for (const day of ['2026-10-20', '2026-10-25', null])
      expect({ day, problems: problems(marcel({ noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }, day)) }).toEqual({ day, problems: [`${NOTICE}:NOTICE_TOO_LATE`] });
    expect(messageOf(marcel({ noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }), NOTICE)).toBe(
      'La notice d’information sur la personne de confiance est remise huit jours au moins avant l’entretien de recherche du consentement (CASF D.311-0-4) : indiquez une date de remise antérieure d’au moins huit jours à celle de l’entretien. Ce délai cesse de s’appliquer si la personne a désigné sa personne de confiance avant l’entretien (al. 3) : la date de cette désignation s’enregistre dans son dossier.',
    );
  });

  it('(b) the eight days lifted, the notice is still given before the interview (L.311-4 al. 5: « préalablement »)', () => {
    const after = marcel({ noticeGivenOn: '2026-10-22', attestationSignedOn: '2026-10-22' }, '2026-10-18');
    expect(validateTemplateInput(template, after)).toEqual([
      {
        field: NOTICE,
        code: 'NOTICE_AFTER_INTERVIEW',
        message:
          'La notice d’information sur la personne de confiance est remise avant l’entretien de recherche du consentement (CASF L.311-4 al. 5, D.311-0-4) : la désignation de la personne de confiance met fin au délai de huit jours, pas à la remise préalable de la notice.',
      },
    ]);
    expect(problems(marcel({ noticeGivenOn: '2026-10-20', attestationSignedOn: '2026-10-20' }, '2026-10-18'))).toEqual([]);
  });

  it('(c) 2° — information delivered before by another establishment or service: no notice, no attestation here; the contract says by whom and when', () => {
    const input = marcel({ priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines (Valville)', on: '2026-09-15' } });
    expect(problems(input)).toEqual([]);
    expect(section(input, 'standard').slice(0, 3)).toEqual([
      'L’information sur la personne de confiance avait déjà été délivrée à Marcel Dupont le 15 septembre 2026 par EHPAD Les Glycines (Valville), établissement ou service social ou médico-social, qui lui avait remis la notice d’information dans les conditions de l’article D.311-0-4 du code de l’action sociale et des familles : elle n’avait donc pas à lui être délivrée de nouveau avant l’entretien de recherche du consentement.',
      'Lors de l’entretien du 20 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
      'Il est proposé à Marcel Dupont de désigner une personne de confiance. Cette désignation peut être faite à tout moment, par écrit.',
    ]);
    const falc = section(input, 'falc');
    expect(falc.slice(0, 3)).toEqual(['Un autre établissement vous a déjà parlé de la personne de confiance.', 'Le 15 septembre 2026, il vous a donné une feuille qui l’explique.', 'Nous n’avions pas besoin de vous la donner encore.']);
    falcClean(falc);
  });

  it('(c) the earlier information is dated before the interview (PRIOR_INFORMATION_AFTER_INTERVIEW), names its establishment, says by whom', () => {
    for (const on of ['2026-10-20', '2026-10-21'])
      expect({ on, problems: problems(marcel({ priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines', on } })) }).toEqual({
        on,
        problems: ['document.consentInterview.priorInformation.on:PRIOR_INFORMATION_AFTER_INTERVIEW'],
      });
    expect(messageOf(marcel({ priorInformation: { by: 'ofii', on: '2026-11-01' } }), 'document.consentInterview.priorInformation.on')).toBe(
      'L’information sur la personne de confiance délivrée par un autre établissement ou service, ou par l’OFII, ne dispense de la notice que si elle l’a été avant l’entretien de recherche du consentement (CASF D.311-0-4, 2° et 3°) : indiquez une date antérieure à celle de l’entretien, sinon la notice et l’attestation sont dues ici.',
    );
    expect(problems(marcel({ priorInformation: { by: 'etablissement', on: '2026-09-15' } }))).toEqual(['document.consentInterview.priorInformation.name:REQUIRED']);
    expect(problems(marcel({ priorInformation: { name: 'EHPAD Les Glycines', on: '2026-09-15' } }))).toEqual(['document.consentInterview.priorInformation.by:REQUIRED']);
    expect(problems(marcel({ priorInformation: { by: 'caf', on: '2026-09-15' } }))).toEqual(['document.consentInterview.priorInformation.by:NOT_ALLOWED_VALUE']);
  });

  it('(d) 3° — an asylum seeker informed by the OFII with the notice: no notice here; the contract names the OFII and the day', () => {
    const input = marcel({ priorInformation: { by: 'ofii', on: '2026-09-30' } });
    expect(problems(input)).toEqual([]);
    expect(section(input, 'standard')[0]).toBe(
      'Au titre de sa demande d’asile, l’Office français de l’immigration et de l’intégration (OFII) a délivré à Marcel Dupont l’information sur la personne de confiance en lui remettant la notice d’information, le 30 septembre 2026 : cette information n’avait donc pas à lui être délivrée de nouveau avant l’entretien de recherche du consentement.',
    );
    expect(section(marcel({ priorInformation: { by: 'ofii', name: 'direction territoriale de Lyon', on: '2026-09-30' } }), 'standard')[0]).toContain(
      'l’Office français de l’immigration et de l’intégration (OFII), direction territoriale de Lyon, a délivré à Marcel Dupont',
    );
    const tree = resolve(template, input, 'falc');
    const falc = section(input, 'falc');
    expect(falc.slice(0, 3)).toEqual(['L’OFII vous a déjà parlé de la personne de confiance.', 'Le 30 septembre 2026, l’OFII vous a donné une feuille qui l’explique.', 'Nous n’avions pas besoin de vous la donner encore.']);
    falcClean(falc);
    // The acronym is explained in the rendition's glossary (FALC: no unexplained acronym).
    const glossary = tree.blocks.flatMap((b) => (b.kind === 'list' ? b.items.map((i) => i.map((r) => r.text).join('')) : []));
    expect(glossary).toContain('OFII : L’OFII est l’Office français de l’immigration et de l’intégration. Il aide les personnes qui demandent l’asile en France.');
  });

  it('(e) every adult, in every establishment (L.311-5-1, L.311-4 al. 5): a MAS asks for the interview and the notice, refuses a late one, and prints the interview', () => {
    const mas = (interview?: Record<string, unknown>): TemplateInput => {
      const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
      const { consentInterview: _c, entryInventoryOn: _e, ...document } = input.document;
      return {
        ...input,
        establishment: { ...input.establishment, category: 'MAS' },
        document: {
          ...document,
          ...(interview ? { consentInterview: interview } : {}),
          termination: { byPerson: 'Par lettre, avec un préavis de quinze jours.', byEstablishment: 'Selon le règlement de fonctionnement.', byPersonFalc: 'Vous pouvez partir.', byEstablishmentFalc: 'Nous vous prévenons avant.' },
        },
      };
    };
    // 1.5.0 asked for none of it outside homes for older people.
    expect(problems(mas())).toEqual(['document.consentInterview:REQUIRED']);
    expect(problems(mas({ on: '2026-10-20', outcome: 'consent' }))).toEqual([`${NOTICE}:REQUIRED`, `${ATTESTATION}:REQUIRED`]);
    expect(problems(mas({ on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-17', attestationSignedOn: '2026-10-17' }))).toEqual([`${NOTICE}:NOTICE_TOO_LATE`]);
    const ok = mas({ on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-09', attestationSignedOn: '2026-10-09' });
    expect(problems(ok)).toEqual([]);
    expect(section(ok, 'standard').slice(0, 2)).toEqual([
      'La notice d’information sur la personne de confiance a été remise à Marcel Dupont le 9 octobre 2026, au moins huit jours avant l’entretien de recherche du consentement ; l’attestation de sa délivrance, datée du 9 octobre 2026 et signée par le directeur ou son représentant, par Marcel Dupont, est jointe au contrat.',
      'Lors de l’entretien du 20 octobre 2026, mené hors de la présence de toute autre personne sauf si la personne accueillie a choisi d’être accompagnée par sa personne de confiance, Marcel Dupont a exprimé son consentement à son entrée dans l’établissement.',
    ]);
    // The état des lieux stays a rule of homes for older people (L.311-7-1).
    expect(problems(ok)).not.toContain('document.entryInventoryOn:REQUIRED');
    expect(messageOf(mas(), 'document.consentInterview')).toBe(
      'Lors de la conclusion du contrat de séjour, le consentement de la personne majeure à être accueillie est recherché dans un entretien, dans tout établissement (CASF L.311-4 al. 5).',
    );
  });

  it('(e) every category that concludes a contrat de séjour generates the demo contract, standard and easy-to-read', () => {
    for (const category of ['EHPAD', 'PUV', 'EHPA', 'residence_autonomie', 'USLD', 'MAS', 'FAM', 'foyer_de_vie', 'foyer_hebergement', 'CHRS']) {
      const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
      const elderly = ['EHPAD', 'PUV', 'EHPA', 'residence_autonomie'].includes(category);
      const document = elderly
        ? input.document
        : { ...input.document, termination: { byPerson: 'Par lettre.', byEstablishment: 'Selon le règlement.', byPersonFalc: 'Vous pouvez partir.', byEstablishmentFalc: 'Nous vous prévenons avant.' } };
      const tree = resolve(template, { ...input, establishment: { ...input.establishment, category }, document }, 'standard');
      expect({ category, interview: lines(tree).some((l) => l.startsWith('Lors de l’entretien du 20 octobre 2026')) }).toEqual({ category, interview: true });
      expect(() => resolve(template, { ...input, establishment: { ...input.establishment, category }, document }, 'falc')).not.toThrow();
    }
  });

  it('(e) a minor: no personne de confiance (L.311-5-1: « majeure »), so neither notice nor interview is asked', () => {
    const enzo = templateInputFromFixture(fixture, 'contrat-sejour', 'enzo-petit');
    expect(enzo.document.consentInterview).toBeUndefined();
    expect(problems(enzo)).toEqual([]);
  });

  it('every demo contract validates and generates with it', () => {
    for (const key of ['jeanne-martin', 'marcel-dupont', 'lucie-bernard', 'enzo-petit', 'helene-roux', 'ahmed-benali', 'rose-lambert', 'sean-obrien']) {
      const input = templateInputFromFixture(fixture, 'contrat-sejour', key);
      expect({ key, problems: problems(input) }).toEqual({ key, problems: [] });
      for (const variant of ['standard', 'falc'] as const) expect(() => resolve(template, input, variant)).not.toThrow();
    }
    // Jeanne Martin designated her daughter on 12 June 2025: 1°.
    expect(section(templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin'), 'standard')[0]).toBe(
      'Jeanne Martin avait désigné une personne de confiance, nommée ci-dessous, le 12 juin 2025, soit au moins huit jours avant l’entretien de recherche du consentement : l’information préalable sur la personne de confiance, sa notice et l’attestation de sa délivrance n’étaient donc pas dues.',
    );
  });

  it('every problem in one refusal: an earlier information dated after the interview, an attestation before its notice, a missing objective', () => {
    const input = marcel({ noticeGivenOn: '2026-10-09', attestationSignedOn: '2026-10-01', priorInformation: { by: 'etablissement', name: 'EHPAD Les Glycines', on: '2026-10-21' } });
    expect(problems({ ...input, document: { ...input.document, objectives: [] } }).sort()).toEqual([
      'document.consentInterview.attestationSignedOn:ATTESTATION_BEFORE_NOTICE',
      'document.consentInterview.priorInformation.on:PRIOR_INFORMATION_AFTER_INTERVIEW',
      'document.objectives:TOO_SHORT',
    ]);
  });

  it('every clause of the section states its legal basis', () => {
    const section = template.content.body.find((n) => 'if' in n && n.if === 'adult') as { then: unknown[] };
    const paragraphs: { source?: string; only?: string; paragraph: unknown }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      if ('paragraph' in n) paragraphs.push(n as never);
      for (const k of ['then', 'else']) walk((n as Record<string, unknown>)[k]);
    };
    walk(section.then);
    const withText = paragraphs.filter((p) => p.only !== 'falc' && typeof p.paragraph === 'object' && p.paragraph && 'standard' in (p.paragraph as object));
    expect(withText.length).toBe(8);
    for (const p of withText) expect({ text: JSON.stringify(p.paragraph).slice(0, 60), source: p.source }).toEqual({ text: JSON.stringify(p.paragraph).slice(0, 60), source: expect.stringMatching(/^CASF (D\.311-0-4|L\.311-4|L\.311-5-1)/) });
  });
});
