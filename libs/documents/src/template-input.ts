import { HOLDER_ROLE_LABELS } from '@carepact/common';
import type { EstablishmentEntity } from '@carepact/identity';
import { applicableMeasure, todayIso, type ResidentView } from '@carepact/residents';

/**
 * The input snapshot a template receives: the establishment, the resident as their file
 * describes them, and the document's own data — in the shape of the demo fixture
 * (`templates/demo/establishment-les-tilleuls.json`), which is what the templates declare.
 * The protection measure described is the one that applies on `on` (applicableMeasure: in force,
 * the most protective when several are), the one the signature policy routes the document by;
 * a measure not in force on that date is not described.
 */
export function templateInputOf(est: EstablishmentEntity, r: ResidentView, data: Record<string, unknown>, on = todayIso()): Record<string, unknown> {
  const active = applicableMeasure(r.protectionMeasures, on);
  const person = (c: { firstName: string; lastName: string; relation: string | null; organisationName: string | null; email: string | null; phone: string | null }, role?: string) => ({
    firstName: c.firstName,
    lastName: c.lastName,
    relation: c.relation,
    organisation: c.organisationName,
    email: c.email,
    phone: c.phone,
    ...(role ? { role } : {}),
  });
  const parents = r.contacts.filter((c) => c.holdsParentalAuthority);
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
            holders: active.holders.map((h) => person(h, HOLDER_ROLE_LABELS[h.role] ?? h.role)),
            judgeAuthorisesHolderAloneForAccommodation: active.judgeAuthorisesHolderAlone,
            // C. civ. 451, 454 al. 5, 455: a holder who is the establishment's préposé (or employed by
            // it) has interests opposed to the person's in the contract, its avenants and the DIPC; the
            // tuteur or curateur ad hoc, else the subrogé, signs in his place there (the signature
            // policy's holderConflict). The templates name the substitute in the holder's slot.
            holderConflict: active.holderEstablishmentEmployee
              ? {
                  substitute: active.adHoc
                    ? { ...person(active.adHoc), kind: 'ad_hoc', judgment: { reference: active.adHoc.judgmentReference, date: active.adHoc.judgmentDate } }
                    : active.subroge
                      ? { ...person(active.subroge), kind: 'subroge' }
                      : null,
                }
              : null,
          }
        : null,
      minor: r.minor && r.parentalAuthority && parents.length ? { parentalAuthority: r.parentalAuthority, parents: parents.map((p) => person(p)) } : null,
    },
    document: data,
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
