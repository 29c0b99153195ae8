import { canonicalJson, sha256Hex } from '@carepact/common';
import { tariffAnnexOf } from '@carepact/documents';
import type { Block, Inline } from '@carepact/rendering';
import { buildEvidence, evidenceAnnexesOf, evidenceBlocks, paperEvidenceLines } from './evidence';
import type { SignatureRequestEntity } from './signing.entities';

const textOf = (blocks: Block[]): string => {
  const inline = (i: Inline): string => i.map((r) => r.text).join('');
  return blocks
    .flatMap((b) => (b.kind === 'list' ? b.items.map(inline) : b.kind === 'paragraph' || b.kind === 'heading' ? [inline(b.text)] : []))
    .join('\n');
};
const at = new Date('2026-03-02T10:00:00Z');
const request = { id: 'r1', organisationId: 'o1', createdBy: 'u0', createdAt: at, deadline: at, documentId: 'd1', versionId: 'v1', versionHash: 'h', pdfSha256: 'p' } as unknown as SignatureRequestEntity;
const ctx = { establishment: 'EHPAD Les Tilleuls', versionNumber: 1, templateId: 't', templateVersion: '1', templateSha256: 's', documentType: 'contrat-sejour', companions: [], certificate: 'CN=x', sealedAt: at };
const published = '2026-12-02T09:30:00Z';
const recorded = [
  {
    key: 'livret-accueil-2026',
    label: 'Livret d’accueil, édition 2026',
    inForceOn: '2026-11-02',
    file: { id: 'f1', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01', sha256: 'b'.repeat(64), byteSize: 10029, publishedAt: published },
  },
  { key: 'charte-droits-libertes', label: 'Charte des droits et libertés de la personne accueillie', inForceOn: '2026-11-02', file: null },
];
/** The version was created on 3 December 2026 (Paris), after the handover its data record. */
const createdAt = new Date('2026-12-03T08:00:00Z');

describe('evidence: the documents handed over with the contract (CASF L.311-4)', () => {
  it('lists each with its version, effective day, publication day and SHA-256, « aucun fichier déposé » otherwise, and the day of handing over the data record, whose files they are', () => {
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(recorded, { document: { annexesHandedOverOn: '2026-11-02' } }, createdAt) }, [], [], []);
    expect(e.annexes).toEqual({
      handedOverOn: '2026-11-02',
      filesInForceOn: '2026-11-02',
      versionCreatedOn: '2026-12-03',
      files: [
        { key: 'livret-accueil-2026', label: 'Livret d’accueil, édition 2026', fileId: 'f1', versionLabel: 'Édition 2026', effectiveOn: '2026-01-01', publishedAt: published, sha256: 'b'.repeat(64), byteSize: 10029 },
        { key: 'charte-droits-libertes', label: 'Charte des droits et libertés de la personne accueillie', fileId: null, versionLabel: null, effectiveOn: null, publishedAt: null, sha256: null, byteSize: null },
      ],
    });
    const text = textOf(evidenceBlocks(e));
    expect(text).toContain(
      'Documents remis avec le contrat\nRemis le 2 novembre 2026 (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date, avec leur date de publication et leur empreinte SHA-256 :',
    );
    // A first file dated back shows both days: in force since January, published in December.
    expect(text).toContain(`Livret d’accueil, édition 2026 : version « Édition 2026 », en vigueur depuis le 1er janvier 2026, publiée le 2 décembre 2026, 10029 octets, SHA-256 ${'b'.repeat(64)}`);
    expect(text).toContain('Charte des droits et libertés de la personne accueillie : aucun fichier déposé');
    const paper = paperEvidenceLines({ ...e, paper: { originalSha256: 'o', byteSize: 1, pageCount: 1, versionId: 'v1', uploadedAt: at.toISOString(), uploadedBy: { userId: 'u', name: 'N', account: 'a' }, signerIds: [] } }, { documentLabel: 'contrat', personName: 'X' });
    expect(paper).toContain('Documents remis avec le contrat : remis le 2 novembre 2026 (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date, avec leur date de publication et leur empreinte SHA-256 :');
    expect(paper).toContain(`Livret d’accueil, édition 2026 : version « Édition 2026 », en vigueur depuis le 1er janvier 2026, publiée le 2 décembre 2026, 10029 octets, SHA-256 ${'b'.repeat(64)}.`);
    expect(paper).toContain('Charte des droits et libertés de la personne accueillie : aucun fichier déposé.');
    // « Remis le 2 novembre » beside « publiée le 2 décembre » (a newcomer's finding): said in words, on both pages.
    const said =
      'Publié dans le logiciel après la remise : Livret d’accueil, édition 2026 (le 2 décembre 2026). L’établissement indique que c’est l’édition remise le 2 novembre 2026 ; le logiciel, qui l’a reçue ensuite, ne peut pas l’attester.';
    expect(text).toContain(said);
    expect(paper).toContain(said);
  });

  it('every file published by the day of handing over (Paris): nothing more is said', () => {
    const early = recorded.map((a) => (a.file ? { ...a, file: { ...a.file, publishedAt: '2026-11-01T23:30:00Z' } } : a));
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(early, { document: { annexesHandedOverOn: '2026-11-02' } }, createdAt) }, [], [], []);
    expect(textOf(evidenceBlocks(e))).not.toContain('après la remise');
  });

  it('the publication day is the Paris day: published at 23:30 UTC on 1 December is « publiée le 2 décembre »', () => {
    const late = recorded.map((a) => (a.file ? { ...a, file: { ...a.file, publishedAt: '2026-12-01T23:30:00Z' } } : a));
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(late, { document: { annexesHandedOverOn: '2026-11-02' } }, createdAt) }, [], [], []);
    expect(textOf(evidenceBlocks(e))).toContain('en vigueur depuis le 1er janvier 2026, publiée le 2 décembre 2026,');
  });

  it('a handover day after the version was created: the files of that day as published at the creation, which the evidence says', () => {
    const future = recorded.map((a) => ({ ...a, inForceOn: '2027-01-04' }));
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(future, { document: { annexesHandedOverOn: '2027-01-04' } }, createdAt) }, [], [], []);
    expect(e.annexes).toMatchObject({ handedOverOn: '2027-01-04', filesInForceOn: '2027-01-04', versionCreatedOn: '2026-12-03' });
    expect(textOf(evidenceBlocks(e))).toContain(
      'Remis le 4 janvier 2027 (date indiquée dans le document ; CASF L.311-4). Fichiers en vigueur à cette date, tels que publiés à la création de la version signée, le 3 décembre 2026, avec leur date de publication et leur empreinte SHA-256 :',
    );
  });

  it('a data record without the day: the files of the version’s creation day, said so; a version that recorded nothing (older, or a type that hands nothing over) has no section', () => {
    const onCreation = recorded.map((a) => ({ ...a, inForceOn: '2026-12-03' }));
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(onCreation, { document: {} }, createdAt) }, [], [], []);
    expect(e.annexes).toMatchObject({ handedOverOn: null, filesInForceOn: '2026-12-03' });
    expect(textOf(evidenceBlocks(e))).toContain(
      'Date de remise non indiquée dans le document (CASF L.311-4). Fichiers en vigueur le 3 décembre 2026, jour de la création de la version signée, avec leur date de publication et leur empreinte SHA-256 :',
    );
    const none = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(null, { document: { annexesHandedOverOn: '2026-11-02' } }, createdAt) }, [], [], []);
    expect('annexes' in none).toBe(false);
    expect(textOf(evidenceBlocks(none))).not.toContain('Documents remis avec le contrat');
  });

  it('the « Annexe tarifaire » the contract lists: no file, the tariffs of the version’s input with the SHA-256 of their canonical JSON and the section that prints them (JSON, page, paper page)', () => {
    const tariffs = { effectiveFrom: '2026-01-01', hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, depositEuros: 0 };
    const input = { establishment: { tariffs }, document: { annexesHandedOverOn: '2026-11-02', financialContribution: 'tarifs' } };
    const annex = tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.6.0', input });
    const e = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(recorded, input, createdAt, annex) }, [], [], []);
    const sha = sha256Hex(canonicalJson(tariffs));
    expect(e.annexes?.tariffs).toEqual({
      label: 'Annexe tarifaire en vigueur au 1er janvier 2026',
      effectiveFrom: '2026-01-01',
      source: 'establishment.tariffs',
      sha256: sha,
      reproducedIn: 'Participation financière et facturation',
    });
    const line = `Annexe tarifaire en vigueur au 1er janvier 2026 : établie à partir des tarifs de l’établissement (ce n’est pas un fichier déposé), reproduite dans le document signé (partie « Participation financière et facturation ») ; empreinte SHA-256 des tarifs enregistrés avec la version (JSON canonique) : ${sha}`;
    const text = textOf(evidenceBlocks(e));
    expect(text).toContain(`Charte des droits et libertés de la personne accueillie : aucun fichier déposé\n${line}`);
    const paper = paperEvidenceLines({ ...e, paper: { originalSha256: 'o', byteSize: 1, pageCount: 1, versionId: 'v1', uploadedAt: at.toISOString(), uploadedBy: { userId: 'u', name: 'N', account: 'a' }, signerIds: [] } }, { documentLabel: 'contrat', personName: 'X' });
    expect(paper).toContain(`${line}.`);
    // Listed without its tariffs printed (no contribution asked): said so, not « reproduite ».
    const none = { ...input, document: { ...input.document, financialContribution: 'aucune' } };
    const listed = buildEvidence(request, { ...ctx, annexes: evidenceAnnexesOf(recorded, none, createdAt, tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.6.0', input: none })) }, [], [], []);
    expect(textOf(evidenceBlocks(listed))).toContain('Annexe tarifaire en vigueur au 1er janvier 2026 : établie à partir des tarifs de l’établissement (ce n’est pas un fichier déposé) ; le document signé la cite sans reproduire ces tarifs (aucune participation financière demandée) ;');
  });
});
