import { type DocumentHistory, systemActorLabel } from '@carepact/archive';
import { formatDateFr, formatDateTimeFr } from '@carepact/common';
import { type StaffActor, establishmentsWith } from '@carepact/identity';
import { OTHER_PARENT_HOW_LABELS, OTHER_PARENT_INFORMED_ACTION, type OtherParentInformedHow, timestampLabel } from '@carepact/signing';
import { PostForm, renderPage } from '../../views';
import { ConsolePage } from '../console-layout';
import type { PageFlash } from './console-flash';
import { DOCUMENT_STATUS_LABELS } from './document-page.views';
import { DOCUMENT_STYLESHEETS, typeTitle } from './new-document.views';

export interface DocumentHistoryModel {
  actor: StaffActor;
  csrf: string;
  history: DocumentHistory;
  establishmentName: string | null;
  verification: Extract<PageFlash, { kind: 'verification' }> | null;
}

const REQUEST_STATUS: Record<string, string> = {
  active: 'en cours',
  completed: 'signée',
  cancelled: 'annulée',
  expired: 'expirée',
  refused: 'refusée',
};

/** A document's name, an avenant by what it amends (`documents.subtype`, which libs/archive's history selects: documentTypeLabel). */
function docTitle(d: { type: string; subtype: string | null }): string {
  return typeTitle(d.type as Parameters<typeof typeTitle>[0], d.subtype);
}

function statusLabel(s: string): string {
  return (DOCUMENT_STATUS_LABELS as Record<string, string>)[s] ?? s;
}

type TimelineEntry = DocumentHistory['timeline'][number];

function staffName(e: TimelineEntry): string {
  return e.actor.name ?? `personnel (${e.actor.id ?? 'inconnu'})`;
}

/** Is the actor the signer the event concerns (their own step, or a director countersigning from the console)? */
function actorIsSigner(e: TimelineEntry): boolean {
  if (!e.signer) return false;
  if (e.actor.type === 'signer') return e.actor.id === null || e.actor.id === e.signer.id;
  return e.actor.type === 'staff' && e.actor.name !== null && e.actor.name === e.signer.name;
}

/**
 * Who acted, as recorded in the audit chain: the signer (name and capacity) for their own steps,
 * the staff member for staff actions, CarePact for automatic ones (e-mails, reminders, expiry, seal).
 */
function Who(props: { e: TimelineEntry }) {
  const { e } = props;
  if (e.signer && actorIsSigner(e))
    return (
      <>
        {e.signer.name}, <em>{e.signer.capacity}</em>
      </>
    );
  switch (e.actor.type) {
    case 'staff':
      return <>{staffName(e)}</>;
    case 'system':
      return <>{systemActorLabel(e.action)}</>;
    case 'signer':
      return <>un signataire</>;
    case 'anonymous':
      return <>anonyme</>;
    default:
      return <>{e.actor.type}</>;
  }
}

/**
 * The time a seal's RFC 3161 token certifies (PAdES B-T), as the `signature.sealed` audit event
 * records it; a seal without a token (B-B, or sealed before the event recorded it) says nothing more.
 * « Horodatage qualifié (règlement eIDAS, art. 42) » only when the operator declared the TSA so when
 * it sealed (SEAL_TSA_QUALIFIED, `timestampQualified`): the product cannot know it; « Horodatage » otherwise.
 * Only then is the time « certifiée », with the presumption of eIDAS art. 41(2); otherwise it is the
 * time the authority « indique », without that presumption.
 */
function CertifiedTime(props: { e: TimelineEntry }) {
  const d = props.e.details;
  if (typeof d.timestampGenTime !== 'string') return null;
  // eIDAS art. 41(2): only a qualified time stamp is presumed accurate; one not declared so « indique » the time.
  const qualified = d.timestampQualified === true;
  return (
    <p>
      {timestampLabel(qualified)} : heure {qualified ? 'certifiée' : 'indiquée'} {formatDateTimeFr(d.timestampGenTime)} par l’autorité d’horodatage{' '}
      {String(d.timestampAuthority ?? 'inconnue')}
      {typeof d.timestampSerialNumber === 'string' ? <> (jeton n° <code>{d.timestampSerialNumber}</code>)</> : null}
      {qualified
        ? ' — présomption d’exactitude de la date et de l’heure et d’intégrité des données qu’elles datent (règlement eIDAS, art. 41, paragraphe 2).'
        : ' — horodatage non qualifié : sans la présomption d’exactitude de la date et de l’heure de l’article 41 du règlement eIDAS, mais sa recevabilité comme preuve en justice ne peut être refusée au seul motif qu’il n’est pas qualifié (art. 41, paragraphe 1).'}
    </p>
  );
}

function Verification(props: { v: NonNullable<DocumentHistoryModel['verification']> }) {
  const { v } = props;
  const failed = v.checks.filter((c) => !c.ok).length;
  return (
    <section aria-labelledby="verification-titre" class={v.ok ? 'notice success' : 'error-summary'} role={v.ok ? 'status' : 'alert'} tabIndex={-1} id="verification">
      <h2 id="verification-titre">{v.ok ? 'Vérification réussie' : 'La vérification a trouvé des problèmes'}</h2>
      <p>
        Vérifié le {formatDateTimeFr(v.checkedAt)} : {v.checks.length} contrôles, {failed ? `${failed} en échec` : 'tous conformes'}. Cette vérification est enregistrée dans le journal
        d’audit.
      </p>
      <ul class="checks">
        {v.checks.map((c, i) => (
          <li key={i}>
            <span class={c.ok ? 'check-ok' : 'check-failed'}>{c.ok ? 'Conforme' : 'Échec'}</span> — {c.what}
            {c.detail ? <> ({c.detail})</> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function documentHistoryPage(m: DocumentHistoryModel): string {
  const h = m.history;
  const d = h.document;
  const title = `Historique — ${docTitle(d)}`;
  const versionNumber = new Map(h.versions.map((v) => [v.id, v.number]));
  return renderPage(
    <ConsolePage title={title} actor={m.actor} csrf={m.csrf} stylesheets={DOCUMENT_STYLESHEETS}>
      <p class="back">
        <a href={`/console/documents/${d.id}`}>Retour au document</a>
      </p>
      <h1>{title}</h1>
      <p>
        {statusLabel(d.status)} — créé le {formatDateTimeFr(d.createdAt)}
        {m.establishmentName ? `, ${m.establishmentName}` : ''}. Cette page montre qui a fait quoi, quand et en quelle qualité, sans le contenu du document ; chaque ligne est
        un événement du journal d’audit, chaîné et vérifiable.
      </p>
      {establishmentsWith(m.actor, 'audit.read').length ? (
        <ul class="links" aria-label="Dans le journal d’audit">
          <li>
            <a href={`/console/journal?documentId=${encodeURIComponent(d.id)}`}>Voir dans le journal</a> (ce document, ses versions et ses demandes de signature)
          </li>
          <li>
            <a href={`/console/journal?residentId=${encodeURIComponent(d.residentId)}`}>Voir dans le journal tous les événements de la personne</a> (ses documents et leurs
            signatures, sans son dossier)
          </li>
        </ul>
      ) : null}
      {m.verification ? <Verification v={m.verification} /> : null}
      <PostForm action={`/console/documents/${d.id}/historique/verifier`} csrf={m.csrf}>
        <p class="hint" id="verifier-aide">
          Recalcule l’empreinte SHA-256 de chaque fichier, de chaque document scellé et de sa preuve, et contrôle la signature électronique de l’établissement (plage signée,
          empreinte, signature CMS, certificat).
        </p>
        <button type="submit" aria-describedby="verifier-aide">
          Vérifier à nouveau
        </button>
      </PostForm>

      {h.lineage.length > 1 ? (
        <>
          <h2>Filiation</h2>
          <p>Les documents contractuels du résident, du plus ancien au plus récent (contrat de séjour, avenants, DIPC après un refus).</p>
          <ol class="lineage">
            {h.lineage.map((l) => (
              <li key={l.id}>
                {l.current ? (
                  <strong aria-current="page">{docTitle(l)} (ce document)</strong>
                ) : (
                  <a href={`/console/documents/${l.id}/historique`}>{docTitle(l)}</a>
                )}{' '}
                — {statusLabel(l.status)}, créé le {formatDateFr(new Date(l.createdAt))}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h2>Versions</h2>
      <ol class="versions">
        {h.versions.map((v) => (
          <li key={v.id}>
            <strong>Version {v.number}</strong>
            {v.id === d.currentVersionId ? ' (version courante)' : ''} — {v.reason}. Créée le {formatDateTimeFr(v.createdAt)}
            {v.generatedAt ? `, générée le ${formatDateTimeFr(v.generatedAt)}` : ''} ; modèle {v.templateId} {v.templateVersion} ; empreinte des données{' '}
            <code>{v.inputSha256.slice(0, 16)}…</code>.{' '}
            {v.number > 1 ? <a href={`/console/documents/${d.id}#version-${v.number}`}>Voir les différences avec la version {v.number - 1}</a> : null}
          </li>
        ))}
      </ol>

      {h.signatureRequests.length ? (
        <>
          <h2>Demandes de signature</h2>
          <ul>
            {h.signatureRequests.map((r) => (
              <li key={r.id}>
                Demande du {formatDateTimeFr(r.createdAt)} (version {versionNumber.get(r.versionId) ?? '?'}) : {REQUEST_STATUS[r.status] ?? r.status}
                {r.editions.length === 1 && d.type !== 'dipc' ? (
                  <>
                    {' '}
                    — scellée le {formatDateTimeFr(r.editions[0].sealedAt)}, empreinte <code>{r.editions[0].sha256.slice(0, 16)}…</code>
                  </>
                ) : null}
                {r.editions.length > 1 || (r.editions.length === 1 && d.type === 'dipc') ? (
                  // Every sealed edition: a DIPC established by the director (handed over to the person), then countersigned (CASF D.311 II–III).
                  <ol class="editions">
                    {r.editions.map((e) => (
                      <li key={e.edition}>
                        {e.label} — scellé le {formatDateTimeFr(e.sealedAt)}, empreinte <code>{e.sha256.slice(0, 16)}…</code>
                      </li>
                    ))}
                  </ol>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 id="chronologie">Chronologie</h2>
      {h.timeline.length ? (
        <ol class="timeline">
          {h.timeline.map((e) => (
            <li key={e.seq}>
              <p>
                <strong>{e.label}</strong> — {formatDateTimeFr(e.at)}
                {e.versionId && versionNumber.has(e.versionId) ? ` — version ${versionNumber.get(e.versionId)}` : ''}
              </p>
              <p>
                Par : <Who e={e} />
              </p>
              {e.cancelReason ? <p>Raison de l’annulation : {e.cancelReason}</p> : null}
              {e.action === OTHER_PARENT_INFORMED_ACTION && typeof e.details.informedOn === 'string' ? (
                <p>
                  Informé le {formatDateFr(e.details.informedOn)} ({OTHER_PARENT_HOW_LABELS[e.details.how as OtherParentInformedHow] ?? String(e.details.how)})
                  {typeof e.details.noteSha256 === 'string' ? ', avec une remarque (lisible sur la page du document)' : ''}.
                </p>
              ) : null}
              {e.action === 'signature.sealed' ? <CertifiedTime e={e} /> : null}
              {e.signer && !actorIsSigner(e) ? (
                <p>
                  Concerne : {e.signer.name}, <em>{e.signer.capacity}</em>
                </p>
              ) : null}
              <p class="hint">
                Événement n° {e.seq} du journal, empreinte <code>{e.hash.slice(0, 16)}…</code>
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p>Aucun événement.</p>
      )}
    </ConsolePage>,
  );
}
