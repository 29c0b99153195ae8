import { HOLDER_ROLE_LABELS, documentSubtypeOf, formatDateFr, type Civility } from '@carepact/common';
import type { EstablishmentEntity } from '@carepact/identity';
import {
  actDomains,
  applicableMeasure,
  delegationLeavesStayToParents,
  holderMission,
  holderMissionTitle,
  holdersForAct,
  isActWithEstablishment,
  isDividedMeasure,
  resolveHolderConflict,
  todayIso,
  type MeasureView,
  type MinorDecision,
  type ResidentView,
} from '@carepact/residents';

/** The establishment's annex key for the personne de confiance notice (CASF D.311-0-4, annexe 4-10). */
const PERSONNE_DE_CONFIANCE_NOTICE = 'notice-personne-de-confiance';

/**
 * The input snapshot a template receives: the establishment, the resident as their file
 * describes them, and the document's own data — in the shape of the demo fixture
 * (`templates/demo/establishment-les-tilleuls.json`), which is what the templates declare.
 * The protection measure described is the one that applies on `on` (applicableMeasure: in force,
 * the most protective when several are), the one the signature policy routes the document by;
 * a measure not in force on that date is not described.
 */
export function templateInputOf(
  est: EstablishmentEntity,
  r: ResidentView,
  data: Record<string, unknown>,
  on = todayIso(),
  /** The document's type: for the acts with the establishment, a holder in conflict of interest is not among the holders who sign (holderConflictOf). */
  documentType?: string,
): Record<string, unknown> {
  const active = applicableMeasure(r.protectionMeasures, on);
  const person = personInput;
  const parents = r.contacts.filter((c) => c.holdsParentalAuthority);
  const conflict = active ? holderConflictOf(active, documentType, data) : null;
  // C. civ. 447 al. 3: under a measure the judge divided, the holders whose mission the document
  // concerns (the signature policy's holdersForAct), each named with his mission in the capacity the
  // templates print (« tuteur chargé de la protection de la personne »); `mission` beside it.
  const purpose = typeof data.purpose === 'string' ? data.purpose : null;
  const holdersOf = (m: MeasureView, hs: MeasureView['holders']) =>
    (documentType && isDividedMeasure(m) ? holdersForAct({ ...m, holders: hs }, actDomains(documentType, purpose)) : hs).map((h) => ({
      ...person(h, conflict?.titles?.get(h.contactId) ?? holderMissionTitle(HOLDER_ROLE_LABELS[h.role] ?? h.role, m, h)),
      mission: holderMission(m, h),
    }));
  return {
    establishment: {
      name: est.name,
      category: est.category,
      finess: est.finess,
      address: est.address,
      phone: est.phone,
      director: { firstName: est.directorFirstName, lastName: est.directorLastName, email: est.directorEmail },
      ...(est.tariffs ? { tariffs: est.tariffs } : {}),
      // CASF L.311-5-1: the personne de confiance is designated by « toute personne majeure »; a minor is
      // handed no notice on it (D.311-0-4), so neither the document's list nor the annexes recorded
      // with the version (documents.service annexRecord) name it.
      ...(est.annexes ? { annexes: r.minor ? est.annexes.filter((k) => k !== PERSONNE_DE_CONFIANCE_NOTICE) : est.annexes } : {}),
    },
    resident: {
      // « madame » / « monsieur », only when recorded (as personInput): the versions from contrat de séjour 1.11.0,
      // avenant 1.11.0, DIPC 1.9.0, projet personnalisé 1.9.0 and compte rendu 1.8.0 agree « présente », « placée »,
      // « elle » with it and, without it, use wordings without a gendered pronoun.
      ...(r.civility ? { civility: r.civility } : {}),
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      admissionDate: r.admissionDate,
      stay: r.stayType,
      plannedEndDate: r.plannedEndDate,
      room: r.room,
      email: r.email,
      preferences: r.preferences,
      // Its date tells whether she had designated it before the consent interview (CASF D.311-0-4: no notice owed then).
      personneDeConfiance: r.personneDeConfiance ? { ...person(r.personneDeConfiance), designatedOn: r.personneDeConfiance.designatedOn } : null,
      protectionMeasure: active
        ? {
            type: active.type,
            mode: active.mode,
            scope: active.scope,
            general: active.general,
            mission: active.mission,
            // The acts a limited measure (or a sauvegarde's mission) names, as codes (`contrat-sejour`,
            // `projet-personnalise`…): the templates give the holder a signature slot only for the acts
            // named (C. civ. 437 al. 2, 494-6, 494-8 al. 1), as the signature policy does.
            acts: (active.acts ?? []).map(actCode),
            judgment: { court: active.court, reference: active.judgmentReference, date: active.judgmentDate },
            endDate: active.endDate,
            // The published templates (contrat de séjour 1.6.0, avenant 1.4.0, DIPC 1.5.0) give every holder
            // listed here a signature slot: a co-holder in conflict, who does not sign, is not listed
            // for those acts (he is in holderConflict.holders).
            holders: holdersOf(active, conflict?.acting ?? active.holders),
            judgeAuthorisesHolderAloneForAccommodation: active.judgeAuthorisesHolderAlone,
            // C. civ. 451, 454 al. 5, 455: a holder who is the establishment's préposé (or employed by
            // it) has interests opposed to the person's in the contract, its avenants and the DIPC; the
            // tuteur or curateur ad hoc, else a co-holder free of the conflict (C. civ. 447 al. 2-3,
            // `substitute` null: the co-holders are the `holders` above), else the subrogé, signs in
            // his place there (the signature policy's holderConflict). The templates name the
            // substitute in the holder's slot. `holders`: the holders in conflict (added with the
            // per-holder flag, 1764100000000; the published templates do not read it).
            // `sentence` / `sentenceFalc` (three short sentences): for the acts with the establishment, who
            // does not sign and who signs instead, for the measure's paragraph (holderConflictWords; null
            // otherwise; printed from contrat de séjour 1.9.0, avenant 1.8.0 and DIPC 1.7.0).
            holderConflict: conflict
              ? {
                  substitute: conflict.substitute,
                  holders: conflict.conflicted.map((h) => person(h, HOLDER_ROLE_LABELS[h.role] ?? h.role)),
                  sentence: conflict.sentence,
                  sentenceFalc: conflict.sentenceFalc,
                }
              : null,
          }
        : null,
      // A tutelle or a delegation is described even without a parent on file (C. civ. 390: none under tutelle): versions
      // before them reject it (enum, minItems) rather than print the signature blocks of an adult.
      minor:
        r.minor && r.parentalAuthority && (parents.length || r.parentalAuthority === 'tutelle' || r.parentalAuthority === 'delegation')
          ? {
              parentalAuthority: parentalAuthorityForTemplates(r, parents.length),
              parents: parents.map((p) => person(p)),
              // C. civ. 372 al. 2, 373, 373-1, 373-2-1: why one parent alone exercises it and what proves it, as the
              // file records it (@carepact/residents sole-authority.ts); the versions named above print the ground's
              // article and the proof instead of the generic list of articles. Only when one parent exercises it.
              ...(r.soleAuthority && parentalAuthorityForTemplates(r, parents.length) === 'sole'
                ? { soleAuthority: { ground: r.soleAuthority.ground, proofReference: r.soleAuthority.proofReference, proofDate: r.soleAuthority.proofDate } }
                : {}),
            }
          : null,
      minorRepresentation: r.minor ? minorRepresentationOf(r, person) : null,
    },
    document: data,
  };
}

/**
 * A minor's representatives other than the parents (@carepact/residents minor-representation): the
 * tuteur (C. civ. 408; a pupille de l'État's, CASF L.224-1), the délégataire (C. civ. 377, 377-1),
 * the service the child is entrusted to and whether the juge des enfants authorised it to perform
 * the act (C. civ. 375-7). The templates give them signature slots as the signature policy does.
 */
function minorRepresentationOf<P>(r: ResidentView, person: (c: ResidentView['contacts'][number], role?: string) => P): Record<string, unknown> | null {
  const kind = r.parentalAuthority;
  const role = kind === 'tutelle' ? 'tuteur' : kind === 'delegation' ? 'delegataire' : kind === 'court_measure' ? 'service_gardien' : null;
  if (!role) return null;
  const representatives = r.contacts.filter((c) => c.minorRole === role).map((c) => person(c, role));
  const d = r.minorDecision ?? null;
  if (kind === 'court_measure' && representatives.length === 0) return null;
  // A partial delegation that does not cover the stay leaves its documents to the parents (C. civ. 377, 377-1 al. 1): no délégataire in them
  // (@carepact/residents delegationLeavesStayToParents, the rule the signature policy reads).
  if (delegationLeavesStayToParents(r)) return null;
  return {
    kind,
    representatives,
    decision: d ? { authority: d.authority, reference: d.reference, date: d.date } : null,
    delegationExtent: kind === 'delegation' ? delegationExtentForTemplates(d) : null,
    // The délégation's form as the judgment pronounced it (C. civ. 377 al. 1, 377-1): `total`; `partial`, which
    // here always covers the stay (one that does not returns null above); `shared` with the parents (377-1 al. 2).
    // Read from contrat de séjour 1.11.0, avenant 1.11.0, DIPC 1.9.0, projet personnalisé 1.9.0 and compte rendu
    // 1.8.0, which name each form; the versions before them read only `delegationExtent` (meaning unchanged).
    delegationForm: kind === 'delegation' ? (d?.delegationExtent ?? null) : null,
    wardOfState: kind === 'tutelle' ? Boolean(d?.wardOfState) : false,
    actAuthorised: kind === 'court_measure' ? Boolean(d?.actAuthorisation) : false,
    // C. civ. 375-7 al. 2: the juge des enfants' authorisation itself (reference, date), printed in the
    // parties beside the placement's decision from avenant 1.10.0 and DIPC 1.8.0 (CASF D.311: the
    // decisions the document rests on are mentioned); the versions before them read only `actAuthorised`.
    actAuthorisation: kind === 'court_measure' && d?.actAuthorisation ? { reference: d.actAuthorisation.reference, date: d.actAuthorisation.date } : null,
  };
}

/** « Contrat de séjour » → `contrat-de-sejour`: the signature policy's normalisation (case, accents, spaces). */
function actCode(a: string): string {
  return a
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The holder's conflict of interest for the template input, as the signature policy resolves it
 * (@carepact/residents resolveHolderConflict: C. civ. 451 al. 2, 454 al. 5, 455; 447 al. 2-3 for
 * co-holders): null when no holder of the measure's role is the establishment's préposé. `acting`:
 * the holders who sign the acts with the establishment, set only when co-holders free of the
 * conflict act (no ad hoc holder recorded) and the document is one of those acts (`documentType`
 * given). `sentence` / `sentenceFalc`: for those acts, what the measure's paragraph says of it — who
 * does not sign this act and who signs instead (null for the other documents, or when nobody is
 * recorded: the document is then refused, HOLDER_CONFLICT_OF_INTEREST).
 */
function holderConflictOf(m: MeasureView, documentType: string | undefined, data: Record<string, unknown>) {
  // C. civ. 447 al. 3: the domains the act concerns decide, under a divided measure, whose conflict counts and which co-holder covers it.
  const domains = actDomains(documentType, typeof data.purpose === 'string' ? data.purpose : null);
  const resolution = resolveHolderConflict(m, domains);
  if (!resolution) return null;
  const { conflicted } = resolution;
  const act = isActWithEstablishment(documentType);
  const words = act ? holderConflictWords(m, resolution, actNameOf(documentType!, data)) : null;
  const base = { conflicted, sentence: words?.standard ?? null, sentenceFalc: words?.falc ?? null, titles: null as ReadonlyMap<string, string> | null };
  if (resolution.by === 'ad_hoc') {
    const a = resolution.adHoc;
    return { ...base, acting: null, substitute: { ...personInput(a), kind: 'ad_hoc', judgment: { reference: a.judgmentReference, date: a.judgmentDate } } };
  }
  if (resolution.by === 'co_holders') return { ...base, acting: act ? resolution.acting : null, substitute: null };
  // A divided measure whose other holder's mission does not cover the act's part of the one in conflict
  // (C. civ. 447 al. 3-4): the subrogé signs in his place only, beside that other holder (the signature
  // policy's holderConflict): both are among the holders who sign, the subrogé with his own title.
  if (resolution.by === 'subroge' && act && resolution.acting.length) {
    const mission = [...new Set(resolution.conflicted.flatMap((h) => holderMission(m, h).filter((x) => domains.includes(x))))];
    const subroge = { ...resolution.subroge, role: resolution.conflicted[0].role, mission };
    const titles = new Map([[subroge.contactId, `subrogé ${HOLDER_ROLE_LABELS[subroge.role] ?? subroge.role}`]]);
    const others = resolution.acting.map((h) => `${h.firstName} ${h.lastName}, ${holderMissionTitle(HOLDER_ROLE_LABELS[h.role] ?? h.role, m, h)}`);
    // « le signe(nt) » for the contract, its avenants and the DIPC; « la signe(nt) » for the annex (`actNameOf`'s pronoun).
    const it = actNameOf(documentType!, data).pronoun;
    const also = ` ${listFr(others)} ${others.length > 1 ? `${it} signent` : `${it} signe`} aussi, pour ${others.length > 1 ? 'leur' : 'sa'} mission (C. civ. 447 al. 3 et 4).`;
    return { ...base, sentence: base.sentence ? base.sentence + also : null, acting: [...resolution.acting, subroge], substitute: null, titles };
  }
  if (resolution.by === 'subroge') return { ...base, acting: null, substitute: { ...personInput(resolution.subroge), kind: 'subroge' } };
  return { ...base, acting: null, substitute: null };
}

/** How the conflict sentence names the act, and the pronoun that stands for it (« il ne le signe pas », « il ne la signe pas »). */
interface ActName {
  standard: string;
  falc: string;
  pronoun: 'le' | 'la';
}

const ACT_NAMES: Readonly<Record<string, ActName>> = {
  'contrat-sejour': { standard: 'ce contrat de séjour', falc: 'ce contrat', pronoun: 'le' },
  avenant: { standard: 'cet avenant', falc: 'ce papier', pronoun: 'le' },
  dipc: { standard: 'ce document individuel de prise en charge', falc: 'ce document', pronoun: 'le' },
};

/**
 * The annex on the freedom to come and go is an avenant by its type but an annex by what it is
 * (CASF L.311-4-1 I: « le contrat de séjour peut comporter une annexe »; documents.subtype
 * `annexe-liberte-aller-venir`, documentSubtypeOf): « cette annexe », and in easy-to-read « ce
 * document », as the avenant template calls it there (`thisFalc`).
 */
const LIBERTY_ANNEX_NAME: ActName = { standard: 'cette annexe', falc: 'ce document', pronoun: 'la' };

function actNameOf(documentType: string, data: Record<string, unknown>): ActName {
  if (documentSubtypeOf(documentType, data) === 'annexe-liberte-aller-venir') return LIBERTY_ANNEX_NAME;
  return ACT_NAMES[documentType] ?? ACT_NAMES['contrat-sejour'];
}

/**
 * The measure paragraph's words on the conflict, for an act with the establishment (C. civ. 451 al. 2:
 * the préposé's interests are opposed to the person's in it): the holder(s) tied to the establishment
 * do not sign it; the ad hoc holder (C. civ. 455), else the co-holders free of the tie (C. civ. 447
 * al. 2-3), else the subrogé (C. civ. 454 al. 5) sign instead — the signature policy's resolution.
 */
function holderConflictWords(m: MeasureView, r: NonNullable<ReturnType<typeof resolveHolderConflict>>, act: ActName): { standard: string; falc: string[] } | null {
  const label = (n: number) => holderTitle(r.conflicted[0].role, n);
  const it = act.pronoun;
  const names = (hs: PersonFields[]) => listFr(hs.map((h) => `${h.firstName} ${h.lastName}`));
  const n = r.conflicted.length;
  const tied =
    n > 1
      ? `${names(r.conflicted)}, ${label(n)}, sont préposés de l’établissement ou liés à lui (C. civ. 451 al. 2) : pour ${act.standard}, acte conclu avec l’établissement, leurs intérêts sont en opposition avec ceux de la personne ; ils ne ${it} signent pas.`
      : `${names(r.conflicted)}, ${label(1)}, est préposé de l’établissement ou lié à lui (C. civ. 451 al. 2) : pour ${act.standard}, acte conclu avec l’établissement, ses intérêts sont en opposition avec ceux de la personne ; il ne ${it} signe pas.`;
  // Easy to read: one short sentence a line, always three (ACCESSIBILITY.md; the templates print them line by line).
  const tiedFalc = [`${names(r.conflicted)} ${n > 1 ? 'travaillent' : 'travaille'} pour l’établissement.`, `${names(r.conflicted)} ne ${n > 1 ? 'signent' : 'signe'} pas ${act.falc}.`];
  const their = n > 1 ? 'leur' : 'sa';
  switch (r.by) {
    case 'ad_hoc':
      return {
        standard: `${tied} ${r.adHoc.firstName} ${r.adHoc.lastName}, ${label(1)} ad hoc désigné par le juge (C. civ. 455, décision ${r.adHoc.judgmentReference} du ${formatDateFr(r.adHoc.judgmentDate)}), ${it} signe à ${their} place.`,
        falc: [...tiedFalc, `Le juge a choisi ${r.adHoc.firstName} ${r.adHoc.lastName} pour signer à ${their} place.`],
      };
    case 'co_holders':
      return {
        standard: `${tied} ${names(r.free)}, qui ${r.free.length > 1 ? 'exercent' : 'exerce'} la mesure avec ${n > 1 ? 'eux' : 'lui'}, ${r.free.length > 1 ? `${it} signent` : `${it} signe`} (C. civ. 447 al. 2 et 3).`,
        falc: [...tiedFalc, `${names(r.free)} ${r.free.length > 1 ? 'signent' : 'signe'} ${act.falc}.`],
      };
    case 'subroge':
      return {
        standard: `${tied} ${r.subroge.firstName} ${r.subroge.lastName}, subrogé ${label(1)}, ${m.mode === 'assistance' ? 'assiste' : 'représente'} la personne et ${it} signe à ${their} place (C. civ. 454 al. 5).`,
        falc: [...tiedFalc, `${r.subroge.firstName} ${r.subroge.lastName} signe à ${their} place.`],
      };
    default:
      return null;
  }
}

/** The holder's title, singular or plural: « tuteur(s) », « personne(s) habilitée(s) », « mandataire(s) spécial / spéciaux ». */
function holderTitle(role: string, n: number): string {
  const one = HOLDER_ROLE_LABELS[role as keyof typeof HOLDER_ROLE_LABELS] ?? role;
  return n > 1 ? one.split(' ').map((w) => (w.endsWith('al') ? `${w.slice(0, -2)}aux` : `${w}s`)).join(' ') : one;
}

/** « A », « A et B », « A, B et C ». */
function listFr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

type PersonFields = { firstName: string; lastName: string; relation: string | null; organisationName: string | null; email: string | null; phone: string | null; civility?: Civility | null };

/**
 * A contact as the templates' `person` reads it, with its role when it holds one. Its civility
 * (« madame » / « monsieur », migration 1764160000000) only when recorded: the input of a file
 * without civilities, and so its documents, stay as they were; `role` stays the masculine generic
 * the published templates compare and label (`h.role | label('signerRole')`): a template that
 * agrees a title reads `civility` (@carepact/common agreeWithCivility).
 */
function personInput(c: PersonFields, role?: string): Record<string, unknown> {
  return {
    ...(c.civility ? { civility: c.civility } : {}),
    firstName: c.firstName,
    lastName: c.lastName,
    relation: c.relation,
    organisation: c.organisationName,
    email: c.email,
    phone: c.phone,
    ...(role ? { role } : {}),
  };
}

/**
 * The delegation's form in the published templates' words (migration 1764140000000 split their
 * « partial », which meant « partielle ou partagée » and gave the délégataire and the parents a slot,
 * into partial and shared): shared (C. civ. 377-1 al. 2) is their « partial »; a partial delegation
 * covering the stay (C. civ. 377, 377-1 al. 1) gives the délégataire alone a slot, as their « total ».
 */
function delegationExtentForTemplates(d: MinorDecision | null): 'total' | 'partial' | null {
  if (!d?.delegationExtent) return null;
  return d.delegationExtent === 'shared' ? 'partial' : 'total';
}

/**
 * Under a partial delegation not covering the stay (delegationLeavesStayToParents) the parents, who kept
 * that exercise, are described and sign as they would without it (the signature policy's 'delegation'
 * case): jointly (C. civ. 372 al. 1) — one parent on file proves nothing —, or one parent alone only
 * when the file records the ground and proof of sole exercise (372 al. 2, 373, 373-1, 373-2-1).
 */
function parentalAuthorityForTemplates(r: ResidentView, parents: number): ResidentView['parentalAuthority'] {
  if (!delegationLeavesStayToParents(r)) return r.parentalAuthority;
  return parents === 1 && r.soleAuthority ? 'sole' : 'shared';
}
