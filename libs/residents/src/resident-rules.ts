import { FieldError, calendarDayIn, isCalendarDate, isCivility, isPlausibleEmail } from '@carepact/common';
import { HolderRole, MeasureScope, MeasureType } from './residents.entities';
import type { ContactInput, MeasureInput, MeasureStatus, ResidentInput } from './residents.types';
import { SOLE_AUTHORITY_GROUNDS, SoleAuthorityProof } from './sole-authority';
import { DELEGATION_EXTENTS, delegationLeavesStayToParents, type MinorDecision, type MinorRole } from './minor-representation';

/** A real calendar date `YYYY-MM-DD` (29 February only in leap years): the one check, in @carepact/common. */
export { isCalendarDate };

/** The same day `months` later, as `YYYY-MM-DD` (31 January + 1 month → 3 March, as Date.UTC rolls). */
export function addMonthsIso(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/**
 * Today's calendar day where the establishments are (Europe/Paris), not in UTC: from midnight to
 * 1 or 2 a.m. Paris time the UTC day is still yesterday, and a measure that ended yesterday, or a
 * minor who came of age today, would be decided on the wrong day.
 */
export function todayIso(now = new Date()): string {
  return calendarDayIn(now);
}

/** Age in full years on a date (a 29 February birthday is reached on 1 March in common years). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

export function isMinor(birthDate: string, on: string): boolean {
  return ageOn(birthDate, on) < 18;
}

export function measureStatus(m: { startDate: string | null; endDate: string | null; judgmentDate: string; mandateEffectiveDate: string | null; type: MeasureType }, on: string): MeasureStatus {
  const start = m.type === 'mandat_protection_future' ? (m.mandateEffectiveDate ?? null) : (m.startDate ?? m.judgmentDate);
  if (!start || start > on) return 'not_started';
  if (m.endDate && m.endDate < on) return 'expired';
  return 'active';
}

/**
 * A judicial measure ends on the date the judgment set (C. civ. 441) unless the judge renews it
 * first (C. civ. 442), which takes a request and a hearing: the console warns this many days ahead
 * (issue 10, « À faire »: measures expiring within 90 days).
 */
export const MEASURE_EXPIRY_WARNING_DAYS = 90;

export type MeasureAlert = MeasureStatus | 'expiring_soon';

/** `measureStatus`, with « expire bientôt » for a measure in force whose end date is within MEASURE_EXPIRY_WARNING_DAYS. */
export function measureAlert(m: Parameters<typeof measureStatus>[0], on: string): MeasureAlert {
  const status = measureStatus(m, on);
  if (status !== 'active' || !m.endDate) return status;
  const warnFrom = new Date(Date.parse(`${on}T00:00:00Z`) + MEASURE_EXPIRY_WARNING_DAYS * 86_400_000).toISOString().slice(0, 10);
  return m.endDate <= warnFrom ? 'expiring_soon' : 'active';
}

/** The holder role each measure gives (C. civ. 433, 440, 473, 494-1, 477). */
export const HOLDER_ROLE_OF: Record<MeasureType, HolderRole> = {
  sauvegarde_justice: 'mandataire_special',
  curatelle: 'curateur',
  curatelle_renforcee: 'curateur',
  tutelle: 'tuteur',
  habilitation_familiale: 'personne_habilitee',
  mandat_protection_future: 'mandataire',
};


/** The civility is « madame », « monsieur » or none (@carepact/common civility.ts; the column's CHECK, migration 1764160000000). */
function civilityError(field: string): FieldError {
  return { field, code: 'INVALID_CIVILITY', message: 'Civilité non reconnue : « madame », « monsieur » ou aucune.' };
}

export function validateContact(c: ContactInput, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!c.firstName?.trim()) errors.push({ field: `${prefix}.firstName`, code: 'REQUIRED', message: 'Le prénom est obligatoire.' });
  if (!c.lastName?.trim()) errors.push({ field: `${prefix}.lastName`, code: 'REQUIRED', message: 'Le nom est obligatoire.' });
  if (c.email && !isPlausibleEmail(c.email)) errors.push({ field: `${prefix}.email`, code: 'INVALID_EMAIL', message: 'Adresse e-mail invalide.' });
  if (c.civility != null && !isCivility(c.civility)) errors.push(civilityError(`${prefix}.civility`));
  return errors;
}

/** Cross-field rules of a protection measure (DOMAIN.md, "Protection measures and who signs"). */
export function validateMeasure(m: MeasureInput, prefix: string, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field: `${prefix}.${field}`, code, message });
  for (const f of ['judgmentDate', 'startDate', 'endDate', 'mandateEffectiveDate'] as const) {
    const v = m[f];
    if (v !== undefined && v !== null && !isCalendarDate(v)) err(f, 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
  }
  // Curatelle is an assistance measure (C. civ. 440 al. 1, 467): the curateur never signs in the person's place.
  if ((m.type === 'curatelle' || m.type === 'curatelle_renforcee') && m.mode !== 'assistance')
    err('mode', 'MODE_INCOMPATIBLE', 'Une curatelle est une mesure d’assistance : le mode doit être « assistance ».');
  // Tutelle represents the person (C. civ. 440 al. 3, 473).
  if (m.type === 'tutelle' && m.mode !== 'representation')
    err('mode', 'MODE_INCOMPATIBLE', 'Une tutelle est une mesure de représentation : le mode doit être « representation ».');
  // The mandat de protection future represents the person once in effect (C. civ. 477, 481).
  if (m.type === 'mandat_protection_future') {
    if (m.mode !== 'representation')
      err('mode', 'MODE_INCOMPATIBLE', 'Un mandat de protection future est une mesure de représentation.');
    if (!m.mandateEffectiveDate)
      err('mandateEffectiveDate', 'REQUIRED', 'Indiquez la date de prise d’effet du mandat (visa du greffe, C. civ. 481).');
  }
  // Judicial measures are given for a fixed duration (C. civ. 441): the end date must be known.
  if (m.type !== 'mandat_protection_future' && !m.endDate)
    err('endDate', 'REQUIRED', 'Indiquez la date de fin de la mesure fixée par le jugement.');
  if (m.judgmentDate && isCalendarDate(m.judgmentDate) && m.judgmentDate > today)
    err('judgmentDate', 'DATE_IN_FUTURE', 'La date du jugement ne peut pas être dans le futur.');
  const start = m.startDate ?? m.judgmentDate;
  if (m.endDate && start && isCalendarDate(m.endDate) && isCalendarDate(start) && m.endDate < start)
    err('endDate', 'END_BEFORE_START', 'La date de fin précède la date de début.');
  if (!m.scope?.length) err('scope', 'REQUIRED', 'Indiquez si la mesure protège la personne, les biens, ou les deux.');
  else if (new Set(m.scope).size !== m.scope.length) err('scope', 'DUPLICATE', 'Chaque domaine ne doit figurer qu’une fois.');
  if (m.general === false && !(m.acts && m.acts.length))
    err('acts', 'REQUIRED', 'Une mesure limitée doit lister les actes qu’elle couvre.');
  // C. civ. 472: only the judge can let the curateur sign the accommodation agreement alone.
  if (m.judgeAuthorisesHolderAlone) {
    if (m.type !== 'curatelle_renforcee')
      err('judgeAuthorisesHolderAlone', 'NOT_APPLICABLE', 'Cette autorisation ne concerne que la curatelle renforcée.');
    else if (!m.authorisationReference)
      err('authorisationReference', 'REQUIRED', 'Indiquez la référence de l’autorisation du juge.');
  }
  // C. civ. 454: a subrogé exists only beside a curateur or a tuteur. C. civ. 455: an ad hoc
  // appointment is a judgment (reference and date) naming the person who acts for the opposed act.
  if (m.subrogeContactId && !['curatelle', 'curatelle_renforcee', 'tutelle'].includes(m.type))
    err('subrogeContactId', 'NOT_APPLICABLE', 'Un subrogé curateur ou subrogé tuteur n’existe qu’en curatelle ou en tutelle (C. civ. 454).');
  const adHocGiven = [m.adHocContactId, m.adHocJudgmentReference, m.adHocJudgmentDate].some((v) => v !== undefined && v !== null && String(v).trim() !== '');
  if (adHocGiven) {
    if (!m.adHocContactId) err('adHocContactId', 'REQUIRED', 'Indiquez la personne désignée ad hoc par le juge (C. civ. 455).');
    if (!m.adHocJudgmentReference?.trim()) err('adHocJudgmentReference', 'REQUIRED', 'Indiquez la référence de la décision du juge désignant le titulaire ad hoc.');
    if (!m.adHocJudgmentDate) err('adHocJudgmentDate', 'REQUIRED', 'Indiquez la date de la décision du juge désignant le titulaire ad hoc.');
    else if (!isCalendarDate(m.adHocJudgmentDate)) err('adHocJudgmentDate', 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
    else if (m.adHocJudgmentDate > today) err('adHocJudgmentDate', 'DATE_IN_FUTURE', 'La date de la décision ne peut pas être dans le futur.');
  }
  const holderContacts = (m.holders ?? []).map((h) => h.contactId).filter(Boolean);
  if (m.subrogeContactId && holderContacts.includes(m.subrogeContactId))
    err('subrogeContactId', 'SAME_AS_HOLDER', 'Le subrogé ne peut pas être le titulaire de la mesure lui-même (C. civ. 454).');
  if (m.adHocContactId && holderContacts.includes(m.adHocContactId))
    err('adHocContactId', 'SAME_AS_HOLDER', 'Le titulaire ad hoc ne peut pas être le titulaire de la mesure lui-même (C. civ. 455).');
  const expectedRole = HOLDER_ROLE_OF[m.type];
  if (m.type !== 'sauvegarde_justice' && (!m.holders || m.holders.length === 0))
    err('holders', 'REQUIRED', 'Indiquez la personne qui exerce la mesure.');
  (m.holders ?? []).forEach((h, i) => {
    if (h.role !== expectedRole)
      err(`holders.${i}.role`, 'ROLE_INCOMPATIBLE', `Pour cette mesure, le rôle attendu est « ${expectedRole} ».`);
    if (!h.contactId) errors.push(...validateContact(h as ContactInput, `${prefix}.holders.${i}`));
  });
  // C. civ. 447 al. 3: each holder's mission lies within the measure, and the measure's every domain has a holder.
  if (m.scope?.length && !errors.some((e) => e.field === `${prefix}.scope`)) errors.push(...validateHolderMissions({ ...m, holders: m.holders ?? [] }, `${prefix}.holders`));
  return errors;
}

/**
 * A holder's mission as given: within the measure's scope (C. civ. 425 al. 2, 447 al. 3), and every
 * domain of the measure held by one of its holders of the measure's role — the judge divides the
 * measure between them, he does not leave part of it to nobody. Field paths under `prefix`.
 */
export function validateHolderMissions(
  m: { type: MeasureType; scope: readonly MeasureScope[]; holders: { role: string; mission?: readonly MeasureScope[] | null }[] },
  prefix: string,
): { field: string; code: string; message: string }[] {
  const errors: { field: string; code: string; message: string }[] = [];
  if (!m.scope?.length) return errors;
  const word = (s: string) => (s === 'personne' ? 'la protection de la personne' : 'la gestion patrimoniale');
  m.holders.forEach((h, i) => {
    if (h.mission === undefined || h.mission === null) return;
    // The two missions as the judge divides them (C. civ. 447 al. 3), in the words the signing documents use (`word`).
    if (!h.mission.length)
      errors.push({ field: `${prefix}.${i}.mission`, code: 'HOLDER_MISSION_REQUIRED', message: 'Indiquez la mission de ce titulaire : la protection de la personne, la gestion patrimoniale, ou les deux.' });
    else if (new Set(h.mission).size !== h.mission.length) errors.push({ field: `${prefix}.${i}.mission`, code: 'DUPLICATE', message: 'Chaque domaine ne doit figurer qu’une fois.' });
    const outside = h.mission.filter((s) => !m.scope.includes(s));
    if (outside.length)
      errors.push({
        field: `${prefix}.${i}.mission`,
        code: 'HOLDER_MISSION_OUT_OF_SCOPE',
        message: `La mission de ce titulaire dépasse la mesure : le jugement ne couvre pas ${outside.map(word).join(' ni ')} (C. civ. 425 al. 2, 447 al. 3).`,
      });
  });
  const role = HOLDER_ROLE_OF[m.type];
  const ofRole = m.holders.filter((h) => h.role === role);
  if (ofRole.length) {
    const held = new Set(ofRole.flatMap((h) => (h.mission?.length ? h.mission : m.scope)));
    const orphan = m.scope.filter((s) => !held.has(s));
    if (orphan.length)
      errors.push({
        field: prefix,
        code: 'HOLDER_MISSION_UNCOVERED',
        message: `Aucun titulaire n’est chargé de ${orphan.map(word).join(' ni de ')} : le juge partage la mesure entre ses titulaires (C. civ. 447 al. 3), indiquez qui en est chargé.`,
      });
  }
  return errors;
}

/** The proof of sole exercise as given: a ground the law knows, a reference, a real date not in the future. */
export function validateSoleAuthority(p: SoleAuthorityProof, today: string, prefix = 'soleAuthority'): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field: `${prefix}.${field}`, code, message });
  if (!(SOLE_AUTHORITY_GROUNDS as readonly string[]).includes(p.ground)) err('ground', 'REQUIRED', 'Indiquez pourquoi un seul parent exerce l’autorité parentale.');
  if (!p.proofReference?.trim()) err('proofReference', 'REQUIRED', 'Indiquez la référence de la pièce qui le prouve (jugement, acte de décès, acte de naissance…).');
  if (!isCalendarDate(p.proofDate)) err('proofDate', 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
  else if (p.proofDate > today) err('proofDate', 'DATE_IN_FUTURE', 'La date de la pièce ne peut pas être dans le futur.');
  return errors;
}

/**
 * A minor's representation other than the parents (minor-representation.ts): the decision it rests
 * on, and its representative among the contacts (`roles`: the `minorRole` of each contact on file;
 * null: not checked — an update that touches neither the authority nor the decision).
 */
export function validateMinorRepresentation(
  kind: string | null | undefined,
  d: MinorDecision | null | undefined,
  roles: readonly (MinorRole | null | undefined)[] | null,
  today: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field, code, message });
  if (d) {
    if (kind !== 'tutelle' && kind !== 'delegation' && kind !== 'court_measure')
      err('minorDecision', 'NOT_APPLICABLE', 'La décision ne s’enregistre que pour une tutelle, une délégation de l’autorité parentale ou un placement décidé par le juge.');
    if (!d.authority?.trim()) err('minorDecision.authority', 'REQUIRED', 'Indiquez qui a rendu la décision (conseil de famille, juge aux affaires familiales, juge des enfants, préfet…).');
    if (!d.reference?.trim()) err('minorDecision.reference', 'REQUIRED', 'Indiquez la référence de la décision (n° RG, minute, arrêté…).');
    if (!isCalendarDate(d.date)) err('minorDecision.date', 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
    else if (d.date > today) err('minorDecision.date', 'DATE_IN_FUTURE', 'La date de la décision ne peut pas être dans le futur.');
    if (d.delegationExtent != null && kind !== 'delegation')
      err('minorDecision.delegationExtent', 'NOT_DELEGATION', 'L’étendue ne s’indique que pour une délégation de l’autorité parentale (C. civ. 377, 377-1).');
    // C. civ. 377, 377-1 al. 1: what a partial delegation covers is recorded with it, and only with it.
    if (d.delegationCoversStay != null && (kind !== 'delegation' || d.delegationExtent !== 'partial'))
      err(
        'minorDecision.delegationCoversStay',
        'NOT_PARTIAL_DELEGATION',
        'Ce que couvre la délégation ne s’indique que pour une délégation partielle ; totale, elle couvre tout ; partagée, les parents signent avec le délégataire (C. civ. 377, 377-1).',
      );
    if (d.wardOfState && kind !== 'tutelle') err('minorDecision.wardOfState', 'NOT_TUTELLE', 'Un pupille de l’État relève de la tutelle (CASF L.224-1) : choisissez « tutelle ».');
    if (d.actAuthorisation) {
      if (kind !== 'court_measure')
        err('minorDecision.actAuthorisation', 'NOT_PLACEMENT', 'L’autorisation du juge des enfants ne s’enregistre que pour un enfant confié par le juge (C. civ. 375-7).');
      if (!d.actAuthorisation.reference?.trim()) err('minorDecision.actAuthorisation.reference', 'REQUIRED', 'Indiquez la référence de l’autorisation du juge des enfants.');
      if (!isCalendarDate(d.actAuthorisation.date)) err('minorDecision.actAuthorisation.date', 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
      else if (d.actAuthorisation.date > today) err('minorDecision.actAuthorisation.date', 'DATE_IN_FUTURE', 'La date de l’autorisation ne peut pas être dans le futur.');
      // C. civ. 375-7: the judge authorises « la personne, le service ou l'établissement à qui est confié l'enfant ».
      if (kind === 'court_measure' && roles && !roles.includes('service_gardien'))
        err('parentalAuthority', 'SERVICE_GARDIEN_REQUIRED', 'Le juge autorise le service à qui l’enfant est confié : ajoutez-le parmi les contacts, avec le rôle « service gardien » (C. civ. 375-7).');
    }
  }
  if (kind === 'tutelle') {
    // In the form's order: the authority's select, then the decision's fieldset.
    // C. civ. 408: the tuteur represents the minor in every civil act.
    if (roles && !roles.includes('tuteur'))
      err('parentalAuthority', 'MINOR_TUTEUR_REQUIRED', 'Sous tutelle, c’est le tuteur qui représente le mineur (C. civ. 408) : ajoutez-le parmi les contacts, avec le rôle « tuteur ».');
    // C. civ. 390, 403, 404, 411: the tutelle is organised by a decision (the conseil de famille's, the judge's; the arrêté for a pupille de l'État, CASF L.224-8).
    if (!d)
      err('minorDecision', 'MINOR_DECISION_REQUIRED', 'Indiquez la décision qui organise la tutelle : délibération du conseil de famille ou jugement désignant le tuteur (C. civ. 390, 404, 411), ou arrêté d’admission du pupille de l’État (CASF L.224-8).');
  }
  if (kind === 'delegation') {
    if (roles && !roles.includes('delegataire'))
      err('parentalAuthority', 'DELEGATAIRE_REQUIRED', 'Ajoutez le délégataire de l’autorité parentale parmi les contacts, avec le rôle « délégataire » (C. civ. 377).');
    // C. civ. 377, 377-1: the delegation results from a judgment, which says what is delegated.
    if (!d)
      err('minorDecision', 'DELEGATION_JUDGMENT_REQUIRED', 'Une délégation de l’autorité parentale résulte d’un jugement : indiquez la juridiction, la référence et la date du jugement, et l’étendue de la délégation (C. civ. 377, 377-1).');
    else if (!d.delegationExtent || !(DELEGATION_EXTENTS as readonly string[]).includes(d.delegationExtent))
      err('minorDecision.delegationExtent', 'DELEGATION_EXTENT_REQUIRED', 'Indiquez si la délégation est totale, partielle, ou partagée avec les parents (C. civ. 377, 377-1).');
    // C. civ. 377, 377-1 al. 1: the parents keep what a partial delegation does not transfer; whether it
    // covers the child's admission and accompaniment in the establishment says who signs its documents.
    else if (d.delegationExtent === 'partial' && typeof d.delegationCoversStay !== 'boolean')
      err(
        'minorDecision.delegationCoversStay',
        'DELEGATION_SCOPE_REQUIRED',
        'Délégation partielle : indiquez si le jugement délègue l’accueil et l’accompagnement de l’enfant dans l’établissement (le délégataire signe alors seul ; sinon ce sont les parents, qui en ont gardé l’exercice) (C. civ. 377, 377-1 al. 1).',
      );
  }
  return errors;
}

/**
 * Cross-field rules of the resident file. `soleProofRequired: false` (an update that touches neither
 * the parental authority nor its proof) lets a file recorded before the proof was asked for be
 * corrected elsewhere; the signature policy still refuses a one-parent signature without it.
 */
export function validateResident(r: ResidentInput, today: string, opts: { soleProofRequired?: boolean; minorRoles?: readonly (MinorRole | null | undefined)[] | null } = {}): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field, code, message });
  if (r.civility != null && !isCivility(r.civility)) errors.push(civilityError('civility'));
  for (const f of ['birthDate', 'admissionDate', 'plannedEndDate'] as const) {
    const v = r[f];
    if (v !== undefined && v !== null && !isCalendarDate(v)) err(f, 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
  }
  // Every problem at once: a rule that needs a date missing or unreadable is skipped, the others still run.
  const birth = isCalendarDate(r.birthDate) ? r.birthDate : null;
  const admission = isCalendarDate(r.admissionDate) ? r.admissionDate : null;
  if (birth && birth > today) err('birthDate', 'DATE_IN_FUTURE', 'La date de naissance ne peut pas être dans le futur.');
  if (birth && admission && admission < birth) err('admissionDate', 'BEFORE_BIRTH', 'La date d’admission précède la date de naissance.');
  if (r.stayType === 'temporary') {
    if (!r.plannedEndDate) err('plannedEndDate', 'REQUIRED', 'Un séjour temporaire doit avoir une date de fin prévue.');
    else if (admission && isCalendarDate(r.plannedEndDate) && r.plannedEndDate <= admission) err('plannedEndDate', 'END_BEFORE_START', 'La fin prévue doit suivre la date d’admission.');
  }
  // Minor or adult: unknown without a readable birth date (or with one in the future), and then neither side's rules run.
  const minor = birth && birth <= today ? isMinor(birth, admission && admission > today ? admission : today) : null;
  if (minor === true) {
    // C. civ. 371-1, 372: for a minor, the file must say who holds parental authority.
    if (!r.parentalAuthority)
      err(
        'parentalAuthority',
        'REQUIRED',
        'Pour un mineur, indiquez qui exerce l’autorité parentale : conjointe (les deux parents), exclusive (un seul parent), placement décidé par le juge, délégation ou tutelle.',
      );
    errors.push(...validateMinorRepresentation(r.parentalAuthority, r.minorDecision, opts.minorRoles !== undefined ? opts.minorRoles : (r.contacts ?? []).map((c) => c.minorRole), today));
    // C. civ. 390: the tutelle opens when both parents have died or are deprived of the exercise of parental authority.
    if (r.parentalAuthority === 'tutelle' && r.parents?.length)
      err('parents', 'TUTELLE_WITH_PARENTS', 'La tutelle d’un mineur s’ouvre quand aucun parent n’exerce l’autorité parentale (C. civ. 390) : n’indiquez pas de parent titulaire.');
    const parents = r.parents ?? [];
    if (r.parents && r.parentalAuthority === 'shared' && parents.length !== 2)
      err('parents', 'PARENTS_COUNT', 'L’autorité parentale conjointe suppose deux parents.');
    if (r.parents && r.parentalAuthority === 'sole' && parents.length !== 1)
      err('parents', 'PARENTS_COUNT', 'L’autorité parentale exclusive suppose un seul parent (joindre la preuve).');
    // C. civ. 372 al. 1: joint exercise is the rule; one parent alone needs one of the grounds of
    // sole-authority.ts, and the establishment must hold its proof before that parent signs alone.
    if (r.parentalAuthority === 'sole') {
      if (r.soleAuthority) errors.push(...validateSoleAuthority(r.soleAuthority, today));
      else if (opts.soleProofRequired !== false)
        err(
          'soleAuthority',
          'SOLE_AUTHORITY_PROOF_REQUIRED',
          'L’exercice de l’autorité parentale par un seul parent se prouve : indiquez son motif et la pièce qui l’établit (C. civ. 372, 373, 373-1, 373-2-1).',
        );
    } else if (r.soleAuthority && delegationLeavesStayToParents(r)) {
      // C. civ. 377 al. 1, 377-1 al. 1: a partial délégation not covering the stay leaves it to the
      // parents as they held it — jointly (372 al. 1), or one alone on a ground of sole-authority.ts,
      // whose proof is recorded as under 'sole' (not required here: both parents may be on file).
      errors.push(...validateSoleAuthority(r.soleAuthority, today));
    } else if (r.soleAuthority)
      err(
        'soleAuthority',
        'NOT_SOLE',
        'La preuve de l’exercice exclusif ne s’enregistre que si un seul parent exerce l’autorité parentale, ou que la délégation, partielle, ne porte pas sur l’accueil et l’accompagnement dans l’établissement.',
      );
    if (r.protectionMeasure)
      err('protectionMeasure', 'MINOR_NO_MEASURE', 'Un mineur relève de l’autorité parentale, pas d’une mesure de protection des majeurs.');
    if (r.personneDeConfiance)
      err('personneDeConfiance', 'ADULT_ONLY', 'Seule une personne majeure désigne une personne de confiance (CASF L.311-5-1).');
  } else if (minor === false) {
    if (r.parentalAuthority) err('parentalAuthority', 'ADULT', 'L’autorité parentale ne concerne que les mineurs.');
    else if (r.soleAuthority) err('soleAuthority', 'ADULT', 'L’autorité parentale ne concerne que les mineurs.');
    else if (r.minorDecision) err('minorDecision', 'ADULT', 'La tutelle, la délégation ou le placement d’un mineur ne concernent que les mineurs.');
    if (r.parents?.length) err('parents', 'ADULT', 'Les parents titulaires de l’autorité parentale ne concernent que les mineurs.');
  }
  if (r.email && !isPlausibleEmail(r.email)) err('email', 'INVALID_EMAIL', 'Adresse e-mail invalide.');
  (r.contacts ?? []).forEach((c, i) => errors.push(...validateContact(c, `contacts.${i}`)));
  (r.parents ?? []).forEach((c, i) => errors.push(...validateContact(c, `parents.${i}`)));
  if (r.personneDeConfiance && !r.personneDeConfiance.contactId)
    errors.push(...validateContact(r.personneDeConfiance as ContactInput, 'personneDeConfiance'));
  if (r.personneDeConfiance?.designatedOn && !isCalendarDate(r.personneDeConfiance.designatedOn))
    err('personneDeConfiance.designatedOn', 'INVALID_DATE', 'Doit être une date réelle au format AAAA-MM-JJ.');
  if (r.protectionMeasure) errors.push(...validateMeasure(r.protectionMeasure, 'protectionMeasure', today));
  return errors;
}
