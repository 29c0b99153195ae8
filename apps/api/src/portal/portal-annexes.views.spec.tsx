import type { VersionAnnex } from '@carepact/documents';
import type { PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { signPage } from './portal.views';

/**
 * « Documents remis avec le contrat » on the sign page (CASF L.311-4): each document the version
 * recorded, a link to its PDF through the signer's session, or that the establishment hands it
 * over on paper when no file was published. In easy-to-read French for a FALC reader.
 */
function ctx(easyToRead = false): PortalContext {
  const c = portalContext();
  return { ...c, signer: { ...c.signer, capacity: 'la personne accueillie', measure: null }, preferences: { largePrint: false, easyToRead } } as PortalContext;
}
const annexes: VersionAnnex[] = [
  { key: 'livret-accueil-2026', label: 'Livret d’accueil, édition 2026', file: { id: '0193c1de-0000-7000-8000-000000000001', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01', sha256: 'a'.repeat(64), byteSize: 1000 } },
  { key: 'charte-droits-libertes', label: 'Charte des droits et libertés de la personne accueillie', file: null },
];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('sign page: the documents handed over with the contract', () => {
  it('links each file through the portal, says when one is handed over on paper, before the consent', () => {
    const html = signPage(ctx(), true, {}, { files: annexes, tariffs: null });
    expect(html).toContain('href="/portail/documents-remis/0193c1de-0000-7000-8000-000000000001"');
    const t = text(html);
    expect(t).toContain('Documents remis avec le contrat');
    // The label already names the edition: it is not read twice (the newcomer's review).
    expect(t).toContain('Livret d’accueil, édition 2026 (PDF)');
    expect(t).not.toContain('version « Édition 2026 »');
    expect(t).toContain('Charte des droits et libertés de la personne accueillie : l’établissement vous le remet sur papier.');
    expect(html.indexOf('Documents remis avec le contrat')).toBeLessThan(html.indexOf('name="consent"'));
  });

  it('the version is named when the label does not say it', () => {
    const other: VersionAnnex[] = [{ ...annexes[0], label: 'Livret d’accueil' }];
    expect(text(signPage(ctx(), true, {}, { files: other, tariffs: null }))).toContain('Livret d’accueil (PDF, version « Édition 2026 »)');
  });

  it('no section when the document hands nothing over (a projet personnalisé, a version older than the record)', () => {
    expect(signPage(ctx(), true, {}, { files: [], tariffs: null })).not.toContain('Documents remis avec le contrat');
    expect(signPage(ctx(), true)).not.toContain('documents-remis');
  });

  it('in easy-to-read French for a FALC reader (lintFalcText)', () => {
    const html = signPage(ctx(true), true, {}, { files: annexes, tariffs: null });
    const start = html.indexOf('aria-labelledby="documents-remis"');
    const section = html.slice(start, html.indexOf('<ul', start));
    const lines = [...section.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    expect(lines).toEqual(['Ces documents vont avec le contrat.', 'Lisez-les avant de signer.', 'Vous ne les signez pas.']);
    expect(lines.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });
});
