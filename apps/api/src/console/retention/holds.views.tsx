import { FieldError, formatDateTimeFr } from '@carepact/common';
import { LegalHoldView } from '@carepact/archive';
import { PostForm, TextArea } from '../../views';

/** What a hold keeps, by the subject it is placed on (a person's hold covers her documents too). */
const KEEPS = {
  resident: { held: 'Gel en place', what: 'rien de ce dossier ni de ses documents ne peut être supprimé', none: 'Aucun gel sur cette personne.' },
  document: { held: 'Gel en place sur ce document', what: 'il ne peut pas être supprimé', none: 'Aucun gel sur ce document.' },
} as const;

export interface HoldsBlockProps {
  /** The page's path: the forms post to `<base>/gels` and `<base>/gels/<id>/lever`. */
  base: string;
  subject: 'resident' | 'document';
  /** The active holds on this subject. */
  active: LegalHoldView[];
  /** Who placed each hold (`staff:<id>` → name), for those who see the holds' details. */
  names: Map<string, string>;
  /** records.manage: the forms, and the holds' reasons and authors (as GET /api/legal-holds). */
  manage: boolean;
  csrf: string;
  errors?: FieldError[];
  values?: Record<string, string | undefined>;
}

/**
 * The legal holds on a person's file or on a document (RetentionService.placeHold / liftHold; RGPD
 * art. 18.1.c): each active hold, with its reason and author and a form to lift it (reason
 * required) for records.manage, the date alone for the others; the form to place one when none is.
 */
export function HoldsBlock(p: HoldsBlockProps) {
  const keeps = KEEPS[p.subject];
  const v = p.values ?? {};
  return (
    <>
      {p.active.length ? (
        p.manage ? (
          p.active.map((h) => (
            <div class="card" key={h.id}>
              <p>
                <strong>{keeps.held}</strong> depuis le {formatDateTimeFr(h.placedAt)}, placé par {p.names.get(h.placedBy) ?? 'un compte inconnu'} : {keeps.what} tant qu’il n’est pas levé.
              </p>
              <p>Motif : {h.reason}</p>
              <PostForm action={`${p.base}/gels/${h.id}/lever`} csrf={p.csrf}>
                <TextArea name="liftReason" label="Motif de la levée du gel" required rows={2} value={v.liftReason ?? ''} errors={p.errors} />
                <p class="actions">
                  <button type="submit" class="secondary">
                    Lever le gel
                  </button>
                </p>
              </PostForm>
            </div>
          ))
        ) : (
          <p>
            <strong>{keeps.held}</strong> depuis le {formatDateTimeFr(p.active[0].placedAt)} : {keeps.what} tant qu’il n’est pas levé.
          </p>
        )
      ) : (
        <p>{keeps.none}</p>
      )}
      {p.manage && !p.active.length ? (
        <PostForm action={`${p.base}/gels`} csrf={p.csrf}>
          <TextArea
            name="holdReason"
            label="Motif du gel"
            hint="Contentieux, enquête, demande d’un juge ou de la personne (RGPD art. 18.1.c) : rien ne sera supprimé tant que le gel est en place."
            required
            rows={2}
            value={v.holdReason ?? ''}
            errors={p.errors}
          />
          <p class="actions">
            <button type="submit">Placer un gel</button>
          </p>
        </PostForm>
      ) : null}
    </>
  );
}
