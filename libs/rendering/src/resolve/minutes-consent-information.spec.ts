import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFalcFinding, inputFieldLabel, lintFalcText, lintTemplate, TemplateLoader, validateTemplateContent } from '@carepact/templates';
import type { DocumentTree } from '../tree';
import { templateInputFromFixture, type TemplateInput } from './fixture-input';
import { resolve, validateTemplateInput } from './resolve';
import { blockText as text } from './testing/parties.builder';

/**
 * A sector lawyer's review of compte rendu 1.5.0 and projet personnalisé 1.6.0, fixed in compte rendu
 * 1.6.0 and projet 1.7.0:
 * - CSP R.1110-3 only asks that the person concerned be informed beforehand (the sharing within the
 *   équipe de soins); it does not say who is informed for a minor or a person under representation.
 *   Outside the team, the person and « le cas échéant, son représentant légal » are told, before
 *   consenting, of the categories of information, the categories of professionals, the nature of the
 *   media and the security measures (CSP L.1110-4 III, D.1110-3-1): recorded per recipient, printed.
 * - A minor is represented by his parents, his tuteur (C. civ. 390, 408) or the délégataire of
 *   parental authority (C. civ. 377, 377-1): the RECIPIENT_NOT_REPRESENTATIVE message names them.
 * - The projet's review within twelve months: no direct D.311 rule on the projet; the objectives and
 *   services of the contract or DIPC are updated each year (D.311), with the projet that carries them
 *   (CASF L.311-3 7°; ANESM recommendation, December 2008).
 * - Projet 1.7.0 drops « La personne signe elle-même », without effect since 1.4.0.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const MINUTES = '1.6.0';
const PROJET = '1.7.0';
const minutes = loader.load('compte-rendu-synthese', MINUTES);
const projet = loader.load('projet-personnalise', PROJET);
const ITEMS = ['informationCategories', 'professionalCategories', 'media', 'security'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = Record<string, any>;
type EditableInput = TemplateInput & { document: Editable; resident: Editable };

function input(type: string, edit: (i: EditableInput) => void = () => {}): TemplateInput {
  const i = structuredClone(templateInputFromFixture(fixture, type)) as EditableInput;
  edit(i);
  return i;
}
const refusals = (template: typeof minutes, i: TemplateInput) => validateTemplateInput(template, i).map((e) => `${e.field} ${e.code}`);
const told = (over: Editable = {}) => ({ informationCategories: true, professionalCategories: true, media: true, security: true, ...over });
const outsider = (extra: Editable = {}) => ({
  name: 'Dr Anne Roux',
  function: 'orthophoniste',
  functionFalc: 'votre orthophoniste',
  organisation: 'cabinet libéral',
  circle: 'hors_equipe',
  consentOn: '2026-11-10',
  consentHow: 'accord écrit des parents',
  ...extra,
});
/** Every string of a template (texts, sources, descriptions, messages). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe(`compte rendu ${MINUTES}: the information before consenting to an outside recipient (CSP D.1110-3-1)`, () => {
  it('is published and the latest, well formed; the demo minutes (the outside doctor, the parents told the four points) are valid', () => {
    expect(minutes.published?.sha256).toBe(minutes.sha256);
    // 1.7.0 (a one-parent authority, the tuteur's capacity without gender: minor-parties-wording.spec.ts) follows it, the consent information unchanged.
    expect(loader.load('compte-rendu-synthese').content.version).toBe('1.10.0');
    expect(validateTemplateContent(minutes.content)).toEqual([]);
    expect(refusals(minutes, input('compte-rendu-synthese'))).toEqual([]);
  });

  it('refuses an outside recipient whose consent does not record what was told, each point beside its field, in French, citing D.1110-3-1', () => {
    const i = input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider()));
    expect(refusals(minutes, i)).toEqual(ITEMS.map((k) => `document.recipients[5].consentInformed.${k} CONSENT_INFORMATION_MISSING`));
    const messages = validateTemplateInput(minutes, i).map((e) => e.message);
    expect(messages[0]).toMatch(/^Avant le consentement, la personne — ou, le cas échéant, son représentant légal — est informée des catégories d’informations qui seront partagées \(CSP D\.1110-3-1\)/);
    expect(messages[2]).toContain('de la nature des supports utilisés pour les partager');
    expect(messages[3]).toContain('des mesures prises pour en préserver la sécurité');
    // One point answered « Non »: that one only.
    expect(refusals(minutes, input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ consentInformed: told({ media: false }) }))))).toEqual([
      'document.recipients[5].consentInformed.media CONSENT_INFORMATION_MISSING',
    ]);
    // An outside recipient the person objected to receives nothing: nothing to record.
    const objected = input('compte-rendu-synthese', (x) => {
      x.document.sharing.objected = true;
      x.document.sharing.objectionDetails = 'Les parents refusent l’envoi à l’orthophoniste.';
      x.document.sharing.objectionDetailsFalc = 'Vos parents ne veulent pas que l’orthophoniste reçoive ce compte rendu.';
      x.document.recipients.push(outsider({ consentOn: undefined, consentHow: undefined, objection: true }));
    });
    expect(refusals(minutes, objected)).toEqual([]);
  });

  it('prints what was told with the consent, in the standard and easy-to-read texts', () => {
    const i = input('compte-rendu-synthese', (x) => x.document.recipients.push(outsider({ consentInformed: told() })));
    expect(refusals(minutes, i)).toEqual([]);
    const standard = text(resolve(minutes, i, 'standard'));
    expect(standard).toContain(
      'Dr Anne Roux | orthophoniste | cabinet libéral | hors de l’équipe de soins, consentement préalable du 10 novembre 2026 (accord écrit des parents), après information sur les catégories d’informations partagées, les catégories de professionnels, la nature des supports et les mesures de sécurité (CSP D.1110-3-1)',
    );
    expect(standard).toContain(
      'qu’avec le consentement préalable de la personne ou, le cas échéant, de son représentant légal, après les avoir informés des catégories d’informations partagées, des catégories de professionnels qui les reçoivent, de la nature des supports utilisés et des mesures prises pour en préserver la sécurité (CSP L.1110-4 III, D.1110-3-1).',
    );
    const falc = text(resolve(minutes, i, 'falc'));
    expect(falc).toContain('Dr Anne Roux | votre orthophoniste | cabinet libéral | une personne en dehors de l’équipe : accord donné le 10 novembre 2026, après nos explications');
    expect(falc).toContain('Avant votre accord, nous vous disons quelles informations sont partagées et avec qui.\nNous vous disons aussi comment elles sont envoyées et comment elles sont protégées.');
  });

  it('its texts and easy-to-read rendition pass falc:lint', () => {
    expect(lintTemplate(minutes.content).filter((f) => f.severity === 'error').map(formatFalcFinding)).toEqual([]);
    const terms = minutes.content.glossary.map((g) => g.term);
    const tree = resolve(minutes, input('compte-rendu-synthese'), 'falc');
    const lines = tree.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.flat().map((c) => c.map((r) => r.text).join('')) : text({ blocks: [b] } as DocumentTree).split('\n')));
    expect(lines.flatMap((l) => lintFalcText(l, terms).filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('cites R.1110-3 only for the prior information of the person, never for who is informed for a minor or a represented person', () => {
    const clauses = strings(minutes.content).flatMap((s) => s.split(/[;)]/).filter((c) => c.includes('R.1110-3')));
    expect(clauses.length).toBeGreaterThan(0);
    expect(clauses.filter((c) => /mineur|autorité parentale|représent|R\.1110-1 à/.test(c))).toEqual([]);
  });

  it('« Seuls … la représentent » names a minor’s tuteur and délégataire (C. civ. 390, 408, 377, 377-1), without R.1110-3', () => {
    const i = input('compte-rendu-synthese', (x) => {
      x.document.recipients = [{ name: 'Karim Benaïssa', function: 'curateur', functionFalc: 'il vous aide', circle: 'representant' }];
      const { documents: _d, ...marcel } = fixture.residents.find((r: Editable) => r.key === 'marcel-dupont');
      x.resident = marcel;
    });
    const error = validateTemplateInput(minutes, i).find((e) => e.code === 'RECIPIENT_NOT_REPRESENTATIVE');
    expect(error?.field).toBe('document.recipients[0].circle');
    expect(error?.message).toContain('ses parents, son tuteur (C. civ. 390, 408) ou le délégataire de l’autorité parentale (C. civ. 377, 377-1)');
    expect(error?.message).not.toContain('R.1110-3');
  });

  it('labels the information as « Information avant le partage » and names each point asked', () => {
    expect(inputFieldLabel('compte-rendu-synthese', 'sharing')).toBe('Information avant le partage');
    expect(ITEMS.map((k) => inputFieldLabel('compte-rendu-synthese', `recipients.consentInformed.${k}`))).toEqual([
      'Les catégories d’informations partagées',
      'Les catégories de professionnels qui les reçoivent',
      'La nature des supports utilisés',
      'Les mesures de sécurité',
    ]);
  });
});

describe('the review within twelve months: the yearly updating of the contract’s or DIPC’s objectives (D.311) and the projet that carries them (L.311-3 7°)', () => {
  it.each([
    ['compte-rendu-synthese', minutes, '2027-11-19'],
    ['projet-personnalise', projet, '2027-10-21'],
  ] as const)('%s: NEXT_REVIEW_TOO_LATE and NEXT_REVIEW_NOT_AFTER say so, with no « D.311 VII » anywhere', (type, template, late) => {
    const tooLate = validateTemplateInput(template, input(type, (x) => (x.document.nextReview = late)));
    expect(tooLate.map((e) => `${e.field} ${e.code}`)).toEqual(['document.nextReview NEXT_REVIEW_TOO_LATE']);
    expect(tooLate[0].message).toContain(
      'les objectifs et les prestations du contrat de séjour ou du DIPC sont réactualisés chaque année (CASF D.311), et avec eux le projet personnalisé qui les porte (CASF L.311-3 7° ; recommandation ANESM/HAS',
    );
    const notAfter = validateTemplateInput(template, input(type, (x) => (x.document.nextReview = '2026-10-01')));
    expect(notAfter.map((e) => e.code)).toEqual(['NEXT_REVIEW_NOT_AFTER']);
    expect(strings(template.content).filter((s) => s.includes('D.311 VII'))).toEqual([]);
  });
});

describe(`projet personnalisé ${PROJET}: « La personne signe elle-même » dropped`, () => {
  it('is published and the latest; the question is gone from its data and its texts, the demo projet is valid', () => {
    expect(projet.published?.sha256).toBe(projet.sha256);
    // 1.8.0 (a one-parent authority, the tuteur's capacity without gender: minor-parties-wording.spec.ts) follows it, without « La personne signe elle-même » either.
    expect(loader.load('projet-personnalise').content.version).toBe('1.12.0');
    expect(validateTemplateContent(projet.content)).toEqual([]);
    expect(projet.content.inputSchema.properties!.document.properties!.personSigns).toBeUndefined();
    expect(JSON.stringify(projet.content)).not.toContain('personSigns');
    expect(refusals(projet, input('projet-personnalise'))).toEqual([]);
    // Sent anyway: refused as unknown, where 1.6.0 keeps it.
    expect(refusals(projet, input('projet-personnalise', (x) => (x.document.personSigns = true)))).toEqual([expect.stringMatching(/^document\.personSigns [A-Z_]+$/)]);
    expect(refusals(loader.load('projet-personnalise', '1.6.0'), input('projet-personnalise', (x) => (x.document.personSigns = true)))).toEqual([]);
  });

  it('renders the same signature places for a minor as 1.6.0', () => {
    const i = input('projet-personnalise');
    const slots = (t: typeof projet) => resolve(t, i, 'standard').blocks.filter((b) => b.kind === 'signatures');
    expect(slots(projet)).toEqual(slots(loader.load('projet-personnalise', '1.6.0')));
  });
});
