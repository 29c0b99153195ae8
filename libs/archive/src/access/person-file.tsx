import { CIVILITY_LABELS, HOLDER_ROLE_LABELS, MEASURE_MODE_LABELS, MEASURE_TYPE_LABELS, formatDateFr, formatDateTimeFr } from '@carepact/common';
import {
  DELEGATION_EXTENT_LABELS,
  MEASURE_SCOPE_LABELS,
  MINOR_ROLE_LABELS,
  PARENTAL_AUTHORITY_LABELS,
  SOLE_AUTHORITY_GROUND_INFO,
  STAY_TYPE_LABELS,
} from '@carepact/residents';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A database row as the access request reads it (`SELECT *`): its columns by their database names. */
export type PersonFileRow = Record<string, unknown>;

export interface PersonFileRows {
  personne: PersonFileRow;
  /** The name of her establishment (the row holds its id). */
  establishmentName: string | null;
  contacts: PersonFileRow[];
  measures: PersonFileRow[];
  holders: PersonFileRow[];
  holds: PersonFileRow[];
}

/** How a column is written for the person: its French label and how its value reads; null: a technical column, left out. */
interface Field {
  label: string;
  show?: (value: unknown, rows: PersonFileRows) => string;
}
type Fields = Record<string, Field | null>;

const NOT_GIVEN = 'non renseigné';
const text = (v: unknown): string => (v === null || v === undefined || v === '' ? NOT_GIVEN : String(v));
/** « 3 décembre 2026 »: a date column comes back as YYYY-MM-DD (or a Date). */
const day = (v: unknown): string => (v === null || v === undefined || v === '' ? NOT_GIVEN : v instanceof Date ? formatDateFr(v) : formatDateFr(String(v).slice(0, 10)));
/** « 3 décembre 2026 à 14 h 05 » (Paris). */
const instant = (v: unknown): string => (v === null || v === undefined ? NOT_GIVEN : formatDateTimeFr(v instanceof Date ? v : new Date(String(v))));
const yesNo = (v: unknown): string => (v === null || v === undefined ? NOT_GIVEN : v ? 'oui' : 'non');
const labelled =
  (labels: Readonly<Record<string, string>>) =>
  (v: unknown): string =>
    v === null || v === undefined || v === '' ? NOT_GIVEN : (labels[String(v)] ?? String(v));
const list =
  (labels?: Readonly<Record<string, string>>) =>
  (v: unknown): string =>
    Array.isArray(v) && v.length ? v.map((x) => (labels ? (labels[String(x)] ?? String(x)) : String(x))).join(' ; ') : NOT_GIVEN;
const language = (v: unknown): string => {
  if (!v) return NOT_GIVEN;
  try {
    return new Intl.DisplayNames(['fr'], { type: 'language' }).of(String(v)) ?? String(v);
  } catch {
    return String(v);
  }
};
const contactName = (v: unknown, rows: PersonFileRows): string => {
  if (!v) return 'aucune';
  const c = rows.contacts.find((x) => x.id === v);
  return c ? `${String(c.first_name)} ${String(c.last_name)}` : 'identifiant technique ' + String(v);
};
const SOLE_GROUND_LABELS = Object.fromEntries(Object.entries(SOLE_AUTHORITY_GROUND_INFO).map(([k, i]) => [k, i.label]));

/** The person's file, by section (RGPD art. 15.1: her data, 15.3: a copy; art. 12.1: clear and plain language). */
export const RESIDENT_SECTIONS: { title: string; fields: Fields }[] = [
  {
    title: 'Identité',
    fields: {
      civility: { label: 'Civilité', show: labelled(CIVILITY_LABELS) },
      first_name: { label: 'Prénom' },
      last_name: { label: 'Nom' },
      birth_name: { label: 'Nom de naissance' },
      birth_date: { label: 'Date de naissance', show: day },
      email: { label: 'Adresse e-mail' },
      phone: { label: 'Téléphone' },
      language: { label: 'Langue', show: language },
    },
  },
  {
    title: 'Séjour',
    fields: {
      establishment_id: { label: 'Établissement', show: (_v, rows) => rows.establishmentName ?? NOT_GIVEN },
      admission_date: { label: 'Date d’admission', show: day },
      stay_type: { label: 'Type d’accompagnement', show: labelled(STAY_TYPE_LABELS) },
      planned_end_date: { label: 'Fin prévue du séjour', show: day },
      room: { label: 'Chambre' },
    },
  },
  {
    title: 'Préférences de lecture',
    fields: {
      prefers_large_print: { label: 'Documents en gros caractères', show: yesNo },
      prefers_easy_to_read: { label: 'Documents faciles à lire et à comprendre (FALC)', show: yesNo },
    },
  },
  {
    title: 'Personne de confiance',
    fields: {
      personne_de_confiance_id: { label: 'Personne de confiance désignée', show: contactName },
      personne_de_confiance_designated_on: { label: 'Désignée le', show: day },
    },
  },
  {
    title: 'Autorité parentale (personne mineure)',
    fields: {
      parental_authority: { label: 'Exercice de l’autorité parentale', show: labelled(PARENTAL_AUTHORITY_LABELS) },
      sole_authority_ground: { label: 'Pourquoi un seul parent l’exerce', show: labelled(SOLE_GROUND_LABELS) },
      sole_authority_proof_reference: { label: 'Pièce qui l’établit (référence)' },
      sole_authority_proof_date: { label: 'Date de cette pièce', show: day },
      minor_decision_authority: { label: 'Décision sur la représentation du mineur : autorité qui l’a prise' },
      minor_decision_reference: { label: 'Référence de la décision' },
      minor_decision_date: { label: 'Date de la décision', show: day },
      delegation_extent: { label: 'Étendue de la délégation de l’autorité parentale', show: labelled(DELEGATION_EXTENT_LABELS) },
      delegation_covers_stay: { label: 'La délégation porte sur l’accueil dans l’établissement', show: yesNo },
      ward_of_state: { label: 'Pupille de l’État', show: yesNo },
      act_authorisation_reference: { label: 'Autorisation du juge des enfants (référence)' },
      act_authorisation_date: { label: 'Date de cette autorisation', show: day },
    },
  },
  {
    title: 'Fin de l’accompagnement',
    fields: {
      departed_on: { label: 'Fin de l’accompagnement (départ ou décès)', show: (v) => (v ? day(v) : 'la personne est accompagnée') },
      // residents.deceased_on (migration 1764250000000): the death, when the accompaniment ended by it.
      deceased_on: { label: 'Date du décès', show: (v) => (v ? day(v) : 'aucun décès enregistré') },
      // residents.departure_with_death (migration 1764290000000): the end was recorded with the death (not a departure before it).
      departure_with_death: { label: 'Fin de l’accompagnement enregistrée avec le décès', show: yesNo },
    },
  },
  {
    title: 'Dossier',
    fields: {
      id: { label: 'Identifiant technique du dossier' },
      created_at: { label: 'Dossier créé le', show: instant },
      updated_at: { label: 'Dernière modification le', show: instant },
      organisation_id: null,
      search_name: null,
    },
  },
];

export const CONTACT_FIELDS: Fields = {
  civility: { label: 'Civilité', show: labelled(CIVILITY_LABELS) },
  first_name: { label: 'Prénom' },
  last_name: { label: 'Nom' },
  relation: { label: 'Lien avec la personne' },
  organisation_name: { label: 'Organisme (association tutélaire, UDAF…)' },
  email: { label: 'Adresse e-mail' },
  phone: { label: 'Téléphone' },
  address: { label: 'Adresse' },
  holds_parental_authority: { label: 'Exerce l’autorité parentale', show: yesNo },
  minor_role: { label: 'Rôle auprès du mineur', show: labelled(MINOR_ROLE_LABELS) },
  created_at: { label: 'Enregistré le', show: instant },
  updated_at: { label: 'Modifié le', show: instant },
  id: null,
  organisation_id: null,
  resident_id: null,
};

export const MEASURE_FIELDS: Fields = {
  type: { label: 'Mesure', show: labelled(MEASURE_TYPE_LABELS) },
  mode: { label: 'Mode', show: labelled(MEASURE_MODE_LABELS) },
  scope: { label: 'Elle protège', show: list(MEASURE_SCOPE_LABELS) },
  general: { label: 'Mesure générale (tous les actes)', show: yesNo },
  acts: { label: 'Actes couverts (mesure limitée)', show: list() },
  mission: { label: 'Mission du mandataire spécial' },
  court: { label: 'Tribunal' },
  judgment_reference: { label: 'Référence du jugement' },
  judgment_date: { label: 'Date du jugement', show: day },
  start_date: { label: 'Début', show: day },
  end_date: { label: 'Fin', show: day },
  mandate_effective_date: { label: 'Prise d’effet du mandat', show: day },
  judge_authorises_holder_alone: { label: 'Le juge autorise le curateur à signer seul le contrat (C. civ. 472)', show: yesNo },
  authorisation_reference: { label: 'Référence de cette autorisation' },
  proof_document_ref: { label: 'Pièce conservée au dossier (référence)' },
  subroge_contact_id: { label: 'Subrogé curateur ou subrogé tuteur', show: contactName },
  ad_hoc_contact_id: { label: 'Administrateur ou curateur ad hoc', show: contactName },
  ad_hoc_judgment_reference: { label: 'Jugement le désignant (référence)' },
  ad_hoc_judgment_date: { label: 'Date de ce jugement', show: day },
  created_at: { label: 'Enregistrée le', show: instant },
  updated_at: { label: 'Modifiée le', show: instant },
  id: null,
  organisation_id: null,
  resident_id: null,
};

export const HOLDER_FIELDS: Fields = {
  contact_id: { label: 'Qui l’exerce', show: contactName },
  role: { label: 'En qualité de', show: labelled(HOLDER_ROLE_LABELS) },
  mission: { label: 'Sa mission porte sur', show: list(MEASURE_SCOPE_LABELS) },
  establishment_employee: { label: 'Employé par l’établissement (intérêts opposés pour les actes avec lui)', show: yesNo },
  id: null,
  measure_id: null,
};

export const HOLD_FIELDS: Fields = {
  reason: { label: 'Motif' },
  placed_at: { label: 'Posé le', show: instant },
  lifted_at: { label: 'Levé le', show: instant },
  lift_reason: { label: 'Motif de la levée' },
  id: null,
  subject_type: null,
  subject_id: null,
};

function Fields(props: { fields: Fields; row: PersonFileRow; rows: PersonFileRows }) {
  // The columns with a label, in the order above; a column not listed (added since) stays in personne.json only.
  const shown = Object.entries(props.fields).filter((e): e is [string, Field] => e[1] !== null && e[0] in props.row);
  return (
    <dl>
      {shown.map(([key, f]) => (
        <div key={key} class="f">
          <dt>{f.label}</dt>
          <dd>{(f.show ?? text)(props.row[key], props.rows)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** Inline (the file is opened offline); no quote nor angle bracket: the text of <style> is escaped like any other. */
const CSS = `
body { font-family: system-ui, Arial, sans-serif; font-size: 1.125rem; line-height: 1.5; color: #1b1b1b; background: #fff; margin: 0; padding: 1rem; }
main { max-width: 48rem; margin: 0 auto; }
h1 { font-size: 1.75rem; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1b1b1b; }
h3 { font-size: 1.2rem; margin: 1.25rem 0 .25rem; }
h4 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
dl { margin: 0; }
.f { display: grid; grid-template-columns: minmax(10rem, 40%) 1fr; gap: .25rem 1rem; padding: .35rem 0; border-bottom: 1px solid #d0d0d0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 30rem) { .f { grid-template-columns: 1fr; } }
`;

/**
 * personne.html in an access request's zip: the person's file written for her (RGPD art. 12.1 and
 * 15.3, « sous une forme concise, transparente, compréhensible et aisément accessible »): French
 * labels, dates in words, coded values translated with the console's labels (@carepact/residents
 * resident-labels.ts, @carepact/common), the people named rather than their ids; technical columns
 * (organisation, search key, ids linking rows) left out, the file's own id said to be technical.
 * personne.json keeps every column as stored (art. 20, portability). Self-contained (no script, its
 * style inline): it is opened from the zip, offline.
 */
export function personFileHtml(rows: PersonFileRows, madeAt: Date = new Date()): string {
  const p = rows.personne;
  const name = `${String(p.first_name ?? '')} ${String(p.last_name ?? '')}`.trim();
  const measures = rows.measures;
  const page = (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`Dossier de ${name}`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <main>
          <h1>Dossier de {name}</h1>
          <p>
            Les informations que l’établissement conserve dans CarePact sur la personne, au {formatDateTimeFr(madeAt)}. Le fichier personne.json contient les mêmes
            données au format informatique, pour les réutiliser ailleurs.
          </p>
          {RESIDENT_SECTIONS.map((s, i) => (
            <Section key={s.title} id={`section-${i}`} title={s.title}>
              <Fields fields={s.fields} row={p} rows={rows} />
            </Section>
          ))}
          <Section id="contacts" title="Contacts">
            {rows.contacts.length ? (
              rows.contacts.map((c) => (
                <section key={String(c.id)} aria-label={`${String(c.first_name)} ${String(c.last_name)}`}>
                  <h3>
                    {String(c.first_name)} {String(c.last_name)}
                  </h3>
                  <Fields fields={CONTACT_FIELDS} row={c} rows={rows} />
                </section>
              ))
            ) : (
              <p>Aucun contact enregistré.</p>
            )}
          </Section>
          <Section id="mesures" title="Mesures de protection et qui les exerce">
            {measures.length ? (
              measures.map((m, i) => (
                <section key={String(m.id)} aria-labelledby={`mesure-${i}`}>
                  <h3 id={`mesure-${i}`}>{labelled(MEASURE_TYPE_LABELS)(m.type).replace(/^./, (c) => c.toUpperCase())}</h3>
                  <Fields fields={MEASURE_FIELDS} row={m} rows={rows} />
                  {rows.holders
                    .filter((h) => h.measure_id === m.id)
                    .map((h) => (
                      <div key={String(h.id)}>
                        <h4>{contactName(h.contact_id, rows)}</h4>
                        <Fields fields={HOLDER_FIELDS} row={h} rows={rows} />
                      </div>
                    ))}
                </section>
              ))
            ) : (
              <p>Aucune mesure de protection enregistrée.</p>
            )}
          </Section>
          {rows.holds.length ? (
            <Section id="gels" title="Conservation prolongée (contentieux)">
              {rows.holds.map((h) => (
                <Fields key={String(h.id)} fields={HOLD_FIELDS} row={h} rows={rows} />
              ))}
            </Section>
          ) : null}
        </main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>\n${renderToString(page)}`;
}
