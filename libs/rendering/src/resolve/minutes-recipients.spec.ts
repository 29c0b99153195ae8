import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFalcFinding, lintFalcText, lintTemplate, TemplateLoader, validateTemplateContent } from '@carepact/templates';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture, type TemplateInput } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { blockText as text } from './testing/parties.builder';

/**
 * Compte rendu de réunion de synthèse 1.4.0: who receives the minutes, and on what footing
 * (CSP L.1110-4 II–IV, L.1110-12, R.1110-1 to R.1110-3, D.1110-3-1). Within the équipe de soins the
 * information strictly necessary is shared, the person (for a minor, the holders of parental
 * authority; under a measure with representation relative to the person, its holder) informed
 * beforehand and able to object; outside the team, only with her prior consent. And the next review
 * of the projet, in both the minutes and the projet personnalisé 1.5.0: within twelve months and
 * after the meeting or the projet (the yearly updating of the contract's or DIPC's objectives, CASF D.311, and of the
 * projet that carries them, L.311-3 7°; ANESM recommendation, December 2008). 1.4.0 cited D.311 VII for it: corrected in
 * compte rendu 1.6.0 and projet 1.7.0 (minutes-consent-information.spec.ts).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
// The versions that brought these rules; later versions (another change: the signature blocks) keep them, as checked below.
const minutes = loader.load('compte-rendu-synthese', '1.4.0');
const projet = loader.load('projet-personnalise', '1.5.0');
const SHARING_CODES = ['OUTSIDE_RECIPIENT_WITHOUT_CONSENT', 'CONSENT_AFTER_MINUTES', 'SHARING_INFORMATION_AFTER_MINUTES', 'OBJECTION_NOT_RECORDED', 'OBJECTION_NOT_APPLICABLE', 'RECIPIENT_NOT_REPRESENTATIVE'];
const REVIEW_CODES = ['NEXT_REVIEW_TOO_LATE', 'NEXT_REVIEW_NOT_AFTER'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = Record<string, any>;
type EditableInput = TemplateInput & { document: Editable; resident: Editable; establishment: Editable };

function input(type: string, edit: (i: EditableInput) => void = () => {}, residentKey?: string): TemplateInput {
  const i = structuredClone(templateInputFromFixture(fixture, type, residentKey)) as EditableInput;
  // The demo data are of the latest minutes: 1.6.0 records what was told before an outside consent (CSP D.1110-3-1),
  // a field 1.4.0 and 1.5.0 do not know (minutes-consent-information.spec.ts).
  if (type === 'compte-rendu-synthese') for (const r of i.document.recipients ?? []) delete r.consentInformed;
  edit(i);
  return i;
}
const told = { informationCategories: true, professionalCategories: true, media: true, security: true };
const refusals = (template: typeof minutes, i: TemplateInput) => validateTemplateInput(template, i).map((e) => `${e.field} ${e.code}`);
const messageOf = (template: typeof minutes, i: TemplateInput, code: string) => validateTemplateInput(template, i).find((e) => e.code === code)?.message;
const outsider = (extra: Editable = {}) => ({ name: 'Dr Anne Roux', function: 'orthophoniste', functionFalc: 'votre orthophoniste', organisation: 'cabinet libéral', circle: 'hors_equipe', ...extra });

describe('compte rendu 1.4.0: recipients and the sharing of information (CSP L.1110-4)', () => {
  it('is published, its checks well formed, and kept by the latest version; 1.3.0 keeps its pinned hash and its plain distribution list', () => {
    expect(validateTemplateContent(minutes.content)).toEqual([]);
    const latest = loader.load('compte-rendu-synthese');
    // Compared as numbers: « 1.10.0 » follows « 1.4.0 ».
    expect(latest.content.version.localeCompare('1.4.0', 'en', { numeric: true })).toBeGreaterThanOrEqual(0);
    // 1.6.0 adds CONSENT_INFORMATION_MISSING (CSP D.1110-3-1).
    expect(new Set((latest.content.checks ?? []).map((c) => c.code))).toEqual(new Set([...REVIEW_CODES, ...SHARING_CODES, 'CONSENT_INFORMATION_MISSING']));
    const withTold = (edit: (i: EditableInput) => void = () => {}) =>
      input('compte-rendu-synthese', (x) => {
        for (const r of x.document.recipients) if (r.circle === 'hors_equipe') r.consentInformed = told;
        edit(x);
      });
    expect(refusals(latest, withTold())).toEqual([]);
    expect(refusals(latest, withTold((x) => x.document.recipients.push(outsider({ consentInformed: told }))))).toEqual([
      'document.recipients[5].consentOn OUTSIDE_RECIPIENT_WITHOUT_CONSENT',
      'document.recipients[5].consentHow OUTSIDE_RECIPIENT_WITHOUT_CONSENT',
    ]);
    expect(minutes.published?.sha256).toBe(minutes.sha256);
    const old = loader.load('compte-rendu-synthese', '1.3.0');
    expect(old.published?.sha256).toBe(old.sha256);
    expect(old.content.inputSchema.properties!.document.required).toContain('distribution');
    expect(minutes.content.inputSchema.properties!.document.required).toEqual(expect.arrayContaining(['sharing', 'recipients']));
    expect(minutes.content.inputSchema.properties!.document.properties!.distribution).toBeUndefined();
  });

  it('the demo minutes (a minor, an outside doctor with the parents’ written consent) are valid', () => {
    expect(refusals(minutes, input('compte-rendu-synthese'))).toEqual([]);
  });

  it('its texts and its easy-to-read rendition pass falc:lint, for a minor, under tutelle and for an adult without measure', () => {
    expect(lintTemplate(minutes.content).filter((f) => f.severity === 'error').map(formatFalcFinding)).toEqual([]);
    expect(lintTemplate(projet.content).filter((f) => f.severity === 'error').map(formatFalcFinding)).toEqual([]);
    const terms = minutes.content.glossary.map((g) => g.term);
    for (const key of ['enzo-petit', 'lucie-bernard', 'jeanne-martin']) {
      const i = input('compte-rendu-synthese', (x) => {
        if (key !== 'enzo-petit') x.document.recipients = x.document.recipients.filter((r: Editable) => r.circle !== 'representant');
        x.resident = personOf(key);
      });
      // Each table cell on its own, as falc-renditions.spec.ts reads a rendition.
      const lines = resolve(minutes, i, 'falc').blocks.flatMap((b) => (b.kind === 'table' ? b.rows.flat().map((c) => c.map((r) => r.text).join('')) : text({ blocks: [b] } as DocumentTree).split('\n')));
      expect({ key, errors: lines.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`)) }).toEqual({ key, errors: [] });
    }
  });

  it('asks for the information on sharing and the recipients', () => {
    const r = refusals(
      minutes,
      input('compte-rendu-synthese', (i) => {
        delete i.document.sharing;
        delete i.document.recipients;
      }),
    );
    expect(r.sort()).toEqual(['document.recipients REQUIRED', 'document.sharing REQUIRED']);
  });

  it('refuses a recipient outside the équipe de soins without the prior consent, beside that recipient, citing L.1110-4 III', () => {
    const i = input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider()));
    expect(refusals(minutes, i)).toEqual(['document.recipients[5].consentOn OUTSIDE_RECIPIENT_WITHOUT_CONSENT', 'document.recipients[5].consentHow OUTSIDE_RECIPIENT_WITHOUT_CONSENT']);
    expect(messageOf(minutes, i, 'OUTSIDE_RECIPIENT_WITHOUT_CONSENT')).toMatch(/consentement préalable.*CSP L\.1110-4 III/);
    // How it was collected is asked too: « recueilli par tout moyen » (III al. 2) is still a means to record.
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ consentOn: '2026-11-10' }))))).toEqual([
      'document.recipients[5].consentHow OUTSIDE_RECIPIENT_WITHOUT_CONSENT',
    ]);
  });

  it('accepts an outside recipient with a consent dated and described, and prints it with that consent', () => {
    const i = input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ consentOn: '2026-11-10', consentHow: 'accord écrit des parents' })));
    expect(refusals(minutes, i)).toEqual([]);
    const standard = text(resolve(minutes, i, 'standard'));
    expect(standard).toContain('Dr Anne Roux | orthophoniste | cabinet libéral | hors de l’équipe de soins, consentement préalable du 10 novembre 2026 (accord écrit des parents)');
    expect(standard).toContain('Paul Girard | coordinateur de projet | EHPAD Les Tilleuls | équipe de soins (CSP L.1110-12), sauf opposition');
    const falc = text(resolve(minutes, i, 'falc'));
    expect(falc).toContain('Dr Anne Roux | votre orthophoniste | cabinet libéral | une personne en dehors de l’équipe : accord donné le 10 novembre 2026');
  });

  it('refuses a consent dated after the minutes: it is prior (L.1110-4 III)', () => {
    const i = input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ consentOn: '2026-11-19', consentHow: 'par téléphone' })));
    expect(refusals(minutes, i)).toEqual(['document.recipients[5].consentOn CONSENT_AFTER_MINUTES']);
  });

  it('refuses an information on sharing dated after the minutes (L.1110-4 IV, R.1110-3)', () => {
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => (x.document.sharing.informedOn = '2026-11-20')))).toEqual(['document.sharing.informedOn SHARING_INFORMATION_AFTER_MINUTES']);
  });

  it('an objection excludes the recipients it concerns: they are not among the recipients printed, an outside one needs no consent', () => {
    const i = input('compte-rendu-synthese', (x) => {
      x.document.sharing.objected = true;
      x.document.sharing.objectionDetails = 'Les parents refusent que le compte rendu soit adressé à l’orthophoniste.';
      x.document.sharing.objectionDetailsFalc = 'Vos parents ne veulent pas que l’orthophoniste reçoive ce compte rendu.';
      x.document.recipients.push(outsider({ objection: true }));
    });
    expect(refusals(minutes, i)).toEqual([]);
    const standard = text(resolve(minutes, i, 'standard'));
    expect(standard).toContain('Opposition exprimée : Les parents refusent');
    expect(standard).not.toMatch(/Dr Anne Roux \|/);
    expect(standard).toContain('Ne reçoit pas le compte rendu, à la suite de l’opposition : Dr Anne Roux, orthophoniste');
    expect(text(resolve(minutes, i, 'falc'))).toContain('Ne reçoit pas ce compte rendu : Dr Anne Roux, votre orthophoniste');
  });

  it('an objection on a recipient must be recorded with what it concerns; it cannot exclude the person or her representative', () => {
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ objection: true }))))).toEqual(['document.recipients[5].objection OBJECTION_NOT_RECORDED']);
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => (x.document.sharing.objected = true)))).toEqual(['document.sharing.objectionDetails REQUIRED']);
    const i = input('compte-rendu-synthese', (x) => {
      x.document.sharing.objected = true;
      x.document.sharing.objectionDetails = 'Le père ne doit pas le recevoir.';
      x.document.sharing.objectionDetailsFalc = 'Votre père ne reçoit pas ce compte rendu.';
      x.document.recipients[2].objection = true;
    });
    expect(refusals(minutes, i)).toEqual(['document.recipients[2].objection OBJECTION_NOT_APPLICABLE']);
  });

  it('says who was informed: the holders of parental authority for a minor, the representative under representation relative to the person, else the person', () => {
    expect(text(resolve(minutes, input('compte-rendu-synthese'), 'standard'))).toContain(
      'Le 4 novembre 2026, l’information sur le partage des informations a été délivrée aux titulaires de l’autorité parentale (entretien d’admission avec les deux parents, livret d’accueil remis)',
    );
    // Lucie Bernard is under tutelle with representation relative to the person (demo); Marcel Dupont under curatelle (assistance).
    const asAdult = (key: string) =>
      input('compte-rendu-synthese', (x) => {
        x.document.recipients = x.document.recipients.filter((r: Editable) => r.circle !== 'representant');
        x.resident = personOf(key);
      });
    const lucie = resolveFor(asAdult('lucie-bernard'));
    expect(lucie).toMatch(/a été délivrée à Alain Bernard, tuteur, qui représente Lucie Bernard/);
    const marcel = resolveFor(asAdult('marcel-dupont'));
    expect(marcel).toMatch(/a été délivrée à Marcel Dupont \(/);
  });

  it('1.5.0: for a minor under tutelle or délégation, those who represent her were informed, not « the holders of parental authority »', () => {
    const latest = loader.load('compte-rendu-synthese', '1.5.0');
    const minor = (minorRepresentation: Editable) =>
      input('compte-rendu-synthese', (x) => {
        x.resident = { ...x.resident, minor: { ...x.resident.minor, parentalAuthority: minorRepresentation.kind, parents: [] }, minorRepresentation };
      });
    const tuteur = { firstName: 'Claire', lastName: 'Morel', role: 'tuteur' };
    const tutelle = minor({ kind: 'tutelle', representatives: [tuteur], decision: { authority: 'conseil de famille', reference: 'n° 24/118', date: '2024-03-02' } });
    expect(validateTemplateInput(latest, tutelle)).toEqual([]);
    expect(text(resolve(latest, tutelle, 'standard'))).toContain('l’information sur le partage des informations a été délivrée à son tuteur (');
    expect(text(resolve(latest, tutelle, 'falc'))).toContain('nous avons parlé avec la personne qui vous représente des informations sur vous');
    const delegation = minor({ kind: 'delegation', representatives: [{ ...tuteur, role: 'delegataire' }], delegationExtent: 'total', decision: { authority: 'juge aux affaires familiales', reference: 'RG 25/77', date: '2025-01-10' } });
    expect(text(resolve(latest, delegation, 'standard'))).toContain('a été délivrée au délégataire de l’autorité parentale (');
    // Parents holding it: as before.
    expect(text(resolve(latest, input('compte-rendu-synthese'), 'standard'))).toContain('a été délivrée aux titulaires de l’autorité parentale (');
  });

  it('refuses « représentant légal » for a curateur (assistance): only parental authority or representation relative to the person', () => {
    const i = input('compte-rendu-synthese', (x) => {
      x.document.recipients = [{ name: 'Karim Benaïssa', function: 'curateur', functionFalc: 'il vous aide', circle: 'representant' }];
      x.resident = personOf('marcel-dupont');
    });
    expect(refusals(minutes, i)).toEqual(['document.recipients[0].circle RECIPIENT_NOT_REPRESENTATIVE']);
  });
});

describe('next review of the projet within twelve months, after the meeting or the projet (1.4.0 and projet 1.5.0)', () => {
  it.each([
    ['2027-11-19', 'NEXT_REVIEW_TOO_LATE'],
    ['2030-01-01', 'NEXT_REVIEW_TOO_LATE'],
    ['2026-11-17', 'NEXT_REVIEW_NOT_AFTER'],
    ['2026-11-18', 'NEXT_REVIEW_NOT_AFTER'],
  ])('minutes of 18 November 2026: review on %s → %s', (nextReview, code) => {
    const i = input('compte-rendu-synthese', (x) => (x.document.nextReview = nextReview));
    expect(refusals(minutes, i)).toEqual([`document.nextReview ${code}`]);
    expect(messageOf(minutes, i, code)).toContain('CASF D.311');
  });

  it.each(['2027-11-18', '2026-11-19', '2027-03-18'])('minutes of 18 November 2026: review on %s is accepted', (nextReview) => {
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => (x.document.nextReview = nextReview)))).toEqual([]);
  });

  it('projet personnalisé 1.5.0 is published, well formed, its rules kept by the latest; the demo projet (20 October 2026, review 20 October 2027) is valid', () => {
    expect(validateTemplateContent(projet.content)).toEqual([]);
    const latest = loader.load('projet-personnalise');
    expect((latest.content.checks ?? []).map((c) => c.code)).toEqual(expect.arrayContaining(REVIEW_CODES));
    expect(refusals(latest, input('projet-personnalise', (x) => (x.document.nextReview = '2028-01-01')))).toEqual(['document.nextReview NEXT_REVIEW_TOO_LATE']);
    expect(projet.published?.sha256).toBe(projet.sha256);
    expect(refusals(projet, input('projet-personnalise'))).toEqual([]);
  });

  it.each([
    [{ nextReview: '2027-10-21' }, 'NEXT_REVIEW_TOO_LATE'],
    [{ nextReview: '2031-10-20' }, 'NEXT_REVIEW_TOO_LATE'],
    [{ nextReview: '2026-10-01' }, 'NEXT_REVIEW_NOT_AFTER'],
    // The projet's own date, when given, is the one counted from (its issuedAt).
    [{ issuedOn: '2026-09-01', nextReview: '2027-10-20' }, 'NEXT_REVIEW_TOO_LATE'],
  ])('projet: %j → %s', (edit, code) => {
    const i = input('projet-personnalise', (x) => Object.assign(x.document, edit));
    expect(refusals(projet, i)).toEqual([`document.nextReview ${code}`]);
  });

  it('projet dated 31 August: twelve months run to 31 August of the next year', () => {
    expect(refusals(projet, input('projet-personnalise', (x) => Object.assign(x.document, { issuedOn: '2026-08-31', nextReview: '2027-08-31' })))).toEqual([]);
    expect(refusals(projet, input('projet-personnalise', (x) => Object.assign(x.document, { issuedOn: '2026-08-31', nextReview: '2027-09-01' })))).toEqual(['document.nextReview NEXT_REVIEW_TOO_LATE']);
  });
});

/** Another person of the demo fixture (the fixture holds one set of minutes, Enzo Petit's): the same minutes, for her. */
function personOf(key: string): Editable {
  const { documents: _d, ...person } = fixture.residents.find((r: Editable) => r.key === key);
  return person;
}
function resolveFor(i: TemplateInput): string {
  expect(refusals(minutes, i)).toEqual([]);
  return text(resolve(minutes, i, 'standard'));
}
