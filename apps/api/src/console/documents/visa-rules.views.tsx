import { ofName } from '@carepact/common';
import type { StaffActor } from '@carepact/identity';
import type { VisaRuleView } from '@carepact/signing';
import { ConsolePage } from '../console-layout';
import { Notice, PostForm, renderPage } from '../../views';
import { typeTitle } from './new-document.views';

export interface EstablishmentVisaRules {
  id: string;
  name: string;
  rules: VisaRuleView[];
}

const CHOICES: [value: string, label: string][] = [
  ['aucun', 'Aucun visa : envoi direct'],
  ['coordinator', 'Visa du coordinateur ou de la coordinatrice'],
  ['director', 'Visa de la direction'],
];

/**
 * Per establishment and document type, whose internal visa a generated document needs before it
 * is sent for signature (issue 10, item 3); director and administrator only (establishment.write).
 */
export function visaRulesPage(actor: StaffActor, csrf: string, establishments: EstablishmentVisaRules[], done?: string): string {
  return renderPage(
    <ConsolePage title="Visas internes avant signature" actor={actor} csrf={csrf} current="visas" stylesheets={['/static/console-documents.css']}>
      <h1>Visas internes avant signature</h1>
      {done ? (
        <Notice kind="success">
          <p>{done}</p>
        </Notice>
      ) : null}
      <p>
        Pour chaque type de document, choisissez qui relit et vise le document généré avant qu’il parte en signature. Tant que le visa n’est pas accordé, l’envoi
        est refusé ; un visa refusé se corrige par une nouvelle version. La direction peut aussi donner le visa du coordinateur.
      </p>
      {establishments.map((e) => (
        <section key={e.id} aria-labelledby={`visas-${e.id}`}>
          <h2 id={`visas-${e.id}`}>{e.name}</h2>
          <PostForm action="/console/visas" csrf={csrf}>
            <input type="hidden" name="establishmentId" value={e.id} />
            {e.rules.map((r) => (
              <fieldset key={r.documentType} class="group">
                <legend>{typeTitle(r.documentType, null)}</legend>
                {CHOICES.map(([value, label]) => {
                  const id = `visa-${e.id}-${r.documentType}-${value}`;
                  return (
                    <div class="choice" key={value}>
                      <input type="radio" id={id} name={`type.${r.documentType}`} value={value} checked={(r.approverRole ?? 'aucun') === value} />
                      <label for={id}>{label}</label>
                    </div>
                  );
                })}
              </fieldset>
            ))}
            <p class="actions">
              <button type="submit">Enregistrer<span class="visually-hidden"> les visas {ofName(e.name)}</span></button>
            </p>
          </PostForm>
        </section>
      ))}
    </ConsolePage>,
  );
}
