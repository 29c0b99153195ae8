import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { templates } from '../bundle';
import { resolve, templateInputFromFixture } from '../resolve';
import { VARIANTS, contentVariantOf, type Block, type DocumentTree, type Variant } from '../tree';
import { renderDocxReference } from './docx-reference';
import { renderDocx } from './docx-renderer';
import { readZip } from './zip-normalize';

/**
 * The DOCX renderer writes the package as strings; docx-reference.ts is the renderer it replaces,
 * which had docx's object model write it. Every part of every package must keep its bytes: the
 * names and order of the parts, and each part's uncompressed bytes, for the 5 demo documents × 3
 * variants and for trees that reach the corners (tables with row headers and uneven rows, empty
 * paragraphs and lists, XML special and control characters, many lists and pictograms).
 */
const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, unknown> };

function demoTree(type: string, variant: Variant, versionId?: string): DocumentTree {
  const t = templates().load(type);
  const tree = resolve(t, templateInputFromFixture(fixture, type), contentVariantOf(variant));
  if (versionId) tree.meta.versionId = versionId;
  return tree;
}

/** Both renderers' packages, part by part; the assertion names the first part that differs. */
async function expectSameParts(tree: DocumentTree, variant: Variant): Promise<void> {
  const ours = await renderDocx(tree, variant);
  const reference = await renderDocxReference(tree, variant);
  const oursParts = readZip(ours);
  const referenceParts = readZip(reference);
  expect(oursParts.map((p) => p.name)).toEqual(referenceParts.map((p) => p.name));
  for (const [i, part] of referenceParts.entries()) {
    // Compared as text first, for a readable difference; then as bytes.
    if (/\.(xml|rels)$/.test(part.name)) expect({ [part.name]: oursParts[i].data.toString('utf8') }).toEqual({ [part.name]: part.data.toString('utf8') });
    expect(Buffer.compare(oursParts[i].data, part.data)).toBe(0);
  }
  // Same parts, same compression: the same file.
  expect(Buffer.compare(ours, reference)).toBe(0);
}

const TYPES = Object.keys(fixture.documents);

describe('DOCX written as strings: every part byte for byte as docx writes it', () => {
  it('covers the five demo document types', () => {
    expect(TYPES.sort()).toEqual(['avenant', 'compte-rendu-synthese', 'contrat-sejour', 'dipc', 'projet-personnalise']);
  });

  for (const type of TYPES)
    for (const variant of VARIANTS)
      it(`${type}, ${variant}`, async () => {
        await expectSameParts(demoTree(type, variant, 'version-0f6c2a9e'), variant);
      });

  it('the easy-to-read contract holds pictograms, lists and a table (what the comparison must reach)', async () => {
    const tree = demoTree('contrat-sejour', 'falc');
    const kinds = new Set(tree.blocks.map((b) => b.kind));
    for (const kind of ['figure', 'list', 'table', 'signatures', 'heading', 'paragraph']) expect(kinds).toContain(kind);
    const parts = readZip(await renderDocx(tree, 'falc'));
    expect(parts.filter((p) => p.name.startsWith('word/media/')).length).toBeGreaterThan(4);
  });

  /** A tree built by hand around one block list, in the content variant of `variant`. */
  const edgeTree = (variant: Variant, blocks: Block[], meta: Partial<DocumentTree['meta']> = {}, title = 'Titre « spécial » & <test>'): DocumentTree => {
    const base = demoTree('contrat-sejour', variant);
    return { ...base, title, meta: { ...base.meta, ...meta }, blocks };
  };
  const SPECIAL = 'Seán O\'Brien & <fils> "cité" ]]> \u0001\u0008\u000b\u001f\t tab\nligne\u00a0€';
  const edgeBlocks = (falc: boolean): Block[] => [
    { kind: 'heading', level: 1, text: [{ text: SPECIAL }] },
    { kind: 'paragraph', text: [] },
    { kind: 'paragraph', text: [{ text: '' }] },
    { kind: 'paragraph', text: [{ text: 'gras ', strong: true }, { text: SPECIAL }] },
    { kind: 'list', ordered: false, items: [[{ text: 'un' }], [], [{ text: SPECIAL, strong: true }]] },
    { kind: 'list', ordered: true, items: [[{ text: 'premier' }], [{ text: 'deuxième' }]] },
    { kind: 'list', ordered: false, items: [] },
    { kind: 'list', ordered: true, items: [[{ text: 'encore' }]] },
    ...(falc ? ([{ kind: 'figure', asset: 'people', alt: `Les personnes ${SPECIAL}` }, { kind: 'figure', asset: 'money', alt: 'Argent' }, { kind: 'figure', asset: 'people', alt: '' }] as Block[]) : []),
    {
      kind: 'table',
      caption: `Tarifs ${SPECIAL}`,
      header: ['Prestation', 'Prix <€>', 'Note'],
      rowHeaders: true,
      rows: [
        [[{ text: 'Hébergement' }], [{ text: '72,50 €', strong: true }], [{ text: 'a' }, { text: 'b', strong: true }]],
        [[{ text: SPECIAL }], [], [{ text: '' }]],
        [[{ text: 'court' }]],
        [[{ text: 'a' }], [{ text: 'b' }], [{ text: 'c' }], [{ text: 'quatrième colonne' }]],
      ],
    },
    { kind: 'table', caption: 'Sans en-tête de ligne', header: ['A', 'B'], rowHeaders: false, rows: [[[{ text: 'x', strong: true }], [{ text: 'y' }]]] },
    { kind: 'paragraph', text: [{ text: 'Dernière clause.' }] },
    ...(falc ? ([{ kind: 'figure', asset: 'signature', alt: 'Signer' }] as Block[]) : []),
    {
      kind: 'signatures',
      heading: 'Signatures',
      slots: [
        { role: 'resident', name: SPECIAL, capacity: 'en qualité de résident' },
        { role: 'director', name: 'La direction', capacity: 'pour l’établissement', signedOn: '3 novembre 2026', method: 'signature électronique' },
        { role: 'tuteur', name: 'Tuteur', capacity: 'tuteur', signedOn: '4 novembre 2026' },
      ],
    },
  ];

  for (const variant of VARIANTS)
    it(`edge tree, ${variant}: special and control characters, empty paragraphs and lists, uneven table rows, several lists and pictograms`, async () => {
      await expectSameParts(edgeTree(variant, edgeBlocks(variant === 'falc'), { personName: SPECIAL, versionId: 'v<1>&"2"' }), variant);
    });

  it('edge tree: no person, no version, no title, no blocks', async () => {
    await expectSameParts(edgeTree('standard', [], { personName: undefined, establishmentName: '', versionId: undefined }, ''), 'standard');
  });

  it('edge tree: a pictogram as the very first block and a table alone', async () => {
    await expectSameParts(
      edgeTree('falc', [
        { kind: 'figure', asset: 'money', alt: 'Argent' },
        { kind: 'table', caption: '', header: [], rowHeaders: true, rows: [[[{ text: 'seule' }]], []] },
        { kind: 'table', caption: 'Vide', header: [], rowHeaders: false, rows: [] },
      ]),
      'falc',
    );
  });
});
