import { agreeWithCivility, type Civility } from '@carepact/common';
import type { DocumentStatus } from '@carepact/documents';
import type { MeasureAlert, MinorDecision, MinorRole, ParentalAuthority } from '@carepact/residents';

/** The resident file's values as the console writes them (French, for staff): shared with the access request's personne.html (@carepact/residents resident-labels.ts). */
export { PARENTAL_AUTHORITY_LABELS, STAY_TYPE_LABELS } from '@carepact/residents';

/** The residents list's « Mesure de protection » cell for a minor with no measure: who decides for him. */
export const MINOR_LIST_LABELS: Readonly<Record<ParentalAuthority, string>> = {
  shared: 'Mineur : autorité parentale des deux parents',
  sole: 'Mineur : autorité parentale d’un seul parent',
  court_measure: 'Mineur confié par le juge des enfants',
  delegation: 'Mineur : autorité parentale déléguée',
  tutelle: 'Mineur sous tutelle',
};

/** What a minor's file says about who decides for him: the names the file holds, else the role. */
export interface MinorFileFacts {
  parentalAuthority: ParentalAuthority | null;
  minorDecision?: MinorDecision | null;
  contacts: readonly { firstName: string; lastName: string; holdsParentalAuthority: boolean; minorRole?: MinorRole | null; civility?: Civility | null }[];
}

const namesOf = (people: readonly { firstName: string; lastName: string }[]) => {
  const n = people.map((p) => `${p.firstName} ${p.lastName}`);
  return n.length > 1 ? `${n.slice(0, -1).join(', ')} et ${n[n.length - 1]}` : (n[0] ?? '');
};

/** « son tuteur », or « sa tutrice » when the tuteurs on file are all recorded as « Madame ». */
function tutorWords(tutors: readonly { civility?: Civility | null }[]): string {
  return tutors.length && tutors.every((t) => t.civility === 'madame') ? `sa ${agreeWithCivility('tuteur', 'madame')}` : 'son tuteur';
}

/**
 * The « Mesures de protection » section of a minor's file: a minor has no protection measure (those
 * are for adults, C. civ. 425); who decides for him follows from parental authority (C. civ. 371-1,
 * 372, 373-2-1), the tutelle (C. civ. 390, 408), a delegation (C. civ. 377, 377-1) or a placement
 * (C. civ. 375-7), as recorded on the file.
 */
export function minorDeciderSentence(r: MinorFileFacts): string {
  const parents = r.contacts.filter((c) => c.holdsParentalAuthority);
  const role = (x: MinorRole) => r.contacts.filter((c) => c.minorRole === x);
  const named = (people: readonly { firstName: string; lastName: string }[]) => (people.length ? ` (${namesOf(people)})` : '');
  const d = r.minorDecision;
  switch (r.parentalAuthority) {
    case 'shared':
      return `Mineur : ses parents${named(parents)} exercent ensemble l’autorité parentale et décident pour l’enfant (C. civ. 371-1, 372).`;
    case 'sole':
      return `Mineur : un seul de ses parents${named(parents)} exerce l’autorité parentale et décide pour l’enfant (C. civ. 372, 373-2-1).`;
    case 'tutelle':
      return d?.wardOfState
        ? `Mineur pupille de l’État : son tuteur, le préfet, décide pour l’enfant avec le conseil de famille des pupilles de l’État (C. civ. 390 ; CASF L.224-1).`
        : // « sa tutrice » when every tuteur named is a woman (@carepact/common civility.ts); else the masculine generic.
          `Mineur sous tutelle : ${tutorWords(role('tuteur'))}${named(role('tuteur'))} décide pour l’enfant et agit en son nom (C. civ. 390, 408).`;
    case 'delegation':
      return d?.delegationExtent === 'shared'
        ? `Mineur : par jugement, ses parents${named(parents)} partagent l’exercice de l’autorité parentale avec le délégataire${named(role('delegataire'))} et décident avec lui (C. civ. 377-1 al. 2).`
        : d?.delegationExtent === 'partial'
          ? d.delegationCoversStay === false
            ? `Mineur : une partie de l’autorité parentale est déléguée par jugement${named(role('delegataire'))}, mais pas l’accueil dans l’établissement : ses parents${named(parents)} en ont gardé l’exercice et décident pour l’enfant (C. civ. 377, 377-1 al. 1).`
            : `Mineur : une partie de l’autorité parentale, dont l’accueil et l’accompagnement dans l’établissement, est déléguée par jugement au délégataire${named(role('delegataire'))}, qui décide pour l’enfant ; ses parents gardent le reste (C. civ. 377, 377-1 al. 1).`
          : `Mineur : l’autorité parentale est déléguée par jugement au délégataire${named(role('delegataire'))}, qui décide pour l’enfant (C. civ. 377, 377-1).`;
    case 'court_measure':
      return d?.actAuthorisation
        ? `Mineur confié par le juge des enfants : ses parents gardent l’autorité parentale ; le juge a autorisé le service à qui l’enfant est confié${named(role('service_gardien'))} à signer à leur place (C. civ. 375-7).`
        : `Mineur confié par le juge des enfants : ses parents${named(parents)} gardent l’autorité parentale et décident pour l’enfant ; le service à qui l’enfant est confié${named(role('service_gardien'))} accomplit les actes usuels (C. civ. 375-7).`;
    default:
      return 'Mineur : l’autorité parentale n’est pas renseignée. Indiquez qui l’exerce dans « Modifier l’identité et le séjour ».';
  }
}

export { MEASURE_SCOPE_LABELS } from '@carepact/residents';

export const MEASURE_ALERT_LABELS: Readonly<Record<MeasureAlert, string>> = {
  active: 'en cours',
  expiring_soon: 'expire bientôt',
  expired: 'expirée',
  not_started: 'pas encore en vigueur',
};

export const DOCUMENT_STATUS_LABELS: Readonly<Record<DocumentStatus, string>> = {
  generating: 'en cours de génération',
  ready: 'prêt',
  generation_failed: 'génération échouée',
  in_signature: 'en signature',
  signed: 'signé',
  refused: 'refusé',
  cancelled: 'annulé',
};
