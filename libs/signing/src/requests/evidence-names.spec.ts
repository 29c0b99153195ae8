import type { Block, Inline } from '@carepact/rendering';
import { buildEvidence, evidenceBlocks, paperDocumentName, paperEvidenceLines, signedHowText } from './evidence';
import type { SignatureRequestEntity } from './signing.entities';

/** Names in the sealed papers and the evidence go through `ofName` (@carepact/common): « d’Ahmed Benali », never « de Ahmed Benali ». */
const at = new Date('2026-03-02T10:00:00Z');
const request = { id: 'r1', organisationId: 'o1', createdBy: 'u0', createdAt: at, deadline: at, documentId: 'd1', versionId: 'v1', versionHash: 'h', pdfSha256: 'p' } as unknown as SignatureRequestEntity;
const ctx = { establishment: 'EHPAD Les Tilleuls', versionNumber: 1, templateId: 't', templateVersion: '1', templateSha256: 's', documentType: 'contrat-sejour', companions: [], certificate: 'CN=x', sealedAt: at };
const paper = { originalSha256: 'o', byteSize: 1, pageCount: 1, versionId: 'v1', uploadedAt: at.toISOString(), uploadedBy: { userId: 'u', name: 'N', account: 'a' }, signerIds: [] };
const textOf = (blocks: Block[]): string => {
  const inline = (i: Inline): string => i.map((r) => r.text).join('');
  return blocks.flatMap((b) => (b.kind === 'list' ? b.items.map(inline) : b.kind === 'paragraph' || b.kind === 'heading' ? [inline(b.text)] : [])).join('\n');
};

describe('evidence: « de » before a name elides as everywhere else', () => {
  it('the stamp and PDF title of a sealed paper scan: « Contrat de séjour d’Ahmed Benali », « … de Marcel Dupont », « … de Hugo Leroy » (no elision before h)', () => {
    expect(paperDocumentName('contrat de séjour', 'Ahmed Benali')).toBe('Contrat de séjour d’Ahmed Benali');
    expect(paperDocumentName('avenant au contrat de séjour', 'Émile Durand')).toBe('Avenant au contrat de séjour d’Émile Durand');
    expect(paperDocumentName('contrat de séjour', 'Marcel Dupont')).toBe('Contrat de séjour de Marcel Dupont');
    expect(paperDocumentName('contrat de séjour', 'Hugo Leroy')).toBe('Contrat de séjour de Hugo Leroy');
  });

  it('the evidence page printed after the scan: « Document : contrat de séjour d’Ahmed Benali (d1). »', () => {
    const e = buildEvidence(request, ctx, [], [], []);
    expect(paperEvidenceLines({ ...e, paper }, { documentLabel: 'contrat de séjour', personName: 'Ahmed Benali' })).toContain('Document : contrat de séjour d’Ahmed Benali (d1).');
    expect(paperEvidenceLines({ ...e, paper }, { documentLabel: 'contrat de séjour', personName: 'Marcel Dupont' })).toContain('Document : contrat de séjour de Marcel Dupont (d1).');
    expect(textOf(evidenceBlocks(e))).not.toMatch(/\bde [AEIOUYÉÈ]/);
  });

  it('a console signature recorded without an account: « compte d’Élodie Martin »', () => {
    expect(signedHowText({ method: 'staff_session', account: null, userId: 'u9', staffName: 'Élodie Martin' })).toBe('signature depuis sa session personnelle de la console (compte d’Élodie Martin)');
    expect(signedHowText({ method: 'staff_session', account: null, userId: 'u9', staffName: 'Claire Morel' })).toBe('signature depuis sa session personnelle de la console (compte de Claire Morel)');
  });
});
