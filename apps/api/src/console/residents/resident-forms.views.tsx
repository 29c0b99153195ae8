import { CIVILITIES, CIVILITY_LABELS, FieldError, agreeWithCivility, HOLDER_ROLE_LABELS, MEASURE_TYPE_LABELS, ofName } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import {
  ContactView,
  DELEGATION_EXTENTS,
  DELEGATION_EXTENT_LABELS,
  HOLDER_ROLES,
  MEASURE_TYPES,
  MINOR_ROLES,
  MINOR_ROLE_LABELS,
  MeasureView,
  PARENTAL_AUTHORITY,
  ResidentView,
  SOLE_AUTHORITY_GROUNDS,
  SOLE_AUTHORITY_GROUND_INFO,
  STAY_TYPES,
} from '@carepact/residents';
import type { ComponentChildren } from 'preact';
import { Checkbox, ErrorSummary, FieldMessage, NOTHING_SAVED, PostForm, RadioGroup, SelectField, TextArea, TextField, errorFor, fieldId, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { EMPLOYEE_PREFIX, Flat, MAX_BLOCKS, MISSION_PREFIX } from './resident-forms';
import { MEASURE_SCOPE_LABELS, PARENTAL_AUTHORITY_LABELS, STAY_TYPE_LABELS } from './resident-labels';

/** What every resident form page receives: who asks, the page's token, the fields as posted and their errors. */
export interface FormPageBase {
  actor: StaffActor;
  csrf: string;
  values: Flat;
  errors?: FieldError[];
  /** The block an « ajouter » button just added: its first field takes the focus. */
  focus?: string;
}


/** Field names as the forms label them, for the summary at the top (the message beside the field is the API's own). */
const LABELS: Record<string, string> = {
  establishmentId: 'Établissement',
  firstName: 'Prénom',
  lastName: 'Nom',
  birthName: 'Nom de naissance',
  birthDate: 'Date de naissance',
  admissionDate: 'Date d’admission',
  stayType: 'Type de séjour',
  plannedEndDate: 'Fin prévue du séjour',
  room: 'Chambre',
  email: 'Adresse e-mail',
  phone: 'Téléphone',
  parentalAuthority: 'Autorité parentale',
  soleAuthority: 'Exercice par un seul parent',
  ground: 'Motif',
  proofReference: 'Pièce qui l’établit',
  proofDate: 'Date de la pièce',
  language: 'Langue',
  largePrint: 'Gros caractères',
  easyToRead: 'Facile à lire et à comprendre',
  civility: 'Civilité',
  relation: 'Lien avec la personne',
  organisationName: 'Organisme',
  address: 'Adresse postale',
  holdsParentalAuthority: 'Autorité parentale',
  minorRole: 'Rôle auprès du mineur',
  minorDecision: 'Décision (tutelle, délégation, placement)',
  authority: 'Autorité qui l’a rendue',
  reference: 'Référence',
  date: 'Date',
  delegationExtent: 'Étendue de la délégation',
  delegationCoversStay: 'Ce que couvre la délégation partielle',
  wardOfState: 'Pupille de l’État',
  actAuthorisation: 'Autorisation du juge des enfants',
  designatedOn: 'Date de désignation',
  contactId: 'Contact déjà au dossier',
  type: 'Type de mesure',
  mode: 'Mode',
  scope: 'Ce que la mesure protège',
  general: 'Portée',
  acts: 'Actes couverts',
  mission: 'Mission du mandataire spécial',
  court: 'Tribunal',
  judgmentReference: 'Référence du jugement',
  judgmentDate: 'Date du jugement',
  startDate: 'Date de début',
  endDate: 'Date de fin',
  mandateEffectiveDate: 'Prise d’effet du mandat',
  judgeAuthorisesHolderAlone: 'Autorisation du juge',
  authorisationReference: 'Référence de l’autorisation du juge',
  proofDocumentRef: 'Pièce justificative',
  holderEstablishmentEmployee: 'Titulaire préposé de l’établissement',
  subrogeContactId: 'Subrogé curateur ou tuteur',
  adHocContactId: 'Curateur ou tuteur ad hoc',
  adHocJudgmentReference: 'Référence de la décision ad hoc',
  adHocJudgmentDate: 'Date de la décision ad hoc',
  role: 'Rôle',
  holders: 'Personnes qui exercent la mesure',
  parents: 'Parents',
  contacts: 'Contacts',
  personneDeConfiance: 'Personne de confiance',
  protectionMeasure: 'Mesure de protection',
  preferences: 'Préférences de lecture',
};
const BLOCKS: Record<string, string> = { contacts: 'contact', parents: 'parent', holders: 'titulaire' };

/** « Mesure de protection, titulaire 1 — Adresse e-mail » for `protectionMeasure.holders.0.email`. */
export function fieldLabel(path: string, residentForm = false): string {
  const parts = path.split('.');
  const context: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const next = parts[i + 1];
    if (BLOCKS[parts[i]] && /^\d+$/.test(next)) {
      context.push(`${BLOCKS[parts[i]]} ${Number(next) + 1}`);
      i++;
    } else if (parts[i] !== 'preferences') context.push(LABELS[parts[i]] ?? parts[i]);
  }
  const last = parts[parts.length - 1];
  const label = /^\d+$/.test(last) ? '' : residentForm && path === 'lastName' ? 'Nom d’usage' : (LABELS[last] ?? last);
  const where = capitalise(context.join(', '));
  return where && label ? `${where} — ${label}` : where || label;
}

/** The summary's lines: which field, then the API's message. */
export function summaryErrors(errors: FieldError[] | undefined, residentForm = false): FieldError[] | undefined {
  return errors?.map((e) => ({ ...e, message: `${fieldLabel(e.field, residentForm)} : ${e.message}` }));
}

export const residentName = (r: { firstName: string; lastName: string }) => `${r.firstName} ${r.lastName}`;
export const residentPath = (id: string) => `/console/residents/${id}`;

/** A fieldset that is itself the target of an error (`parents`, `protectionMeasure.holders`, `protectionMeasure.scope`…). */
function Group(props: { path: string; legend: ComponentChildren; hint?: ComponentChildren; errors?: FieldError[]; children: ComponentChildren }) {
  const id = fieldId(props.path);
  const error = errorFor(props.errors, props.path);
  const describedBy = [props.hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={id} aria-describedby={describedBy}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${id}-aide`}>
          {props.hint}
        </p>
      ) : null}
      <FieldMessage id={id} error={error} />
      {props.children}
    </fieldset>
  );
}

/** « Ajouter … »: posts the form as it is and gets it back with one more block (no JavaScript needed, nothing saved). */
function AddButton(props: { block: string; label: string; disabled?: boolean }) {
  if (props.disabled) return null;
  return (
    <p>
      <button type="submit" name="_action" value={`ajouter:${props.block}`} class="secondary">
        {props.label}
      </button>
    </p>
  );
}

/**
 * The form's first submit button, out of sight: Enter in a field saves the form (the browser's
 * implicit submission takes the first button) instead of adding a block.
 */
function DefaultSubmit() {
  return (
    <button type="submit" name="_action" value="enregistrer" class="visually-hidden" tabIndex={-1} aria-hidden="true">
      Enregistrer
    </button>
  );
}

function Actions(props: { cancel: string; label: string }) {
  return (
    <div class="actions">
      <button type="submit" name="_action" value="enregistrer">
        {props.label}
      </button>
      <a class="button secondary" href={props.cancel}>
        Annuler
      </a>
    </div>
  );
}

interface BlockProps {
  prefix: string;
  values: Flat;
  errors?: FieldError[];
  autoFocus?: boolean;
}

const v = (values: Flat, name: string) => values[name] ?? '';

/**
 * « Civilité : — / Madame / Monsieur », optional: the titles the documents and the console print agree
 * with it (« tutrice », « curatrice »; @carepact/common civility.ts); « — », the masculine generic.
 */
function CivilityField(props: { name: string; values: Flat; errors?: FieldError[] }) {
  return (
    <SelectField
      name={props.name}
      label="Civilité"
      hint="Facultative. Les titres s’accordent avec elle dans les documents (tutrice, curatrice…)."
      emptyLabel="—"
      options={CIVILITIES.map((c): [string, string] => [c, CIVILITY_LABELS[c]])}
      value={v(props.values, props.name)}
      errors={props.errors}
    />
  );
}

/** A person's fields (contact, parent, holder, personne de confiance): names, relation, where to reach them. */
function PersonFields(props: BlockProps & { organisation?: boolean; required?: boolean }) {
  const p = props.prefix;
  return (
    <>
      <CivilityField name={`${p}civility`} values={props.values} errors={props.errors} />
      <TextField name={`${p}firstName`} label="Prénom" required={props.required} autocomplete="off" value={v(props.values, `${p}firstName`)} errors={props.errors} autoFocus={props.autoFocus} />
      <TextField name={`${p}lastName`} label="Nom" required={props.required} autocomplete="off" value={v(props.values, `${p}lastName`)} errors={props.errors} />
      <TextField name={`${p}relation`} label="Lien avec la personne" hint="Par exemple : fille, neveu, ami." value={v(props.values, `${p}relation`)} errors={props.errors} />
      {props.organisation !== false ? (
        <TextField name={`${p}organisationName`} label="Organisme" hint="Pour un professionnel : UDAF, association tutélaire…" value={v(props.values, `${p}organisationName`)} errors={props.errors} />
      ) : null}
      <TextField name={`${p}email`} type="email" label="Adresse e-mail" autocomplete="off" value={v(props.values, `${p}email`)} errors={props.errors} />
      <TextField name={`${p}phone`} type="tel" label="Téléphone" autocomplete="off" value={v(props.values, `${p}phone`)} errors={props.errors} />
      <TextField name={`${p}address`} label="Adresse postale" autocomplete="off" value={v(props.values, `${p}address`)} errors={props.errors} />
    </>
  );
}

/** A relative or representative (ContactDto / UpdateContactDto). */
export function ContactFields(props: BlockProps & { parental?: boolean }) {
  return (
    <>
      <PersonFields {...props} required />
      {props.parental !== false ? (
        <Checkbox
          name={`${props.prefix}holdsParentalAuthority`}
          label="Parent titulaire de l’autorité parentale (pour un mineur, C. civ. 371-1)"
          checked={props.values[`${props.prefix}holdsParentalAuthority`] === 'oui'}
          errors={props.errors}
        />
      ) : null}
      {props.parental !== false ? (
        <SelectField
          name={`${props.prefix}minorRole`}
          label="Rôle auprès du mineur, autre que parent"
          hint="Tuteur (C. civ. 408 ; pupille de l’État : le représentant du préfet), délégataire de l’autorité parentale (C. civ. 377), ou service à qui le juge des enfants a confié l’enfant (C. civ. 375-7)."
          emptyLabel="Aucun"
          options={MINOR_ROLES.map((r) => [r, capitalise(MINOR_ROLE_LABELS[r])])}
          value={v(props.values, `${props.prefix}minorRole`)}
          errors={props.errors}
        />
      ) : null}
    </>
  );
}

/** The resident's own fields: identity, stay, contact details, reading preferences, parental authority (CreateResidentDto / UpdateResidentDto). */
export function ResidentFields(props: { values: Flat; errors?: FieldError[]; establishments?: [string, string][] }) {
  const { values, errors } = props;
  return (
    <>
      <h2>Identité</h2>
      <CivilityField name="civility" values={values} errors={errors} />
      <TextField name="firstName" label="Prénom" required autocomplete="off" value={v(values, 'firstName')} errors={errors} />
      <TextField name="lastName" label="Nom d’usage" required autocomplete="off" value={v(values, 'lastName')} errors={errors} />
      <TextField name="birthName" label="Nom de naissance" hint="S’il diffère du nom d’usage." autocomplete="off" value={v(values, 'birthName')} errors={errors} />
      <TextField name="birthDate" type="date" label="Date de naissance" required value={v(values, 'birthDate')} errors={errors} />

      <h2>Séjour</h2>
      {props.establishments ? (
        <SelectField name="establishmentId" label="Établissement" required options={props.establishments} value={v(values, 'establishmentId')} errors={errors} />
      ) : null}
      <TextField name="admissionDate" type="date" label="Date d’admission" required value={v(values, 'admissionDate')} errors={errors} />
      <RadioGroup name="stayType" label="Type de séjour (obligatoire)" options={STAY_TYPES.map((s) => [s, capitalise(STAY_TYPE_LABELS[s])])} value={v(values, 'stayType')} errors={errors} />
      <TextField name="plannedEndDate" type="date" label="Fin prévue du séjour" hint="Obligatoire pour un hébergement temporaire." value={v(values, 'plannedEndDate')} errors={errors} />
      <TextField name="room" label="Chambre" value={v(values, 'room')} errors={errors} />

      <h2>Coordonnées de la personne</h2>
      <TextField name="email" type="email" label="Adresse e-mail" hint="Pour recevoir elle-même ses documents à signer." autocomplete="off" value={v(values, 'email')} errors={errors} />
      <TextField name="phone" type="tel" label="Téléphone" autocomplete="off" value={v(values, 'phone')} errors={errors} />

      <h2>Préférences de lecture</h2>
      <p class="hint">Les documents lui sont proposés d’abord sous cette forme (CASF L.311-4 : une information adaptée).</p>
      <Checkbox name="preferences.easyToRead" label="Facile à lire et à comprendre (FALC)" checked={values['preferences.easyToRead'] === 'oui'} errors={errors} />
      <Checkbox name="preferences.largePrint" label="Gros caractères" checked={values['preferences.largePrint'] === 'oui'} errors={errors} />
      <TextField name="preferences.language" label="Langue" hint="Code de langue à deux lettres, par exemple fr pour le français, ar pour l’arabe ; fr par défaut." value={v(values, 'preferences.language')} errors={errors} />

      <h2>Pour un mineur</h2>
      <SelectField
        name="parentalAuthority"
        label="Autorité parentale"
        hint="Pour un mineur seulement : qui l’exerce (C. civ. 371-1, 372 s.)."
        emptyLabel="Sans objet (personne majeure)"
        options={PARENTAL_AUTHORITY.map((a) => [a, capitalise(PARENTAL_AUTHORITY_LABELS[a])])}
        value={v(values, 'parentalAuthority')}
        errors={errors}
      />
      <Group
        path="soleAuthority"
        legend="Si un seul parent exerce l’autorité parentale : motif et preuve"
        hint="L’exercice en commun est la règle (C. civ. 372). Un seul parent signe seul sur une pièce qui l’établit ; la demande de signature est refusée sans elle. Sous une délégation partielle qui ne porte pas sur l’accueil, les parents gardent le reste en commun : la preuve s’enregistre aussi si un seul l’exerce (C. civ. 377-1)."
        errors={errors}
      >
        <SelectField
          name="soleAuthority.ground"
          label="Motif"
          emptyLabel="Sans objet"
          options={SOLE_AUTHORITY_GROUNDS.map((g) => [g, `${capitalise(SOLE_AUTHORITY_GROUND_INFO[g].label)} (${SOLE_AUTHORITY_GROUND_INFO[g].basis})`])}
          value={v(values, 'soleAuthority.ground')}
          errors={errors}
        />
        <TextField
          name="soleAuthority.proofReference"
          label="Pièce qui l’établit"
          hint={`Sa nature et sa référence : jugement du juge aux affaires familiales (RG…), acte de décès, acte de naissance intégral… ${SOLE_AUTHORITY_GROUND_INFO.filiation.check}`}
          autocomplete="off"
          value={v(values, 'soleAuthority.proofReference')}
          errors={errors}
        />
        <TextField name="soleAuthority.proofDate" type="date" label="Date de la pièce" value={v(values, 'soleAuthority.proofDate')} errors={errors} />
      </Group>
      <Group
        path="minorDecision"
        legend="Si tutelle, délégation ou placement : la décision"
        hint="Tutelle : délibération du conseil de famille ou jugement désignant le tuteur (C. civ. 390, 404, 411), ou arrêté d’admission du pupille de l’État (CASF L.224-8). Délégation : jugement du juge aux affaires familiales (C. civ. 377, 377-1). Placement : ordonnance du juge des enfants (facultative). Le tuteur, le délégataire ou le service s’ajoutent parmi les contacts, avec leur rôle auprès du mineur."
        errors={errors}
      >
        <TextField
          name="minorDecision.authority"
          label="Autorité qui l’a rendue"
          hint="Par exemple : conseil de famille, tribunal judiciaire de Valville ; juge aux affaires familiales ; juge des enfants ; préfet du Val."
          autocomplete="off"
          value={v(values, 'minorDecision.authority')}
          errors={errors}
        />
        <TextField name="minorDecision.reference" label="Référence de la décision" hint="N° RG, minute, arrêté…" autocomplete="off" value={v(values, 'minorDecision.reference')} errors={errors} />
        <TextField name="minorDecision.date" type="date" label="Date de la décision" value={v(values, 'minorDecision.date')} errors={errors} />
        <SelectField
          name="minorDecision.delegationExtent"
          label="Étendue de la délégation"
          hint="Délégation seulement. Totale : le délégataire signe seul. Partielle : seuls les droits que nomme le jugement sont délégués, les parents gardent le reste (C. civ. 377, 377-1 al. 1). Partagée : le jugement prévoit que les parents partagent l’exercice de l’autorité parentale avec le délégataire, qui signe avec eux (C. civ. 377-1 al. 2)."
          emptyLabel="Sans objet"
          options={DELEGATION_EXTENTS.map((e) => [e, capitalise(DELEGATION_EXTENT_LABELS[e])])}
          value={v(values, 'minorDecision.delegationExtent')}
          errors={errors}
        />
        <SelectField
          name="minorDecision.delegationCoversStay"
          label="Délégation partielle : porte-t-elle sur l’accueil et l’accompagnement dans l’établissement ?"
          hint="Délégation partielle seulement, d’après le jugement. Oui : le délégataire signe seul les documents du séjour. Non : les parents, qui en ont gardé l’exercice, les signent (C. civ. 377, 377-1 al. 1)."
          emptyLabel="Sans objet"
          options={[
            ['oui', 'Oui : le délégataire signe'],
            ['non', 'Non : les parents signent'],
          ]}
          value={v(values, 'minorDecision.delegationCoversStay')}
          errors={errors}
        />
        <Checkbox
          name="minorDecision.wardOfState"
          label="Tutelle : l’enfant est pupille de l’État (CASF L.224-1)"
          checked={values['minorDecision.wardOfState'] === 'oui'}
          errors={errors}
        />
        <TextField
          name="minorDecision.actAuthorisation.reference"
          label="Placement : autorisation du juge des enfants pour le service gardien (référence)"
          hint="Seulement si l’ordonnance du juge des enfants, en cours de validité, autorise le service à qui l’enfant est confié à accomplir cet acte à la place des parents (C. civ. 375-7 al. 2) ; le service peut alors signer."
          autocomplete="off"
          value={v(values, 'minorDecision.actAuthorisation.reference')}
          errors={errors}
        />
        <TextField
          name="minorDecision.actAuthorisation.date"
          type="date"
          label="Date de l’autorisation du juge des enfants"
          value={v(values, 'minorDecision.actAuthorisation.date')}
          errors={errors}
        />
      </Group>
    </>
  );
}

/** A protection measure's fields under `prefix`; its holders for a new measure (MeasureDto), not when editing (UpdateMeasureDto). */
export function MeasureFields(props: BlockProps & { mode: 'create' | 'update'; holders: number; contacts?: ContactView[]; optional?: boolean; focus?: string }) {
  const { prefix: p, values, errors } = props;
  const scopePath = `${p}scope`;
  return (
    <>
      <SelectField
        name={`${p}type`}
        label="Type de mesure"
        required={!props.optional}
        emptyLabel={props.mode === 'create' ? (props.optional ? 'Aucune mesure de protection' : 'Choisir…') : undefined}
        options={MEASURE_TYPES.map((t) => [t, capitalise(MEASURE_TYPE_LABELS[t])])}
        value={v(values, `${p}type`)}
        errors={errors}
      />
      <RadioGroup
        name={`${p}mode`}
        label="Mode"
        hint="Curatelle : assistance (C. civ. 440 al. 1, 467). Tutelle, mandat de protection future : représentation (C. civ. 440 al. 3, 477)."
        options={[
          ['assistance', 'Assistance'],
          ['representation', 'Représentation'],
        ]}
        value={v(values, `${p}mode`)}
        errors={errors}
      />
      <Group path={scopePath} legend="La mesure protège" errors={errors}>
        {(['personne', 'biens'] as const).map((s) => (
          <div class="choice" key={s}>
            <input type="checkbox" id={fieldId(`${scopePath}.${s}`)} name={`${scopePath}.${s}`} value="oui" checked={values[`${scopePath}.${s}`] === 'oui'} />
            <label for={fieldId(`${scopePath}.${s}`)}>{capitalise(MEASURE_SCOPE_LABELS[s])}</label>
          </div>
        ))}
      </Group>
      <RadioGroup
        name={`${p}general`}
        label="Portée"
        options={[
          ['oui', 'Mesure générale'],
          ['non', 'Limitée aux actes listés ci-dessous'],
        ]}
        value={v(values, `${p}general`) || 'oui'}
        errors={errors}
      />
      <TextArea name={`${p}acts`} label="Actes couverts" hint="Une mesure limitée : un acte par ligne." rows={3} value={v(values, `${p}acts`)} errors={errors} />
      <TextArea name={`${p}mission`} label="Mission du mandataire spécial" hint="Sauvegarde de justice seulement." rows={2} value={v(values, `${p}mission`)} errors={errors} />
      <TextField name={`${p}court`} label="Tribunal" required value={v(values, `${p}court`)} errors={errors} />
      <TextField name={`${p}judgmentReference`} label="Référence du jugement" required hint="Par exemple : RG 25/00412." value={v(values, `${p}judgmentReference`)} errors={errors} />
      <TextField name={`${p}judgmentDate`} type="date" label="Date du jugement" required value={v(values, `${p}judgmentDate`)} errors={errors} />
      <TextField name={`${p}startDate`} type="date" label="Date de début" hint="Si elle diffère de la date du jugement." value={v(values, `${p}startDate`)} errors={errors} />
      <TextField name={`${p}endDate`} type="date" label="Date de fin fixée par le jugement" hint="Obligatoire pour une mesure judiciaire (C. civ. 441)." value={v(values, `${p}endDate`)} errors={errors} />
      <TextField name={`${p}mandateEffectiveDate`} type="date" label="Prise d’effet du mandat" hint="Mandat de protection future : date du visa du greffe (C. civ. 481)." value={v(values, `${p}mandateEffectiveDate`)} errors={errors} />
      <Checkbox
        name={`${p}judgeAuthorisesHolderAlone`}
        label="Le juge autorise le curateur à signer seul le contrat de séjour (curatelle renforcée, C. civ. 472)"
        checked={values[`${p}judgeAuthorisesHolderAlone`] === 'oui'}
        errors={errors}
      />
      <TextField name={`${p}authorisationReference`} label="Référence de l’autorisation du juge" value={v(values, `${p}authorisationReference`)} errors={errors} />
      <TextField name={`${p}proofDocumentRef`} label="Pièce justificative" hint="Référence de la copie du jugement classée au dossier." value={v(values, `${p}proofDocumentRef`)} errors={errors} />
      <ConflictOfInterestFields prefix={p} values={values} errors={errors} contacts={props.contacts} />
      {props.mode === 'create' ? (
        <Group path={`${p}holders`} legend="Personnes qui exercent la mesure" hint="Un bloc laissé vide est ignoré." errors={errors}>
          {Array.from({ length: props.holders }, (_, i) => {
            const h = `${p}holders.${i}.`;
            return (
              <Group key={i} path={`${p}holders.${i}`} legend={`Titulaire ${i + 1}`} errors={errors}>
                <SelectField
                  name={`${h}role`}
                  label="Rôle"
                  required
                  emptyLabel="Choisir…"
                  options={HOLDER_ROLES.map((r) => [r, capitalise(HOLDER_ROLE_LABELS[r])])}
                  value={v(values, `${h}role`)}
                  errors={errors}
                />
                {props.contacts?.length ? (
                  <SelectField
                    name={`${h}contactId`}
                    label="Un contact déjà au dossier"
                    hint="Sinon, indiquez la personne ci-dessous."
                    emptyLabel="Une autre personne"
                    options={props.contacts.map((c) => [c.id, `${c.firstName} ${c.lastName}${c.organisationName ? ` (${c.organisationName})` : ''}`])}
                    value={v(values, `${h}contactId`)}
                    errors={errors}
                  />
                ) : null}
                <PersonFields prefix={h} values={values} errors={errors} autoFocus={props.focus === `${p}holders` && i === props.holders - 1} />
                {/* C. civ. 451 al. 2: the tie to the establishment is this holder's own (co-holders, C. civ. 447 al. 2-3). */}
                <Checkbox name={`${h}establishmentEmployee`} label={EMPLOYEE_LABEL} checked={values[`${h}establishmentEmployee`] === 'oui'} errors={errors} />
                {/* C. civ. 447 al. 3: the judge may divide the measure between the person and the property. */}
                <SelectField name={`${h}mission`} label={MISSION_LABEL} hint={MISSION_HINT} emptyLabel={MISSION_WHOLE} options={MISSION_OPTIONS} value={v(values, `${h}mission`)} errors={errors} />
              </Group>
            );
          })}
          <AddButton block={`${p}holders`} label="Ajouter un titulaire" disabled={props.holders >= MAX_BLOCKS.holders} />
        </Group>
      ) : null}
    </>
  );
}

/** The personne de confiance (CASF L.311-5-1): never a signatory; an existing contact or a new person. */
/** A holder's mission (C. civ. 447 al. 3): the whole measure (empty), or one of its domains. */
const MISSION_LABEL = 'Mission de ce titulaire';
const MISSION_WHOLE = 'Toute la mesure';
const MISSION_OPTIONS: [string, string][] = [
  ['personne', 'Protection de la personne'],
  ['biens', 'Gestion patrimoniale'],
];
const MISSION_HINT =
  'Si le juge a divisé la mesure entre un titulaire chargé de la protection de la personne et un titulaire chargé de la gestion patrimoniale (C. civ. 447 al. 3), indiquez la mission de chacun : chacun signe les documents qui relèvent de sa mission, les deux le contrat de séjour. Sinon, laissez « Toute la mesure ».';

/** A holder's own tie to the establishment (C. civ. 451 al. 2), in his block of the new-measure forms. */
const EMPLOYEE_LABEL = 'Préposé de l’établissement, ou salarié de l’établissement ou de son organisme gestionnaire (C. civ. 451 al. 2)';

/**
 * The holder may be the establishment's préposé (C. civ. 451 al. 2): for the contract, its avenants
 * and the DIPC the subrogé (C. civ. 454 al. 5) or a holder ad hoc (C. civ. 455) signs in his place.
 * The subrogé and the ad hoc holder are contacts already in the file: chosen in the measure form only.
 */
function ConflictOfInterestFields(props: BlockProps & { contacts?: ContactView[] }) {
  const { prefix: p, values, errors } = props;
  const options = (props.contacts ?? []).map((c): [string, string] => [c.id, `${c.firstName} ${c.lastName}${c.organisationName ? ` (${c.organisationName})` : c.relation ? ` (${c.relation})` : ''}`]);
  return (
    <Group
      path={`${p}conflitInterets`}
      legend="Titulaire lié à l’établissement (C. civ. 451, 454, 455)"
      hint="Pour le contrat de séjour, ses avenants et le DIPC, conclus avec l’établissement, un titulaire préposé de l’établissement a des intérêts opposés à ceux de la personne : un autre titulaire de la mesure, sinon le subrogé curateur ou tuteur, ou à défaut le curateur ou tuteur ad hoc désigné par le juge, signe à sa place."
      errors={errors}
    >
      <p class="hint">Le lien avec l’établissement se coche pour chaque titulaire, dans « Personnes qui exercent la mesure » : avec plusieurs titulaires, seul celui qui est préposé est en conflit, l’autre signe (C. civ. 447 al. 2 et 3).</p>
      {props.contacts ? (
        <>
          <SelectField
            name={`${p}subrogeContactId`}
            label="Subrogé curateur ou subrogé tuteur (C. civ. 454)"
            hint="Une personne déjà enregistrée parmi les contacts du dossier."
            emptyLabel="Aucun subrogé désigné"
            options={options}
            value={v(values, `${p}subrogeContactId`)}
            errors={errors}
          />
          <SelectField
            name={`${p}adHocContactId`}
            label="Curateur ou tuteur ad hoc désigné par le juge (C. civ. 455)"
            hint="Une personne déjà enregistrée parmi les contacts du dossier, avec la décision qui la désigne."
            emptyLabel="Aucune désignation ad hoc"
            options={options}
            value={v(values, `${p}adHocContactId`)}
            errors={errors}
          />
          <TextField name={`${p}adHocJudgmentReference`} label="Référence de la décision désignant le titulaire ad hoc" hint="Par exemple : RG 26/00981." value={v(values, `${p}adHocJudgmentReference`)} errors={errors} />
          <TextField name={`${p}adHocJudgmentDate`} type="date" label="Date de la décision désignant le titulaire ad hoc" value={v(values, `${p}adHocJudgmentDate`)} errors={errors} />
        </>
      ) : (
        <p class="hint">Le subrogé et le titulaire ad hoc s’enregistrent dans la fiche de la mesure, une fois la personne ajoutée aux contacts du dossier.</p>
      )}
    </Group>
  );
}

export function PdcFields(props: BlockProps & { contacts?: ContactView[] }) {
  const p = props.prefix;
  return (
    <>
      {props.contacts?.length ? (
        <SelectField
          name={`${p}contactId`}
          label="Un contact déjà au dossier"
          hint="Sinon, indiquez la personne ci-dessous."
          emptyLabel="Une autre personne"
          options={props.contacts.map((c) => [c.id, `${c.firstName} ${c.lastName}${c.relation ? ` (${c.relation})` : ''}`])}
          value={v(props.values, `${p}contactId`)}
          errors={props.errors}
        />
      ) : null}
      <PersonFields prefix={p} values={props.values} errors={props.errors} organisation={false} />
      <TextField name={`${p}designatedOn`} type="date" label="Désignée le" hint="Date de la désignation écrite et signée." value={v(props.values, `${p}designatedOn`)} errors={props.errors} />
    </>
  );
}

export interface CreatePageState extends FormPageBase {
  establishments: [string, string][];
  contacts: number;
  parents: number;
  holders: number;
}

/** « Nouveau résident »: the whole of CreateResidentDto in one form, one service call, nothing saved on error. */
export function residentCreatePage(s: CreatePageState): string {
  return renderPage(
    <ConsolePage title={s.errors?.length ? 'Erreur — Nouveau résident' : 'Nouveau résident'} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href="/console/residents">Résidents</a>
      </p>
      <h1>Nouveau résident</h1>
      <ErrorSummary errors={summaryErrors(s.errors, true)} message={s.errors?.length ? NOTHING_SAVED : undefined} />
      <p class="hint">Les champs marqués « obligatoire » sont nécessaires ; les autres peuvent être complétés plus tard.</p>
      <PostForm action="/console/residents/nouveau" csrf={s.csrf}>
        <DefaultSubmit />
        <ResidentFields values={s.values} errors={s.errors} establishments={s.establishments} />

        <h2>Contacts</h2>
        <p class="hint">Proches et représentants. Un bloc laissé vide est ignoré.</p>
        {Array.from({ length: s.contacts }, (_, i) => (
          <Group key={i} path={`contacts.${i}`} legend={`Contact ${i + 1}`} errors={s.errors}>
            <ContactFields prefix={`contacts.${i}.`} values={s.values} errors={s.errors} autoFocus={s.focus === 'contacts' && i === s.contacts - 1} />
          </Group>
        ))}
        <AddButton block="contacts" label="Ajouter un contact" disabled={s.contacts >= MAX_BLOCKS.contacts} />

        <Group path="parents" legend="Parents titulaires de l’autorité parentale (mineur)" hint="Pour un mineur : deux parents si l’autorité est conjointe, un seul si elle est exclusive (C. civ. 372, 373-2)." errors={s.errors}>
          {Array.from({ length: s.parents }, (_, i) => (
            <Group key={i} path={`parents.${i}`} legend={`Parent ${i + 1}`} errors={s.errors}>
              <ContactFields prefix={`parents.${i}.`} values={s.values} errors={s.errors} parental={false} autoFocus={s.focus === 'parents' && i === s.parents - 1} />
            </Group>
          ))}
          <AddButton block="parents" label="Ajouter un parent" disabled={s.parents >= MAX_BLOCKS.parents} />
        </Group>

        <h2>Personne de confiance</h2>
        <Group path="personneDeConfiance" legend="Personne de confiance (facultatif)" hint="Désignée par la personne majeure (CASF L.311-5-1). Elle l’accompagne ; elle ne signe jamais à sa place." errors={s.errors}>
          <PdcFields prefix="personneDeConfiance." values={s.values} errors={s.errors} />
        </Group>

        <h2>Mesure de protection</h2>
        <Group path="protectionMeasure" legend="Mesure de protection juridique (facultatif)" hint="Laissez « Aucune mesure » pour une personne qui décide seule." errors={s.errors}>
          <MeasureFields prefix="protectionMeasure." mode="create" optional values={s.values} errors={s.errors} holders={s.holders} focus={s.focus} />
        </Group>
        <Actions cancel="/console/residents" label="Créer le dossier" />
      </PostForm>
    </ConsolePage>,
  );
}

/** « Modifier l’identité et le séjour »: UpdateResidentDto, one service call. */
export function residentEditPage(s: FormPageBase & { resident: ResidentView }): string {
  const r = s.resident;
  return renderPage(
    <ConsolePage title={`${s.errors?.length ? 'Erreur — ' : ''}Modifier le dossier ${ofName(residentName(r))}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href={residentPath(r.id)}>Dossier {ofName(residentName(r))}</a>
      </p>
      <h1>Modifier le dossier {ofName(residentName(r))}</h1>
      <ErrorSummary errors={summaryErrors(s.errors, true)} message={s.errors?.length ? NOTHING_SAVED : undefined} />
      <p class="hint">Contacts, personne de confiance et mesures se modifient depuis le dossier, chacun à part.</p>
      <PostForm action={`${residentPath(r.id)}/modifier`} csrf={s.csrf}>
        <ResidentFields values={s.values} errors={s.errors} />
        <Actions cancel={residentPath(r.id)} label="Enregistrer" />
      </PostForm>
    </ConsolePage>,
  );
}

/** Add or change one contact (ContactDto / UpdateContactDto). */
export function contactFormPage(s: FormPageBase & { resident: ResidentView; contact?: ContactView }): string {
  const r = s.resident;
  const title = s.contact ? `Modifier le contact ${s.contact.firstName} ${s.contact.lastName}` : 'Ajouter un contact';
  const action = s.contact ? `${residentPath(r.id)}/contacts/${s.contact.id}/modifier` : `${residentPath(r.id)}/contacts/nouveau`;
  return renderPage(
    <ConsolePage title={`${s.errors?.length ? 'Erreur — ' : ''}${title} — ${residentName(r)}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href={residentPath(r.id)}>Dossier {ofName(residentName(r))}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={summaryErrors(s.errors)} message={s.errors?.length ? NOTHING_SAVED : undefined} />
      <PostForm action={action} csrf={s.csrf}>
        <ContactFields prefix="" values={s.values} errors={s.errors} />
        <Actions cancel={residentPath(r.id)} label={s.contact ? 'Enregistrer' : 'Ajouter le contact'} />
      </PostForm>
    </ConsolePage>,
  );
}

/** Designate (or change) the personne de confiance. */
export function pdcFormPage(s: FormPageBase & { resident: ResidentView }): string {
  const r = s.resident;
  return renderPage(
    <ConsolePage title={`${s.errors?.length ? 'Erreur — ' : ''}Personne de confiance — ${residentName(r)}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href={residentPath(r.id)}>Dossier {ofName(residentName(r))}</a>
      </p>
      <h1>Personne de confiance {ofName(residentName(r))}</h1>
      <ErrorSummary errors={summaryErrors(s.errors)} message={s.errors?.length ? NOTHING_SAVED : undefined} />
      <p class="hint">Désignée par écrit par la personne majeure (CASF L.311-5-1, D.311-0-4). Elle l’accompagne ; elle ne signe jamais à sa place.</p>
      <PostForm action={`${residentPath(r.id)}/personne-de-confiance`} csrf={s.csrf}>
        <PdcFields prefix="" values={s.values} errors={s.errors} contacts={r.contacts} />
        <Actions cancel={residentPath(r.id)} label="Enregistrer la désignation" />
      </PostForm>
      {r.personneDeConfiance ? (
        <PostForm action={`${residentPath(r.id)}/personne-de-confiance/retirer`} csrf={s.csrf}>
          <button type="submit" class="secondary">
            Retirer la désignation {ofName(`${r.personneDeConfiance.firstName} ${r.personneDeConfiance.lastName}`)}
          </button>
        </PostForm>
      ) : null}
    </ConsolePage>,
  );
}

/** Record a new measure (with its holders) or change one (UpdateMeasureDto: its holders stay). */
export function measureFormPage(s: FormPageBase & { resident: ResidentView; measure?: MeasureView; holders: number }): string {
  const r = s.resident;
  const title = s.measure ? `Modifier la ${MEASURE_TYPE_LABELS[s.measure.type]}` : 'Enregistrer une mesure de protection';
  const action = s.measure ? `${residentPath(r.id)}/mesures/${s.measure.id}/modifier` : `${residentPath(r.id)}/mesures/nouvelle`;
  return renderPage(
    <ConsolePage title={`${s.errors?.length ? 'Erreur — ' : ''}${title} — ${residentName(r)}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href={residentPath(r.id)}>Dossier {ofName(residentName(r))}</a>
      </p>
      <h1>
        {title} — {residentName(r)}
      </h1>
      <ErrorSummary errors={summaryErrors(s.errors)} message={s.errors?.length ? NOTHING_SAVED : undefined} />
      <PostForm action={action} csrf={s.csrf}>
        {s.measure ? null : <DefaultSubmit />}
        <MeasureFields prefix="" mode={s.measure ? 'update' : 'create'} values={s.values} errors={s.errors} holders={s.holders} contacts={r.contacts} focus={s.focus} />
        {s.measure ? (
          <>
            <h2>Personnes qui exercent la mesure</h2>
            <ul>
              {s.measure.holders.map((h) => (
                <li key={h.contactId}>
                  {h.firstName} {h.lastName} — {agreeWithCivility(HOLDER_ROLE_LABELS[h.role], h.civility)}
                  {h.organisationName ? ` (${h.organisationName})` : ''}
                </li>
              ))}
            </ul>
            <p class="hint">Un changement de titulaire est un nouveau jugement : enregistrez une nouvelle mesure.</p>
            {/* C. civ. 451 al. 2, 447 al. 2-3: one checkbox per holder; only the one employed by the establishment is in conflict. */}
            <Group
              path="establishmentEmployeeContactIds"
              legend="Titulaires préposés de l’établissement (C. civ. 451 al. 2)"
              hint="Cochez chaque titulaire préposé de l’établissement, ou salarié de l’établissement ou de son organisme gestionnaire. Pour le contrat de séjour, ses avenants et le DIPC, il ne signe pas : un autre titulaire, le titulaire ad hoc ou le subrogé signe à sa place (C. civ. 447, 454 al. 5, 455)."
              errors={s.errors}
            >
              {s.measure.holders.map((h) => (
                <Checkbox
                  key={h.contactId}
                  name={`${EMPLOYEE_PREFIX}${h.contactId}`}
                  label={`${h.firstName} ${h.lastName}, ${agreeWithCivility(HOLDER_ROLE_LABELS[h.role], h.civility)}`}
                  checked={s.values[`${EMPLOYEE_PREFIX}${h.contactId}`] === 'oui'}
                  errors={s.errors}
                />
              ))}
            </Group>
            {/* C. civ. 447 al. 3: one mission per holder; the service's errors name them by their index (holders.N.mission). */}
            <Group path="holders" legend="Mission de chaque titulaire (C. civ. 447 al. 3)" hint={MISSION_HINT} errors={s.errors}>
              {s.measure.holders.map((h, i) => (
                <SelectField
                  key={h.contactId}
                  name={`${MISSION_PREFIX}${h.contactId}`}
                  errorKey={`holders.${i}.mission`}
                  label={`${h.firstName} ${h.lastName}, ${agreeWithCivility(HOLDER_ROLE_LABELS[h.role], h.civility)}`}
                  emptyLabel={MISSION_WHOLE}
                  options={MISSION_OPTIONS}
                  value={s.values[`${MISSION_PREFIX}${h.contactId}`] ?? ''}
                  errors={s.errors}
                />
              ))}
            </Group>
          </>
        ) : null}
        <Actions cancel={residentPath(r.id)} label={s.measure ? 'Enregistrer' : 'Enregistrer la mesure'} />
      </PostForm>
    </ConsolePage>,
  );
}

/** A confirmation before a deletion (a contact, a measure recorded by mistake). */
export function confirmDeletePage(s: { actor: StaffActor; csrf: string; resident: ResidentView; title: string; what: string; action: string; consequence?: string }): string {
  const r = s.resident;
  return renderPage(
    <ConsolePage title={`${s.title} — ${residentName(r)}`} actor={s.actor} csrf={s.csrf} current="residents">
      <p>
        <a href={residentPath(r.id)}>Dossier {ofName(residentName(r))}</a>
      </p>
      <h1>{s.title}</h1>
      <p>{s.what}</p>
      {s.consequence ? <p>{s.consequence}</p> : null}
      <PostForm action={s.action} csrf={s.csrf}>
        <div class="actions">
          <button type="submit" class="danger">
            Supprimer
          </button>
          <a class="button secondary" href={residentPath(r.id)}>
            Annuler
          </a>
        </div>
      </PostForm>
    </ConsolePage>,
  );
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
