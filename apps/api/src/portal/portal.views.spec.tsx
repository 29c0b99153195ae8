import type { PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { answeredPage, downloadPage, landingPage, linkNotFoundPage, readingPage, refusePage, signPage, viewPage } from './portal.views';

/** A signer's context as the portal service returns it, reduced to what the pages read. */
function context(over: {
  type?: string;
  role?: string;
  capacity?: string;
  measure?: unknown;
  residentName?: string;
  deadline?: Date;
  views?: unknown[];
  status?: string;
  requestStatus?: string;
  actedAt?: Date | null;
  phone?: string | null;
  largePrint?: boolean;
  easyToRead?: boolean;
}): PortalContext {
  return {
    session: { codeVerified: true, csrfToken: 'jeton-csrf' },
    signer: {
      role: over.role ?? 'tuteur',
      status: over.status ?? 'pending',
      firstName: 'Claire',
      lastName: 'Durand',
      capacity: over.capacity ?? 'en qualité de tuteur, qui représente Émile Durand',
      measure: over.measure === undefined ? { type: 'tutelle', mode: 'representation' } : over.measure,
      accessCodeRequired: false,
      optional: false,
      actedAt: over.actedAt ?? null,
    },
    request: { status: over.requestStatus ?? 'active', deadline: over.deadline ?? new Date('2026-12-12T22:59:00Z') },
    document: { id: 'd1', type: over.type ?? 'contrat-sejour' },
    link: null,
    residentName: over.residentName ?? 'Émile Durand',
    establishmentName: 'EHPAD <Les Tilleuls>',
    establishment: { name: 'EHPAD <Les Tilleuls>', phone: over.phone === undefined ? '01 00 00 00 18' : over.phone, address: '12 rue des Tilleuls, 00100 Valville' },
    preferences: { largePrint: over.largePrint ?? false, easyToRead: over.easyToRead ?? false },
    views: over.views ?? [],
    waitingFor: [],
    purpose: 'sign',
  } as unknown as PortalContext;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('portal landing page wording (labels and dates of @carepact/common)', () => {
  it('names the document as the e-mails do: article and elision (was « le avenant … de Émile »)', () => {
    const html = landingPage(context({ type: 'avenant' }));
    expect(html).toContain('<strong>Le document :</strong> l’avenant au contrat de séjour d’Émile Durand</li>');
    expect(html).toContain('<h1>Signature : avenant au contrat de séjour</h1>');
  });

  it('says « votre … » to the resident', () => {
    expect(landingPage(context({ role: 'resident', capacity: 'en son nom propre', measure: null }))).toContain('<strong>Le document :</strong> votre contrat de séjour</li>');
  });

  it('writes the deadline in full on its day in Paris, « 1er » for the first of the month', () => {
    const html = landingPage(context({ type: 'dipc', deadline: new Date('2026-11-30T23:30:00Z') }));
    expect(html).toContain('<strong>Date limite :</strong> 1er décembre 2026</li>');
  });

  it('escapes user data (preact-render-to-string)', () => {
    expect(landingPage(context({}))).toContain('EHPAD &lt;Les Tilleuls>');
    expect(landingPage(context({}))).not.toContain('<Les Tilleuls>');
  });
});

describe('one step per page (issue 13, item 3)', () => {
  it('the landing says who asks, what, by when, what happens, and offers only « Lire le document »', () => {
    const html = landingPage(context({}));
    expect(text(html)).toContain('Ce qui va se passer');
    expect(html).toContain('<a class="button" href="/portail/document">Lire le document</a>');
    for (const form of ['/portail/signer', '/portail/refuser', '/portail/question', '/portail/avis']) expect({ form, on: html.includes(`action="${form}"`) }).toEqual({ form, on: false });
    expect(html).not.toContain('class="danger"');
  });

  it('the sign page has no form before the document was opened, and says so', () => {
    const unread = signPage(context({}), false);
    expect(unread).not.toContain('action="/portail/signer"');
    expect(text(unread)).toContain('Vous n’avez pas encore ouvert le document');
    expect(unread).toContain('href="/portail/document">Lire le document</a>');
    const read = signPage(context({}), true);
    expect(read).toContain('action="/portail/signer"');
    expect(read).toContain('<script src="/portail/static/portal.js" defer>');
  });

  it('the view step comes before signing where the policy asks for it', () => {
    const view = { key: 'resident', person: { firstName: 'Lucie', lastName: 'Martin' }, reason: 'tutelle', recordedBy: ['tuteur'], recorded: false, answer: null };
    const sign = signPage(context({ views: [view] }), true);
    expect(sign).not.toContain('action="/portail/signer"');
    expect(sign).toContain('href="/portail/avis"');
    const page = viewPage(context({ views: [view] }));
    expect(page).toContain('action="/portail/avis"');
    // Under representation her disagreement about where she lives goes to the judge (C. civ. 459-2, issue 8).
    expect(page).not.toContain('ne bloque pas');
  });

  it('every step page has its « Retour »', () => {
    for (const html of [signPage(context({}), true), refusePage(context({})), viewPage(context({})), readingPage(context({}), 'standard', '<h1>Doc</h1>')])
      expect(html).toMatch(/<p class="back"><a href="\/portail(\/document)?">Retour/);
  });

  it('the reading page leads to the next steps, each its own page', () => {
    const html = readingPage(context({}), 'standard', '<h1>Doc</h1>');
    for (const href of ['/portail/signer', '/portail/question', '/portail/refuser']) expect(html).toContain(`href="${href}"`);
    expect(html).not.toContain('<form');
  });
});

describe('consent in the signer’s own capacity (issue 13, item 2)', () => {
  const cases: [string, Parameters<typeof context>[0], string][] = [
    ['resident alone', { role: 'resident', capacity: 'en son nom propre', measure: null }, 'J’ai lu le document et je le signe en mon nom.'],
    [
      'resident assisted',
      { role: 'resident', capacity: 'en son nom propre, avec l’assistance de son curateur', measure: { type: 'curatelle', mode: 'assistance' } },
      'J’ai lu le document et je le signe en mon nom, avec l’assistance de mon curateur.',
    ],
    ['curateur', { role: 'curateur', capacity: 'en qualité de curateur, qui assiste Émile Durand', measure: { type: 'curatelle', mode: 'assistance' } }, 'J’ai lu le document et je le signe en qualité de curateur : j’assiste Émile Durand.'],
    ['tuteur', {}, 'J’ai lu le document et je le signe en qualité de tuteur : je représente Émile Durand.'],
    [
      'parent',
      { role: 'parent', capacity: 'en qualité de parent titulaire de l’autorité parentale de Émile Durand', measure: null },
      'J’ai lu le document et je le signe en qualité de parent titulaire de l’autorité parentale d’Émile Durand.',
    ],
  ];
  it.each(cases)('%s', (_label, over, sentence) => {
    const html = signPage(context(over), true);
    expect(html).toContain(`<label for="consent">${sentence}</label>`);
    expect(html).not.toMatch(/<label for="consent">[^<]*\b(son|sa|ses) /);
  });
});

describe('help on every page (issue 13, item 6)', () => {
  it('shows the establishment’s phone (a tel: link) and address', () => {
    for (const html of [landingPage(context({})), signPage(context({}), false), refusePage(context({})), readingPage(context({}), 'falc', '<h1>Doc</h1>')]) {
      expect(html).toContain('<a href="tel:0100000018">01 00 00 00 18</a>');
      expect(html).toContain('Adresse : 12 rue des Tilleuls, 00100 Valville');
    }
    expect(landingPage(context({ phone: null }))).toContain('Adressez-vous à EHPAD &lt;Les Tilleuls>.');
  });

  it('pages without a session say where to find the establishment’s details', () => {
    expect(text(linkNotFoundPage())).toContain('ses coordonnées sont dans l’e-mail reçu');
  });
});

describe('after an answer (issue 13, items 4 and 5)', () => {
  const facts = { signers: [{ name: 'Claire Morel', role: 'director' as const, status: 'pending' as const, optional: false, me: false }], sealed: false };
  const signedAt = new Date('2026-12-03T13:05:00Z');

  it('coming back: « Vous avez signé le … à … », the capacity, what happens next, what was signed', () => {
    const html = answeredPage(context({ status: 'signed', actedAt: signedAt }), facts, false);
    expect(html).toContain('<h1>Vous avez signé le 3 décembre 2026 à 14 h 05</h1>');
    expect(text(html)).toContain('« J’ai lu le document et je le signe en qualité de tuteur : je représente Émile Durand. »');
    expect(text(html)).toContain('Il manque encore la signature de : la direction de l’établissement (Claire Morel)');
    expect(html).toContain('href="/portail/telecharger/pdf/standard"');
  });

  it('right after signing: the thanks, then the same recap', () => {
    const html = answeredPage(context({ status: 'signed', actedAt: signedAt }), facts, true);
    expect(html).toContain('<h1>Merci, votre signature est enregistrée</h1>');
    expect(text(html)).toContain('Vous avez signé le 3 décembre 2026 à 14 h 05.');
  });

  it('the preferred version is offered first, marked as a companion of the original, not the signed original', () => {
    const html = answeredPage(context({ status: 'signed', actedAt: signedAt, largePrint: true }), { ...facts, sealed: true }, false);
    const large = html.indexOf('/portail/telecharger/pdf/large-print');
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(html.indexOf('/portail/telecharger/pdf/falc'));
    expect(text(html)).toContain('Version en gros caractères (PDF), celle que vous préférez — accompagne l’original, non signée');
    expect(text(html)).toContain('Ce ne sont pas l’original signé');
    expect(html).toContain('href="/portail/document-signe.pdf"');
    // In easy-to-read words for a FALC reader (portal-after-answer-falc.views.spec.tsx): first, and not signed.
    const easy = answeredPage(context({ status: 'signed', actedAt: signedAt, easyToRead: true }), { ...facts, sealed: true }, false);
    expect(easy.indexOf('/portail/telecharger/pdf/falc')).toBeLessThan(easy.indexOf('/portail/telecharger/pdf/large-print'));
    expect(text(easy)).toContain('Version facile à lire (PDF), non signée . C’est la version que vous préférez.');
    expect(text(easy)).toContain('Ces versions ne sont pas signées.');
  });

  it('refusing one’s assistance: the person’s recourse with its article, by measure (C. civ. 469 al. 3; 494-1 al. 1, 494-10)', () => {
    const assisting = (role: string, type: string): PortalContext => {
      const ctx = context({ role, capacity: `en qualité de ${role === 'habilite' ? 'personne habilitée' : 'curateur'}, qui assiste Émile Durand`, measure: { type, mode: 'assistance' } });
      return {
        ...ctx,
        signer: { ...ctx.signer, key: `${role}:c1` },
        request: { ...ctx.request, policy: { signers: [{ key: `${role}:c1`, role, measure: { type, mode: 'assistance' } }] } },
      } as unknown as PortalContext;
    };
    // The page's text, tags out, spaces as a reader sees them.
    const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ').replace(/ ([.,)])/g, '$1');
    const curateur = textOf(refusePage(assisting('curateur', 'curatelle')));
    expect(curateur).toContain('Émile Durand peut demander au juge l’autorisation de le signer sans votre assistance (article 469 du Code civil).');
    const habilitee = textOf(refusePage(assisting('habilite', 'habilitation_familiale')));
    expect(habilitee).toContain(
      'Ce n’est pas un refus du document par Émile Durand : Émile Durand peut saisir le juge, qui statue sur cette difficulté et peut l’autoriser à le signer sans votre assistance (articles 494-1 et 494-10 du Code civil).',
    );
    expect(habilitee).not.toContain('469');
  });

  it('a refusal: « Vous avez refusé de signer le … à … »', () => {
    expect(answeredPage(context({ status: 'refused', actedAt: signedAt }), facts, false)).toContain('<h1>Vous avez refusé de signer le 3 décembre 2026 à 14 h 05</h1>');
    expect(answeredPage(context({ status: 'refused', actedAt: signedAt }), facts, true)).toContain('<h1>Votre refus est enregistré</h1>');
  });

  it('the download page says what the sealed PDF holds, and no longer that « la dernière page explique qui a signé »', () => {
    const html = text(downloadPage(context({ requestStatus: 'completed' }), true));
    expect(html).not.toContain('dernière page');
    expect(html).toContain('chaque cadre de signature indique la date et la façon de signer');
    expect(html).toContain('« Dossier de preuve de la signature » disent qui a signé, en quelle qualité, comment chaque personne a été identifiée et quand');
  });
});

describe('the person whose view is asked, named with elision', () => {
  it('« l’avis d’Émile Durand » on the view, sign and landing pages (was « l’avis de Émile Durand »); « de Lucie Martin » stays', () => {
    const emile = { key: 'resident', person: { firstName: 'Émile', lastName: 'Durand' }, reason: 'tutelle', recordedBy: ['tuteur'], recorded: false, answer: null };
    const view = text(viewPage(context({ views: [emile] })));
    expect(view).toContain('L’avis d’Émile Durand');
    const sign = text(signPage(context({ views: [emile] }), true));
    expect(sign).toContain('Avant de signer, indiquez l’avis d’Émile Durand.');
    expect(sign).toContain('Indiquer l’avis d’Émile Durand');
    for (const html of [view, sign, text(landingPage(context({ views: [emile] })))]) expect(html).not.toContain('de Émile');
    const lucie = { ...emile, person: { firstName: 'Lucie', lastName: 'Martin' } };
    expect(text(viewPage(context({ views: [lucie] })))).toContain('L’avis de Lucie Martin');
  });
});

describe('« Documents remis avec le contrat »: the tariff annex the contract lists (CASF L.311-4)', () => {
  const livret = { key: 'livret-accueil-2026', label: 'Livret d’accueil', inForceOn: '2026-11-02', file: { id: 'f1', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01', sha256: 'b'.repeat(64), byteSize: 1 } };
  const tariffs = { label: 'Annexe tarifaire en vigueur au 1er janvier 2026', effectiveFrom: '2026-01-01', sha256: 'c'.repeat(64), reproducedIn: 'Participation financière et facturation' };

  it('lists it beside the files, with no link: written from the establishment’s tariffs, printed in the document signed', () => {
    const html = signPage(context({}), true, {}, { files: [livret], tariffs });
    const items = [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]).trim());
    expect(items).toContain('Livret d’accueil (PDF, version « Édition 2026 »)');
    expect(items).toContain(
      'Annexe tarifaire en vigueur au 1er janvier 2026 : établie à partir des tarifs de l’établissement, reproduite dans le document que vous signez (partie « Participation financière et facturation »).',
    );
    expect(html).not.toContain('documents-remis/undefined');
    // Listed without its tariffs printed: said so.
    const notPrinted = text(signPage(context({}), true, {}, { files: [livret], tariffs: { ...tariffs, reproducedIn: null } }));
    expect(notPrinted).toContain('Annexe tarifaire en vigueur au 1er janvier 2026 : établie à partir des tarifs de l’établissement, elle n’est pas reproduite dans le document que vous signez');
    // Easy to read: short sentences (lintFalcText).
    const easy = signPage(context({ easyToRead: true }), true, {}, { files: [], tariffs });
    const item = /<li>([\s\S]*?)<\/li>/.exec(easy.slice(easy.indexOf('aria-labelledby="documents-remis"')))![1];
    const lines = [...item.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    expect(lines).toEqual(['La feuille des prix est dans le document que vous signez.', 'Regardez la partie « Participation financière et facturation ».']);
    expect(lines.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
    // Nothing handed over: no section.
    expect(signPage(context({}), true, {}, { files: [], tariffs: null })).not.toContain('documents-remis');
  });
});

describe('a view the other parent recorded first (C. civ. 371-1 al. 4, 388-1)', () => {
  const enzo = {
    key: 'minor',
    person: { firstName: 'Enzo', lastName: 'Petit' },
    reason: 'minor',
    recordedBy: ['parent:a', 'parent:b'],
    recorded: true,
    answer: { expression: 'accord_partiel', comment: null, byMe: false, byName: 'Thomas Petit' },
  };
  it('the view page says who recorded what and offers to sign, not « Il n’y a pas d’avis à indiquer » alone', () => {
    const html = viewPage(context({ views: [enzo] }));
    expect(text(html)).toContain('Avis d’Enzo Petit, enregistré par Thomas Petit : Accord partiel.');
    expect(text(html)).not.toContain('Il n’y a pas d’avis à indiquer');
    expect(html).toContain('href="/portail/signer"');
  });
  it('the sign page shows it before the signature', () => {
    const html = signPage(context({ views: [enzo] }), true);
    expect(html).toContain('action="/portail/signer"');
    expect(text(html)).toContain('Avis d’Enzo Petit, enregistré par Thomas Petit : Accord partiel.');
    expect(html.indexOf('enregistré par Thomas Petit')).toBeLessThan(html.indexOf('action="/portail/signer"'));
  });

  // The newcomer as Julie: « Avis d’Enzo Petit, enregistré par Thomas Petit : Accord. » alone, under « Avis de la personne ».
  const withWords = { ...enzo, answer: { ...enzo.answer, comment: 'Enzo est d’accord, il demande à garder ses <crayons>.', at: '2026-12-03T12:07:00.000Z' } };
  it('both pages show when it was recorded and what Thomas noted, escaped', () => {
    for (const html of [viewPage(context({ views: [withWords] })), signPage(context({ views: [withWords] }), true)]) {
      expect(text(html)).toContain('Avis d’Enzo Petit, enregistré par Thomas Petit le 3 décembre 2026 à 13 h 07 : Accord partiel.');
      expect(text(html)).toContain('Ce que Thomas Petit a noté : « Enzo est d’accord, il demande à garder ses &lt;crayons>. »');
      expect(html).not.toContain('<crayons>');
    }
  });
  it('the view page keeps the heading naming the person, not « Avis de la personne »', () => {
    const html = viewPage(context({ views: [withWords] }));
    expect(html).toContain('<h1>L’avis d’Enzo Petit</h1>');
    expect(html).not.toContain('Avis de la personne');
  });
  it('says what to do if she disagrees: ask the establishment, or refuse to sign, with a link to each', () => {
    for (const html of [viewPage(context({ views: [withWords] })), signPage(context({ views: [withWords] }), true)]) {
      expect(text(html)).toContain('Si vous n’êtes pas d’accord avec cet avis, vous pouvez poser une question à l’établissement ou refuser de signer .');
      const hint = html.slice(html.indexOf('Si vous n’êtes pas d’accord'));
      expect(hint).toMatch(/^[^]*?<a href="\/portail\/question">poser une question à l’établissement<\/a>[^]*?<a href="\/portail\/refuser">refuser de signer<\/a>/);
    }
    // Closed: nothing left to refuse.
    expect(viewPage(context({ views: [withWords], requestStatus: 'completed' }))).not.toContain('Si vous n’êtes pas d’accord');
  });
  it('Thomas, recording it, is told the other parent will see it and his words; a sole tuteur is not', () => {
    const thomas = (views: unknown[]) => {
      const ctx = context({ views });
      return viewPage({ ...ctx, signer: { ...ctx.signer, key: 'parent:a' } } as PortalContext);
    };
    const toRecord = { ...enzo, recorded: false, answer: null };
    const html = thomas([toRecord]);
    expect(text(html)).toContain('L’autre parent verra ce que vous enregistrez ici, l’avis et ce que vous notez, avant de signer.');
    expect(html.indexOf('L’autre parent verra')).toBeLessThan(html.indexOf('name="comment"'));
    expect(text(thomas([{ ...toRecord, reason: 'tutelle', recordedBy: ['parent:a'] }]))).not.toContain('verra ce que vous enregistrez');
  });
});
