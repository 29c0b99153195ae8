import { portalContext } from './portal-context.fixture';
import { questionPage } from './portal.views';

/** A signer's context reduced to what the question page reads. */
const context = portalContext;

const FORM = 'action="/portail/question"';
const waiting = (n: number) => Array.from({ length: n }, (_, i) => ({ message: `Question ${i + 1}`, askedAt: new Date('2026-11-20T10:00:00Z'), answers: [] }));

describe('question page: the form only when a question would be taken (security review)', () => {
  it('offers the form to a pending signer of an active request', () => {
    expect(questionPage(context())).toContain(FORM);
    expect(questionPage(context(), { asked: waiting(4) })).toContain(FORM);
  });

  it('hides it once the request is closed, the signer has answered, or in a download session, and says why', () => {
    for (const [ctx, why] of [
      [context({ status: 'refused', requestStatus: 'refused' }), 'Cette demande de signature est close'],
      [context({ requestStatus: 'cancelled' }), 'Cette demande de signature est close'],
      [context({ status: 'signed' }), 'Vous avez déjà répondu à cette demande'],
      [context({ status: 'signed', requestStatus: 'completed', purpose: 'download' }), 'Cette demande de signature est close'],
    ] as const) {
      const html = questionPage(ctx, { asked: waiting(1) });
      expect({ why, form: html.includes(FORM) }).toEqual({ why, form: false });
      expect(html).toContain(`${why} : vous ne pouvez plus poser de question ici.`);
      expect(html).toContain('Question 1'); // the questions already sent stay readable
    }
  });

  it('hides it while 5 questions wait for an answer, and says that the establishment will answer them', () => {
    const html = questionPage(context(), { asked: waiting(5) });
    expect(html).not.toContain(FORM);
    expect(html).toContain('Vous avez déjà envoyé 5 questions qui attendent une réponse. L’établissement va répondre aux questions déjà envoyées');
  });

  it('a refused question shows its reason once (the error summary), without the form', () => {
    const html = questionPage(context({ status: 'refused', requestStatus: 'refused' }), { errorMessage: 'Cette demande de signature est close : vous ne pouvez plus poser de question ici.' });
    expect(html).not.toContain(FORM);
    expect(html.split('vous ne pouvez plus poser de question ici').length - 1).toBe(1);
  });
});

describe('question page: the establishment’s answers named with elision', () => {
  it('« Réponse d’EHPAD Les Tilleuls du … » (was « Réponse de EHPAD Les Tilleuls »)', () => {
    const asked = [{ message: 'Le tarif inclut-il la blanchisserie ?', askedAt: new Date('2026-11-20T10:00:00Z'), answers: [{ answer: 'Oui.', at: new Date('2026-11-21T10:00:00Z') }] }];
    const html = questionPage(context(), { asked });
    expect(html).toContain('Réponse d’EHPAD Les Tilleuls du 21 novembre 2026 :');
    expect(html).not.toContain('Réponse de EHPAD');
  });
});
