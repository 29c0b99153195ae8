import { aContact, aMeasure, aResident } from '../policy/testing/resident-view.builder';
import { decideSigners } from '../policy/signature-policy';
import type { PolicyDecision, SoleSignatureAuthorisation } from '../policy/policy.types';
import type { Evidence } from './evidence';
import { FILE_REFERENCES_WITHHELD, HANDOVER_NOTES_WITHHELD, VIEW_COMMENTS_WITHHELD, evidenceForReader } from './evidence-reader';

const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const karim = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa', email: 'k.benaissa@udaf-val.example' });
const ORDONNANCE: SoleSignatureAuthorisation = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', date: '2026-11-10', reference: 'RG 26/00123' };
const JUDGMENT = { judgmentReference: 'RG 25/00412', judgmentDate: '2025-05-20', endDate: '2030-05-20', proofDocumentRef: 'Copie du jugement, classeur 3' };

/** The evidence of a request decided by the real policy (the signers' capacity, legal basis and measure as it writes them). */
function evidenceOf(decision: PolicyDecision): Evidence {
  return {
    transactionId: 'r1',
    organisationId: 'o1',
    establishment: establishment.name,
    initiatorUserId: null,
    created: '2026-11-20T09:00:00.000Z',
    deadline: '2026-12-20T09:00:00.000Z',
    sealedAt: '2026-11-20T10:00:00.000Z',
    document: { id: 'd1', type: 'contrat-sejour', versionId: 'v1', versionNumber: 1, templateId: 'contrat-sejour', templateVersion: '1.5.0', templateSha256: 't', inputSha256: 'i', signedPdfSha256: 'p' },
    companions: [],
    signers: decision.signers.map((s) => ({
      id: s.key,
      key: s.key,
      name: `${s.person.firstName} ${s.person.lastName}`,
      capacity: s.capacity,
      legalBasis: s.legalBasis,
      measure: s.measure,
      contact: s.person.email,
      delivery: 'email',
      authentication: 'email_link',
      status: 'signed',
      at: '2026-11-20T09:30:00.000Z',
      ip: '127.0.0.1',
      userAgent: 'test',
      typedName: `${s.person.firstName} ${s.person.lastName}`,
      drawnSignature: false,
      witness: null,
    })),
    views: [{ key: 'resident', person: 'Marcel Dupont', expression: 'accord_partiel', comment: 'Il préfère une chambre côté jardin.', recordedBySignerId: 'curateur', at: '2026-11-20T09:20:00.000Z' }],
    events: [],
    certificate: 'CN=EHPAD Les Tilleuls',
  };
}

describe('the evidence as each reader may read it (resident.read or not)', () => {
  const resident = (over: Parameters<typeof aMeasure>[2] = {}) =>
    aResident({ contacts: [karim], protectionMeasures: [aMeasure('curatelle_renforcee', [karim], { ...JUDGMENT, ...over }, ON)] }, ON);

  it('with resident.read: the sealed evidence as it is', () => {
    const e = evidenceOf(decideSigners({ documentType: 'contrat-sejour', resident: resident(), establishment, on: ON, soleSignatureAuthorisation: ORDONNANCE }));
    expect(evidenceForReader(e, { residentFile: true, content: true })).toBe(e);
  });

  it('without it: no judgment reference, date or end, no ordonnance reference, no proof; the court and date of the ordonnance and the measure’s kind stay; the copy says so', () => {
    const e = evidenceOf(decideSigners({ documentType: 'contrat-sejour', resident: resident(), establishment, on: ON, soleSignatureAuthorisation: ORDONNANCE }));
    expect(JSON.stringify(e)).toContain('RG 26/00123');
    expect(JSON.stringify(e)).toContain('RG 25/00412');
    const out = evidenceForReader(e, { residentFile: false, content: true });
    const text = JSON.stringify(out);
    for (const leaked of ['26/00123', '25/00412', '2025-05-20', '2030-05-20', 'classeur 3']) expect(text).not.toContain(leaked);
    const person = out.signers.find((s) => s.key === 'resident')!;
    expect(person.legalBasis).toContain('(ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026) ;');
    expect(person.measure).toMatchObject({ type: 'curatelle_renforcee', mode: 'assistance', judgmentReference: null, judgmentDate: null, endDate: null, proofDocumentRef: null, authorisationReference: null });
    expect(out).toMatchObject({ fileReferencesWithheld: FILE_REFERENCES_WITHHELD });
    // Nothing else changes.
    const { signers: _a, fileReferencesWithheld: _b, ...rest } = out as Evidence & { fileReferencesWithheld: string };
    const { signers: _c, ...sealed } = e;
    expect(rest).toEqual(sealed);
    expect(out.signers.map((s) => [s.name, s.capacity, s.status])).toEqual(e.signers.map((s) => [s.name, s.capacity, s.status]));
  });

  it('the curateur authorised to sign alone (C. civ. 472): the authorisation’s reference goes too', () => {
    const e = evidenceOf(
      decideSigners({ documentType: 'contrat-sejour', resident: resident({ judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' }), establishment, on: ON }),
    );
    expect(JSON.stringify(e)).toContain('Ord. 26/0042');
    const out = evidenceForReader(e, { residentFile: false, content: true });
    expect(JSON.stringify(out)).not.toContain('26/0042');
    expect(out.signers.find((s) => s.key !== 'director')!.legalBasis).toContain('C. civ. 472 (autorisation du juge)');
  });

  it('without document.content (the auditor): the comments of the person’s recorded views are left out, the view, who recorded it and when stay; the copy says so', () => {
    const e = evidenceOf(decideSigners({ documentType: 'contrat-sejour', resident: resident(), establishment, on: ON, soleSignatureAuthorisation: ORDONNANCE }));
    // The auditor: neither resident.read nor document.content.
    const out = evidenceForReader(e, { residentFile: false, content: false });
    expect(JSON.stringify(out)).not.toContain('côté jardin');
    expect(out.views).toEqual([{ key: 'resident', person: 'Marcel Dupont', expression: 'accord_partiel', comment: null, recordedBySignerId: 'curateur', at: '2026-11-20T09:20:00.000Z' }]);
    expect(out).toMatchObject({ fileReferencesWithheld: FILE_REFERENCES_WITHHELD, viewCommentsWithheld: VIEW_COMMENTS_WITHHELD });
    expect(VIEW_COMMENTS_WITHHELD).toContain('sans les commentaires écrits avec les avis recueillis de la personne');
    const { signers: _a, views: _v, fileReferencesWithheld: _b, viewCommentsWithheld: _c, ...rest } = out;
    const { signers: _d, views: _e, ...sealed } = e;
    expect(rest).toEqual(sealed);
    // With document.content but not resident.read: the comment stays, nothing says it was withheld.
    const content = evidenceForReader(e, { residentFile: false, content: true });
    expect(content.views[0].comment).toBe('Il préfère une chambre côté jardin.');
    expect(content).not.toHaveProperty('viewCommentsWithheld');
  });

  it('without document.content (the auditor): how staff handed the document over is left out, to whom, when and by whom stay; the copy says so (security review, session 15)', () => {
    const e = {
      ...evidenceOf(decideSigners({ documentType: 'contrat-sejour', resident: resident(), establishment, on: ON, soleSignatureAuthorisation: ORDONNANCE })),
    };
    e.events = [...e.events, { at: '2026-12-03T10:00:00.000Z', kind: 'handed_over', signerId: null, ip: null, userAgent: null, details: { recipientKey: 'resident', handedOn: '2026-12-03', how: 'Remis à sa fille.', byName: 'Nadia Haddad' } }];
    const out = evidenceForReader(e, { residentFile: false, content: false });
    expect(out.events.find((x) => x.kind === 'handed_over')!.details).toEqual({ recipientKey: 'resident', handedOn: '2026-12-03', how: null, byName: 'Nadia Haddad' });
    expect(out.handoverNotesWithheld).toBe(HANDOVER_NOTES_WITHHELD);
    expect(JSON.stringify(out)).not.toContain('sa fille');
    expect(evidenceForReader(e, { residentFile: true, content: true }).events.find((x) => x.kind === 'handed_over')!.details!.how).toBe('Remis à sa fille.');
    // Nothing handed over: nothing said.
    expect(evidenceForReader(evidenceOf(decideSigners({ documentType: 'contrat-sejour', resident: resident(), establishment, on: ON, soleSignatureAuthorisation: ORDONNANCE })), { residentFile: false, content: false })).not.toHaveProperty('handoverNotesWithheld');
  });
});
