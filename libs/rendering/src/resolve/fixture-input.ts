import { DomainError } from '@carepact/common';

/**
 * Builds a template's input `{ establishment, resident, document }` from a file in the shape of
 * the demo fixture (templates/demo/establishment-les-tilleuls.json): the establishment, the
 * residents by key, and one document's data per type under `documents`, naming its resident.
 * Used by the offline render CLI and the tests; the API builds the same shape from the database.
 */
export interface FixtureFile {
  establishment: Record<string, unknown>;
  residents: ({ key: string } & Record<string, unknown>)[];
  documents: Record<string, { resident?: string } & Record<string, unknown>>;
}

export class FixtureInputError extends DomainError {
  constructor(code: string, message: string) {
    super('invalid', code, message);
  }
}

export interface TemplateInput {
  establishment: Record<string, unknown>;
  resident: Record<string, unknown>;
  document: Record<string, unknown>;
  signers?: { role: string; name: string; capacity: string }[];
}

/**
 * @param residentKey another resident than the one the document names (e.g. the same contract
 * for `sean-obrien`); by default the document's own `resident`.
 */
export function templateInputFromFixture(fixture: unknown, documentType: string, residentKey?: string): TemplateInput {
  const f = fixture as Partial<FixtureFile> | null;
  if (!f || typeof f !== 'object' || !f.establishment || !Array.isArray(f.residents) || !f.documents)
    throw new FixtureInputError('FIXTURE_INVALID', 'Le fichier de données doit contenir establishment, residents et documents.');
  if (!Object.prototype.hasOwnProperty.call(f.documents, documentType))
    throw new FixtureInputError('FIXTURE_DOCUMENT_NOT_FOUND', `Aucune donnée pour le type de document « ${documentType} » dans documents.`);
  const document = f.documents[documentType];
  const key = residentKey ?? document.resident;
  if (typeof key !== 'string') throw new FixtureInputError('FIXTURE_RESIDENT_MISSING', `Le document « ${documentType} » ne nomme pas de personne.`);
  const resident = f.residents.find((r) => r && r.key === key);
  if (!resident) throw new FixtureInputError('FIXTURE_RESIDENT_NOT_FOUND', `Personne inconnue : « ${key} ».`);
  return { establishment: f.establishment, resident, document };
}
