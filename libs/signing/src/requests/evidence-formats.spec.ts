import type { Block, Inline } from '@carepact/rendering';
import { buildEvidence, evidenceBlocks } from './evidence';
import type { SignatureRequestEntity, SignerEntity } from './signing.entities';

/**
 * « Autres formats remis » on the sealed evidence pages (newcomer review, item 3): the formats in
 * the words of the document page and its history, never internal codes (« DOCX falc »); the
 * complete version's PDF is the document signed, said once above, not listed as another format.
 */
const inline = (i: Inline): string => i.map((r) => r.text).join('');
function section(blocks: Block[], heading: string): string[] {
  const at = blocks.findIndex((b) => b.kind === 'heading' && inline(b.text) === heading);
  const list = blocks[at + 1];
  return at >= 0 && list?.kind === 'list' ? list.items.map(inline) : [];
}

const at = new Date('2026-03-02T10:00:00Z');
const request = { id: 'r1', organisationId: 'o1', createdBy: 'u0', createdAt: at, deadline: at, documentId: 'd1', versionId: 'v1', versionHash: 'h', pdfSha256: 'a'.repeat(64) } as unknown as SignatureRequestEntity;
const marcel = { id: 's1', key: 'k', firstName: 'Marcel', lastName: 'Dupont', capacity: 'la personne accueillie', legalBasis: 'CASF L311-4', measure: null, email: null, delivery: 'email', status: 'signed', actedAt: at, authMethod: 'email_link' } as unknown as SignerEntity;
const companions = [
  { format: 'docx', variant: 'falc', sha256: 'b'.repeat(64) },
  { format: 'docx', variant: 'large-print', sha256: 'c'.repeat(64) },
  { format: 'docx', variant: 'standard', sha256: 'd'.repeat(64) },
  { format: 'html', variant: 'falc', sha256: 'e'.repeat(64) },
  { format: 'pdf', variant: 'falc', sha256: 'f'.repeat(64) },
  { format: 'pdf', variant: 'large-print', sha256: '1'.repeat(64) },
  { format: 'pdf', variant: 'standard', sha256: 'a'.repeat(64) },
];
const ctx = { establishment: 'EHPAD Les Tilleuls', versionNumber: 1, templateId: 't', templateVersion: '1', templateSha256: 's', documentType: 'contrat-sejour', companions, certificate: 'CN=x', sealedAt: at };

describe('evidence: the other formats handed over, in French (newcomer review, item 3)', () => {
  const blocks = evidenceBlocks(buildEvidence(request, ctx, [marcel], [], []));
  const items = section(blocks, 'Autres formats remis');

  it('names each format as the document page does: « Word (DOCX), facile à lire », « PDF, gros caractères »', () => {
    expect(items).toEqual([
      `Word (DOCX), facile à lire : SHA-256 ${'b'.repeat(64)}`,
      `Word (DOCX), gros caractères : SHA-256 ${'c'.repeat(64)}`,
      `Word (DOCX), version complète : SHA-256 ${'d'.repeat(64)}`,
      `Page web (HTML), facile à lire : SHA-256 ${'e'.repeat(64)}`,
      `PDF, facile à lire : SHA-256 ${'f'.repeat(64)}`,
      `PDF, gros caractères : SHA-256 ${'1'.repeat(64)}`,
    ]);
    expect(items.join('\n')).not.toMatch(/falc|large-print|DOCX standard|PDF standard/);
  });

  it('does not list the PDF that was signed (the complete version) among the other formats', () => {
    expect(items.some((i) => i.includes('a'.repeat(64)))).toBe(false);
    // …which the evidence names, with its SHA-256, as the document signed.
    const all = blocks.flatMap((b) => (b.kind === 'list' ? b.items.map(inline) : b.kind === 'paragraph' ? [inline(b.text)] : []));
    expect(all.filter((l) => l.includes('a'.repeat(64))).length).toBeGreaterThan(0);
  });
});
