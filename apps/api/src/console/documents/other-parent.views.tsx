import { calendarDayIn, formatDateFr, formatDateTimeFr, type FieldError } from '@carepact/common';
import { OTHER_PARENT_HOW_LABELS, OTHER_PARENT_INFORMED_HOW, type OtherParentRecordView, type OtherParentView } from '@carepact/signing';
import { PostForm, RadioGroup, TextArea, TextField } from '../../views';

/** The form's name in the page's refusals (ActionError.form); its fields' ids are their names. */
export const OTHER_PARENT_FORM = 'other-parent';
export const OTHER_PARENT_FIELDS = ['informedOn', 'how', 'note'] as const;
/** Each field's name, before its message in the page's summary, so that the message reads alone there (WCAG 3.3.1). */
export const OTHER_PARENT_FIELD_LABELS: Readonly<Record<string, string>> = { informedOn: 'Date de l’information', how: 'Comment l’autre parent a été informé', note: 'Remarque' };

/** « Autre parent informé le 3 décembre 2026 (courrier) par Camille Martin » — what the page says of a record. */
export function otherParentInformedLine(r: Pick<OtherParentRecordView, 'informedOn' | 'howLabel' | 'recordedBy'>): string {
  return `Autre parent informé le ${formatDateFr(r.informedOn)} (${r.howLabel}) par ${r.recordedBy.name}`;
}

/**
 * The reminder's state beside « Qui signera et pourquoi »: « À faire » until a record says the other
 * parent was informed (C. civ. 373-2-1 al. 5), then « Fait » with the latest record.
 */
export function OtherParentReminder(props: { reminder: string; view: OtherParentView | null }) {
  const latest = props.view?.records[0];
  return (
    <div class={latest ? 'notice success' : 'notice'} id="autre-parent">
      <p>
        {latest ? <strong>Fait : {otherParentInformedLine(latest)}.</strong> : <strong>À faire : informer l’autre parent.</strong>} {props.reminder}
      </p>
      {props.view?.canRecord ? (
        <p>
          <a href="#autre-parent-informe">{latest ? 'Enregistrer une autre information de l’autre parent' : 'Enregistrer que l’autre parent a été informé'}</a>
        </p>
      ) : null}
    </div>
  );
}

/**
 * « Information de l’autre parent » (C. civ. 373-2-1 al. 5): the records that the parent without the
 * exercise of parental authority was informed of this document, and the form that adds one (date,
 * how, an optional note) for whoever manages the document's signatures. Shown only where the law
 * calls for it (`view.reminder`), or where records exist. `reminderShown`: the send section already
 * says the reminder in full.
 */
export function OtherParentSection(props: {
  view: OtherParentView;
  documentId: string;
  csrf: string;
  /** No act for a person in the intermediate archive (RESIDENT_ARCHIVED). */
  closed: boolean;
  reminderShown: boolean;
  errors?: FieldError[];
  values?: Record<string, string | undefined>;
}) {
  const { view } = props;
  if (!view.reminder && !view.records.length) return null;
  const v = props.values ?? {};
  return (
    <section aria-labelledby="autre-parent-informe" class="other-parent">
      <h2 id="autre-parent-informe">Information de l’autre parent</h2>
      {view.reminder && !props.reminderShown ? <p>{view.reminder}</p> : null}
      {view.records.length ? (
        <ul class="other-parent-records">
          {view.records.map((r) => (
            <li key={r.id}>
              <strong>{otherParentInformedLine(r)}</strong> (version {r.version.number} du document ; enregistré le {formatDateTimeFr(r.recordedAt)})
              {r.note ? ` : « ${r.note} »` : '.'}
            </li>
          ))}
        </ul>
      ) : view.reminder ? (
        <p id="autre-parent-a-faire">
          <strong>À faire :</strong> aucune information de l’autre parent n’est enregistrée pour ce document.
        </p>
      ) : null}
      {view.canRecord && !props.closed ? (
        <PostForm action={`/console/documents/${props.documentId}/autre-parent-informe`} csrf={props.csrf} class="other-parent-form">
          <h3>{view.records.length ? 'Enregistrer une nouvelle information' : 'Enregistrer que l’autre parent a été informé'}</h3>
          <TextField
            name="informedOn"
            type="date"
            label="Date de l’information"
            hint="JJ/MM/AAAA ; pas dans le futur, ni avant la création du document."
            required
            value={v.informedOn ?? calendarDayIn(new Date())}
            errors={props.errors}
          />
          <RadioGroup name="how" label="Comment l’autre parent a été informé (obligatoire)" options={OTHER_PARENT_INFORMED_HOW.map((h) => [h, OTHER_PARENT_HOW_LABELS[h]])} value={v.how} errors={props.errors} />
          <TextArea name="note" label="Remarque (facultatif)" hint="500 caractères au plus, par exemple la référence du courrier." rows={2} value={v.note} errors={props.errors} />
          <button type="submit" class="secondary">
            Enregistrer l’information
          </button>
        </PostForm>
      ) : null}
    </section>
  );
}
