import { FieldError, documentPhrase, documentTypeLabel, escapeHtml, formatDateFr } from '@carepact/common';
import { PortalContext, accessCodeMissing } from '@carepact/signing';

/** Escapes text for HTML (element content and quoted attributes): the one escaper of @carepact/common. */
const esc = escapeHtml;

/** The heading name of a document type (@carepact/common's labels); an unknown type shows as is. */
function docLabel(type: string): string {
  return documentTypeLabel(type)?.short ?? type;
}

const EXPRESSION_LABELS: [string, string][] = [
  ['accord', 'Accord'],
  ['accord_partiel', 'Accord partiel'],
  ['desaccord', 'Désaccord'],
  ['ne_se_prononce_pas', 'Ne se prononce pas'],
  ['ne_peut_pas_s_exprimer', 'Ne peut pas s’exprimer'],
];

// The deadline's day in Paris (the formatter is built once in @carepact/common: building one costs more than the page).
function dateFr(d: Date): string {
  return formatDateFr(d, { timeZone: 'Europe/Paris' });
}

export interface LayoutOptions {
  title: string;
  establishment?: string;
  large?: boolean;
  extraCss?: string[];
  scripts?: string[];
}

export function layout(o: LayoutOptions, main: string): string {
  return `<!DOCTYPE html>
<html lang="fr"${o.large ? ' class="cp-large"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(o.title)} — CarePact</title>
<link rel="stylesheet" href="/static/base.css">
<link rel="stylesheet" href="/portail/static/portal.css">
${(o.extraCss ?? []).map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join('\n')}
</head>
<body${o.large ? ' class="cp-large"' : ''}>
<a class="skip" href="#contenu">Aller au contenu</a>
<header class="site"><p>${o.establishment ? esc(o.establishment) : 'CarePact'} — espace de signature</p></header>
<main id="contenu" tabindex="-1">
${main}
</main>
<footer class="site"><p>Vos données servent uniquement à cette signature. Pour toute question, appelez l’établissement.</p></footer>
${(o.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`).join('\n')}
</body>
</html>`;
}

/** The same page for unknown, expired, used and revoked links (no hint about which). */
export function linkNotFoundPage(): string {
  return layout(
    { title: 'Lien non valable' },
    `<h1>Ce lien n’est pas ou plus valable</h1>
<p>Cela arrive quand :</p>
<ul>
<li>le document a déjà été signé ou refusé avec ce lien ;</li>
<li>un e-mail plus récent vous a envoyé un nouveau lien (seul le dernier fonctionne) ;</li>
<li>la date limite est passée, ou la demande a été annulée.</li>
</ul>
<p>Utilisez le lien du dernier e-mail reçu, ou appelez l’établissement : il peut vous envoyer un nouveau lien ou vous faire signer sur place.</p>`,
  );
}

export function sessionExpiredPage(): string {
  return layout(
    { title: 'Session terminée' },
    `<h1>Votre session est terminée</h1>
<p>Pour votre sécurité, la session se ferme après 30 minutes sans activité.</p>
<p>Rouvrez le lien reçu par e-mail pour reprendre. Rien de ce que vous aviez déjà validé n’est perdu.</p>`,
  );
}

export function errorPage(title: string, message: string, status: number): string {
  return layout({ title }, `<h1>${esc(title)}</h1><p>${esc(message)}</p>${status === 403 ? '<p><a href="/portail">Retour à la page de signature</a></p>' : ''}`);
}

function errorSummary(errors: FieldError[], message?: string): string {
  if (!errors.length && !message) return '';
  // autofocus (no script needed): keyboard and screen-reader users land on the summary, whose links lead to each field.
  return `<div class="error-summary" role="alert" aria-labelledby="erreurs-titre" tabindex="-1" id="erreurs" autofocus>
<h2 id="erreurs-titre">${esc(message ?? 'Il y a un problème')}</h2>
${errors.length ? `<ul>${errors.map((e) => `<li><a href="#${esc(e.field)}">${esc(e.message)}</a></li>`).join('')}</ul>` : ''}
</div>`;
}

function fieldError(errors: FieldError[], field: string): { attrs: string; html: string } {
  const e = errors.find((x) => x.field === field);
  if (!e) return { attrs: '', html: '' };
  return { attrs: ` aria-invalid="true" aria-describedby="${esc(field)}-erreur"`, html: `<p class="field-error" id="${esc(field)}-erreur">${esc(e.message)}</p>` };
}

export interface LandingState {
  errors?: FieldError[];
  errorMessage?: string;
  notice?: string;
  values?: Record<string, string>;
}

/** The signer's page: who asks, for what, by when; then read, record the person's view, sign, refuse or ask. */
export function landingPage(ctx: PortalContext, csrf: string, state: LandingState = {}): string {
  const errors = state.errors ?? [];
  const v = state.values ?? {};
  const label = docLabel(ctx.document.type);
  const typeLabel = documentTypeLabel(ctx.document.type);
  // « l’avenant au contrat de séjour d’Émile Durand », as the e-mails write it.
  const forResident = typeLabel
    ? documentPhrase(typeLabel, ctx.signer.role === 'resident' ? null : ctx.residentName)
    : ctx.signer.role === 'resident' ? `votre ${label}` : `le ${label} de ${ctx.residentName}`;
  const pending = ctx.signer.status === 'pending' && ctx.request.status === 'active';
  const large = ctx.preferences.largePrint;
  const parts: string[] = [];
  parts.push(`<h1>Signature : ${esc(label)}</h1>`);
  parts.push(errorSummary(errors, state.errorMessage));
  if (state.notice) parts.push(`<div class="notice success" role="status"><p>${esc(state.notice)}</p></div>`);
  parts.push(`<ul class="facts">
<li><strong>Qui vous le demande :</strong> ${esc(ctx.establishmentName)}</li>
<li><strong>Le document :</strong> ${esc(forResident)}</li>
<li><strong>Vous signez :</strong> ${esc(`${ctx.signer.firstName} ${ctx.signer.lastName}`)}, ${esc(ctx.signer.capacity)}</li>
<li><strong>Date limite :</strong> ${esc(dateFr(ctx.request.deadline))}</li>
</ul>`);
  if (ctx.signer.status === 'signed') parts.push(`<div class="notice success" role="status"><p>Vous avez signé ce document. Merci.</p></div>`);
  else if (ctx.signer.status === 'refused') parts.push(`<div class="notice" role="status"><p>Vous avez refusé de signer. L’établissement a été prévenu.</p></div>`);
  else if (ctx.request.status !== 'active') parts.push(`<div class="notice" role="status"><p>Cette demande de signature est close.</p></div>`);

  // Until the access code is given, the code form is all the session reaches (no reading either).
  if (accessCodeMissing(ctx)) {
    if (!pending) return layout({ title: `Signature : ${label}`, establishment: ctx.establishmentName, large }, parts.join('\n'));
    const f = fieldError(errors, 'code');
    parts.push(`<h2>Code remis par l’établissement</h2>
<p>Avant de lire et de signer, saisissez le code que l’établissement vous a donné.</p>
<form method="post" action="/portail/code" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="code">Code à 6 chiffres</label>
<p class="hint" id="code-aide">L’établissement vous a donné ce code en personne ou par téléphone. Vous pouvez le coller.</p>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" aria-describedby="code-aide"${f.attrs} value="${esc(v.code ?? '')}">
${f.html}
<p><button type="submit">Valider le code</button></p>
</form>`);
    return layout({ title: `Signature : ${label}`, establishment: ctx.establishmentName, large }, parts.join('\n'));
  }

  parts.push(`<h2>1. Lire le document</h2>
<p>Prenez le temps de lire. Vous pouvez choisir une version facile à lire ou en gros caractères, et vous faire accompagner par une personne de votre choix.</p>
<ul class="actions"><li><a class="button" href="/portail/document">Lire le document</a></li></ul>`);

  let step = 2;
  if (pending) {
    for (const view of ctx.views.filter((x) => !x.recorded || x.answer?.byMe)) {
      const f = fieldError(errors, 'expression');
      const name = `${view.person.firstName} ${view.person.lastName}`;
      // A view this signer recorded can be corrected until they sign; the form starts from its answer.
      const current = view.answer && !v.expression ? { expression: view.answer.expression, comment: view.answer.comment ?? '' } : { expression: v.expression, comment: v.comment ?? '' };
      const recordedAs = view.answer ? EXPRESSION_LABELS.find(([value]) => value === view.answer!.expression)?.[1] : undefined;
      parts.push(`<h2>${step++}. L’avis de ${esc(name)}</h2>
<p>${esc(name)} participe à la décision. Son avis est enregistré à part, dans la preuve de signature.</p>
${view.answer ? `<div class="notice success" role="status"><p>Avis enregistré : ${esc(recordedAs ?? view.answer.expression)}. Vous pouvez le corriger tant que vous n’avez pas signé.</p></div>` : ''}
<form method="post" action="/portail/avis" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<input type="hidden" name="viewKey" value="${esc(view.key)}">
<fieldset id="expression"${f.attrs}>
<legend>Qu’exprime ${esc(name)} sur ce document ?</legend>
${EXPRESSION_LABELS.map(([value, text], i) => `<div class="choice"><input type="radio" id="expression-${i}" name="expression" value="${value}"${current.expression === value ? ' checked' : ''}><label for="expression-${i}">${esc(text)}</label></div>`).join('\n')}
</fieldset>
${f.html}
<label for="comment">Ses mots, ou comment l’avis a été recueilli (facultatif)</label>
<textarea id="comment" name="comment">${esc(current.comment)}</textarea>
<p><button type="submit">${view.answer ? 'Corriger l’avis' : 'Enregistrer l’avis'}</button></p>
</form>`);
    }
    if (ctx.waitingFor.length) {
      parts.push(`<h2>${step++}. Signer</h2><div class="notice"><p>Votre signature sera demandée après celle de : ${esc(ctx.waitingFor.join(', '))}. Vous recevrez un e-mail.</p></div>`);
    } else if (!ctx.views.some((x) => !x.recorded)) {
      const consent = fieldError(errors, 'consent');
      const name = fieldError(errors, 'typedName');
      parts.push(`<h2>${step++}. Signer</h2>
<form method="post" action="/portail/signer" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<div class="choice"><input type="checkbox" id="consent" name="consent" value="oui"${consent.attrs}${v.consent ? ' checked' : ''}><label for="consent">J’ai lu le document et je le signe, ${esc(ctx.signer.capacity)}.</label></div>
${consent.html}
<label for="typedName">Votre nom complet</label>
<p class="hint" id="typedName-aide">Écrivez : ${esc(`${ctx.signer.firstName} ${ctx.signer.lastName}`)}</p>
<input type="text" id="typedName" name="typedName" autocomplete="name" aria-describedby="typedName-aide"${name.attrs} value="${esc(v.typedName ?? '')}">
${name.html}
<div class="draw" id="draw-box" hidden>
<p class="hint" id="draw-aide">Vous pouvez aussi dessiner votre signature (facultatif).</p>
<canvas id="draw-canvas" aria-label="Zone pour dessiner votre signature (facultatif)" role="img"></canvas>
<p><button type="button" class="secondary" id="draw-clear">Effacer le dessin</button></p>
</div>
<input type="hidden" id="drawnSignature" name="drawnSignature" value="">
<p><button type="submit">Signer</button></p>
</form>`);
    }
    const reason = fieldError(errors, 'reason');
    const message = fieldError(errors, 'message');
    parts.push(`<h2>Refuser de signer</h2>
<form method="post" action="/portail/refuser" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="reason">Pourquoi ? (facultatif)</label>
<textarea id="reason" name="reason"${reason.attrs}>${esc(v.reason ?? '')}</textarea>
${reason.html}
<p><button type="submit" class="danger">Refuser</button></p>
</form>
<h2>Poser une question</h2>
<form method="post" action="/portail/question" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="message">Votre question à l’établissement</label>
<textarea id="message" name="message"${message.attrs}>${esc(v.message ?? '')}</textarea>
${message.html}
<p><button type="submit" class="secondary">Envoyer la question</button></p>
</form>`);
  }
  return layout({ title: `Signature : ${label}`, establishment: ctx.establishmentName, large, scripts: pending ? ['/portail/static/portal.js'] : [] }, parts.join('\n'));
}

/** The reading view: the version's HTML rendition, with switches and downloads. */
export function readingPage(ctx: PortalContext, variant: string, fragment: string): string {
  const label = docLabel(ctx.document.type);
  const variants: [string, string][] = [
    ['standard', 'Version complète'],
    ['falc', 'Facile à lire'],
    ['large-print', 'Gros caractères'],
  ];
  return layout(
    { title: `Lire : ${label}`, establishment: ctx.establishmentName, large: variant === 'large-print', extraCss: [`/portail/static/document-${variant}.css`] },
    `<p><a href="/portail">Retour à la page de signature</a></p>
<nav aria-label="Choisir la version du document"><ul class="switcher">
${variants.map(([v, text]) => `<li><a href="/portail/document?version=${v}"${v === variant ? ' aria-current="true"' : ''}>${esc(text)}</a></li>`).join('\n')}
</ul></nav>
<p>Télécharger : <a href="/portail/telecharger/pdf/${variant}">PDF (${esc(variants.find((x) => x[0] === variant)![1].toLowerCase())})</a> · <a href="/portail/telecharger/docx/${variant}">Word (DOCX)</a></p>
<div class="document" role="region" aria-label="Le document" tabindex="0">
${fragment}
</div>
<p><a class="button" href="/portail">Retour à la page de signature</a></p>`,
  );
}

export function confirmationPage(ctx: PortalContext, kind: 'signed' | 'refused' | 'question' | 'view' | 'code'): string {
  const text: Record<string, [string, string]> = {
    signed: ['Merci, votre signature est enregistrée', 'Quand toutes les signatures seront réunies, vous recevrez un e-mail avec un lien pour télécharger le document signé.'],
    refused: ['Votre refus est enregistré', 'L’établissement a été prévenu et va vous contacter. Vous pouvez aussi l’appeler.'],
    question: ['Votre question est envoyée', 'L’établissement va vous répondre. Vous pourrez ensuite revenir signer avec le même lien.'],
    view: ['L’avis est enregistré', 'Vous pouvez maintenant signer.'],
    code: ['Code accepté', 'Vous pouvez continuer.'],
  };
  const [title, body] = text[kind];
  const back = kind === 'view' || kind === 'code' || kind === 'question';
  return layout(
    { title, establishment: ctx.establishmentName, large: ctx.preferences.largePrint },
    `<h1>${esc(title)}</h1><div class="notice success" role="status"><p>${esc(body)}</p></div>${back ? '<p><a class="button" href="/portail">Continuer</a></p>' : ''}`,
  );
}

export function downloadPage(ctx: PortalContext, sealed: boolean): string {
  const label = docLabel(ctx.document.type);
  return layout(
    { title: `Document signé : ${label}`, establishment: ctx.establishmentName, large: ctx.preferences.largePrint },
    `<h1>Document signé : ${esc(label)}</h1>
${sealed ? `<p>Toutes les signatures sont réunies. Le document est scellé par l’établissement : toute modification serait détectable. Sa dernière page explique qui a signé, en quelle qualité, et comment.</p>
<ul class="actions"><li><a class="button" href="/portail/document-signe.pdf">Télécharger le document signé (PDF)</a></li></ul>` : '<p>Le document signé n’est pas encore disponible.</p>'}`,
  );
}
