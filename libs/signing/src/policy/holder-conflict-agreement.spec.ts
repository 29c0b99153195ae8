import type { EstablishmentEntity } from '@carepact/identity';
import { templateInputOf } from '@carepact/documents';
import {
  actDomains,
  holdersForAct,
  isActWithEstablishment,
  resolveHolderConflict,
  type ContactView,
  type MeasureScope,
  type MeasureType,
  type MeasureView,
  type ResidentView,
} from '@carepact/residents';
import { DOCUMENT_RULES, decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import type { PolicyDocumentType } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

/**
 * One resolution of a holder's conflict of interest with the establishment (C. civ. 451 al. 2, 454
 * al. 5, 455; 447 al. 2-3): @carepact/residents' resolveHolderConflict. The signature policy (who
 * signs) and the template input (the holders the templates give a slot to, the substitute they name,
 * the measure paragraph's sentence) must both follow it, on every case: measure × holders tied to the
 * establishment × subrogé / ad hoc recorded × document.
 */
const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const est = { name: 'EHPAD Les Tilleuls', category: 'EHPAD', finess: '000000018', address: 'Valville', phone: null, directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: null } as unknown as EstablishmentEntity;

const prepose = aContact('prepose', { firstName: 'Hervé', lastName: 'Lenoir' });
const prepose2 = aContact('prepose2', { firstName: 'Agnès', lastName: 'Vidal' });
const coHolder = aContact('cohold', { firstName: 'Marie', lastName: 'Lenoir' });
const subroge = aContact('subroge', { firstName: 'Nadia', lastName: 'Roux' });
const adHoc = aContact('adhoc', { firstName: 'Luc', lastName: 'Garnier' });
const tied = (c: ContactView) => ({ ...c, establishmentEmployee: true });

const HOLDERS: Record<string, (ContactView & { establishmentEmployee?: boolean })[]> = {
  'un titulaire préposé': [tied(prepose)],
  'cotitulaires, un préposé': [tied(prepose), coHolder],
  'cotitulaires, le second préposé': [coHolder, tied(prepose)],
  'cotitulaires, tous préposés': [tied(prepose), tied(prepose2)],
  'aucun préposé': [prepose, coHolder],
};
const SUBSTITUTES: Record<string, Partial<MeasureView>> = {
  'personne enregistrée': {},
  'subrogé': { subroge: { ...subroge, contactId: subroge.id } },
  'ad hoc': { adHoc: { ...adHoc, contactId: adHoc.id, judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } },
  'subrogé et ad hoc': { subroge: { ...subroge, contactId: subroge.id }, adHoc: { ...adHoc, contactId: adHoc.id, judgmentReference: 'RG 26/00981', judgmentDate: '2026-09-14' } },
};
const TYPES: MeasureType[] = ['tutelle', 'curatelle', 'curatelle_renforcee', 'habilitation_familiale', 'mandat_protection_future'];
const DOCUMENTS: PolicyDocumentType[] = ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise'];

const cases = TYPES.flatMap((type) =>
  Object.entries(HOLDERS).flatMap(([h, holders]) =>
    Object.entries(SUBSTITUTES)
      // No subrogé in law beside a personne habilitée or a mandataire (C. civ. 454): the file refuses it.
      .filter(([s]) => !s.includes('subrogé') || type === 'tutelle' || type.startsWith('curatelle'))
      .flatMap(([s, over]) => DOCUMENTS.map((doc) => [type, h, s, doc, holders, over] as const)),
  ),
);

const who = (c: { contactId?: string; id?: string }) => c.contactId ?? c.id;

/** What the resolution says signs for the holder's side of an act with the establishment (contact ids), or `refused`. */
function expected(m: MeasureView, doc: PolicyDocumentType): string[] | 'refused' {
  const r = resolveHolderConflict(m);
  const role = m.holders[0].role;
  if (!r || !isActWithEstablishment(doc)) return m.holders.filter((h) => h.role === role).map(who) as string[];
  if (r.by === 'ad_hoc') return [r.adHoc.contactId];
  if (r.by === 'co_holders') return r.free.map((h) => h.contactId);
  if (r.by === 'subroge') return [r.subroge.contactId];
  return 'refused';
}

/** Who the policy has sign on the holder's side. */
function policySide(r: ResidentView, doc: PolicyDocumentType): string[] | 'refused' {
  try {
    const d = decideSigners({ documentType: doc, resident: r, establishment, on: ON });
    return d.signers.filter((s) => s.role !== 'resident' && s.role !== 'director').map((s) => s.person.contactId!);
  } catch (e) {
    if (e instanceof SignaturePolicyError && e.code === 'HOLDER_CONFLICT_OF_INTEREST') return 'refused';
    throw e;
  }
}

interface InputMeasure {
  holders: { firstName: string; lastName: string }[];
  holderConflict: { substitute: { firstName: string; lastName: string } | null; holders: { firstName: string; lastName: string }[]; sentence: string | null } | null;
}
const byName = (c: { firstName: string; lastName: string }) => [prepose, prepose2, coHolder, subroge, adHoc].find((p) => p.firstName === c.firstName && p.lastName === c.lastName)!.id;

/** Whom the published templates give the holder's slot (contrat de séjour 1.6.0+, avenant 1.4.0+, DIPC 1.5.0+): the substitute, else each holder listed. */
function templateSide(r: ResidentView, doc: PolicyDocumentType): { side: string[]; input: InputMeasure } {
  const input = (templateInputOf(est, r, {}, ON, doc).resident as { protectionMeasure: InputMeasure }).protectionMeasure;
  const c = input.holderConflict;
  return { side: c?.substitute && isActWithEstablishment(doc) ? [byName(c.substitute)] : input.holders.map(byName), input };
}

describe('holder in conflict of interest: the signature policy and the template input follow the one resolution (C. civ. 447, 451, 454 al. 5, 455)', () => {
  it('the documents concerned are the policy’s acts with the establishment', () => {
    for (const doc of Object.keys(DOCUMENT_RULES) as PolicyDocumentType[])
      expect([doc, isActWithEstablishment(doc)]).toEqual([doc, DOCUMENT_RULES[doc].accommodationAgreement || !!DOCUMENT_RULES[doc].actWithEstablishment]);
  });

  it.each(cases)('%s — %s — %s — %s', (type, _h, _s, doc, holders, over) => {
    const m = aMeasure(type, holders, { scope: ['personne', 'biens'], ...over }, ON);
    const r = aResident({ contacts: [prepose, prepose2, coHolder, subroge, adHoc], protectionMeasures: [m] }, ON);
    const want = expected(m, doc);
    expect(policySide(r, doc)).toEqual(want);
    const { side, input } = templateSide(r, doc);
    const resolution = resolveHolderConflict(m);
    if (want !== 'refused') expect(side).toEqual(want);
    // The holders in conflict are named as such whenever there are some, and only them.
    expect(input.holderConflict?.holders.map(byName) ?? []).toEqual(resolution?.conflicted.map((h) => h.contactId) ?? []);
    // The measure paragraph's sentence: only for an act with the establishment the document can be made of; it names whoever signs instead.
    const sentence = input.holderConflict?.sentence ?? null;
    if (!resolution || !isActWithEstablishment(doc) || want === 'refused') expect(sentence).toBeNull();
    else {
      expect(sentence).toEqual(expect.stringContaining('ne le sign'));
      for (const id of want) {
        const p = [coHolder, subroge, adHoc].find((c) => c.id === id)!;
        expect(sentence).toContain(`${p.firstName} ${p.lastName}`);
      }
    }
  });
});

/**
 * The same agreement under a measure the judge divided between a holder in charge of the person and
 * one in charge of the property (C. civ. 447 al. 3-4): only the holders whose mission the document
 * concerns act for it (actDomains: the contract, its avenants and the DIPC both; the tariff avenant
 * the property; the liberty annex and the projet personnalisé the person), and a co-holder replaces
 * one in conflict only if his mission covers what the latter did for the act — else the subrogé, in
 * the conflicted holder's place only, beside the other (C. civ. 454 al. 5), or the ad hoc holder (455).
 */
const mission = (c: ContactView & { establishmentEmployee?: boolean }, m: MeasureScope[]) => ({ ...c, mission: m });
const DIVIDED: Record<string, (ContactView & { establishmentEmployee?: boolean; mission: MeasureScope[] })[]> = {
  'préposé à la personne, cotitulaire aux biens': [mission(tied(prepose), ['personne']), mission(coHolder, ['biens'])],
  'préposé aux biens, cotitulaire à la personne': [mission(tied(prepose), ['biens']), mission(coHolder, ['personne'])],
  'préposé aux biens, cotitulaire de toute la mesure': [mission(tied(prepose), ['biens']), mission(coHolder, ['personne', 'biens'])],
  'préposé à la personne, cotitulaire de toute la mesure': [mission(tied(prepose), ['personne']), mission(coHolder, ['personne', 'biens'])],
  'personne et biens, aucun préposé': [mission(prepose, ['personne']), mission(coHolder, ['biens'])],
  'personne et biens, tous deux préposés': [mission(tied(prepose), ['personne']), mission(tied(prepose2), ['biens'])],
};
const DIVIDED_DOCUMENTS: [PolicyDocumentType, string | null][] = [
  ['contrat-sejour', null],
  ['avenant', null],
  ['avenant', 'tarifs'],
  ['avenant', 'liberte-aller-venir'],
  ['dipc', null],
  ['projet-personnalise', null],
];
const dividedCases = (['tutelle', 'curatelle', 'curatelle_renforcee'] as MeasureType[]).flatMap((type) =>
  Object.entries(DIVIDED).flatMap(([h, holders]) =>
    Object.entries(SUBSTITUTES).flatMap(([s, over]) => DIVIDED_DOCUMENTS.map(([doc, purpose]) => [type, h, s, `${doc}${purpose ? ` (${purpose})` : ''}`, doc, purpose, holders, over] as const)),
  ),
);

/** What the resolution says signs for the holder's side, under a divided measure (contact ids in the policy's order), or `refused`. */
function expectedDivided(m: MeasureView, doc: PolicyDocumentType, purpose: string | null): string[] | 'refused' {
  const domains = actDomains(doc, purpose);
  const r = resolveHolderConflict(m, domains);
  if (!r || !isActWithEstablishment(doc)) return holdersForAct(m, domains).map((h) => h.contactId);
  if (r.by === 'ad_hoc') return [r.adHoc.contactId];
  if (r.by === 'co_holders') return r.free.map((h) => h.contactId);
  if (r.by === 'subroge') return [...r.acting.map((h) => h.contactId), r.subroge.contactId];
  return 'refused';
}

describe('holder in conflict of interest under a divided measure: the policy and the template input follow the one resolution (C. civ. 447 al. 3-4, 451, 454 al. 5, 455)', () => {
  it.each(dividedCases)('%s — %s — %s — %s', (type, _h, _s, _d, doc, purpose, holders, over) => {
    const m = aMeasure(type, holders, { scope: ['personne', 'biens'], ...over }, ON);
    const r = aResident({ contacts: [prepose, prepose2, coHolder, subroge, adHoc], protectionMeasures: [m] }, ON);
    const want = expectedDivided(m, doc, purpose);
    let got: string[] | 'refused';
    try {
      const d = decideSigners({ documentType: doc, resident: r, establishment, on: ON, ...(purpose ? { avenantPurpose: purpose } : {}) });
      got = d.signers.filter((x) => x.role !== 'resident' && x.role !== 'director').map((x) => x.person.contactId!);
    } catch (e) {
      if (!(e instanceof SignaturePolicyError && e.code === 'HOLDER_CONFLICT_OF_INTEREST')) throw e;
      got = 'refused';
    }
    const sorted = (xs: string[] | 'refused') => (xs === 'refused' ? xs : [...xs].sort());
    expect(sorted(got)).toEqual(sorted(want));
    const input = (templateInputOf(est, r, purpose ? { purpose } : {}, ON, doc).resident as { protectionMeasure: InputMeasure & { holders: { role: string }[] } }).protectionMeasure;
    const c = input.holderConflict;
    const side = c?.substitute && isActWithEstablishment(doc) ? [byName(c.substitute)] : input.holders.map(byName);
    // The template's slots in the policy's order (holder in charge of the person first).
    if (want !== 'refused') expect(side).toEqual(got);
    // Each holder the template lists carries his mission in the capacity it prints (or his substitute's title).
    for (const h of input.holders) expect(h.role).toMatch(/^(tuteur|curateur)( chargé de la (protection de la personne|gestion patrimoniale))?$|^subrogé (tuteur|curateur)$/);
    const resolution = resolveHolderConflict(m, actDomains(doc, purpose));
    expect(input.holderConflict?.holders.map(byName) ?? []).toEqual(resolution?.conflicted.map((h) => h.contactId) ?? []);
    const sentence = input.holderConflict?.sentence ?? null;
    if (!resolution || !isActWithEstablishment(doc) || want === 'refused') expect(sentence).toBeNull();
    else for (const id of want) {
      const p = [prepose, prepose2, coHolder, subroge, adHoc].find((x) => x.id === id)!;
      expect(sentence).toContain(`${p.firstName} ${p.lastName}`);
    }
  });
});
