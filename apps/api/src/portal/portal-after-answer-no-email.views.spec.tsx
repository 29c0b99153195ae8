import type { AnswerFacts } from './portal.views';
import type { CoSigner, PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { notYourTurn } from '@carepact/signing';
import { answeredPage, landingPage, signPage, viewPage } from './portal.views';

/**
 * The signed (or established) document reaches a signer by e-mail only when they have an address
 * (SigningJobsService.notifyCompleted: a download link); to a signer without one — Jeanne Martin,
 * signing in person on the establishment's tablet, or a representative without e-mail — the
 * establishment hands it over in person and records it (handoverRecipients, channel 'in_hand';
 * CASF D.311 III). Every page after an answer says so, as the landing does since session 19: an
 * e-mail is promised only to a signer who has an address.
 */
type Doc = 'contrat-sejour' | 'dipc';
function signer(over: { email: string | null; doc?: Doc; status?: string; requestStatus?: string; easyToRead?: boolean; codeMissing?: boolean }): PortalContext {
  const ctx = portalContext({ status: over.status ?? 'signed', requestStatus: over.requestStatus, email: over.email, delivery: over.email ? 'email' : 'in_person' });
  const doc = over.doc ?? 'contrat-sejour';
  return {
    ...ctx,
    session: { ...ctx.session, codeVerified: !over.codeMissing },
    signer: {
      ...ctx.signer,
      firstName: 'Jeanne',
      lastName: 'Martin',
      optional: doc === 'dipc',
      accessCodeRequired: over.codeMissing === true,
      actedAt: new Date('2026-12-03T13:05:00Z'),
    },
    residentName: 'Jeanne Martin',
    document: { id: 'd1', type: doc, subtype: null },
    preferences: { largePrint: false, easyToRead: over.easyToRead ?? false },
  } as PortalContext;
}

const me = (status: CoSigner['status'], optional = false): CoSigner => ({ name: 'Jeanne Martin', role: 'resident', status, optional, me: true });
const director = (status: CoSigner['status']): CoSigner => ({ name: 'Claire Morel', role: 'director', status, optional: false, me: false });
/** The text of the page's main (entities of preact's escaping undone). */
const main = (html: string) =>
  html
    .slice(html.indexOf('<main'), html.indexOf('</main>'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const paragraphs = (html: string) =>
  [...html.slice(html.indexOf('<main'), html.indexOf('</main>')).matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim());

/** Every state after an answer that tells when and how the document comes: [label, document, request status, facts, code missing]. */
const states: [string, Doc, string, AnswerFacts, boolean?][] = [
  ['signed, the director still to sign', 'contrat-sejour', 'active', { signers: [me('signed'), director('pending')], sealed: false }],
  ['signed, the code not entered again (nothing to read)', 'contrat-sejour', 'active', { signers: [me('signed'), director('pending')], sealed: false }, true],
  ['every signature in, not sealed yet', 'contrat-sejour', 'completed', { signers: [me('signed'), director('signed')], sealed: false }],
  ['countersigned before the director signed', 'dipc', 'active', { signers: [me('signed', true), director('pending')], sealed: false }],
  ['countersigned before the director signed, the code not entered again', 'dipc', 'active', { signers: [me('signed', true), director('pending')], sealed: false }, true],
  ['countersigned an established DIPC, its new edition not sealed yet', 'dipc', 'active', { signers: [me('signed', true), director('signed')], sealed: true, mySignatureSealed: false }],
];

describe('after an answer, a signer without e-mail is told the establishment hands the document over (CASF D.311 III)', () => {
  for (const [label, doc, requestStatus, facts, codeMissing] of states)
    for (const easyToRead of [false, true])
      it(`${label}${easyToRead ? ', easy to read' : ''}: no e-mail promised without an address, one promised with it`, () => {
        const without = main(answeredPage(signer({ email: null, doc, requestStatus, easyToRead, codeMissing }), facts, true));
        expect(without).not.toMatch(/e-mail|courriel/i);
        expect(without).toMatch(/vous remet|vous remettra|vous sera remis/);
        // The same page to a signer with an address keeps its promise: the test tells the two apart.
        expect(main(answeredPage(signer({ email: 'jeanne.martin@example.org', doc, requestStatus, easyToRead, codeMissing }), facts, true))).toMatch(/e-mail/);
      });

  it('the wording without e-mail, in full: « l’établissement vous remet … en main propre »', () => {
    const page = (doc: Doc, requestStatus: string, facts: AnswerFacts) => main(answeredPage(signer({ email: null, doc, requestStatus }), facts, true));
    const active = page('contrat-sejour', 'active', { signers: [me('signed'), director('pending')], sealed: false });
    expect(active).toContain('Quand toutes les signatures seront réunies, l’établissement scelle le document et vous le remet en main propre.');
    expect(active).toContain('C’est la version exacte que vous avez signée. Le document final, avec toutes les signatures, vous sera remis en main propre par l’établissement.');
    expect(page('contrat-sejour', 'completed', { signers: [me('signed'), director('signed')], sealed: false })).toContain(
      'Toutes les signatures sont réunies. L’établissement scelle le document et vous le remet en main propre.',
    );
    expect(page('dipc', 'active', { signers: [me('signed', true), director('pending')], sealed: false })).toContain(
      'Le document sera établi quand la direction de l’établissement l’aura signé : il s’appliquera alors, sans attendre d’autre signature, et l’établissement vous le remettra en main propre.',
    );
    const established = page('dipc', 'active', { signers: [me('signed', true), director('signed')], sealed: true, mySignatureSealed: false });
    expect(established).toContain('l’établissement scelle un nouvel exemplaire du document avec votre signature et vous le remet en main propre.');
    expect(established).toContain('Votre signature n’y figure pas encore : le nouvel exemplaire scellé, avec votre signature, vous sera remis en main propre par l’établissement.');
  });

  it('in easy-to-read French, every paragraph passes the FALC lint (lintFalcText)', () => {
    for (const [, doc, requestStatus, facts, codeMissing] of states) {
      const lines = paragraphs(answeredPage(signer({ email: null, doc, requestStatus, easyToRead: true, codeMissing }), facts, true));
      expect(lines.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
    }
  });

  it('states that promise no delivery stay as they are: sealed and ready, refused, declined', () => {
    const sealed = main(answeredPage(signer({ email: null, requestStatus: 'completed' }), { signers: [me('signed'), director('signed')], sealed: true }, false));
    expect(sealed).toContain('Toutes les signatures sont réunies. Le document signé est prêt.');
    expect(sealed).not.toMatch(/e-mail/);
    expect(main(answeredPage(signer({ email: null, status: 'refused', requestStatus: 'refused' }), { signers: [me('refused'), director('pending')], sealed: false }, true))).not.toMatch(/e-mail/);
    expect(main(answeredPage(signer({ email: null, doc: 'dipc', status: 'refused' }), { signers: [me('refused', true), director('signed')], sealed: true }, true))).not.toMatch(/e-mail/);
  });

  it('the landing page already said so (session 19): the same words', () => {
    expect(main(landingPage(signer({ email: null, status: 'pending' })))).toContain('l’établissement vous remet le document signé en main propre');
  });
});

/**
 * Before their turn (sequential mode), a signer is told how they will learn it has come: the
 * invitation e-mail reaches only a signer invited by e-mail who has an address; one who signs in
 * person is asked by the establishment (the sessions after session 20's lawyer and newcomer reviews:
 * the page said « Vous recevrez un e-mail » to Jeanne Martin, who has none).
 */
describe('before their turn, a signer in person is not promised an e-mail', () => {
  const waiting = (email: string | null) => ({ ...signer({ email, status: 'pending' }), waitingFor: ['Claire Morel'] }) as PortalContext;
  it('landing, reading and signing pages: « L’établissement vous proposera de signer » in person, « Vous recevrez un e-mail » by e-mail', () => {
    for (const page of [(c: PortalContext) => landingPage(c), (c: PortalContext) => viewPage(c), (c: PortalContext) => signPage(c, true)]) {
      expect(main(page(waiting(null)))).toContain('Votre signature sera demandée après celle de : Claire Morel. L’établissement vous proposera de signer quand ce sera votre tour.');
      expect(main(page(waiting(null)))).not.toContain('Vous recevrez un e-mail');
      expect(main(page(waiting('jeanne@example.org')))).toContain('Votre signature sera demandée après celle de : Claire Morel. Vous recevrez un e-mail.');
    }
  });
  it('the API’s refusal NOT_YOUR_TURN says the same', () => {
    expect(notYourTurn(waiting(null)).messageFr).toBe('Ce n’est pas encore votre tour : votre signature sera demandée après celle de : Claire Morel. L’établissement vous proposera de signer quand ce sera votre tour.');
    expect(notYourTurn(waiting('jeanne@example.org')).messageFr).toBe('Ce n’est pas encore votre tour : votre signature sera demandée après celle de : Claire Morel. Vous recevrez un e-mail.');
  });
});
