import { HOLDER_ROLE_LABELS } from '@carepact/common';
import type { EstablishmentEntity } from '@carepact/identity';
import { HOLDER_ROLE_OF, applicableMeasure, todayIso, type MeasureView, type ResidentView } from '@carepact/residents';

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
  const conflict = active ? holderConflictOf(active, documentType) : null;
  return {
    establishment: {
      name: est.name,
      category: est.category,
      finess: est.finess,
      address: est.address,
      phone: est.phone,
      director: { firstName: est.directorFirstName, lastName: est.directorLastName, email: est.directorEmail },
      ...(est.tariffs ? { tariffs: est.tariffs } : {}),
      ...(est.annexes ? { annexes: est.annexes } : {}),
    },
    resident: {
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
            holders: (conflict?.acting ?? active.holders).map((h) => person(h, HOLDER_ROLE_LABELS[h.role] ?? h.role)),
            judgeAuthorisesHolderAloneForAccommodation: active.judgeAuthorisesHolderAlone,
            // C. civ. 451, 454 al. 5, 455: a holder who is the establishment's préposé (or employed by
            // it) has interests opposed to the person's in the contract, its avenants and the DIPC; the
            // tuteur or curateur ad hoc, else a co-holder free of the conflict (C. civ. 447 al. 2-3,
            // `substitute` null: the co-holders are the `holders` above), else the subrogé, signs in
            // his place there (the signature policy's holderConflict). The templates name the
            // substitute in the holder's slot. `holders`: the holders in conflict (added with the
            // per-holder flag, 1764100000000; the published templates do not read it).
            holderConflict: conflict
              ? {
                  substitute: conflict.substitute,
                  holders: conflict.conflicted.map((h) => person(h, HOLDER_ROLE_LABELS[h.role] ?? h.role)),
                }
              : null,
          }
        : null,
      // A tutelle or a delegation is described even without a parent on file (C. civ. 390: none under tutelle): versions
      // before them reject it (enum, minItems) rather than print the signature blocks of an adult.
      minor:
        r.minor && r.parentalAuthority && (parents.length || r.parentalAuthority === 'tutelle' || r.parentalAuthority === 'delegation')
          ? { parentalAuthority: r.parentalAuthority, parents: parents.map((p) => person(p)) }
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
  return {
    kind,
    representatives,
    decision: d ? { authority: d.authority, reference: d.reference, date: d.date } : null,
    delegationExtent: kind === 'delegation' ? (d?.delegationExtent ?? null) : null,
    wardOfState: kind === 'tutelle' ? Boolean(d?.wardOfState) : false,
    actAuthorised: kind === 'court_measure' ? Boolean(d?.actAuthorisation) : false,
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

type Holder = MeasureView['holders'][number];

/**
 * The holder's conflict of interest as the signature policy resolves it (C. civ. 451 al. 2, 454 al.
 * 5, 455; 447 al. 2-3 for co-holders), for the template input: null when no holder of the measure's
 * role is the establishment's préposé. `acting`: the holders who sign the acts with the establishment,
 * set only when co-holders free of the conflict act (no ad hoc holder recorded) and the document is
 * one of those acts (`documentType` given).
 */
function holderConflictOf(m: MeasureView, documentType: string | undefined) {
  const role = HOLDER_ROLE_OF[m.type];
  const conflicted = m.holders.filter((h) => h.role === role && h.establishmentEmployee);
  if (!conflicted.length) return null;
  const free = m.holders.filter((h) => h.role === role && !h.establishmentEmployee);
  const actWithEstablishment = documentType === 'contrat-sejour' || documentType === 'avenant' || documentType === 'dipc';
  const person = (c: PersonFields) => personInput(c);
  if (m.adHoc)
    return { conflicted, acting: null, substitute: { ...person(m.adHoc), kind: 'ad_hoc', judgment: { reference: m.adHoc.judgmentReference, date: m.adHoc.judgmentDate } } };
  if (free.length) return { conflicted, acting: actWithEstablishment ? m.holders.filter((h: Holder) => !conflicted.includes(h)) : null, substitute: null };
  return { conflicted, acting: null, substitute: m.subroge ? { ...person(m.subroge), kind: 'subroge' } : null };
}

type PersonFields = { firstName: string; lastName: string; relation: string | null; organisationName: string | null; email: string | null; phone: string | null };

/** A contact as the templates' `person` reads it, with its role when it holds one. */
function personInput(c: PersonFields, role?: string): Record<string, unknown> {
  return { firstName: c.firstName, lastName: c.lastName, relation: c.relation, organisation: c.organisationName, email: c.email, phone: c.phone, ...(role ? { role } : {}) };
}
