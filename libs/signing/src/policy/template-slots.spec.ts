import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import type { EstablishmentEntity } from '@carepact/identity';
import { resolve, validateTemplateInput } from '@carepact/rendering';
import { DEMO_IME_FIXTURE_PATH, establishmentInputOf, loadDemoFixture, type ContactView, type FixtureResident, type MeasureType, type MeasureView, type ResidentView } from '@carepact/residents';
import { TemplateLoader } from '@carepact/templates';
import { templateInputOf } from '@carepact/documents';
import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDocumentType } from './policy.types';
import { aContact, aMeasure, aResident, residentViewFromFixture } from './testing/resident-view.builder';

/**
 * The signature slots a document shows are built by its template from the measure in the template
 * input; who signs is decided by the signature policy. They must agree: for every resident of the
 * demo fixtures and for generated residents under each measure type × scope × mode (and limited
 * missions, minors), the slots of the latest published template of each document type (role + name,
 * optional ones marked « contresignature facultative ») are the signers the policy plans (role +
 * name, optional or not). Combinations the policy refuses (e.g. a tutelle « à la personne » for the
 * contract, C. civ. 425 al. 2) are not routed, so not compared.
 * The avenant is compared twice: to a contract (the contract's signers) and to a DIPC (the DIPC's
 * rule, CASF D.311 VII: the director signs, the person's side may countersign) — and a third time as
 * the annex on the freedom to come and go (purpose `liberte-aller-venir`, CASF L.311-4-1 I), whose
 * signers follow C. civ. 457-1 and 459 (a decision relating to the person), with the demo's annex data.
 */
const ROOT = projectRoot();
const demo = loadDemoFixture();
const shared = join('/work/shared/fixtures', 'establishment-les-tilleuls.json');
// The IME's minors (under tutelle, under a delegation of parental authority) are the demo's too.
const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);
const fixtures = [demo, ime, ...(existsSync(shared) ? [JSON.parse(readFileSync(shared, 'utf8')) as typeof demo] : [])];
type DemoFile = { documents: Record<string, Record<string, unknown>>; residents: { documents?: Record<string, Record<string, unknown>> }[] };
const tilleulsFile = JSON.parse(readFileSync(join(ROOT, 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as DemoFile;
const imeFile = JSON.parse(readFileSync(DEMO_IME_FIXTURE_PATH, 'utf8')) as DemoFile;
const demoFile: DemoFile = { documents: tilleulsFile.documents, residents: [...tilleulsFile.residents, ...imeFile.residents] };
/**
 * The document's data do not decide the slots, but some are required by the situation (the
 * residence choice under representation, the minor's consent…): the demo's shared data, else a
 * resident's own data of that type, the first the template accepts for this resident.
 */
const residenceChoice = demoFile.residents.map((r) => r.documents?.['contrat-sejour']?.residenceChoice).find(Boolean);
const dataCandidates = (t: string, purpose?: string) =>
  [demoFile.documents[t], ...demoFile.residents.flatMap((r) => (r.documents?.[t] ? [r.documents[t]] : []))]
    .filter(Boolean)
    // The liberty annex is compared with the demo's annex; the other avenants with the others.
    .filter((d) => t !== 'avenant' || (purpose === 'liberte-aller-venir') === (d.purpose === 'liberte-aller-venir'))
    .flatMap((d) => [d, { ...d, residenceChoice }])
    // The demo minutes (Enzo Petit, a minor) list his parents as his representatives: for a person
    // without one, the same minutes without them (compte rendu 1.4.0: RECIPIENT_NOT_REPRESENTATIVE, CSP R.1110-3).
    .flatMap((d) => (Array.isArray(d.recipients) ? [d, { ...d, recipients: (d.recipients as { circle: string }[]).filter((r) => r.circle !== 'representant') }] : [d]));

const e = demo.establishment;
const establishment = establishmentInputOf(e) as unknown as EstablishmentEntity;
const policyEstablishment = { name: e.name, directorFirstName: e.director.firstName, directorLastName: e.director.lastName, directorEmail: e.director.email ?? null };

const TYPES: PolicyDocumentType[] = ['contrat-sejour', 'dipc', 'projet-personnalise', 'compte-rendu-synthese'];
const ON = '2026-11-20';
const loader = new TemplateLoader();

interface Case {
  label: string;
  resident: ResidentView;
  on: string;
}

const karim = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
const alain = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
const odile = aContact('odile', { firstName: 'Odile', lastName: 'Bernard' });
const julie = aContact('julie', { firstName: 'Julie', lastName: 'Petit', holdsParentalAuthority: true });
const thomas = aContact('thomas', { firstName: 'Thomas', lastName: 'Petit', holdsParentalAuthority: true });

function measured(
  label: string,
  type: MeasureType,
  over: Partial<Omit<MeasureView, 'holders'>>,
  holders: (ContactView & { establishmentEmployee?: boolean })[] = [type === 'tutelle' ? alain : karim],
  others: ContactView[] = [],
): Case {
  return { label, on: ON, resident: aResident({ contacts: [...holders, ...others], protectionMeasures: [aMeasure(type, holders, over, ON)] }, ON) };
}
const both: MeasureView['scope'] = ['personne', 'biens'];

const generated: Case[] = [
  { label: 'majeure sans mesure', on: ON, resident: aResident({}, ON) },
  measured('curatelle, personne et biens', 'curatelle', { scope: both }),
  measured('curatelle, biens', 'curatelle', { scope: ['biens'] }),
  measured('curatelle, personne', 'curatelle', { scope: ['personne'] }),
  measured('curatelle renforcée, personne et biens', 'curatelle_renforcee', { scope: both }),
  measured('curatelle renforcée, biens', 'curatelle_renforcee', { scope: ['biens'] }),
  measured('tutelle, personne et biens', 'tutelle', { scope: both }),
  measured('tutelle, biens', 'tutelle', { scope: ['biens'] }),
  measured('tutelle, personne', 'tutelle', { scope: ['personne'] }),
  measured('tutelle, deux cotuteurs, biens', 'tutelle', { scope: ['biens'] }, [alain, odile]),
  measured('tutelle, deux cotuteurs, personne et biens', 'tutelle', { scope: both }, [alain, odile]),
  measured('habilitation générale, représentation, personne et biens', 'habilitation_familiale', { scope: both }),
  measured('habilitation générale, représentation, biens', 'habilitation_familiale', { scope: ['biens'] }),
  measured('habilitation générale, assistance, personne et biens', 'habilitation_familiale', { scope: both, mode: 'assistance' }),
  measured('habilitation générale, assistance, biens', 'habilitation_familiale', { scope: ['biens'], mode: 'assistance' }),
  measured('habilitation pour le contrat de séjour, personne et biens', 'habilitation_familiale', { scope: both, general: false, acts: ['contrat-sejour'] }),
  measured('habilitation pour le contrat de séjour, biens', 'habilitation_familiale', { scope: ['biens'], general: false, acts: ['Contrat de séjour'] }),
  measured('habilitation pour le projet personnalisé, personne', 'habilitation_familiale', { scope: ['personne'], general: false, acts: ['projet-personnalise'] }),
  measured('habilitation pour le contrat et le projet, personne et biens', 'habilitation_familiale', { scope: both, general: false, acts: ['admission', 'projet personnalisé', 'compte rendu de synthèse'] }),
  measured('mandat de protection future, personne et biens', 'mandat_protection_future', { scope: both }),
  measured('mandat de protection future, biens', 'mandat_protection_future', { scope: ['biens'] }),
  measured('sauvegarde, mission nommant le contrat, biens', 'sauvegarde_justice', { scope: ['biens'], general: false, acts: ['contrat-sejour'], mission: 'Conclure le contrat de séjour' }),
  measured('sauvegarde, mission nommant le contrat, personne et biens', 'sauvegarde_justice', { scope: both, general: false, acts: ['contrat de séjour'] }),
  measured('sauvegarde, mission sans acte nommé', 'sauvegarde_justice', { scope: ['biens'], general: true, acts: [] }),
  measured('sauvegarde, mission nommant le projet personnalisé', 'sauvegarde_justice', { scope: ['personne'], general: false, acts: ['projet-personnalise'] }),
  measured('sauvegarde, assistance, mission nommant le contrat', 'sauvegarde_justice', { scope: both, mode: 'assistance', general: false, acts: ['contrat-sejour'] }),
  // C. civ. 451 al. 2, 454 al. 5, 455: the holder is the establishment's préposé; the subrogé or the ad hoc holder signs the acts with it.
  // The liberty annex's own acts (C. civ. 459 al. 2: the personal acts the judge lists).
  measured('habilitation pour l’annexe liberté d’aller et venir, personne', 'habilitation_familiale', { scope: ['personne'], general: false, acts: ['Annexe liberté d’aller et venir'] }),
  measured('habilitation pour le contrat et l’annexe, personne et biens', 'habilitation_familiale', { scope: both, general: false, acts: ['contrat-sejour', 'liberte-aller-venir'] }),
  measured('sauvegarde, mission nommant l’annexe, personne', 'sauvegarde_justice', { scope: ['personne'], general: false, acts: ['liberte-aller-venir'] }),
  measured('tutelle, tuteur préposé, subrogé tuteur, personne', 'tutelle', { scope: ['personne'], subroge: { ...odile, contactId: odile.id } }, [{ ...alain, establishmentEmployee: true }], [odile]),
  measured('tutelle, tuteur préposé de l’établissement, subrogé tuteur', 'tutelle', { scope: both, subroge: { ...odile, contactId: odile.id } }, [{ ...alain, establishmentEmployee: true }], [odile]),
  measured('curatelle, curateur préposé, subrogé curateur', 'curatelle', { scope: both, subroge: { ...odile, contactId: odile.id } }, [{ ...karim, establishmentEmployee: true }], [odile]),
  measured(
    'tutelle, tuteur préposé, tuteur ad hoc',
    'tutelle',
    { scope: both, adHoc: { ...odile, contactId: odile.id, judgmentReference: 'RG 26/00077', judgmentDate: '2026-10-01' } },
    [{ ...alain, establishmentEmployee: true }],
    [odile],
  ),
  // C. civ. 447 al. 2-3: co-holders; only the one employed by the establishment is in conflict, the other signs alone.
  measured('tutelle, deux cotuteurs dont un préposé', 'tutelle', { scope: both }, [{ ...alain, establishmentEmployee: true }, odile]),
  measured('curatelle, deux cocurateurs dont un préposé, subrogé', 'curatelle', { scope: both, subroge: { ...julie, contactId: julie.id } }, [karim, { ...alain, establishmentEmployee: true }], [julie]),
  measured('habilitation, deux personnes habilitées dont une préposée', 'habilitation_familiale', { scope: both }, [{ ...karim, establishmentEmployee: true }, odile]),
  measured('tutelle, deux cotuteurs préposés, subrogé', 'tutelle', { scope: both, subroge: { ...julie, contactId: julie.id } }, [{ ...alain, establishmentEmployee: true }, { ...odile, establishmentEmployee: true }], [julie]),
  {
    label: 'mineur, autorité parentale conjointe',
    on: ON,
    resident: aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'shared', contacts: [julie, thomas] }, ON),
  },
  {
    label: 'mineur, autorité parentale exclusive',
    on: ON,
    resident: aResident(
      {
        firstName: 'Enzo',
        lastName: 'Petit',
        birthDate: '2014-05-30',
        parentalAuthority: 'sole',
        soleAuthority: { ground: 'judgment', proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' },
        contacts: [julie],
      },
      ON,
    ),
  },
  {
    label: 'mineur, mesure judiciaire',
    on: ON,
    resident: aResident({ firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30', parentalAuthority: 'court_measure', contacts: [julie, thomas] }, ON),
  },
  // C. civ. 390 s., 408; CASF L.224-1; C. civ. 377, 377-1; 375-7: a minor's representatives other than the parents.
  ...minorRepresentationCases(),
];

function minorRepresentationCases(): Case[] {
  const enzo = { firstName: 'Enzo', lastName: 'Petit', birthDate: '2014-05-30' };
  const decision = { authority: 'Tribunal judiciaire de Valville', reference: 'RG 25/00042', date: '2025-03-03' };
  const tuteur = aContact('tuteur', { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', minorRole: 'tuteur' });
  const prefet = aContact('prefet', { firstName: 'Claire', lastName: 'Moreau', organisationName: 'Préfecture du Val', minorRole: 'tuteur' });
  const delegataire = aContact('delegataire', { firstName: 'Hélène', lastName: 'Roux', relation: 'tante', minorRole: 'delegataire' });
  const ase = aContact('ase', { firstName: 'Sophie', lastName: 'Garnier', organisationName: 'ASE du Val', minorRole: 'service_gardien' });
  const at = (label: string, over: Partial<ResidentView>): Case => ({ label, on: ON, resident: aResident({ ...enzo, ...over }, ON) });
  return [
    at('mineur sous tutelle', { parentalAuthority: 'tutelle', minorDecision: decision, contacts: [tuteur] }),
    at('mineur pupille de l’État', { parentalAuthority: 'tutelle', minorDecision: { ...decision, authority: 'Préfet du Val', wardOfState: true }, contacts: [prefet] }),
    at('mineur, délégation totale', { parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'total' }, contacts: [delegataire, julie, thomas] }),
    at('mineur, délégation partagée', { parentalAuthority: 'delegation', minorDecision: { ...decision, delegationExtent: 'shared' }, contacts: [delegataire, julie] }),
    // C. civ. 377, 377-1 al. 1 (migration 1764140000000): a partial delegation covering the stay — the délégataire alone; not covering it — the parents alone.
    at('mineur, délégation partielle portant sur l’accueil', {
      parentalAuthority: 'delegation',
      minorDecision: { ...decision, delegationExtent: 'partial', delegationCoversStay: true },
      contacts: [delegataire, julie, thomas],
    }),
    at('mineur, délégation partielle ne portant pas sur l’accueil', {
      parentalAuthority: 'delegation',
      minorDecision: { ...decision, delegationExtent: 'partial', delegationCoversStay: false },
      contacts: [delegataire, julie, thomas],
    }),
    // C. civ. 372, 377, 377-1 al. 1: one parent on file under a partial delegation not covering the stay signs alone only on the proof of sole exercise.
    at('mineur, délégation partielle ne portant pas sur l’accueil, un parent avec preuve de l’exercice exclusif', {
      parentalAuthority: 'delegation',
      minorDecision: { ...decision, delegationExtent: 'partial', delegationCoversStay: false },
      soleAuthority: { ground: 'judgment', proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' },
      contacts: [delegataire, julie],
    }),
    at('mineur confié à l’ASE, autorisation du juge des enfants', {
      parentalAuthority: 'court_measure',
      minorDecision: { ...decision, authority: 'Juge des enfants, TJ de Valville', actAuthorisation: { reference: 'Ordonnance JE 26/0012', date: '2026-10-02' } },
      contacts: [ase, julie, thomas],
    }),
    at('mineur confié à l’ASE, sans autorisation', { parentalAuthority: 'court_measure', minorDecision: { ...decision, authority: 'Juge des enfants, TJ de Valville' }, contacts: [ase, julie, thomas] }),
  ];
}

const fromFixtures: Case[] = [];
const seen = new Set<string>();
for (const f of fixtures)
  for (const r of f.residents as FixtureResident[]) {
    const id = JSON.stringify(r);
    if (seen.has(id)) continue;
    seen.add(id);
    fromFixtures.push({ label: `fixture ${r.key}`, on: r.admissionDate, resident: residentViewFromFixture(r, r.admissionDate) });
  }

const FACULTATIVE = 'contresignature facultative';
/**
 * The slot's role is the holder's capacity label through the template's `signerRole` table. Under a
 * measure the judge divided (C. civ. 447 al. 3) the template input names the holder with his mission
 * (« tuteur chargé de la gestion patrimoniale ») or, in the place of one in conflict, « subrogé tuteur »,
 * which the published tables do not list: the signer role is the title's, without them.
 */
function slotRole(role: string, table: Readonly<Record<string, string>>): string {
  const title = role.replace(/ chargée? de la (protection de la personne|gestion patrimoniale)$/, '').replace(/^subrogé /, '');
  return title === role ? role : (table[title] ?? title);
}
interface Kind {
  documentType: PolicyDocumentType;
  appliesTo?: 'contrat-sejour' | 'dipc';
  purpose?: 'liberte-aller-venir';
}
const KINDS: Kind[] = [
  ...TYPES.map((documentType) => ({ documentType })),
  { documentType: 'avenant', appliesTo: 'contrat-sejour' },
  { documentType: 'avenant', appliesTo: 'dipc' },
  { documentType: 'avenant', appliesTo: 'contrat-sejour', purpose: 'liberte-aller-venir' },
];
const kindLabel = (k: Kind) => (k.purpose ? `annexe ${k.purpose}` : k.appliesTo ? `avenant (${k.appliesTo})` : k.documentType);
const rows = [...fromFixtures, ...generated].flatMap((c) => KINDS.map((k) => [c.label, kindLabel(k), k, c] as const));

describe('signature slots of the documents = signers of the policy', () => {
  it.each(rows)('%s — %s', (_label, _kind, { documentType, appliesTo, purpose }, c) => {
    let planned: string[];
    try {
      planned = decideSigners({ documentType, appliesTo, avenantPurpose: purpose, resident: c.resident, establishment: policyEstablishment, on: c.on }).signers.map(
        (s) => `${s.role} | ${s.person.firstName} ${s.person.lastName}${s.optional ? ` | ${FACULTATIVE}` : ''}`,
      );
    } catch (err) {
      // Not routed: nothing to compare (the refusal is the policy's own spec).
      if (err instanceof SignaturePolicyError) return;
      throw err;
    }
    const template = loader.load(documentType);
    const inputs = dataCandidates(documentType, purpose).map((d) => templateInputOf(establishment, c.resident, appliesTo ? { ...d, appliesTo } : d, c.on, documentType));
    const input = inputs.find((i) => validateTemplateInput(template, i).length === 0);
    if (!input) throw new Error(`aucune donnée de démonstration valide pour ${documentType} : ${JSON.stringify(validateTemplateInput(template, inputs[0]))}`);
    for (const variant of ['standard', 'falc'] as const) {
      const tree = resolve(template, input, variant);
      const shown = tree.blocks
        .flatMap((b) => (b.kind === 'signatures' ? b.slots : []))
        .map((s) => `${slotRole(s.role, template.content.labels?.signerRole ?? {})} | ${s.name}${s.capacity.includes(FACULTATIVE) ? ` | ${FACULTATIVE}` : ''}`);
      expect({ variant, version: template.content.version, slots: shown.sort() }).toEqual({ variant, version: template.content.version, slots: [...planned].sort() });
    }
  });
});
