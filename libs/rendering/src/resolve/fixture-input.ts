import { DomainError } from '@carepact/common';

/**
 * Builds a template's input `{ establishment, resident, document }` from a file in the shape of
 * the demo fixture (templates/demo/establishment-les-tilleuls.json): the establishment, the
 * residents by key, and one document's data per type under `documents`, naming its resident.
 * Used by the offline render CLI and the tests; the API builds the same shape from the database.
 */
export interface FixtureFile {
  establishment: Record<string, unknown>;
  /** Each resident may carry their own document data by type (`documents`), used before the shared block. */
  residents: ({ key: string; documents?: Record<string, Record<string, unknown>> } & Record<string, unknown>)[];
  /** One document per type, naming the resident it belongs to. */
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
 * @param residentKey another resident than the one the document names: their own data for this
 * type (`residents[].documents`) is used — never another person's objectives, participants or
 * consent, which would put invented facts in their document.
 */
export function templateInputFromFixture(fixture: unknown, documentType: string, residentKey?: string): TemplateInput {
  const f = fixture as Partial<FixtureFile> | null;
  if (!f || typeof f !== 'object' || !f.establishment || !Array.isArray(f.residents) || !f.documents)
    throw new FixtureInputError('FIXTURE_INVALID', 'Le fichier de données doit contenir establishment, residents et documents.');
  const shared = Object.prototype.hasOwnProperty.call(f.documents, documentType) ? f.documents[documentType] : undefined;
  const key = residentKey ?? shared?.resident;
  if (!shared && residentKey === undefined)
    throw new FixtureInputError('FIXTURE_DOCUMENT_NOT_FOUND', `Aucune donnée pour le type de document « ${documentType} » dans documents.`);
  if (typeof key !== 'string') throw new FixtureInputError('FIXTURE_RESIDENT_MISSING', `Le document « ${documentType} » ne nomme pas de personne.`);
  const resident = f.residents.find((r) => r && r.key === key);
  if (!resident) throw new FixtureInputError('FIXTURE_RESIDENT_NOT_FOUND', `Personne inconnue : « ${key} ».`);
  const own = resident.documents && Object.prototype.hasOwnProperty.call(resident.documents, documentType) ? resident.documents[documentType] : undefined;
  const document = own ?? (shared && shared.resident === key ? shared : undefined);
  if (!document)
    throw new FixtureInputError('FIXTURE_DOCUMENT_NOT_FOUND', `Aucune donnée de document « ${documentType} » pour « ${key} » : ajoutez-la dans residents[].documents.`);
  const { documents: _own, ...person } = resident;
  return { establishment: f.establishment, resident: person, document };
}
