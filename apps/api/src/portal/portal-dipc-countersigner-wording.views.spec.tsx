import type { CoSigner, PortalContext } from '@carepact/signing';
import type { VersionAnnex } from '@carepact/documents';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { answeredPage, landingPage, refusePage, signPage } from './portal.views';

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal ». What an optional countersigner of the person's
 * side reads in the portal: a countersignature offered for the person, never a required signature;
 * declining it refuses nothing and asks nothing more (the document is in force without it); the
 * documents handed over go « avec le document individuel de prise en charge », not « avec le contrat ».
 */
function tuteurOf(type: 'dipc' | 'contrat-sejour', over: { status?: string; requestStatus?: string; easyToRead?: boolean } = {}): PortalContext {
  const ctx = portalContext({ status: over.status, requestStatus: over.requestStatus });
  return {
    ...ctx,
    signer: {
      ...ctx.signer,
      role: 'tuteur',
      firstName: 'Paul',
      lastName: 'Martin',
      capacity: 'en qualité de tuteur, qui représente Seán O’Brien',
      measure: { type: 'tutelle', mode: 'representation' },
      optional: type === 'dipc',
      actedAt: over.status && over.status !== 'pending' ? new Date('2026-12-03T13:05:00Z') : null,
    },
    document: { id: 'd1', type },
    preferences: { largePrint: false, easyToRead: over.easyToRead ?? false },
  } as PortalContext;
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const mainParagraphs = (html: string) =>
  [...html.slice(html.indexOf('<main'), html.indexOf('</main>')).matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
const annexes: VersionAnnex[] = [{ key: 'livret-accueil-2026', label: 'Livret d’accueil, édition 2026', file: null }];
const me: CoSigner = { name: 'Paul Martin', role: 'tuteur', status: 'refused', optional: true, me: true };
const director: CoSigner = { name: 'Claire Morel', role: 'director', status: 'signed', optional: false, me: false };

describe('a tuteur who may countersign a DIPC for the person (CASF D.311 II)', () => {
  it('the landing: « Vous pouvez le contresigner … pour Seán O’Brien, que vous représentez », optional; the contract keeps « Vous signez »', () => {
    const page = text(landingPage(tuteurOf('dipc')));
    expect(page).toContain('Vous pouvez le contresigner : Paul Martin, en qualité de tuteur, pour Seán O’Brien, que vous représentez. Ce n’est pas obligatoire.');
    expect(page).not.toContain('Vous signez :');
    expect(page).toContain('Si vous le souhaitez, vous contresignez. Ce n’est pas obligatoire.');
    expect(page).not.toContain('Vous signez. Vous pouvez aussi refuser de signer');
    expect(text(landingPage(tuteurOf('contrat-sejour')))).toContain('Vous signez : Paul Martin, en qualité de tuteur : vous représentez Seán O’Brien');
  });

  it('the sign page: the consent « je le contresigne … pour Seán O’Brien, que je représente », the documents handed over with the DIPC', () => {
    const html = signPage(tuteurOf('dipc'), true, {}, { files: annexes, tariffs: null });
    expect(html).toContain('J’ai lu le document et je le contresigne en qualité de tuteur, pour Seán O’Brien, que je représente.');
    expect(html).toContain('<h1>Contresigner : document individuel de prise en charge (DIPC)</h1>');
    expect(text(html)).toContain('Ce que vous contresignez Vous contresignez le document individuel de prise en charge (DIPC) de Seán O’Brien dans sa version complète.');
    expect(html).toContain('<button type="submit">Contresigner</button>');
    expect(html).toContain('<h2 id="documents-remis">Documents remis avec le document individuel de prise en charge</h2>');
    expect(html).not.toContain('avec le contrat');
    const contract = signPage(tuteurOf('contrat-sejour'), true, {}, { files: annexes, tariffs: null });
    expect(contract).toContain('<h2 id="documents-remis">Documents remis avec le contrat</h2>');
    expect(contract).toContain('J’ai lu le document et je le signe en qualité de tuteur : je représente Seán O’Brien.');
    expect(contract).toContain('<h1>Signer : contrat de séjour</h1>');
    expect(contract).toContain('<button type="submit">Signer</button>');
  });

  it('the documents handed over, in easy-to-read French, name no contract on a DIPC (lintFalcText)', () => {
    const html = signPage(tuteurOf('dipc', { easyToRead: true }), true, {}, { files: annexes, tariffs: null });
    const start = html.indexOf('aria-labelledby="documents-remis"');
    const section = html.slice(start, html.indexOf('<ul', start));
    const lines = [...section.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    expect(lines).toEqual(['Ces documents vont avec le document que vous signez.', 'Lisez-les avant de signer.', 'Vous ne les signez pas.']);
    expect(lines.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('the page to decline: « Ne pas contresigner », the document applies without it, nothing more is asked', () => {
    const page = text(refusePage(tuteurOf('dipc')));
    expect(page).toContain('Ne pas contresigner');
    expect(page).toContain('Votre contresignature n’est pas obligatoire : le document s’applique dès que la direction de l’établissement l’a signé, que vous le contresigniez ou non');
    expect(page).toContain('rien d’autre n’est attendu de vous');
    expect(page).not.toMatch(/contactera|la demande de signature s’arrête/);
  });

  it('after declining an established DIPC: in force, nothing more needed — never « L’établissement va vous contacter »', () => {
    const html = answeredPage(tuteurOf('dipc', { status: 'refused' }), { signers: [me, director], sealed: true }, true);
    const page = text(html);
    expect(page).not.toMatch(/va vous contacter|Votre refus/);
    expect(page).toContain('Votre choix est enregistré');
    expect(page).toContain('Le document est établi : la direction de l’établissement l’a signé. Il s’applique, sans votre contresignature. Rien d’autre n’est attendu de vous.');
  });

  it('declined before the director signed: it will apply once she signs; in easy-to-read French too (lintFalcText)', () => {
    expect(text(answeredPage(tuteurOf('dipc', { status: 'refused' }), { signers: [me, { ...director, status: 'pending' }], sealed: false }, false))).toContain(
      'Le document s’appliquera dès que la direction de l’établissement l’aura signé, sans votre contresignature. Rien d’autre n’est attendu de vous.',
    );
    const easy = mainParagraphs(answeredPage(tuteurOf('dipc', { status: 'refused', easyToRead: true }), { signers: [me, director], sealed: true }, true));
    expect(easy.join(' ')).not.toMatch(/va vous contacter/);
    expect(easy).toContain('Vous n’avez rien d’autre à faire.');
    expect(easy).toContain('Il compte dès maintenant.');
    expect(easy.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('countersigned before the director signed: established by her signature, no « toutes les signatures » awaited (FALC too)', () => {
    const signedMe: CoSigner = { ...me, status: 'signed' };
    const pendingDirector: CoSigner = { ...director, status: 'pending' };
    const page = text(answeredPage(tuteurOf('dipc', { status: 'signed' }), { signers: [signedMe, pendingDirector], sealed: false }, true));
    expect(page).not.toMatch(/toutes les signatures|Il manque encore/i);
    expect(page).toContain('Le document sera établi quand la direction de l’établissement l’aura signé : il s’appliquera alors, sans attendre d’autre signature');
    const easy = mainParagraphs(answeredPage(tuteurOf('dipc', { status: 'signed', easyToRead: true }), { signers: [signedMe, pendingDirector], sealed: false }, true));
    expect(easy).toContain('L’établissement doit encore signer ce document.');
    expect(easy.join(' ')).not.toMatch(/tout le monde/);
    expect(easy.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('a required signer of a contract who refuses still reads that the establishment will contact them', () => {
    expect(text(answeredPage(tuteurOf('contrat-sejour', { status: 'refused' }), { signers: [{ ...me, optional: false }, director], sealed: false }, true))).toContain(
      'L’établissement a été prévenu et va vous contacter.',
    );
  });
});
