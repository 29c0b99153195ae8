/**
 * Pins the exact bytes of the demo PDFs: 5 document types × 3 variants of the demo fixture, plus
 * the contrat de séjour with a signature field, rendered through the real pipeline
 * (templateInputFromFixture → resolve → renderPdf); and of the test contrat de séjour (hostile
 * text, bidi overrides, fallback glyphs) with a paragraph of what the demo never holds: combining
 * marks (positioned glyphs), tabs, a character no face has, a word wider than the line. Performance work on the PDF path (text layout,
 * encoding, content-stream building, caches) must leave every byte unchanged; a change of one
 * byte fails here. When the output changes on purpose, bump PDF_RENDERER_VERSION and regenerate
 * the fixture as its `regenerate` field says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@carepact/common';
import { contentVariantOf, type DocumentTree, renderPdf, resolve, templateInputFromFixture, templates, VARIANTS } from '@carepact/rendering';
import { contratSejourTree } from './fixtures/contrat-sejour.fixture';

const FIXTURE = join(__dirname, 'fixtures/pdf-sha256.json');
const DEMO = join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json');
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'] as const;
const SIGNATURE_FIELD = {
  name: 'Signature_etablissement',
  tooltip: 'Signature de l’établissement',
  signingTime: new Date('2027-01-15T10:00:00Z'),
  signerName: 'EHPAD Les Tilleuls',
  reason: 'Scellement du document signé par toutes les parties',
};

interface PinnedFixture {
  regenerate: string;
  sha256: Record<string, string>;
}

const EDGE_TEXT =
  'Marques combinantes : Jose\u0301 Nun\u0303ez, a\u0308\u0301, q\u0323\u0307 ; tabulation\tici ; ' +
  'absent \u{1F9E0} ; contrôles \u200Bzéro\u200D ; identifiant ' +
  'x'.repeat(300);

function edgeTree(variant: (typeof VARIANTS)[number]): DocumentTree {
  const tree = contratSejourTree(contentVariantOf(variant));
  return { ...tree, blocks: [...tree.blocks, { kind: 'paragraph', text: [{ text: EDGE_TEXT }, { text: ' Fin en gras\u0301.', strong: true }] }] };
}

async function digests(): Promise<Record<string, string>> {
  const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as unknown;
  const out: Record<string, string> = {};
  for (const type of TYPES) {
    const template = templates().load(type);
    for (const variant of VARIANTS) {
      const tree = resolve(template, templateInputFromFixture(demo, type), contentVariantOf(variant));
      out[`${type}/${variant}`] = sha256Hex(await renderPdf(tree, variant));
      if (type === 'contrat-sejour') out[`${type}/${variant}+signature-field`] = sha256Hex(await renderPdf(tree, variant, { signatureField: SIGNATURE_FIELD }));
    }
  }
  for (const variant of VARIANTS) out[`test-contrat-sejour+edge-text/${variant}`] = sha256Hex(await renderPdf(edgeTree(variant), variant));
  return out;
}

describe('demo PDFs are byte-identical to the pinned renditions', () => {
  it('gives the SHA-256 recorded in fixtures/pdf-sha256.json for every demo type and variant', async () => {
    const actual = await digests();
    // Regeneration, on purpose only (see the fixture's `regenerate` field).
    if (process.env.UPDATE_PDF_SHA256 === '1') {
      const pinned = JSON.parse(readFileSync(FIXTURE, 'utf8')) as PinnedFixture;
      writeFileSync(FIXTURE, `${JSON.stringify({ regenerate: pinned.regenerate, sha256: actual }, null, 2)}\n`);
    }
    const pinned = JSON.parse(readFileSync(FIXTURE, 'utf8')) as PinnedFixture;
    expect(Object.keys(actual)).toHaveLength(TYPES.length * VARIANTS.length + 2 * VARIANTS.length);
    expect(actual).toEqual(pinned.sha256);
  }, 120_000);
});
