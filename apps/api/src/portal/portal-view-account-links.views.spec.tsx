import type { PortalContext } from '@carepact/signing';
import { portalContext } from './portal-context.fixture';
import { landingPage, readingPage, signPage, viewPage } from './portal.views';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * Julie Petit, Enzo's second parent (C. civ. 371-1 al. 4, 388-1; CASF L.311-4): Thomas recorded Enzo's
 * view; she may add her own account of it on /portail/avis, optional, correctable until she signs.
 * Every page of her way links there, and the signing page shows hers beside his.
 */
function julie(account?: string, over: { waitingFor?: string[] } = {}): PortalContext {
  const ctx = portalContext();
  const accounts = account ? [{ comment: account, at: '2026-12-03T14:05:00Z', byName: 'Julie Petit', byMe: true }] : [];
  return {
    ...ctx,
    signer: { ...ctx.signer, role: 'parent', firstName: 'Julie', lastName: 'Petit', capacity: 'en qualité de parent, titulaire de l’autorité parentale' },
    residentName: 'Enzo Petit',
    waitingFor: over.waitingFor ?? [],
    views: [
      {
        key: 'minor',
        person: { firstName: 'Enzo', lastName: 'Petit', contactId: null },
        reason: 'minor',
        recordedBy: ['parent:a', 'parent:b'],
        legalBasis: 'C. civ. 371-1 al. 4, 388-1',
        recorded: true,
        answer: { expression: 'accord', comment: 'Enzo est d’accord.', byMe: false, byName: 'Thomas Petit', at: '2026-12-02T10:00:00Z', accounts },
      },
    ],
  } as unknown as PortalContext;
}

describe('the second parent reaches her own account of the child’s view from every page', () => {
  it('landing: a line under « Ce qui va se passer » links to /portail/avis, « Ajouter » then « Modifier »', () => {
    const before = landingPage(julie());
    expect(text(before)).toContain('L’avis d’Enzo Petit est déjà indiqué par Thomas Petit. Si vous le souhaitez, vous ajoutez votre propre compte rendu de son avis (facultatif).');
    expect(before).toContain('<a href="/portail/avis">Ajouter mon compte rendu de son avis</a>');
    const after = landingPage(julie('Il veut rentrer le week-end.'));
    expect(after).toContain('<a href="/portail/avis">Modifier mon compte rendu</a>');
  });

  it('document page: a button to /portail/avis beside « Signer le document »', () => {
    const html = readingPage(julie(), 'standard', '<p>Contrat</p>');
    expect(html).toContain('<a class="button secondary" href="/portail/avis">Ajouter mon compte rendu de son avis</a>');
    expect(html).toContain('<a class="button" href="/portail/signer">Signer le document</a>');
  });

  it('signing page: Thomas’s view, her own account with its date and words, and the link to correct it', () => {
    const before = signPage(julie(), true);
    expect(before).toContain('<a href="/portail/avis">Ajouter mon compte rendu de son avis</a>');
    const after = text(signPage(julie('Il veut rentrer le week-end.'), true));
    expect(after).toContain('Ce que Thomas Petit a noté : « Enzo est d’accord. »');
    expect(after).toContain('Votre compte rendu, ajouté le 3 décembre 2026 à 15 h 05 : « Il veut rentrer le week-end. »');
    expect(after).toContain('Modifier mon compte rendu');
  });

  it('no link before her turn, nor once she has signed; the /portail/avis page itself keeps its form, not a link to itself', () => {
    expect(landingPage(julie(undefined, { waitingFor: ['Thomas Petit'] }))).not.toContain('mon compte rendu');
    const signed = julie('Il veut rentrer le week-end.');
    (signed.signer as { status: string }).status = 'signed';
    expect(signPage(signed, true)).not.toContain('Modifier mon compte rendu');
    expect(viewPage(julie())).not.toContain('<a href="/portail/avis">');
  });
});

describe('landing of a signer without an e-mail address: the establishment hands the signed document over', () => {
  it('Jeanne Martin, in person, no e-mail: « l’établissement vous remet le document signé », no e-mail promised', () => {
    const html = text(landingPage(portalContext({ delivery: 'in_person', email: null })));
    expect(html).toContain('Quand toutes les signatures sont réunies, l’établissement vous remet le document signé en main propre.');
    expect(html).not.toContain('e-mail avec le document');
  });

  it('a signer with an e-mail address still receives it by e-mail', () => {
    expect(text(landingPage(portalContext()))).toContain('Quand toutes les signatures sont réunies, vous recevez un e-mail avec le document signé.');
  });
});
