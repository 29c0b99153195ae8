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
            judgment: { court: active.court, reference: active.judgmentReference, date: active.judgmentDate },
            endDate: active.endDate,
            holders: active.holders.map((h) => person(h, HOLDER_ROLE_LABELS[h.role] ?? h.role)),
            judgeAuthorisesHolderAloneForAccommodation: active.judgeAuthorisesHolderAlone,
          }
        : null,
      minor: r.minor && r.parentalAuthority && parents.length ? { parentalAuthority: r.parentalAuthority, parents: parents.map((p) => person(p)) } : null,
    },
    document: data,
  };
}
