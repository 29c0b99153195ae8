import { DocumentType } from '@carepact/documents';
import { templateInputFromFixture } from '@carepact/rendering';
import { DEMO_FIXTURE_PATH, DEMO_IME_FIXTURE_PATH, DemoFixture, FixtureResident, ResidentView, loadDemoFixture } from '@carepact/residents';
import type { Data } from './schema-form';

let loaded: DemoFixture[] | undefined;

/** The demo fixtures (templates/demo: the EHPAD Les Tilleuls, the IME Les Sources), read once; those not shipped are left out. */
function demoFixtures(): DemoFixture[] {
  if (loaded === undefined) {
    loaded = [];
    for (const path of [DEMO_FIXTURE_PATH, DEMO_IME_FIXTURE_PATH]) {
      try {
        loaded.push(loadDemoFixture(path));
      } catch {
        // not shipped: no example from it
      }
    }
  }
  return loaded;
}

/** An example, and where it comes from: the demo's data for this very type, or (`from`) the person's data of another type. */
export interface DemoExample {
  data: Data;
  /** null: written for this type; otherwise the type of the person's own demo data it was drawn from (the form says so, the rest is left to fill). */
  from: DocumentType | null;
}

/**
 * The demo's own data for this document of this resident, for « Préremplir avec l'exemple de
 * démonstration » on the new-document form: someone trying the product (README, « A first try »)
 * reaches the preview without inventing some twenty answers (objectives, services, the
 * easy-to-read wordings, the consent interview…). Only for a resident of a demo establishment
 * (its FINESS: Les Tilleuls or the IME Les Sources) whose names and birth date are the fixture's,
 * and only the data written for THAT person (templateInputFromFixture never lends another resident's
 * facts): null for every real file.
 *
 * A type the establishment's fixture has no data for at all (the IME's children have their
 * contract of stay only) is drawn from that contract where the two documents say the same thing — objectives and
 * services, who took part, dates, financial contribution (DIPC); objectives, referent and
 * participants (projet personnalisé) — and the rest is left empty for staff to write: nothing the
 * fixture does not say is invented (why a DIPC rather than a contract, the child's own words, the
 * actions and their deadlines).
 */
export function demoExampleFor(finess: string, r: Pick<ResidentView, 'firstName' | 'lastName' | 'birthDate'>, type: DocumentType, fixtures: DemoFixture | DemoFixture[] = demoFixtures()): DemoExample | null {
  const fixture = (Array.isArray(fixtures) ? fixtures : [fixtures]).find((f) => f.establishment.finess === finess);
  if (!fixture) return null;
  const person = fixture.residents.find((p) => p.firstName === r.firstName && p.lastName === r.lastName && p.birthDate === r.birthDate);
  if (!person) return null;
  const own = dataOf(fixture, type, person.key);
  if (own) return { data: own, from: null };
  // Drawn only where the establishment's demo has no example of this type for anyone (the IME's):
  // where it has one for another person, that person is the one to try it with.
  if (writtenForSomeone(fixture, type)) return null;
  const contract = dataOf(fixture, 'contrat-sejour', person.key);
  const drawn = contract ? drawnFromContract(type, person, contract) : null;
  return drawn ? { data: drawn, from: 'contrat-sejour' } : null;
}

/** The example's data alone (demoExampleFor). */
export function demoExampleOf(finess: string, r: Pick<ResidentView, 'firstName' | 'lastName' | 'birthDate'>, type: DocumentType, fixtures?: DemoFixture | DemoFixture[]): Data | null {
  return demoExampleFor(finess, r, type, fixtures)?.data ?? null;
}

function writtenForSomeone(fixture: DemoFixture, type: string): boolean {
  const own = (r: FixtureResident) => (r as { documents?: Record<string, unknown> }).documents?.[type] !== undefined;
  return fixture.documents?.[type] !== undefined || fixture.residents.some(own);
}

function dataOf(fixture: DemoFixture, type: string, key: string): Data | null {
  try {
    const { resident: _key, ...data } = templateInputFromFixture(fixture, type, key).document;
    return data as Data;
  } catch {
    return null;
  }
}

type Participant = { name?: unknown; capacity?: unknown; role?: unknown };

/** What a DIPC or a projet personnalisé shares with the person's contract of stay (CASF L.311-4, D.311; L.311-3 7°). */
function drawnFromContract(type: DocumentType, person: FixtureResident, c: Record<string, unknown>): Data | null {
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
  const participation = (c.participation ?? null) as { person?: unknown; others?: Participant[] } | null;
  const others = Array.isArray(participation?.others) ? participation.others : [];
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
  switch (type) {
    case 'dipc':
      // `reason` (why a DIPC rather than a contract: a short stay, no accommodation, a refused contract) is staff's to state.
      return {
        ...pick(['objectives', 'objectivesFalc', 'services', 'servicesFalc', 'participation', 'financialContribution', 'pricing', 'annexesHandedOverOn']),
        startDate: person.admissionDate,
        ...(person.plannedEndDate ? { endDate: person.plannedEndDate } : {}),
      } as Data;
    case 'projet-personnalise': {
      const objectives = strings(c.objectives);
      const falc = strings(c.objectivesFalc);
      // The professional who follows the person (the contract's first professional participant) as referent.
      const referent = others.find((o) => o.capacity === 'professionnel' && typeof o.name === 'string');
      return {
        ...(referent ? { referent: referent.name } : {}),
        ...(objectives ? { objectives: objectives.map((title, i) => ({ title, ...(falc?.[i] ? { titleFalc: falc[i] } : {}) })) } : {}),
        participants: [
          { name: `${person.firstName} ${person.lastName}`, role: 'la personne accompagnée' },
          ...others.filter((o) => typeof o.name === 'string').map((o) => ({ name: o.name, role: typeof o.role === 'string' && o.role ? o.role : String(o.capacity ?? '') })),
        ],
      } as Data;
    }
    default:
      return null;
  }
}
