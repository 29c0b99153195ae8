/**
 * Layout paths the contract fixture does not reach: pictogram assets (valid, broken, missing),
 * a table too wide for large print, heading levels that skip, decorative figures, characters no
 * font has, long paragraphs across pages.
 */
import { renderPdf } from '@carepact/rendering';
import { loadPictogram } from '@carepact/rendering';
import type { Block, DocumentTree, Variant } from '@carepact/rendering';
import { contratSejourTree, PICTOGRAMS_DIR } from './fixtures/contrat-sejour.fixture';
import {
  dictOf,
  flattenStruct,
  folded,
  pdfjs,
  pdftotext,
  qpdfObjects,
  type QpdfValue,
  rawStructTree,
  refNumber,
  run,
  streamData,
  writeTemp,
} from './pdf-tools';

function treeWith(blocks: Block[]): DocumentTree {
  const base = contratSejourTree('standard');
  return { ...base, title: 'Essai de mise en page', blocks };
}

async function render(tree: DocumentTree, variant: Variant): Promise<{ file: string; pdf: Buffer }> {
  const pdf = await renderPdf(tree, variant, { pictogramsDir: PICTOGRAMS_DIR });
  return { pdf, file: writeTemp(pdf, 'layout') };
}

function pageContents(file: string): string[] {
  return Object.values(qpdfObjects(file))
    .map(dictOf)
    .filter((d) => d?.['/Type'] === '/Page')
    .map((d) => streamData(file, refNumber((d as Record<string, QpdfValue>)['/Contents'])).toString('latin1'));
}

/** Operators between "/Figure <</MCID n>> BDC" and its EMC. */
function figureOps(content: string): string[] {
  return [...content.matchAll(/\/Figure <<\s*\/MCID \d+\s*>> BDC\n([\s\S]*?)\nEMC/g)].map((m) => m[1]);
}

describe('pictograms', () => {
  it('reads viewBox and path data of a simple SVG; refuses scripts, absurd numbers, odd ids', () => {
    const house = loadPictogram('maison', PICTOGRAMS_DIR);
    expect(house?.viewBox).toEqual([0, 0, 64, 64]);
    expect(house?.paths).toHaveLength(2);
    expect(house?.paths[1].evenOdd).toBe(true);
    expect(loadPictogram('euro', PICTOGRAMS_DIR)?.paths[0].fill).toEqual([11 / 255, 61 / 255, 107 / 255]);
    expect(loadPictogram('casse', PICTOGRAMS_DIR)).toBeNull();
    expect(loadPictogram('enorme', PICTOGRAMS_DIR)).toBeNull();
    expect(loadPictogram('absent', PICTOGRAMS_DIR)).toBeNull();
    expect(loadPictogram('../pictograms/maison', PICTOGRAMS_DIR)).toBeNull();
  });

  it('draws the SVG paths inside the Figure; a broken or missing asset draws the placeholder, Alt kept', async () => {
    const { file } = await render(
      treeWith([
        { kind: 'heading', level: 1, text: [{ text: 'Pictogrammes' }] },
        { kind: 'figure', asset: 'maison', alt: 'Une maison' },
        { kind: 'figure', asset: 'casse', alt: 'Un pictogramme cassé' },
        { kind: 'figure', asset: 'introuvable', alt: 'Un pictogramme absent' },
        { kind: 'figure', asset: 'maison', alt: '   ' },
      ]),
      'falc',
    );
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const ops = figureOps(pageContents(file)[0]);
    expect(ops).toHaveLength(3);
    expect(ops[0]).toMatch(/\nf\*$/m); // the house's even-odd path
    expect(ops[0]).not.toMatch(/^S$/m);
    for (const placeholder of ops.slice(1)) {
      expect(placeholder).toMatch(/^S$/m); // the frame is stroked
      expect(placeholder).not.toMatch(/f\*/);
    }
    const figures = flattenStruct(rawStructTree(qpdfObjects(file)).top).filter((s) => s.S === 'Figure');
    expect(figures.map((f) => f.dict['/Alt'])).toEqual(['u:Une maison', 'u:Un pictogramme cassé', 'u:Un pictogramme absent']);
    // The figure without a text alternative is decoration: an artifact, not a Figure.
    expect(pageContents(file)[0]).toMatch(/\/Artifact <<\s*\/Type \/Layout\s*>> BDC\n[^E]*\nf\*/);
  });
});

describe('large print table reflow', () => {
  const wide: Block = {
    kind: 'table',
    caption: 'Participation aux frais par période',
    header: ['Période', 'Hébergement', 'Dépendance', 'Blanchisserie', 'Téléphonie', 'Accompagnement'],
    rowHeaders: true,
    rows: [
      ['Janvier', '2\u202F345,67\u00A0€', '186,00\u00A0€', 'incluse', 'forfaitaire', 'personnalisé'],
      ['Février', '2\u202F118,36\u00A0€', '168,00\u00A0€', 'incluse', 'forfaitaire', 'personnalisé'],
    ].map((r) => r.map((text) => [{ text }])),
  };

  it('keeps Table/THead/TBody/TR/TH/TD with scopes, every value readable at ≥ 16 pt', async () => {
    const { file } = await render(treeWith([{ kind: 'heading', level: 1, text: [{ text: 'Tableau large' }] }, wide]), 'large-print');
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const structs = flattenStruct(rawStructTree(qpdfObjects(file)).top);
    const table = structs.find((s) => s.S === 'Table');
    expect(table?.kids.map((k) => k.S)).toEqual(['Caption', 'THead', 'TBody']);
    const rows = [...(table?.kids[1].kids ?? []), ...(table?.kids[2].kids ?? [])];
    expect(rows).toHaveLength(3);
    rows.forEach((r) => expect(r.kids).toHaveLength(6));
    expect(rows[1].kids.map((c) => c.S)).toEqual(['TH', 'TD', 'TD', 'TD', 'TD', 'TD']);
    expect((rows[1].kids[0].dict['/A'] as Record<string, QpdfValue>)['/Scope']).toBe('/Row');
    const view = pdfjs(file);
    const cells = view.pages.flatMap((p) => p.items).filter((i) => ['TH', 'TD'].includes(i.marked[0]?.tag));
    expect(Math.min(...cells.map((i) => i.transform[0]))).toBeGreaterThanOrEqual(16);
    // Reflowed: one value per line, each at the same left edge, none clipped.
    const text = folded(pdftotext(file));
    for (const v of ['Accompagnement', 'Blanchisserie', '2 345,67 €', 'personnalisé', 'Février']) expect(text).toContain(v);
    // The column names repeated before each value are artifacts (the TH already names them).
    const labels = view.pages.flatMap((p) => p.items).filter((i) => i.str.startsWith('Dépendance :'));
    expect(labels).toHaveLength(2);
    labels.forEach((l) => expect(l.marked[0].tag).toBe('Artifact'));
  });

  it('the same table stays a grid in the standard variant', async () => {
    const { file } = await render(treeWith([{ kind: 'heading', level: 1, text: [{ text: 'Tableau large' }] }, wide]), 'standard');
    const items = pdfjs(file).pages[0].items.filter((i) => i.marked[0]?.tag === 'TD');
    const firstRowY = items[0].transform[5];
    expect(items.filter((i) => i.transform[5] === firstRowY).length).toBeGreaterThanOrEqual(5);
  });
});

describe('structure safety nets', () => {
  it('heading levels that skip are clamped (H1, H3 → H1, H2) and a lone signatures block starts at H1', async () => {
    const { file } = await render(
      treeWith([
        { kind: 'heading', level: 1, text: [{ text: 'Titre' }] },
        { kind: 'heading', level: 3, text: [{ text: 'Trop profond' }] },
        { kind: 'paragraph', text: [{ text: 'Texte.' }] },
      ]),
      'standard',
    );
    const levels = flattenStruct(rawStructTree(qpdfObjects(file)).top)
      .filter((s) => /^H\d$/.test(s.S))
      .map((s) => s.S);
    expect(levels).toEqual(['H1', 'H2']);
    const alone = await render(treeWith([{ kind: 'signatures', heading: 'Signatures', slots: [{ role: 'resident', name: 'Léa', capacity: 'pour elle-même' }] }]), 'falc');
    expect(flattenStruct(rawStructTree(qpdfObjects(alone.file)).top).find((s) => /^H\d$/.test(s.S))?.S).toBe('H1');
  });

  it('a paragraph longer than a page is one P with content on several pages, tagged on each', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Phrase numéro ${i + 1} d’un très long paragraphe qui ne tient pas sur une seule page.`).join(' ');
    const { file } = await render(treeWith([{ kind: 'heading', level: 1, text: [{ text: 'Long' }] }, { kind: 'paragraph', text: [{ text: long }] }]), 'large-print');
    const view = pdfjs(file);
    expect(view.numPages).toBeGreaterThan(1);
    const ps = flattenStruct(rawStructTree(qpdfObjects(file)).top).filter((s) => s.S === 'P');
    expect(ps).toHaveLength(1);
    const pagesWithP = view.pages.filter((p) => p.items.some((i) => i.marked[0]?.tag === 'P' && i.marked[0].id));
    expect(pagesWithP.length).toBe(view.numPages);
    expect(folded(pdftotext(file))).toContain('Phrase numéro 60 d’un très long');
  });

  it('characters no font has become U+FFFD, control characters are dropped, long words are split', async () => {
    const { file } = await render(
      treeWith([
        { kind: 'heading', level: 1, text: [{ text: 'Caractères' }] },
        { kind: 'paragraph', text: [{ text: `Emoji \u{1F9E0} cloche\u0007 tab\tfin ${'x'.repeat(400)}` }] },
      ]),
      'standard',
    );
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const text = pdftotext(file);
    expect(text).toContain('Emoji \uFFFD cloche tab fin');
    expect(text.replace(/\s+/g, '')).toContain('x'.repeat(400));
    const fontsOut = run('pdffonts', [file]).stdout;
    expect(fontsOut).not.toMatch(/Helvetica/);
  });
});

describe('the last clause stays with the signatures', () => {
  const slots = [
    { role: 'resident', name: 'Léa Martin', capacity: 'pour elle-même' },
    { role: 'curateur', name: 'Karim Benaïssa', capacity: 'en qualité de curateur, qui assiste Léa Martin' },
    { role: 'director', name: 'Claire Morel', capacity: 'pour la direction' },
  ];
  /** Pages of the text layer, without the running header and footer lines. */
  const bodyPages = (file: string): string[][] =>
    pdftotext(file)
      .split('\f')
      .map((p) => p.split('\n').filter((l) => l.trim() !== '' && !/^Page \d+ sur \d+$|^Aperçu, non versionné$|— Essai de mise en page$/.test(l.trim())));

  // From a few paragraphs to two pages of them: some counts leave room for the clause but not
  // for the signatures after it, which is the case the rule is for.
  it.each(['standard', 'falc', 'large-print'] as const)('%s: a signature block never starts a page without the end of the clause, the last signer never alone', async (variant) => {
    let moved = 0;
    for (let n = variant === 'standard' ? 14 : 6; n <= (variant === 'standard' ? 34 : 22); n++) {
      const filler: Block[] = Array.from({ length: n }, (_, k) => ({ kind: 'paragraph', text: [{ text: `Alinéa ${k + 1} du contrat.` }] }));
      const tree = treeWith([
        { kind: 'heading', level: 1, text: [{ text: 'Essai' }] },
        ...filler,
        { kind: 'paragraph', text: [{ text: 'Fait en deux exemplaires, dont un est remis à la personne accueillie ; la clause finale tient sur deux lignes au moins.' }] },
        ...(variant === 'falc' ? [{ kind: 'figure', asset: 'maison', alt: 'Une maison' } as Block] : []),
        { kind: 'signatures', heading: 'Signatures', slots },
      ]);
      const pages = bodyPages((await render(tree, variant)).file);
      const sigPage = pages.findIndex((p) => p.some((l) => l.trim() === 'Signatures'));
      const clausePage = pages.findIndex((p) => p.some((l) => l.includes('au moins.')));
      const lastFillerPage = pages.findIndex((p) => p.some((l) => l.trim() === `Alinéa ${n} du contrat.`));
      expect({ n, sigPage }).toEqual({ n, sigPage: clausePage });
      expect({ n, first: pages[sigPage][0].trim() === 'Signatures' }).toEqual({ n, first: false });
      const lastPage = pages.findIndex((p) => p.some((l) => l.trim() === 'Claire Morel'));
      expect({ n, withOthers: pages[lastPage].some((l) => l.trim() === 'Karim Benaïssa' || l.includes('au moins.')) }).toEqual({ n, withOthers: true });
      if (clausePage > lastFillerPage) moved++;
    }
    // The loop did reach the page boundary: at least once the clause left its page to stay with the signatures.
    expect(moved).toBeGreaterThan(0);
  });
});

describe('page footer', () => {
  it.each(['standard', 'large-print'] as const)('%s: names the stored version beside "Page n sur N", both readable, as Pagination artifacts', async (variant) => {
    const versionId = '0f6c2a9e-3b1d-4c7a-9e55-2d8f7a1b4c90';
    const base = contratSejourTree('standard');
    const { file } = await render({ ...base, meta: { ...base.meta, personName: 'Léa Martin', versionId } }, variant);
    const view = pdfjs(file);
    expect(view.numPages).toBeGreaterThan(1);
    for (const page of view.pages) {
      const version = page.items.find((i) => i.str === `Version ${versionId}`);
      const number = page.items.find((i) => i.str === `Page ${page.number} sur ${view.numPages}`);
      expect({ version: version?.marked[0].tag, number: number?.marked[0].tag }).toEqual({ version: 'Artifact', number: 'Artifact' });
      expect(page.items.some((i) => i.str === 'Aperçu, non versionné')).toBe(false);
      // On one line only when the two do not meet (large print: two lines).
      const sameLine = Math.abs(version!.transform[5] - number!.transform[5]) < 1;
      if (sameLine) expect(version!.transform[4] + version!.width).toBeLessThan(number!.transform[4]);
    }
    const content = pageContents(file).join('\n');
    expect(content).toMatch(/\/Artifact <<\s*\/Type \/Pagination\s*\/Attached \[\s*\/Bottom\s*\]\s*>> BDC/);
  });
});
