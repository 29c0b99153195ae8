import { FieldError, STAFF_ROLE_LABELS, formatDateFr, formatDateTimeFr, ofName } from '@carepact/common';
import { CATEGORY_FINANCING, ESTABLISHMENT_CATEGORIES, ESTABLISHMENT_LEGAL_STATUSES, ESTABLISHMENT_LEGAL_STATUS_LABELS, EstablishmentEntity, STAFF_ROLES, InvitationEmail, StaffActor, StaffUserView } from '@carepact/identity';
import type { SealCertificateState } from '@carepact/signing';
import { Checkbox, ErrorSummary, Notice, PostForm, SelectField, TextArea, TextField, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import { AnnexFilesSection, AnnexSectionState } from './annex-files.views';

export type Flat = Record<string, string | undefined>;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const roleLabel = (r: string) => capitalise(STAFF_ROLE_LABELS[r as keyof typeof STAFF_ROLE_LABELS] ?? r);
const categoryOptions = (): [string, string][] => ESTABLISHMENT_CATEGORIES.map((c) => [c, `${c.replace(/_/g, ' ')} — ${CATEGORY_FINANCING[c].label}`]);
/** An instant's calendar day in Paris, as the rest of the console writes it (not the UTC day: 23:30 UTC is already the next day in Paris). */
const day = (d: Date) => formatDateFr(d, { timeZone: 'Europe/Paris' });

interface Base {
  actor: StaffActor;
  csrf: string;
  notice?: string;
}

export interface AccountsPageState extends Base {
  users: StaffUserView[];
  /** Establishments the person administers: where they may grant roles. */
  administered: [id: string, name: string][];
  names: Map<string, string>;
  values?: Flat;
  errors?: FieldError[];
  /** An action on one account that was refused (resending to an account already in use…). */
  refused?: string;
}

/**
 * A pending invitation and where its e-mail stands: an e-mail that did not leave is said in words
 * the administrator can act on (check the address, send it again), not only in the audit journal.
 */
function InvitationState(props: { email?: InvitationEmail }) {
  const e = props.email;
  if (e?.state === 'failed')
    return (
      <>
        <strong>L’e-mail d’invitation n’est pas parti</strong> ({formatDateTimeFr(e.at)}) :{' '}
        {e.refused ? 'le serveur de messagerie a refusé l’adresse. Vérifiez-la, puis renvoyez l’invitation.' : 'le serveur de messagerie est resté injoignable. Renvoyez l’invitation.'}
      </>
    );
  const sent = e?.state === 'sent' ? `e-mail envoyé le ${formatDateTimeFr(e.at)}` : e?.state === 'sending' ? 'e-mail en cours d’envoi' : null;
  return <>Invité : mot de passe pas encore choisi{sent ? ` (${sent})` : ''}</>;
}

/** GET /console/admin/comptes: the accounts of the establishments one administers, the invitation form. */
export function accountsPage(s: AccountsPageState): string {
  const v = s.values ?? {};
  return renderPage(
    <ConsolePage title="Comptes du personnel" actor={s.actor} csrf={s.csrf} current="admin">
      <h1>Comptes du personnel</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={s.errors} message={s.errors?.length ? 'L’invitation n’est pas partie' : s.refused} />
      <section aria-labelledby="inviter">
        <h2 id="inviter">Inviter une personne</h2>
        <p>Elle reçoit un e-mail avec un lien à usage unique, valable 7 jours, pour choisir son mot de passe. Vous ne donnez des rôles que dans les établissements que vous administrez.</p>
        <PostForm action="/console/admin/comptes" csrf={s.csrf}>
          <TextField name="name" label="Nom et prénom" required value={v.name} errors={s.errors} autocomplete="off" />
          <TextField name="email" type="email" label="Adresse e-mail professionnelle" required value={v.email} errors={s.errors} autocomplete="off" />
          <SelectField name="establishmentId" label="Établissement" required options={s.administered} value={v.establishmentId ?? (s.administered.length === 1 ? s.administered[0][0] : '')} emptyLabel={s.administered.length > 1 ? 'Choisissez' : undefined} errors={s.errors} />
          <SelectField name="role" label="Rôle" required options={STAFF_ROLES.map((r) => [r, roleLabel(r)])} value={v.role} emptyLabel="Choisissez" errors={s.errors} />
          <p>
            <button type="submit">Envoyer l’invitation</button>
          </p>
        </PostForm>
      </section>
      <section aria-labelledby="comptes">
        <h2 id="comptes">Comptes</h2>
        <div class="table-scroll" role="region" aria-labelledby="comptes-legende" tabIndex={0}>
          <table>
            <caption id="comptes-legende">Comptes ayant un rôle dans un établissement que vous administrez</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">E-mail</th>
                <th scope="col">Rôles</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {s.users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.name}</th>
                  <td>{u.email}</td>
                  <td>
                    <ul class="plain">
                      {u.roles.map((r) => (
                        <li key={`${r.establishmentId}-${r.role}`}>
                          {roleLabel(r.role)} — {s.names.get(r.establishmentId) ?? 'autre établissement'}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{!u.active ? 'Désactivé' : u.invitationPending ? <InvitationState email={u.invitationEmail} /> : 'Actif'}</td>
                  <td>
                    {u.active && u.id !== s.actor.userId ? (
                      <>
                        {u.invitationPending ? (
                          <>
                            <PostForm action={`/console/admin/comptes/${u.id}/reinviter`} csrf={s.csrf} class="inline">
                              <button type="submit" class="secondary small" aria-label={`Renvoyer l’invitation à ${u.name}`}>
                                Renvoyer l’invitation
                              </button>
                            </PostForm>{' '}
                          </>
                        ) : null}
                        <PostForm action={`/console/admin/comptes/${u.id}/desactiver`} csrf={s.csrf} class="inline">
                          <button type="submit" class="secondary small" aria-label={`Désactiver le compte ${ofName(u.name)}`}>
                            Désactiver
                          </button>
                        </PostForm>
                      </>
                    ) : u.id === s.actor.userId ? (
                      'Votre compte'
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="hint">Désactiver un compte met fin à ses sessions aussitôt ; ses liens d’invitation ou de mot de passe cessent de fonctionner.</p>
      </section>
    </ConsolePage>,
  );
}

export interface EstablishmentsPageState extends Base {
  establishments: EstablishmentEntity[];
  canCreate: boolean;
  /** Establishments whose settings the person may change. */
  writable: Set<string>;
  values?: Flat;
  errors?: FieldError[];
}

/** GET /console/admin/etablissements: the establishments one sees, and (administrators) a new one. */
export function establishmentsPage(s: EstablishmentsPageState): string {
  const v = s.values ?? {};
  return renderPage(
    <ConsolePage title="Établissements" actor={s.actor} csrf={s.csrf} current="establishments">
      <h1>Établissements</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={s.errors} message={s.errors?.length ? 'L’établissement n’a pas été créé' : undefined} />
      <ul>
        {s.establishments.map((e) => (
          <li key={e.id}>
            <a href={`/console/admin/etablissements/${e.id}`}>{e.name}</a> ({e.category.replace(/_/g, ' ')}, FINESS {e.finess})
            {s.writable.has(e.id) ? '' : ' — consultation seule'}
          </li>
        ))}
      </ul>
      {s.canCreate ? (
        <section aria-labelledby="nouvel-etablissement">
          <h2 id="nouvel-etablissement">Nouvel établissement</h2>
          <p>Vous en deviendrez administrateur : c’est vous qui y donnerez les rôles.</p>
          <PostForm action="/console/admin/etablissements" csrf={s.csrf}>
            <TextField name="name" label="Nom" required value={v.name} errors={s.errors} />
            <SelectField name="category" label="Catégorie (CASF L.312-1)" required options={categoryOptions()} value={v.category} emptyLabel="Choisissez" errors={s.errors} />
            <TextField name="finess" label="Numéro FINESS" hint="9 caractères, par exemple 750000001 (2A ou 2B pour la Corse)." required value={v.finess} errors={s.errors} />
            <TextArea name="address" label="Adresse" required rows={2} value={v.address} errors={s.errors} />
            <TextField name="phone" type="tel" label="Téléphone" value={v.phone} errors={s.errors} autocomplete="off" />
            <TextField name="directorFirstName" label="Prénom du directeur ou de la directrice" required value={v.directorFirstName} errors={s.errors} />
            <TextField name="directorLastName" label="Nom du directeur ou de la directrice" required value={v.directorLastName} errors={s.errors} />
            <TextField name="directorEmail" type="email" label="E-mail du directeur ou de la directrice" value={v.directorEmail} errors={s.errors} autocomplete="off" />
            <p>
              <button type="submit">Créer l’établissement</button>
            </p>
          </PostForm>
        </section>
      ) : null}
    </ConsolePage>,
  );
}

export const MAX_CONTACTS = 5;

export interface SettingsPageState extends Base {
  establishment: EstablishmentEntity;
  canWrite: boolean;
  seal: SealCertificateState | { error: string };
  values: Flat;
  errors?: FieldError[];
  /** « Documents remis avec le contrat »: the annexes' files and the publication form (annex-files.views.tsx). */
  annexFiles?: AnnexSectionState;
}

/** GET /console/admin/etablissements/:id: category, legal status, phone, contacts, tariffs, annexes, seal certificate. */
export function settingsPage(s: SettingsPageState): string {
  const e = s.establishment;
  const v = s.values;
  const ro = !s.canWrite;
  return renderPage(
    <ConsolePage title={`Paramètres : ${e.name}`} actor={s.actor} csrf={s.csrf} current="establishments">
      <h1>Paramètres de l’établissement {e.name}</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={s.errors} message={s.errors?.length ? 'Les paramètres n’ont pas été enregistrés' : undefined} />
      <SealSection seal={s.seal} />
      {s.annexFiles ? <AnnexFilesSection s={s.annexFiles} /> : null}
      {ro ? (
        <section aria-labelledby="valeurs">
          <h2 id="valeurs">Valeurs actuelles</h2>
          <p>Seuls la direction et l’administration modifient ces paramètres.</p>
          <dl>
            <dt>Catégorie</dt>
            <dd>{e.category.replace(/_/g, ' ')}</dd>
            <dt>Statut juridique</dt>
            <dd>{e.legalStatus ? ESTABLISHMENT_LEGAL_STATUS_LABELS[e.legalStatus] : 'Non renseigné'}</dd>
            <dt>Téléphone</dt>
            <dd>{e.phone ?? '—'}</dd>
            <dt>Annexes remises avec le contrat</dt>
            <dd>{e.annexes?.length ? e.annexes.join(', ') : '—'}</dd>
          </dl>
        </section>
      ) : (
        <PostForm action={`/console/admin/etablissements/${e.id}`} csrf={s.csrf}>
          <h2>Identité et contacts</h2>
          <SelectField
            name="category"
            label="Catégorie (CASF L.312-1)"
            hint="Elle fixe le document remis (contrat de séjour, ou DIPC pour un service sans hébergement, CASF D.311) et la partie « participation financière » des documents suivants."
            required
            options={categoryOptions()}
            value={v.category}
            errors={s.errors}
          />
          <SelectField
            name="legalStatus"
            label="Statut juridique"
            hint="Il fixe les voies de recours indiquées dans une lettre de refus d’accès au dossier : public, la Commission d’accès aux documents administratifs (CADA) ; privé, le tribunal judiciaire — sauf si les archives de l’organisation sont publiques (mission de service public) : la CADA. Non renseigné, la lettre indique les deux."
            options={ESTABLISHMENT_LEGAL_STATUSES.map((k): [string, string] => [k, ESTABLISHMENT_LEGAL_STATUS_LABELS[k]])}
            emptyLabel="Non renseigné"
            value={v.legalStatus}
            errors={s.errors}
          />
          <TextField name="phone" type="tel" label="Téléphone de l’établissement" hint="Indiqué aux signataires dans les e-mails et les documents." value={v.phone} errors={s.errors} />
          {Array.from({ length: MAX_CONTACTS }, (_, i) => (
            <fieldset key={i}>
              <legend>Contact {i + 1}</legend>
              <TextField name={`contacts.${i}.label`} label="Fonction ou service" hint={i === 0 ? 'Par exemple : Accueil, Secrétariat, Cadre de santé. Laissez vide pour ne pas l’utiliser.' : undefined} value={v[`contacts.${i}.label`]} errors={s.errors} />
              <TextField name={`contacts.${i}.phone`} type="tel" label="Téléphone" value={v[`contacts.${i}.phone`]} errors={s.errors} />
              <TextField name={`contacts.${i}.email`} type="email" label="E-mail" value={v[`contacts.${i}.email`]} errors={s.errors} />
            </fieldset>
          ))}
          <h2>Tarifs (annexe tarifaire du contrat, CASF L.311-4)</h2>
          <Checkbox name="tariffs.set" label="Renseigner les tarifs" checked={v['tariffs.set'] === 'oui'} />
          <TextField name="tariffs.effectiveFrom" type="date" label="En vigueur à partir du" value={v['tariffs.effectiveFrom']} errors={s.errors} />
          <TextField name="tariffs.hebergementPerDay" label="Hébergement, par jour (€)" inputMode="decimal" value={v['tariffs.hebergementPerDay']} errors={s.errors} />
          <TextField name="tariffs.dependanceGir12PerDay" label="Dépendance GIR 1-2, par jour (€)" inputMode="decimal" value={v['tariffs.dependanceGir12PerDay']} errors={s.errors} />
          <TextField name="tariffs.dependanceGir34PerDay" label="Dépendance GIR 3-4, par jour (€)" inputMode="decimal" value={v['tariffs.dependanceGir34PerDay']} errors={s.errors} />
          <TextField name="tariffs.dependanceGir56PerDay" label="Dépendance GIR 5-6, par jour (€)" inputMode="decimal" value={v['tariffs.dependanceGir56PerDay']} errors={s.errors} />
          <TextField name="tariffs.depositEuros" label="Dépôt de garantie (€)" inputMode="decimal" value={v['tariffs.depositEuros']} errors={s.errors} />
          <TextArea name="tariffs.absenceRule" label="Règle en cas d’absence" rows={3} value={v['tariffs.absenceRule']} errors={s.errors} />
          <h2>Annexes remises avec le contrat</h2>
          <TextArea
            name="annexes"
            label="Documents remis avec le contrat, un par ligne"
            hint="Le contrat de séjour les énumère (livret d’accueil, règlement de fonctionnement, charte des droits et libertés : CASF L.311-4)."
            rows={5}
            value={v.annexes}
            errors={s.errors}
          />
          <p>
            <button type="submit">Enregistrer les paramètres</button>
          </p>
          <p class="hint">Les documents déjà générés gardent les valeurs du moment ; les nouveaux prennent celles-ci.</p>
        </PostForm>
      )}
    </ConsolePage>,
  );
}

function SealSection(props: { seal: SealCertificateState | { error: string } }) {
  const s = props.seal;
  return (
    <section aria-labelledby="cachet">
      <h2 id="cachet">Certificat du cachet électronique</h2>
      {'error' in s ? (
        <Notice kind="warning">
          <p>{s.error}</p>
        </Notice>
      ) : (
        <>
          {s.status !== 'valid' ? (
            <Notice kind="warning">
              <p>
                {s.status === 'expired'
                  ? 'Le certificat a expiré : les documents ne peuvent plus être scellés valablement. Installez le nouveau certificat (SEAL_P12_PATH).'
                  : s.status === 'not_yet_valid'
                    ? 'Le certificat n’est pas encore valable.'
                    : `Le certificat expire dans ${s.daysLeft} jour${s.daysLeft > 1 ? 's' : ''} : commandez son renouvellement dès maintenant.`}
              </p>
            </Notice>
          ) : null}
          <dl>
            <dt>Titulaire</dt>
            <dd>{s.commonName || s.subject}</dd>
            <dt>Émetteur</dt>
            <dd>{s.issuer.split('\n').join(', ')}</dd>
            <dt>Numéro de série</dt>
            <dd>{s.serialNumber}</dd>
            <dt>Valable du</dt>
            <dd>
              {day(s.notBefore)} au {day(s.notAfter)}
            </dd>
            <dt>Jours restants</dt>
            <dd>{Math.max(0, s.daysLeft)}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

export interface PasswordPageState {
  actor?: StaffActor;
  csrf: string;
  errors?: FieldError[];
  errorMessage?: string;
  notice?: string;
}

/** GET /console/mot-de-passe: change one's password (the current one first). */
export function changePasswordPage(s: PasswordPageState & { actor: StaffActor }): string {
  return renderPage(
    <ConsolePage title="Changer de mot de passe" actor={s.actor} csrf={s.csrf}>
      <h1>Changer de mot de passe</h1>
      {s.notice ? (
        <Notice kind="success">
          <p>{s.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={s.errors} message={s.errorMessage} />
      <PostForm action="/console/mot-de-passe" csrf={s.csrf}>
        <TextField name="current" type="password" label="Mot de passe actuel" required autocomplete="current-password" errors={s.errors} />
        <TextField name="password" type="password" label="Nouveau mot de passe" hint="10 caractères au moins. Une phrase de plusieurs mots est facile à retenir." required autocomplete="new-password" errors={s.errors} />
        <TextField name="confirm" type="password" label="Nouveau mot de passe, une seconde fois" required autocomplete="new-password" errors={s.errors} />
        <p>
          <button type="submit">Changer le mot de passe</button>
        </p>
        <p class="hint">Vos autres sessions ouvertes prendront fin.</p>
      </PostForm>
    </ConsolePage>,
  );
}
