import type { Block, Inline } from '@carepact/rendering';
import { buildEvidence, evidenceBlocks, Evidence, sealTimeOf, signedHowOf } from './evidence';
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

/** The lines of every list and paragraph, and the chronology table's cells, as a person reads the pages. */
function allTextOf(blocks: Block[]): string {
  const inline = (i: Inline): string => i.map((r) => r.text).join('');
  const rows = blocks.flatMap((b) => (b.kind === 'table' ? b.rows.map((r) => r.map(inline).join(' | ')) : []));
  return `${textOf(blocks)}\n${rows.join('\n')}`;
}

describe('evidence: what each signer was shown and agreed to (C. civ. 1367, DOMAIN.md « what was shown »)', () => {
  const marcel = signer({ id: 's1', firstName: 'Marcel', lastName: 'Dupont', typedName: 'Marcel Dupont', authMethod: 'email_link+access_code', ip: '203.0.113.7' });
  const jeanne = signer({ id: 's3', firstName: 'Jeanne', lastName: 'Martin', typedName: 'Jeanne Martin', authMethod: 'in_person_witnessed', delivery: 'in_person' });
  const nadia = { byUserId: 'u7', byName: 'Nadia Haddad', byAccount: 'admissions@les-tilleuls.example' };
  const consent = 'J’ai lu le document et je le signe en mon nom.';
  const falcHtml = 'f'.repeat(64);
  const events = [
    event({ kind: 'created', at: new Date('2026-03-02T09:00:00Z'), details: { versionHash: 'h', pdfSha256: 'p', signers: ['resident'], lateReason: 'Hospitalisation en cardiologie', ...nadia } }),
    event({ kind: 'code_issued', signerId: 's1', at: new Date('2026-03-02T09:10:00Z'), details: { ...nadia } }),
    event({ kind: 'link_opened', signerId: 's1', at: new Date('2026-03-02T09:20:00Z'), details: { purpose: 'sign', token: 'secret-token' } }),
    event({ kind: 'code_ok', signerId: 's1', at: new Date('2026-03-02T09:21:00Z'), details: { code: '123456' } }),
    event({ kind: 'viewed', signerId: 's1', at: new Date('2026-03-02T09:22:00Z'), details: { variant: 'falc', format: 'html', sha256: falcHtml, session: 'session-uuid' } }),
    event({ kind: 'downloaded', signerId: 's1', at: new Date('2026-03-02T09:25:00Z'), details: { variant: 'standard', format: 'pdf', sha256: 'p' } }),
    event({
      kind: 'signed',
      signerId: 's1',
      at: new Date('2026-03-02T09:30:00Z'),
      ip: '203.0.113.7',
      details: { consent, versionHash: 'h', pdfSha256: 'p', authMethod: 'email_link+access_code', drawn: false },
    }),
    event({ kind: 'in_person_opened', signerId: 's3', at: new Date('2026-03-02T10:00:00Z'), details: { ...nadia } }),
    event({ kind: 'witness_recorded', signerId: 's3', at: new Date('2026-03-02T10:01:00Z'), details: { ...nadia } }),
    event({ kind: 'viewed', signerId: 's3', at: new Date('2026-03-02T10:02:00Z'), details: { variant: 'large-print', format: 'html', sha256: 'g'.repeat(64), session: 'session-2' } }),
    event({ kind: 'signed', signerId: 's3', at: new Date('2026-03-02T10:10:00Z'), details: { consent, versionHash: 'h', pdfSha256: 'p', authMethod: 'in_person_witnessed', drawn: false } }),
  ];
  const e = buildEvidence(request, ctx, [marcel, jeanne], [], events);

  it('evidence.json keeps, per event, the consent ticked, the version read with its SHA-256, and the staff member who acted', () => {
    // Before: every event was reduced to { at, kind, signerId, ip, userAgent }.
    expect(e.events.find((x) => x.kind === 'signed' && x.signerId === 's1')!.details).toEqual({ consent, versionHash: 'h', pdfSha256: 'p', authMethod: 'email_link+access_code', drawn: false });
    expect(e.events.find((x) => x.kind === 'viewed' && x.signerId === 's1')!.details).toEqual({ variant: 'falc', format: 'html', sha256: falcHtml });
    expect(e.events.find((x) => x.kind === 'downloaded')!.details).toEqual({ variant: 'standard', format: 'pdf', sha256: 'p' });
    for (const kind of ['code_issued', 'in_person_opened', 'witness_recorded']) expect(e.events.find((x) => x.kind === kind)!.details).toEqual(nadia);
    expect(e.events.find((x) => x.kind === 'link_opened')!.details).toEqual({ purpose: 'sign' });
  });

  it('never a token, a code, a session id or free text typed by staff; no details key on an event with none', () => {
    const json = JSON.stringify(e);
    for (const secret of ['secret-token', '123456', 'session-uuid', 'Hospitalisation']) expect(json).not.toContain(secret);
    expect(e.events.find((x) => x.kind === 'code_ok')).not.toHaveProperty('details');
  });

  it('the pages say, per signer and with the time, what they read (version, form, SHA-256), the sentence they ticked, and who acted for the establishment', () => {
    const text = allTextOf(evidenceBlocks(e));
    expect(text).toContain('Ce que chaque personne a vu et accepté');
    expect(text).toContain(`2 mars 2026 à 10:22:00 : a lu à l’écran la version facile à lire (contenu du fichier HTML de cette version, SHA-256 ${falcHtml}).`);
    expect(text).toContain('2 mars 2026 à 10:25:00 : a téléchargé : version complète (PDF, SHA-256 p).');
    expect(text).toContain(`2 mars 2026 à 10:30:00 : a coché « ${consent} » et signé ; version signée : données SHA-256 h, PDF de la version complète SHA-256 p.`);
    expect(text).toContain('2 mars 2026 à 10:10:00 : code d’accès remis par Nadia Haddad (compte admissions@les-tilleuls.example).');
    expect(text).toContain('2 mars 2026 à 11:00:00 : session de signature en présence ouverte par Nadia Haddad (compte admissions@les-tilleuls.example).');
    expect(text).toContain('2 mars 2026 à 11:01:00 : déclaration du témoin enregistrée par Nadia Haddad (compte admissions@les-tilleuls.example).');
    expect(text).toContain('a lu à l’écran la version en gros caractères');
    // The chronology names the version and the staff member, without hashes (its columns stay narrow).
    expect(text).toContain('Document consulté : version facile à lire, à l’écran');
    expect(text).toContain('Session en présence ouverte, par Nadia Haddad');
  });

  it('a curateur refusing to assist is said to refuse his assistance (C. civ. 469), not to refuse to sign in her name', () => {
    const karim = signer({ id: 's2', firstName: 'Karim', lastName: 'Benaïssa', typedName: null, authMethod: null, status: 'refused' });
    const refusal = (details: Record<string, unknown>) =>
      allTextOf(evidenceBlocks(buildEvidence(request, ctx, [karim], [], [event({ kind: 'refused', signerId: 's2', at: new Date('2026-03-02T11:00:00Z'), details })])));
    expect(refusal({ withReason: true, optional: false, assistanceRefused: true })).toContain('a refusé son assistance (C. civ. 469)');
    expect(refusal({ withReason: true, optional: false })).toContain('a refusé de signer');
  });

  it('a seal that failed then was retried reads in French in the chronology, with its code', () => {
    const text = allTextOf(
      evidenceBlocks(
        buildEvidence(request, ctx, [marcel], [], [
          event({ kind: 'seal_failed', at: new Date('2026-03-02T12:00:00Z'), details: { code: 'SEAL_CERTIFICATE_NOT_VALID', retriesExhausted: true } }),
          event({ kind: 'seal_retried', at: new Date('2026-03-02T12:30:00Z'), details: { ...nadia } }),
        ]),
      ),
    );
    expect(text).toContain('Scellement échoué');
    expect(text).toContain('Scellement relancé par l’établissement');
    expect(text).not.toMatch(/seal_failed|seal_retried/);
  });

  it('evidence sealed before details were kept still prints, saying what was not recorded', () => {
    const old: Evidence = { ...e, events: e.events.map(({ details: _d, ...x }) => x) };
    const text = allTextOf(evidenceBlocks(old));
    expect(text).toContain('a lu à l’écran la version non enregistrée (empreinte de ce qui a été affiché non enregistrée)');
    expect(text).toContain('a signé (phrase cochée non enregistrée)');
    expect(text).toContain('session de signature en présence ouverte par un membre du personnel (non enregistré)');
  });

  it('the hash line says what was signed (the complete version’s PDF), not « le PDF présenté et signé »', () => {
    const text = allTextOf(evidenceBlocks(e));
    expect(text).not.toContain('présenté et signé');
    expect(text).toContain('Document signé : la version complète ; empreinte SHA-256 de son PDF : p');
    expect(text).toContain('Chaque personne signe la version complète. Les versions facile à lire et en gros caractères l’accompagnent pour aider à la lire ; elles ne sont pas signées.');
  });
});

describe('evidence: the signature level, stated honestly (eIDAS art. 25, C. civ. 1367)', () => {
  const person = signer({ id: 's1', firstName: 'Marcel', lastName: 'Dupont', typedName: 'Marcel Dupont', authMethod: 'email_link' });
  const director = signer({ id: 's2', firstName: 'Claire', lastName: 'Morel', delivery: 'staff', typedName: null, authMethod: 'staff_session' });
  const pending = signer({ id: 's4', status: 'pending', actedAt: null, typedName: null, authMethod: null });

  it('a simple electronic signature: how signers were identified, how they consented, the seal; neither advanced nor qualified', () => {
    const e = buildEvidence(request, ctx, [person, director, pending], [], []);
    expect(e.signatureLevel).toMatchObject({ level: 'simple', means: ['email_link', 'staff_session'] });
    const s = e.signatureLevel!.statement;
    expect(s).toMatch(/^Signature électronique simple, au sens du règlement eIDAS \(n° 910\/2014, art\. 3, 10°, et art\. 25\) et de l’article 1367 du Code civil\./);
    expect(s).toContain('Identification : lien personnel reçu par e-mail ; session authentifiée du personnel (console).');
    expect(s).toContain('dans le portail, chaque personne a coché la phrase de consentement affichée et écrit son nom ; la direction a contresigné depuis sa session personnelle de la console');
    expect(s).toContain('cachet électronique (signature PAdES)');
    expect(s).toContain('Ce n’est ni une signature électronique avancée ni une signature qualifiée');
    const text = allTextOf(evidenceBlocks(e));
    expect(text).toContain('Type de signature');
    expect(text).toContain(s);
  });

  it('a paper signature states none (its original is the paper)', () => {
    const paper = { originalSha256: 'o', byteSize: 1, pageCount: 1, versionId: 'v1', uploadedAt: at.toISOString(), uploadedBy: { userId: 'u', name: 'N', account: 'a' }, signerIds: ['s1'] };
    expect(buildEvidence(request, { ...ctx, paper }, [person], [], [])).not.toHaveProperty('signatureLevel');
  });
});

describe('the seal’s time on the evidence pages (PAdES B-B or B-T)', () => {
  const person = { id: 'p1', key: 'p', firstName: 'Marcel', lastName: 'Dupont', capacity: 'la personne accueillie', legalBasis: 'CASF L311-4', measure: null, email: null, delivery: 'email', authMethod: 'email_link', status: 'signed', actedAt: at, ip: null, userAgent: null, typedName: 'Marcel Dupont', drawnSignature: null, witness: null } as unknown as SignerEntity;
  it('without a time-stamping authority: no qualified time, the server’s clock', () => {
    const e = buildEvidence(request, { ...ctx, sealTime: sealTimeOf(null) }, [person], [], []);
    expect(e.sealTime).toEqual({ source: 'server_clock', statement: expect.any(String) });
    expect(textOf(evidenceBlocks(e))).toContain('Horodatage : aucun. Le cachet ne porte pas d’horodatage qualifié : l’heure du scellement est celle de l’horloge du serveur de l’établissement.');
  });
  it('with one: the TSA named, its certified time in the JSON', () => {
    const e = buildEvidence(request, { ...ctx, sealTime: sealTimeOf('tsa.example.fr') }, [person], [], []);
    expect(textOf(evidenceBlocks(e))).toContain('Horodatage : le cachet porte un jeton d’horodatage (RFC 3161) de l’autorité d’horodatage tsa.example.fr');
  });
  // The product cannot know whether a TSA is a qualified trust service (eIDAS art. 41(2), 42): the evidence says what the operator declared (SEAL_TSA_QUALIFIED).
  it('a TSA not declared qualified: « Horodatage », and the evidence says it is not a qualified electronic time stamp', () => {
    const e = buildEvidence(request, { ...ctx, sealTime: sealTimeOf('tsa.example.fr', false) }, [person], [], []);
    expect(e.sealTime).toMatchObject({ source: 'tsa', qualified: false });
    const text = textOf(evidenceBlocks(e));
    expect(text).toContain('Horodatage : le cachet porte un jeton');
    // eIDAS art. 41(2): without the qualification, the time is the one the token « indique », without the presumption of accuracy.
    expect(text).toContain('l’heure qu’il indique est dans la signature du PDF');
    expect(text).toContain(
      'L’établissement ne déclare pas cette autorité prestataire qualifié au sens du règlement eIDAS (art. 42) : horodatage non qualifié, sans la présomption d’exactitude de la date et de l’heure de l’article 41, paragraphe 2, du règlement eIDAS ; sa recevabilité comme preuve en justice ne peut être refusée au seul motif qu’il n’est pas qualifié (article 41, paragraphe 1).',
    );
    expect(text).not.toMatch(/certifi/);
    expect(text).not.toContain('Horodatage qualifié');
  });
  it('a TSA declared qualified (SEAL_TSA_QUALIFIED): « Horodatage qualifié (règlement eIDAS, art. 42) », recorded in the JSON', () => {
    const e = buildEvidence(request, { ...ctx, sealTime: sealTimeOf('tsa.example.fr', true) }, [person], [], []);
    expect(e.sealTime).toMatchObject({ source: 'tsa', qualified: true });
    const text = textOf(evidenceBlocks(e));
    expect(text).toContain('Horodatage qualifié (règlement eIDAS, art. 42) : le cachet porte un jeton d’horodatage (RFC 3161) de l’autorité d’horodatage tsa.example.fr');
    expect(text).toContain('l’heure qu’il certifie est dans la signature du PDF');
    expect(text).toContain(
      'L’établissement déclare cette autorité prestataire de services de confiance qualifié délivrant des horodatages électroniques qualifiés (règlement eIDAS, art. 42) : la date et l’heure indiquées bénéficient de la présomption d’exactitude, et les données auxquelles elles se rapportent de la présomption d’intégrité, de l’article 41, paragraphe 2, du règlement eIDAS.',
    );
  });
  it('evidence sealed before it existed says nothing of it', () => {
    expect(textOf(evidenceBlocks(buildEvidence(request, ctx, [person], [], [])))).not.toContain('Horodatage');
  });
});

describe('evidence: an e-mail not sent reads as its reason says (email_skipped)', () => {
  const tuteur = signer({ id: 's1', firstName: 'Olivier', lastName: 'Marchal', capacity: 'tuteur' });
  const chronology = (reason?: string) =>
    JSON.stringify(evidenceBlocks(buildEvidence(request, ctx, [tuteur], [], [event({ kind: 'email_skipped', signerId: 's1', details: { kind: 'signature-completed', ...(reason ? { reason } : {}) } })])));

  it('after the death, the former representative’s withheld e-mail is not said to be for the intermediate archive', () => {
    const text = chronology('representative_after_death');
    expect(text).toContain('E-mail non envoyé : après le décès, le document signé n’est plus adressé à l’ancien représentant');
    expect(text).not.toContain('archive intermédiaire');
    expect(chronology('resident_deceased')).toContain('E-mail non envoyé : la personne est décédée');
  });

  it('the archive’s reason, and an event without one, as before', () => {
    expect(chronology('resident_archived')).toContain('E-mail non envoyé : dossier en archive intermédiaire');
    expect(chronology()).toContain('E-mail non envoyé : dossier en archive intermédiaire');
  });
});
