import type { Block, Inline } from '@carepact/rendering';
import { buildEvidence, evidenceBlocks, Evidence, signedHowOf } from './evidence';
import type { SignatureEventEntity, SignatureRequestEntity, SignerEntity } from './signing.entities';

/** The evidence pages' text, flattened, to read the lines a person would read. */
function textOf(blocks: Block[]): string {
  const inline = (i: Inline): string => i.map((r) => r.text).join('');
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'list') parts.push(...b.items.map(inline));
    else if (b.kind === 'paragraph' || b.kind === 'heading') parts.push(inline(b.text));
  }
  return parts.join('\n');
}

const at = new Date('2026-03-02T10:00:00Z');
const request = {
  id: 'r1',
  organisationId: 'o1',
  createdBy: 'u0',
  createdAt: at,
  deadline: at,
  documentId: 'd1',
  versionId: 'v1',
  versionHash: 'h',
  pdfSha256: 'p',
} as unknown as SignatureRequestEntity;
const ctx = { establishment: 'EHPAD Les Tilleuls', versionNumber: 1, templateId: 't', templateVersion: '1', templateSha256: 's', documentType: 'contrat-sejour', companions: [], certificate: 'CN=x', sealedAt: at };

function signer(over: Partial<SignerEntity>): SignerEntity {
  return {
    id: 'x',
    key: 'k',
    firstName: 'A',
    lastName: 'B',
    capacity: 'la personne accueillie',
    legalBasis: 'CASF L311-4',
    measure: null,
    email: null,
    delivery: 'email',
    status: 'signed',
    actedAt: at,
    ip: null,
    userAgent: null,
    drawnSignature: null,
    witness: null,
    ...over,
  } as SignerEntity;
}
const event = (over: Partial<SignatureEventEntity>): SignatureEventEntity => ({ id: 'e', requestId: 'r1', signerId: null, kind: 'signed', at, ip: null, userAgent: null, details: {}, ...over }) as SignatureEventEntity;

describe('evidence: how each party signed (issue 13, item 9)', () => {
  const person = signer({ id: 's1', firstName: 'Marcel', lastName: 'Dupont', typedName: 'Marcel Dupont', authMethod: 'email_link' });

  it('the director countersigning from the console is recorded by account, never as a typed name', () => {
    const director = signer({ id: 's2', firstName: 'Claire', lastName: 'Morel', delivery: 'staff', typedName: null, authMethod: 'staff_session' });
    const e = buildEvidence(request, ctx, [person, director], [], [
      event({ kind: 'countersigned', signerId: 's2', details: { byUserId: 'u9', byAccount: 'direction@les-tilleuls.example', byName: 'Claire Morel' } }),
    ]);
    expect(e.signers[1]).toMatchObject({ typedName: null, signedHow: { method: 'staff_session', account: 'direction@les-tilleuls.example', userId: 'u9', staffName: 'Claire Morel' } });
    expect(e.signers[0].signedHow).toEqual({ method: 'typed_name', typedName: 'Marcel Dupont', witnessed: false });
    const text = textOf(evidenceBlocks(e));
    expect(text).toContain('Claire Morel : signature depuis sa session personnelle de la console (compte direction@les-tilleuls.example)');
    expect(text).toContain('Marcel Dupont : a écrit son nom : Marcel Dupont');
    expect(text).not.toContain('a écrit son nom : Claire Morel');
  });

  it('rows written before the change (staff name in typed_name, no account on the event) read as a console signature', () => {
    const legacy = signer({ id: 's2', firstName: 'Claire', lastName: 'Morel', delivery: 'staff', typedName: 'Claire Morel', authMethod: 'staff_session' });
    const e = buildEvidence(request, ctx, [legacy], [], [event({ kind: 'countersigned', signerId: 's2', details: { byUserId: 'u9' } })]);
    expect(e.signers[0].typedName).toBeNull();
    expect(e.signers[0].signedHow).toEqual({ method: 'staff_session', account: null, userId: 'u9', staffName: 'Claire Morel' });
    expect(textOf(evidenceBlocks(e))).toContain('Claire Morel : signature depuis sa session personnelle de la console (compte de Claire Morel)');
  });

  it('evidence JSON sealed before `signedHow` existed still reads, and its director line claims no typed name', () => {
    const stored = buildEvidence(request, ctx, [person], [], []);
    const old: Evidence = {
      ...stored,
      signers: [
        { ...stored.signers[0], signedHow: undefined },
        { ...stored.signers[0], id: 's2', name: 'Claire Morel', authentication: 'staff_session', typedName: 'Claire Morel', signedHow: undefined },
      ],
    };
    delete old.signers[0].signedHow;
    delete old.signers[1].signedHow;
    expect(signedHowOf(old.signers[0])).toEqual({ method: 'typed_name', typedName: 'Marcel Dupont', witnessed: false });
    expect(signedHowOf(old.signers[1])).toMatchObject({ method: 'staff_session', staffName: 'Claire Morel' });
    const text = textOf(evidenceBlocks(old));
    expect(text).not.toContain('a écrit son nom : Claire Morel');
    expect(text).toContain('Claire Morel : signature depuis sa session personnelle de la console');
  });

  it('in person, the typed name is said to have been written before a witness; pending signers have no line', () => {
    const inPerson = signer({ id: 's3', firstName: 'Jeanne', lastName: 'Martin', typedName: 'Jeanne Martin', authMethod: 'in_person_witnessed', drawnSignature: 'iVBOR' });
    const pending = signer({ id: 's4', status: 'pending', actedAt: null, typedName: null, authMethod: null });
    const e = buildEvidence(request, ctx, [inPerson, pending], [], []);
    expect(e.signers[1].signedHow).toBeNull();
    expect(textOf(evidenceBlocks(e))).toContain('Jeanne Martin : a écrit son nom : Jeanne Martin, en présence d’un témoin, et a tracé sa signature');
  });
});
