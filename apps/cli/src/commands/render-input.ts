import type { EstablishmentEntity } from '@carepact/identity';
import { templateInputOf } from '@carepact/documents';
import { templateInputFromFixture, type TemplateInput } from '@carepact/rendering';
import {
  MEASURE_SCOPES,
  isMinor,
  measureStatus,
  residentInputOf,
  type ContactInput,
  type ContactView,
  type DemoFixture,
  type FixtureResident,
  type MeasureView,
  type ResidentInput,
  type ResidentView,
} from '@carepact/residents';

/**
 * The offline render's input, built as the product builds it: the fixture's resident goes through
 * the seed's mapping (residentInputOf, what `seed:demo` gives ResidentsService.create), then is
 * read as the resident file's view (contacts, measures and their holders, each holder's mission),
 * and the template input is templateInputOf's — the API's (DocumentsService.prepare). The
 * fixture's own `resident` block is never given to a template as it stands: under a measure the
 * judge divided, it would give every holder a slot and no mission (C. civ. 447 al. 3-4, DOMAIN.md
 * rule 8), and a minor's parents, délégataire or tuteur would not be read as the product reads them.
 * `document`: the fixture's data for this type and person (templateInputFromFixture's choice).
 */
export function renderInputOf(fixture: unknown, type: string, residentKey: string | undefined, on: string): TemplateInput & { view: ResidentView; establishmentEntity: EstablishmentEntity } {
  const raw = templateInputFromFixture(fixture, type, residentKey);
  const f = fixture as DemoFixture;
  const person = f.residents.find((r) => r.key === (raw.resident as { key: string }).key)!;
  const est = establishmentOf(f.establishment);
  const view = residentViewOf(residentInputOf(person as FixtureResident, est.id), person.key, on);
  const input = templateInputOf(est, view, raw.document, on, type) as unknown as TemplateInput;
  return { ...input, view, establishmentEntity: est };
}

/** The fixture's establishment as `seed:demo` records it (StaffService.createEstablishment). */
function establishmentOf(e: DemoFixture['establishment']): EstablishmentEntity {
  return {
    id: 'fixture-establishment',
    name: e.name,
    category: e.category,
    finess: e.finess,
    address: e.address,
    phone: e.phone ?? null,
    directorFirstName: e.director.firstName,
    directorLastName: e.director.lastName,
    directorEmail: e.director.email ?? null,
    tariffs: e.tariffs ?? null,
    annexes: e.annexes ?? null,
  } as EstablishmentEntity;
}

const trimOrNull = (s: string | null | undefined): string | null => (typeof s === 'string' && s.trim() ? s.trim() : null);

/**
 * The resident file the input would create, read back as its view (ResidentsService.createIn, then
 * ResidentViews.residentOf): contacts in the order they are inserted (contacts, parents, the
 * personne de confiance, the measure's holders), each holder's mission in the scope's order (the
 * whole measure when none is given, C. civ. 447 al. 3).
 */
export function residentViewOf(input: ResidentInput, id: string, on: string): ResidentView {
  const contacts: ContactView[] = [];
  const add = (c: ContactInput & { holdsParentalAuthority?: boolean }): ContactView => {
    const v: ContactView = {
      id: `${id}:contact:${contacts.length + 1}`,
      ...(c.civility ? { civility: c.civility } : {}),
      firstName: c.firstName.trim(),
      lastName: c.lastName.trim(),
      relation: trimOrNull(c.relation),
      organisationName: trimOrNull(c.organisationName),
      email: trimOrNull(c.email),
      phone: trimOrNull(c.phone),
      address: trimOrNull(c.address),
      holdsParentalAuthority: c.holdsParentalAuthority ?? false,
      minorRole: c.minorRole ?? null,
    };
    contacts.push(v);
    return v;
  };
  for (const c of input.contacts ?? []) add(c);
  for (const p of input.parents ?? []) add({ ...p, holdsParentalAuthority: true });
  const pdcInput = input.personneDeConfiance;
  const pdc = pdcInput ? add(pdcInput as ContactInput) : null;
  const m = input.protectionMeasure;
  const measures: MeasureView[] = [];
  if (m) {
    const holders = m.holders.map((h) => ({ contact: add(h as ContactInput), h }));
    const base = {
      id: `${id}:measure`,
      type: m.type,
      mode: m.mode,
      scope: m.scope,
      general: m.general ?? true,
      acts: m.acts ?? [],
      mission: trimOrNull(m.mission),
      court: m.court.trim(),
      judgmentReference: m.judgmentReference.trim(),
      judgmentDate: m.judgmentDate,
      startDate: m.startDate ?? null,
      endDate: m.endDate ?? null,
      mandateEffectiveDate: m.mandateEffectiveDate ?? null,
      judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAlone ?? false,
      authorisationReference: trimOrNull(m.authorisationReference),
      proofDocumentRef: trimOrNull(m.proofDocumentRef),
    };
    measures.push({
      ...base,
      status: measureStatus(base, on),
      holders: holders.map(({ contact, h }) => ({
        ...contact,
        contactId: contact.id,
        role: h.role,
        establishmentEmployee: h.establishmentEmployee ?? false,
        mission: MEASURE_SCOPES.filter((x) => (h.mission?.length ? h.mission : m.scope).includes(x)),
      })),
      subroge: null,
      adHoc: null,
    });
  }
  return {
    id,
    establishmentId: input.establishmentId,
    ...(input.civility ? { civility: input.civility } : {}),
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    birthName: trimOrNull(input.birthName),
    birthDate: input.birthDate,
    admissionDate: input.admissionDate,
    stayType: input.stayType,
    plannedEndDate: input.plannedEndDate ?? null,
    departedOn: null,
    room: trimOrNull(input.room),
    preferences: { largePrint: input.preferences?.largePrint ?? false, easyToRead: input.preferences?.easyToRead ?? false, language: input.preferences?.language ?? 'fr' },
    email: trimOrNull(input.email),
    phone: trimOrNull(input.phone),
    minor: isMinor(input.birthDate, on),
    parentalAuthority: input.parentalAuthority ?? null,
    soleAuthority: input.soleAuthority ?? null,
    minorDecision: input.minorDecision ?? null,
    personneDeConfiance: pdc ? { ...pdc, contactId: pdc.id, designatedOn: pdcInput?.designatedOn ?? null } : null,
    contacts,
    protectionMeasures: measures,
    createdAt: `${on}T00:00:00.000Z`,
    updatedAt: `${on}T00:00:00.000Z`,
  };
}
