import { DocumentType } from '@carepact/documents';
import { templateInputFromFixture } from '@carepact/rendering';
import { DemoFixture, ResidentView, loadDemoFixture } from '@carepact/residents';
import type { Data } from './schema-form';

let loaded: DemoFixture | null | undefined;

/** The demo fixture (templates/demo), read once; null where the file is not shipped. */
function demoFixture(): DemoFixture | null {
  if (loaded === undefined) {
    try {
      loaded = loadDemoFixture();
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * The demo's own data for this document of this resident, for « Préremplir avec l'exemple de
 * démonstration » on the new-document form: someone trying the product (README, « A first try »)
 * reaches the preview without inventing some twenty answers (objectives, services, the
 * easy-to-read wordings, the consent interview…). Only for a resident of the demo establishment
 * (its FINESS) whose names and birth date are the fixture's, and only the data written for THAT
 * person (templateInputFromFixture never lends another resident's facts): null for every real file.
 */
export function demoExampleOf(finess: string, r: Pick<ResidentView, 'firstName' | 'lastName' | 'birthDate'>, type: DocumentType, fixture = demoFixture()): Data | null {
  if (!fixture || fixture.establishment.finess !== finess) return null;
  const person = fixture.residents.find((p) => p.firstName === r.firstName && p.lastName === r.lastName && p.birthDate === r.birthDate);
  if (!person) return null;
  try {
    const { resident: _key, ...data } = templateInputFromFixture(fixture, type, person.key).document;
    return data as Data;
  } catch {
    return null;
  }
}
