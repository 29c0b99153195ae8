import type { CoSigner, PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { answeredPage, downloadPage } from './portal.views';

/**
 * The pages after an answer (the recap after signing or refusing, the completion link's page) follow
 * the signer's easy-to-read preference as the reading view does (ctx.preferences, its default
 * variant): short sentences, one idea each, each on its own line, checked with the rules the FALC
 * renditions are linted with (ACCESSIBILITY.md, @carepact/templates lintFalcText).
 */
function sean(over: { easyToRead?: boolean; status?: string; requestStatus?: string; purpose?: 'sign' | 'download' } = {}): PortalContext {
  const ctx = portalContext({ status: over.status ?? 'signed', requestStatus: over.requestStatus, purpose: over.purpose });
  return {
    ...ctx,
    signer: { ...ctx.signer, actedAt: new Date('2026-12-03T13:05:00Z') },
    preferences: { largePrint: false, easyToRead: over.easyToRead ?? true },
  } as PortalContext;
}

const director: CoSigner = { name: 'Claire Morel', role: 'director', status: 'pending', optional: false, me: false };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The paragraphs of the page's main, as read (entities of preact's escaping undone). */
const paragraphs = (html: string) =>
  [...html.slice(html.indexOf('<main'), html.indexOf('</main>')).matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) =>
    m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/\s+/g, ' ').trim(),
  );

/** Every paragraph passes the FALC lint (no error, no warning: one sentence, at most 12 words…). */
function expectEasyToRead(html: string) {
  const found = paragraphs(html).flatMap((p) => lintFalcText(p).map((f) => `${f.rule}: ${f.excerpt}`));
  expect(found).toEqual([]);
}

const pages: [string, (easyToRead: boolean) => string][] = [
  ['recap right after signing, others to sign', (e) => answeredPage(sean({ easyToRead: e }), { signers: [director], sealed: false }, true)],
  ['coming back, completed and sealed', (e) => answeredPage(sean({ easyToRead: e, requestStatus: 'completed' }), { signers: [], sealed: true }, false)],
  ['completed, not sealed yet', (e) => answeredPage(sean({ easyToRead: e, requestStatus: 'completed' }), { signers: [], sealed: false }, false)],
  ['signed, then someone refused', (e) => answeredPage(sean({ easyToRead: e, requestStatus: 'refused' }), { signers: [], sealed: false }, false)],
  ['signed, then the establishment cancelled', (e) => answeredPage(sean({ easyToRead: e, requestStatus: 'cancelled' }), { signers: [], sealed: false }, false)],
  ['recap right after refusing', (e) => answeredPage(sean({ easyToRead: e, status: 'refused', requestStatus: 'refused' }), { signers: [], sealed: false }, true)],
  ['completion link, sealed', (e) => downloadPage(sean({ easyToRead: e, requestStatus: 'completed', purpose: 'download' }), true)],
  ['completion link, not sealed yet', (e) => downloadPage(sean({ easyToRead: e, requestStatus: 'completed', purpose: 'download' }), false)],
];

describe('after an answer, in easy-to-read French for a FALC reader', () => {
  it.each(pages)('%s: short sentences, one per line', (_label, page) => {
    expectEasyToRead(page(true));
  });

  it('says the same facts as the complete wording: what was signed, who is missing, what comes by e-mail, what the sealed PDF holds', () => {
    const recap = text(answeredPage(sean(), { signers: [director], sealed: false }, true));
    expect(recap).toContain('Merci, votre signature est enregistrée');
    expect(recap).toContain('Vous avez signé le 3 décembre 2026 à 14 h 05.');
    expect(recap).toContain('Il manque encore la signature de : Claire Morel, pour la direction de l’établissement');
    expect(recap).toContain('Quand tout le monde aura signé, vous recevrez un e-mail. Cet e-mail a un lien pour télécharger le document signé.');
    expect(recap).toContain('C’est le texte exact que vous avez signé. Les signatures ne sont pas dans ce fichier.');
    const sealed = text(downloadPage(sean({ requestStatus: 'completed', purpose: 'download' }), true));
    expect(sealed).toContain('Tout le monde a signé.');
    expect(sealed).toContain('Cela veut dire : si quelqu’un change le document, cela se voit.');
    expect(sealed).toContain('Ces pages s’appellent « Dossier de preuve de la signature ».');
    const refused = text(answeredPage(sean({ status: 'refused', requestStatus: 'refused' }), { signers: [], sealed: false }, true));
    expect(refused).toContain('Votre refus est enregistré');
    expect(refused).toContain('Vous avez refusé de signer votre contrat de séjour. C’était le 3 décembre 2026 à 14 h 05. L’établissement est prévenu. Il va vous contacter.');
  });

  it('a reader without the preference keeps the complete wording', () => {
    const recap = text(answeredPage(sean({ easyToRead: false }), { signers: [director], sealed: false }, true));
    expect(recap).toContain('Il manque encore la signature de : la direction de l’établissement (Claire Morel). Quand toutes les signatures seront réunies');
    expect(text(downloadPage(sean({ easyToRead: false, requestStatus: 'completed', purpose: 'download' }), true))).toContain('Toutes les signatures sont réunies.');
  });
});
