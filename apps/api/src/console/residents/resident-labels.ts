import type { DocumentStatus } from '@carepact/documents';
import type { MeasureAlert, MeasureScope, ParentalAuthority, StayType } from '@carepact/residents';

/** The resident file's values as the console writes them (French, for staff). */
export const STAY_TYPE_LABELS: Readonly<Record<StayType, string>> = {
  permanent: 'hébergement permanent',
  temporary: 'hébergement temporaire',
  day_care: 'accueil de jour',
  at_home: 'accompagnement à domicile',
};

/** C. civ. 372 s.: who exercises parental authority over a minor. */
export const PARENTAL_AUTHORITY_LABELS: Readonly<Record<ParentalAuthority, string>> = {
  shared: 'conjointe (les deux parents)',
  sole: 'exclusive (un seul parent)',
  court_measure: 'enfant confié par le juge des enfants (placement, C. civ. 375-3, 375-7)',
  delegation: 'délégation de l’autorité parentale par jugement (C. civ. 377, 377-1)',
  tutelle: 'tutelle du mineur, pupille de l’État compris (C. civ. 390 s. ; CASF L.224-1)',
};

export const MEASURE_SCOPE_LABELS: Readonly<Record<MeasureScope, string>> = {
  personne: 'la personne',
  biens: 'les biens',
};

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
