import { isDomainError } from '@carepact/common';
import { EMAIL_KINDS, EmailDataByKind, EmailKind } from './email-kinds';
import { clearEmailTemplateCache, precompileEmailTemplates, renderEmail } from './email-renderer';
import { emailSamples, primaryLinkOf } from './email-samples';

const samples = emailSamples('https://carepact.example.fr');

/** Every `<a …>` start tag's href, in order (MJML output is regular enough for this). */
function anchors(html: string): string[] {
  return Array.from(html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"/g), (m) => m[1].replace(/&amp;/g, '&'));
}

/** The data of a kind with every free-text field replaced by `value`. */
function withText<K extends EmailKind>(kind: K, value: string): EmailDataByKind[K] {
  const d = structuredClone(samples[kind]) as unknown as Record<string, unknown>;
  d.establishment = { name: value, phone: value };
  for (const k of ['recipientName', 'residentName', 'signerName']) if (k in d && d[k] !== null) d[k] = value;
  if ('pendingSigners' in d) d.pendingSigners = [value, 'Paul Durand'];
  if ('intendedRecipient' in d) d.intendedRecipient = { name: value, address: 'jeanne@exemple.fr' };
  return d as unknown as EmailDataByKind[K];
}

function expectInvalid(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(isDomainError(e)).toBe(true);
    if (!isDomainError(e)) return;
    expect(e.permanent).toBe(true);
    expect(e.details.map((d) => d.field)).toContain(field);
    return;
  }
  throw new Error(`expected a validation error on ${field}`);
}

describe.each(EMAIL_KINDS)('email %s', (kind) => {
  const data = samples[kind];
  const link = primaryLinkOf(kind, data);
  const email = renderEmail(kind, data);

  it('is French, has a subject and names the establishment', () => {
    expect(email.html).toMatch(/^<!doctype html>\s*<html lang="fr" dir="ltr"/);
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.subject).toContain('EHPAD Les Tilleuls');
    expect(email.html).toContain(`<title>${email.subject}</title>`);
    expect(email.html).toContain('EHPAD Les Tilleuls');
    expect(email.text.startsWith('EHPAD Les Tilleuls\n')).toBe(true);
  });

  it('has exactly one link, the primary action, with the exact href, and the text carries it (none for a cancelled request)', () => {
    if (link === null) {
      // A cancelled request: its links are dead, nothing is left to open.
      expect(anchors(email.html)).toEqual([]);
      expect(email.text).not.toMatch(/https?:\/\//);
      return;
    }
    expect(anchors(email.html)).toEqual([link]);
    // The link text is readable words, not an image.
    const a = /<a\b[^>]*>([\s\S]*?)<\/a>/.exec(email.html);
    expect(a?.[1].trim()).toMatch(/^[A-ZÉ][a-zéèêàç’ ()A-Z]{10,}$/);
    expect(email.html).not.toMatch(/<img\b/);
    expect(email.text).toContain(`\n${link}\n`);
  });

  it('leaves no template syntax behind', () => {
    expect(email.html).not.toContain('{{');
    expect(email.text).not.toContain('{{');
    expect(email.text).not.toMatch(/\n{3}/);
  });

  it('carries user data literally and harmlessly', () => {
    const nasty = `</mj-text><mj-raw><script>alert("x")</script></mj-raw> {{subject}} {{#phone}} O'Brien & ‮evil 😀`;
    const e = renderEmail(kind, withText(kind, nasty));
    expect(e.html).not.toMatch(/<script/i);
    expect(e.html).not.toMatch(/<\/?mj-/);
    expect(e.html).toContain('&lt;/mj-text&gt;&lt;mj-raw&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/mj-raw&gt; {{subject}} {{#phone}} O&#39;Brien &amp; ‮evil 😀');
    expect(e.text).toContain(nasty);
    // The bidi override is closed right after the value (U+2068 … U+2069).
    expect(e.text).toContain(`\u2068${nasty}\u2069`);
    expect(anchors(e.html)).toEqual(link === null ? [] : [link]);
  });

  it('keeps CR/LF out of the subject', () => {
    const e = renderEmail(kind, withText(kind, 'Les Tilleuls\r\nBcc: victime@exemple.fr\n'));
    expect(e.subject).not.toMatch(/[\r\n]/);
    expect(e.subject).toContain('Les Tilleuls Bcc: victime@exemple.fr');
    expect(e.text).toContain('Les Tilleuls Bcc: victime@exemple.fr');
  });

  it('refuses a link that is not an absolute http(s) URL on the public origin', () => {
    if (link === null) return; // no link to check (signature-cancelled)
    const key = { 'signature-invitation': 'signUrl', 'signature-reminder': 'signUrl', 'question-answered': 'signUrl', 'signature-completed': 'downloadUrl', 'staff-invitation': 'actionUrl', 'password-reset': 'actionUrl' }[kind as string] ?? 'consoleUrl';
    for (const bad of ['javascript:alert(1)', '/s/relative', 'https://carepact.example.fr/s/a b', 'https://carepact.example.fr/s/a\nb', 'https://user:pw@carepact.example.fr/s/a', 'ftp://carepact.example.fr/x']) {
      expectInvalid(() => renderEmail(kind, { ...data, [key]: bad } as EmailDataByKind[typeof kind]), key);
    }
    expectInvalid(() => renderEmail(kind, data, { expectedOrigin: 'https://other.example.fr' }), key);
    expect(anchors(renderEmail(kind, data, { expectedOrigin: 'https://carepact.example.fr/' }).html)).toEqual([link]);
  });

  it('never shows what the caller should not have passed (a reason, a question, care details)', () => {
    const e = renderEmail(kind, { ...data, reason: 'SECRET-REASON', question: 'SECRET-QUESTION', diagnosis: 'SECRET-DIAGNOSIS' } as unknown as EmailDataByKind[typeof kind]);
    expect(e.html + e.text).not.toContain('SECRET');
  });
});

describe('email wording', () => {
  it('invites a new staff member to choose a password, with who invited them, the roles and the link’s end', () => {
    const e = renderEmail('staff-invitation', samples['staff-invitation']);
    expect(e.subject).toBe('Votre compte CarePact — EHPAD Les Tilleuls');
    expect(e.text).toContain('Bonjour Camille Leroy,');
    expect(e.text).toContain('Sophie Garnier vous a créé un compte dans la console du personnel de CarePact : Coordination — EHPAD Les Tilleuls.');
    expect(e.text).toContain('fonctionne jusqu’au vendredi 27 novembre 2026 à 10 h 30.');
    const reset = renderEmail('password-reset', samples['password-reset']);
    expect(reset.subject).toBe('Nouveau mot de passe CarePact — EHPAD Les Tilleuls');
    expect(reset.text).toContain('votre mot de passe actuel reste valable');
  });

  it('an established DIPC handed over before the optional countersignature (CASF D.311 II-III): « établi », never « signé par toutes les personnes concernées »', () => {
    const data = { ...samples['signature-completed'], documentType: 'dipc' as const };
    const mayCountersign = renderEmail('signature-completed', { ...data, established: { countersignUntil: new Date('2026-12-02T22:59:00Z') } });
    expect(mayCountersign.subject).toMatch(/^Document établi : /);
    expect(mayCountersign.text).toContain('LE DOCUMENT EST ÉTABLI');
    expect(mayCountersign.text).toContain('a été établi et signé par l’établissement le');
    expect(mayCountersign.text).toContain('Vous pouvez aussi le contresigner (le signer après l’établissement), si vous le souhaitez, jusqu’au mercredi 2 décembre 2026');
    expect(mayCountersign.text).not.toContain('toutes les personnes concernées');
    expect(mayCountersign.html).toContain('Le document est établi');
    const signedAlready = renderEmail('signature-completed', { ...data, established: { countersignUntil: null } });
    expect(signedAlready.text).toContain('a été établi et signé par l’établissement le');
    expect(signedAlready.text).not.toContain('contresigner');
    const complete = renderEmail('signature-completed', data);
    expect(complete.text).toContain('Toutes les personnes concernées ont signé le document individuel de prise en charge (DIPC) de Marcel Dupont le');
    expect(complete.subject).toMatch(/^Document signé : /);
  });

  it('names the resident for a representative and says "votre" to the resident', () => {
    const forGuardian = renderEmail('signature-invitation', samples['signature-invitation']);
    expect(forGuardian.text).toContain('EHPAD Les Tilleuls vous invite à lire et à signer le contrat de séjour de Marcel Dupont.');
    expect(forGuardian.text).toContain('Bonjour Jeanne Martin,');
    const forResident = renderEmail('signature-invitation', { ...samples['signature-invitation'], residentName: null, recipientName: null });
    expect(forResident.text).toContain('vous invite à lire et à signer votre contrat de séjour.');
    expect(forResident.text).toContain('Bonjour,');
    const elided = renderEmail('signature-invitation', { ...samples['signature-invitation'], documentType: 'avenant', residentName: 'Émile Durand' });
    expect(elided.text).toContain('signer l’avenant au contrat de séjour d’Émile Durand.');
  });

  it('states the deadline in the establishment time zone', () => {
    const paris = renderEmail('signature-invitation', samples['signature-invitation']);
    expect(paris.text).toContain('À signer jusqu’au dimanche 20 décembre 2026 à 23 h 59.');
    const reunion = renderEmail('signature-invitation', { ...samples['signature-invitation'], establishment: { name: 'EHPAD Les Filaos', timeZone: 'Indian/Reunion' } });
    expect(reunion.text).toContain('À signer jusqu’au lundi 21 décembre 2026 à 2 h 59.');
    expectInvalid(() => renderEmail('signature-invitation', { ...samples['signature-invitation'], establishment: { name: 'X', timeZone: 'Mars/Olympus' } }), 'establishment.timeZone');
  });

  it('tells signers the link is personal, that they can sign in person, and whom to call', () => {
    const e = renderEmail('signature-invitation', samples['signature-invitation']);
    expect(e.text).toContain('Ce lien est personnel');
    expect(e.text).toContain('Vous pouvez aussi signer sur place, à l’établissement. Pour toute question, appelez l’établissement au 01 23 45 67 89.');
    expect(e.text).not.toContain('code d’accès');
    const noPhone = renderEmail('signature-invitation', { ...samples['signature-invitation'], establishment: { name: 'EHPAD Les Tilleuls' } });
    expect(noPhone.text).toContain('Pour toute question, contactez l’établissement.');
    const reminder = renderEmail('signature-reminder', samples['signature-reminder']);
    expect(reminder.subject).toBe('Rappel : votre signature est attendue avant le dimanche 20 décembre 2026 — EHPAD Les Tilleuls');
    expect(reminder.text).toContain('Un code d’accès vous sera demandé');
    expect(reminder.html).toContain('Un code d’accès vous sera demandé');
  });

  it('offers the DIPC only after a refused contrat de séjour', () => {
    expect(renderEmail('staff-refusal', samples['staff-refusal']).text).toContain('document individuel de prise en charge (DIPC, article D. 311');
    // A curateur refusing his assistance: no DIPC, the judge may authorise the person alone (C. civ. 469).
    const assistance = renderEmail('staff-refusal', { ...samples['staff-refusal'], signerName: 'Karim Benaïssa', assistanceRefused: true });
    expect(assistance.text).not.toContain('est remplacé par un document individuel de prise en charge');
    expect(assistance.text).toContain('Karim Benaïssa est curateur : il refuse son assistance, ce n’est pas un refus du document par la personne, et aucun DIPC n’est à établir.');
    expect(assistance.html).toContain('article 469 du code civil');
    // A personne habilitée in assistance: her own articles, not the curatelle's 469 (C. civ. 494-1 al. 1, 494-10).
    const habilitee = renderEmail('staff-refusal', { ...samples['staff-refusal'], signerName: 'Lucie Martin', assistanceRefused: true, assistantRole: 'habilite' });
    expect(habilitee.text).toContain(
      'Lucie Martin est la personne habilitée qui assiste la personne : elle refuse son assistance, ce n’est pas un refus du document par la personne, et aucun DIPC n’est à établir. ' +
        'La personne peut saisir le juge des contentieux de la protection, qui statue sur cette difficulté et peut l’autoriser à signer seule (articles 494-1 et 494-10 du code civil) ; le document reste prêt à être envoyé de nouveau.',
    );
    expect(habilitee.html).toContain('(articles 494-1 et 494-10 du code civil)');
    expect(habilitee.text + habilitee.html).not.toMatch(/469|est curateur/);
    const projet = renderEmail('staff-refusal', { ...samples['staff-refusal'], documentType: 'projet-personnalise' });
    expect(projet.text).not.toContain('DIPC');
    expect(projet.subject).toBe('Refus de signature : projet personnalisé — EHPAD Les Tilleuls');
  });

  it('says the document is not attached and when the download link ends', () => {
    const e = renderEmail('signature-completed', samples['signature-completed']);
    expect(e.text).toContain('le document n’est pas joint à ce message');
    expect(e.text).toContain('valable jusqu’au samedi 20 février 2027 à 23 h 59.');
    expect(renderEmail('signature-completed', { ...samples['signature-completed'], downloadAvailableUntil: null }).text).not.toContain('valable jusqu’au');
  });

  it('explains a delivery failure by its kind', () => {
    const permanent = renderEmail('delivery-failed', samples['delivery-failed']);
    expect(permanent.text).toContain('Le courriel « invitation à signer » adressé à Jeanne Martin (jeanne.martin@exemple.fr) n’a pas pu être remis');
    expect(permanent.text).toContain('a refusé l’adresse');
    const transient = renderEmail('delivery-failed', { ...samples['delivery-failed'], failure: 'transient' });
    expect(transient.text).toContain('resté injoignable');
    expect(transient.text).not.toContain('a refusé l’adresse');
    const noAddress = renderEmail('delivery-failed', { ...samples['delivery-failed'], intendedRecipient: { name: 'Jeanne Martin', address: '' } });
    expect(noAddress.text).toContain('adressé à Jeanne Martin (adresse non renseignée)');
  });

  it('lists the signers who had not signed when a request expires', () => {
    expect(renderEmail('request-expired', samples['request-expired']).text).toContain('Personnes qui n’avaient pas encore signé : Jeanne Martin, Marcel Dupont.');
    expect(renderEmail('request-expired', { ...samples['request-expired'], pendingSigners: [] }).text).not.toContain('Personnes qui');
    const countersign = renderEmail('countersign-due', samples['countersign-due']);
    expect(countersign.subject).toBe('Contresignature attendue : contrat de séjour — EHPAD Les Tilleuls');
    // The same days as the console and the portal: the end of the day in Paris.
    expect(countersign.text).toContain('avant le dimanche 20 décembre 2026 à 23 h 59');
    expect(countersign.text).toContain('Délai prévu par la loi pour la signature : dimanche 15 novembre 2026 (CASF, article D. 311).');
    expect(renderEmail('countersign-due', { ...samples['countersign-due'], legalDeadline: null }).text).not.toContain('Délai prévu');
  });

  it('a seal failed for good: the document, when, why in French, that the signatures are kept, the way to retry', () => {
    const mail = renderEmail('seal-failed', samples['seal-failed']);
    expect(mail.subject).toBe('Scellement échoué : contrat de séjour — EHPAD Les Tilleuls');
    expect(mail.text).toContain('Toutes les personnes concernées ont signé le contrat de séjour de Marcel Dupont, mais le PDF signé n’a pas pu recevoir le cachet de l’établissement (constaté le vendredi 20 novembre 2026 à 10 h 30).');
    expect(mail.text).toContain('Raison : Le certificat de cachet de l’établissement n’est pas valide');
    expect(mail.text).toContain('Les signatures sont conservées et la demande n’expire pas.');
    expectInvalid(() => renderEmail('seal-failed', { ...samples['seal-failed'], cause: '' }), 'cause');
  });

  it('refuses missing names, bad dates and unknown document types', () => {
    expectInvalid(() => renderEmail('staff-refusal', { ...samples['staff-refusal'], signerName: ' \r\n ' }), 'signerName');
    expectInvalid(() => renderEmail('staff-question', { ...samples['staff-question'], residentName: '' }), 'residentName');
    expectInvalid(() => renderEmail('signature-invitation', { ...samples['signature-invitation'], deadline: new Date('nope') }), 'deadline');
    expectInvalid(() => renderEmail('signature-invitation', { ...samples['signature-invitation'], documentType: 'ordonnance' as 'dipc' }), 'documentType');
  });
});

describe('template cache', () => {
  it('compiles every kind in every combination of its sections', () => {
    clearEmailTemplateCache();
    // 5 flags → 32, 4 → 16, 3 → 8, 2 → 4, 1 → 2, 0 → 1: 16 + 16 (invitation, reminder: countersign, established) + 8 (question-answered: phone, accessCode, notYourTurn) + 32 (signature-completed, with `staff`) + 16 (signature-cancelled: phone, departure, signed, mayFollow) + 4 (staff-refusal) + 1 + 2 + 2 + 4 (countersign-due: legalDeadline, establishes) + 1 (seal-failed) + 1 + 1 (account e-mails).
    expect(precompileEmailTemplates()).toBe(104);
  });

  it('renders the same email from the cache as from a fresh compilation', () => {
    const warm = renderEmail('signature-reminder', samples['signature-reminder']);
    clearEmailTemplateCache();
    expect(renderEmail('signature-reminder', samples['signature-reminder'])).toEqual(warm);
  });
});
