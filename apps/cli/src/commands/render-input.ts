import type { EstablishmentEntity } from '@carepact/identity';
import { templateInputOf } from '@carepact/documents';
import { templateInputFromFixture, type TemplateInput } from '@carepact/rendering';
import { establishmentInputOf, residentFileOf, residentInputOf, residentViewOf, type DemoFixture, type FixtureResident, type ResidentView } from '@carepact/residents';

/**
 * The offline render's input, built as the product builds it: the fixture's resident goes through
 * the seed's mapping (residentInputOf, what `seed:demo` gives ResidentsService.create), becomes the
 * rows ResidentsService.createIn would write (residentFileOf: the same normalisation), then is read
 * as the resident file's view (residentViewOf, ResidentViews' mapping: contacts, measures and their
 * holders, each holder's mission), and the template input is templateInputOf's — the API's
 * (DocumentsService.prepare). The fixture's own `resident` block is never given to a template as it
 * stands: under a measure the judge divided, it would give every holder a slot and no mission
 * (C. civ. 447 al. 3-4, DOMAIN.md rule 8), and a minor's parents, délégataire or tuteur would not be
 * read as the product reads them.
 * `document`: the fixture's data for this type and person (templateInputFromFixture's choice).
 */
export function renderInputOf(fixture: unknown, type: string, residentKey: string | undefined, on: string): TemplateInput & { view: ResidentView; establishmentEntity: EstablishmentEntity } {
  const raw = templateInputFromFixture(fixture, type, residentKey);
  const f = fixture as DemoFixture;
  const person = f.residents.find((r) => r.key === (raw.resident as { key: string }).key)!;
  const est = establishmentOf(f.establishment);
  const rows = residentFileOf(residentInputOf(person as FixtureResident, est.id), { id: person.key, organisationId: 'fixture-organisation' }, new Date(`${on}T00:00:00.000Z`));
  const view = residentViewOf(rows, on);
  const input = templateInputOf(est, view, raw.document, on, type) as unknown as TemplateInput;
  return { ...input, view, establishmentEntity: est };
}

/** The fixture's establishment as `seed:demo` records it (StaffService.createEstablishment). */
function establishmentOf(e: DemoFixture['establishment']): EstablishmentEntity {
  return { id: 'fixture-establishment', ...establishmentInputOf(e) } as EstablishmentEntity;
}
