import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import type { HolderRole, MeasureInput, ResidentInput } from '@carepact/residents';
import type { StaffRole } from '@carepact/identity';

/** The demo establishment shipped with the project (a copy of the shared fixture, read at run time). */
export const DEMO_FIXTURE_PATH = join(projectRoot(), 'templates', 'demo', 'establishment-les-tilleuls.json');

export interface FixturePerson {
  firstName: string;
  lastName: string;
  email?: string | null;
  relation?: string;
  organisation?: string;
  role?: string;
}

export interface FixtureResident {
  key: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  admissionDate: string;
  stay: 'permanent' | 'temporary' | 'day_care' | 'at_home';
  plannedEndDate?: string;
  room?: string;
  preferences?: { largePrint?: boolean; easyToRead?: boolean; language?: string };
  email?: string | null;
  personneDeConfiance?: FixturePerson | null;
  minor?: { parentalAuthority: 'shared' | 'sole' | 'court_measure'; parents: FixturePerson[] };
  protectionMeasure?: {
    type: MeasureInput['type'];
    mode: MeasureInput['mode'];
    scope: MeasureInput['scope'];
    general?: boolean;
    judgment: { court: string; reference: string; date: string };
    startDate?: string;
    endDate?: string;
    holders: FixturePerson[];
    judgeAuthorisesHolderAloneForAccommodation?: boolean;
  } | null;
}

export interface DemoFixture {
  organisation: { name: string; siren?: string };
  establishment: {
    name: string;
    category: string;
    finess: string;
    address: string;
    phone?: string;
    director: { firstName: string; lastName: string; email?: string };
    tariffs?: { [key: string]: string | number | null };
    annexes?: string[];
  };
  staff: { email: string; name: string; role: StaffRole }[];
  residents: FixtureResident[];
  documents?: Record<string, unknown>;
}

export function loadDemoFixture(path = DEMO_FIXTURE_PATH): DemoFixture {
  return JSON.parse(readFileSync(path, 'utf8')) as DemoFixture;
}

const HOLDER_ROLE: Record<string, HolderRole> = {
  curateur: 'curateur',
  tuteur: 'tuteur',
  'personne habilitée': 'personne_habilitee',
  personne_habilitee: 'personne_habilitee',
  mandataire: 'mandataire',
  'mandataire spécial': 'mandataire_special',
  mandataire_special: 'mandataire_special',
};

/** Maps a fixture resident onto the resident file's input. */
export function residentInputOf(r: FixtureResident, establishmentId: string): ResidentInput {
  const m = r.protectionMeasure;
  return {
    establishmentId,
    firstName: r.firstName,
    lastName: r.lastName,
    birthDate: r.birthDate,
    admissionDate: r.admissionDate,
    stayType: r.stay,
    plannedEndDate: r.plannedEndDate ?? null,
    room: r.room ?? null,
    preferences: { largePrint: r.preferences?.largePrint ?? false, easyToRead: r.preferences?.easyToRead ?? false, language: r.preferences?.language ?? 'fr' },
    email: r.email ?? null,
    parentalAuthority: r.minor?.parentalAuthority ?? null,
    parents: r.minor?.parents.map((p) => ({ firstName: p.firstName, lastName: p.lastName, email: p.email ?? null, relation: 'parent' })),
    personneDeConfiance: r.personneDeConfiance
      ? {
          firstName: r.personneDeConfiance.firstName,
          lastName: r.personneDeConfiance.lastName,
          relation: r.personneDeConfiance.relation ?? null,
          email: r.personneDeConfiance.email ?? null,
        }
      : null,
    protectionMeasure: m
      ? {
          type: m.type,
          mode: m.mode,
          scope: m.scope,
          general: m.general ?? true,
          court: m.judgment.court,
          judgmentReference: m.judgment.reference,
          judgmentDate: m.judgment.date,
          startDate: m.startDate ?? null,
          endDate: m.endDate ?? null,
          judgeAuthorisesHolderAlone: m.judgeAuthorisesHolderAloneForAccommodation ?? false,
          holders: m.holders.map((h) => ({
            role: HOLDER_ROLE[h.role ?? ''] ?? 'curateur',
            firstName: h.firstName,
            lastName: h.lastName,
            relation: h.relation ?? null,
            organisationName: h.organisation ?? null,
            email: h.email ?? null,
          })),
        }
      : null,
  };
}
