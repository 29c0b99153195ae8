import type { DocumentView } from '@carepact/documents';
import { HOLDER_ROLE_OF, type ContactView, type MeasureType, type MeasureView, type ResidentView } from '@carepact/residents';
import { decideSigners, type PolicyDecision, type PolicyInput, type RequestView, type SoleSignatureView } from '@carepact/signing';
import { viewActor, VIEW_ESTABLISHMENT } from '@carepact/testing';
import { sealFailureReason, withoutFileReferences } from '@carepact/signing';
import { type DocumentPageModel, type DocumentPagePerms, documentPage, requestDeadlineHint } from './document-page.views';

/**
 * The document page as each role reads it. The auditor has `document.read` but neither
 * `document.content` nor `resident.read` (libs/identity access.ts), and her home page tells her she
 * sees neither the content of the files nor that of the documents: the signers' questions, the
 * answers, the refusal reasons and the judgment of the protection measure are not for her.
 */

const ON = '2026-11-20';
const JUDGMENT = 'RG 25/00412';
// A reference as a clerk may write it, parentheses included: the redaction must not stop at the first one.
const AUTHORISATION = 'RG 26/00077 (ord.)';
const QUESTION = 'Le tarif de 72,30 € inclut-il la blanchisserie ?';
const ANSWER = 'Oui, la blanchisserie est comprise dans le tarif hébergement.';
const FOLLOW_UP = 'Le marquage du linge aussi.';
const REFUSAL = 'Je veux réfléchir avec ma fille.';

const AUDITOR: DocumentPagePerms = { content: false, residentFile: false, write: false, manage: false, countersign: false };
const ADMISSIONS: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: false };

function contact(id: string, firstName: string, lastName: string): ContactView {
  return { id, firstName, lastName, relation: null, organisationName: 'UDAF du Val', email: `${id}@example.org`, phone: null, address: null, holdsParentalAuthority: false };
}

function measure(type: MeasureType, holders: ContactView[], over: Partial<MeasureView> = {}): MeasureView {
  return {
    id: `m-${type}`,
    type,
    mode: type === 'curatelle' || type === 'curatelle_renforcee' ? 'assistance' : 'representation',
    scope: ['personne', 'biens'],
    general: true,
    acts: [],
    mission: null,
    court: 'Tribunal judiciaire de Valville',
    judgmentReference: JUDGMENT,
    judgmentDate: '2025-03-03',
    startDate: null,
    endDate: '2030-03-03',
    mandateEffectiveDate: type === 'mandat_protection_future' ? '2025-04-01' : null,
    judgeAuthorisesHolderAlone: false,
    authorisationReference: null,
    proofDocumentRef: null,
    status: 'active',
    holders: holders.map((c) => ({ ...c, contactId: c.id, role: HOLDER_ROLE_OF[type] })),
    ...over,
  };
}

function ahmed(m: MeasureView | null): ResidentView {
  const holders = m?.holders.map(({ contactId: _c, role: _r, ...c }) => c) ?? [];
  return {
    id: 'r-ahmed',
    establishmentId: VIEW_ESTABLISHMENT,
    firstName: 'Ahmed',
    lastName: 'Benali',
    birthName: null,
    birthDate: '1944-02-11',
    admissionDate: '2026-10-15',
    stayType: 'permanent',
    plannedEndDate: null,
    departedOn: null,
    room: '214',
    preferences: { largePrint: false, easyToRead: false, language: 'fr' },
    email: 'ahmed.benali@example.org',
    phone: null,
    minor: false,
    parentalAuthority: null,
    soleAuthority: null,
    personneDeConfiance: null,
    contacts: holders,
    protectionMeasures: m ? [m] : [],
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
  };
}

const karim = contact('karim', 'Karim', 'Benaïssa');
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const decide = (m: MeasureView | null, residence?: PolicyInput['residence']): PolicyDecision =>
  decideSigners({ documentType: 'contrat-sejour', resident: ahmed(m), establishment, on: ON, residence });
const judgeDecided = { agrees: false, judgeDecision: { authority: 'Juge des contentieux de la protection', reference: 'RG 26/00091', date: '2026-11-10' } };

/** The decisions of the policy (libs/signing) whose wording cites the judgment: the real sentences, not copies. */
const DECISIONS: [string, PolicyDecision][] = [
  ['curatelle', decide(measure('curatelle', [karim]))],
  ['curatelle renforcée', decide(measure('curatelle_renforcee', [karim]))],
  ['curatelle renforcée, autorisation du juge', decide(measure('curatelle_renforcee', [karim], { judgeAuthorisesHolderAlone: true, authorisationReference: AUTHORISATION }))],
  ['tutelle', decide(measure('tutelle', [karim]))],
  ['tutelle sans échéance', decide(measure('tutelle', [karim], { endDate: null }))],
  ['tutelle, désaccord tranché par le juge', decide(measure('tutelle', [karim]), judgeDecided)],
  ['curatelle renforcée, autorisation cochée sans référence', decide(measure('curatelle_renforcee', [karim], { judgeAuthorisesHolderAlone: true }))],
  ['sauvegarde de justice', decide(measure('sauvegarde_justice', []))],
  ['habilitation familiale', decide(measure('habilitation_familiale', [karim]))],
  ['mandat de protection future', decide(measure('mandat_protection_future', [karim]))],
];

const DOC_ID = 'd0c00000-0000-4000-8000-000000000001';
const VERSION_ID = 'd0c00000-0000-4000-8000-000000000002';

function doc(status: DocumentView['status']): DocumentView {
  return {
    id: DOC_ID,
    residentId: 'r-ahmed',
    establishmentId: VIEW_ESTABLISHMENT,
    type: 'contrat-sejour',
    subtype: null,
    status,
    currentVersionId: VERSION_ID,
    generationError: null,
    supersededBy: null,
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    versions: [
      {
        id: VERSION_ID,
        number: 1,
        reason: 'Création du document',
        status: 'ready',
        template: { id: 'contrat-sejour', version: '1.2.0', sha256: 'ab'.repeat(32) },
        inputSha256: 'cd'.repeat(32),
        rendererVersion: '1',
        errorCode: null,
        error: null,
        createdAt: '2026-11-02T09:00:00.000Z',
        generatedAt: '2026-11-02T09:00:05.000Z',
        renditions: [],
      },
    ],
  } as DocumentView;
}

/** A request sent on the policy's decision; the first signer asked two questions (one answered twice), the representative refused. */
function request(decision: PolicyDecision): RequestView {
  const signers = decision.signers.map((s, i) => ({
    id: `s-${s.key}`,
    key: s.key,
    role: s.role,
    name: `${s.person.firstName} ${s.person.lastName}`,
    capacity: s.capacity,
    legalBasis: s.legalBasis,
    order: s.order,
    optional: s.optional,
    delivery: s.role === 'director' ? 'staff' : 'email',
    status: s.role === 'resident' || s.role === 'director' ? 'pending' : 'refused',
    authMethod: null,
    actedAt: s.role === 'resident' || s.role === 'director' ? null : '2026-11-05T10:00:00.000Z',
    refusalReason: s.role === 'resident' || s.role === 'director' ? null : REFUSAL,
    refusalAcknowledgedAt: null,
    accessCodeRequired: i === 0,
    lastEmailStatus: 'sent',
  }));
  const asker = signers[0].id;
  return {
    id: 'e0000000-0000-4000-8000-000000000001',
    documentId: DOC_ID,
    versionId: VERSION_ID,
    versionNumber: 1,
    versionHash: 'ef'.repeat(32),
    status: 'active',
    mode: 'parallel',
    deadline: '2026-12-02T22:59:59.000Z',
    legalDeadline: null,
    sentLate: null,
    reminderDays: [3, 7],
    explanation: decision.explanation,
    signers,
    views: [],
    questions: [
      {
        id: 'q1',
        signerId: asker,
        message: QUESTION,
        askedAt: '2026-11-03T08:30:00.000Z',
        answer: ANSWER,
        answeredAt: '2026-11-03T14:05:00.000Z',
        followUps: [{ answer: FOLLOW_UP, answeredAt: '2026-11-04T09:00:00.000Z' }],
      },
      { id: 'q2', signerId: asker, message: 'Puis-je garder mon fauteuil ?', askedAt: '2026-11-04T10:00:00.000Z', answer: null, answeredAt: null, followUps: [] },
    ],
    events: [{ kind: 'email_sent', at: '2026-11-02T10:00:00.000Z', signerId: 's-resident' }],
    sealed: null,
    countersignUntil: null,
    handover: null,
    signingMethod: 'electronic',
    signingMethodLabel: 'signature électronique',
    paper: null,
    nextStep: null,
    residenceDispute: null,
    assistanceRefused: false,
    soleSignatureAuthorisation: null,
    awaitingSeal: false,
    sealFailure: null,
    contentWithheld: false,
  } as RequestView;
}

function page(perms: DocumentPagePerms, over: Partial<DocumentPageModel>): string {
  const model: DocumentPageModel = {
    doc: doc('in_signature'),
    // As the controller gives it: the name only to whom may read the person's file.
    residentName: perms.residentFile ? 'Ahmed Benali' : null,
    perms,
    changes: null,
    decision: null,
    decisionRefusal: null,
    requests: [],
    dipcOffers: new Map(),
    flash: null,
    error: null,
    visa: { approverRole: null, state: 'none', versionId: null, decision: null, canDecide: false },
    holds: { document: [], person: [], names: new Map(), manage: false },
    ...over,
  };
  return documentPage(viewActor(perms.residentFile ? 'admissions' : 'auditor'), 'jeton', model);
}

/** The text of the page's main, tags removed and entities decoded, as a reader sees it. */
function textOf(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('document page: what the auditor reads (document.read, neither document.content nor resident.read)', () => {
  const curatelle = DECISIONS[2][1]; // the authorisation of the judge: a reference in the explanation and in the curateur's legal basis

  it('the questions: how many, who asked when, answered or not — never their text nor the answers', () => {
    const text = textOf(page(AUDITOR, { requests: [request(curatelle)] }));
    expect(text).toContain('Questions des signataires');
    expect(text).toContain('2 questions posées.');
    expect(text).toContain('Karim Benaïssa a posé une question le 3 novembre 2026 à 9 h 30. Réponse donnée le 3 novembre 2026 à 15 h 05 (et 1 réponse complémentaire).');
    expect(text).toContain('Karim Benaïssa a posé une question le 4 novembre 2026 à 11 h 00. Pas encore de réponse.');
    for (const secret of [QUESTION, '72,30', ANSWER, FOLLOW_UP, 'fauteuil']) expect({ secret, shown: text.includes(secret) }).toEqual({ secret, shown: false });
  });

  it('neither the judgment nor the judge’s authorisation references, in the explanation or the legal bases; nor the refusal reason', () => {
    const text = textOf(page(AUDITOR, { requests: [request(curatelle)] }));
    expect(text).not.toContain(JUDGMENT);
    expect(text).not.toContain('RG ');
    expect(text).not.toContain('Tribunal judiciaire');
    expect(text).not.toContain('3 mars 2025');
    expect(text).toContain('Curatelle renforcée avec autorisation du juge : le curateur signe seul');
    expect(text).toContain('Fondement : C. civ. 472 (autorisation du juge) ;');
    expect(text).not.toContain(REFUSAL);
    expect(text).toContain('une raison a été donnée (non affichée : elle relève du contenu du document)');
  });

  it('the same when the document is ready: « Qui signera et pourquoi » without the judgment', () => {
    const d = DECISIONS[0][1];
    const text = textOf(page(AUDITOR, { doc: doc('ready'), decision: d }));
    expect(text).toContain('Qui signera et pourquoi');
    expect(text).toContain('Curatelle simple : mesure d’assistance');
    expect(text).not.toContain(JUDGMENT);
    expect(text).not.toContain('3 mars 2030');
  });

  it('admissions (document.content, resident.read) read all of it, as before', () => {
    const text = textOf(page(ADMISSIONS, { requests: [request(curatelle)] }));
    for (const shown of [QUESTION, ANSWER, FOLLOW_UP, REFUSAL, `jugement ${JUDGMENT} du 3 mars 2025`, `avec autorisation du juge (${AUTHORISATION})`, `C. civ. 472 (autorisation ${AUTHORISATION})`])
      expect({ shown, on: text.includes(shown) }).toEqual({ shown, on: true });
    expect(text).toContain('Votre réponse');
  });
});

describe('withoutFileReferences: against every sentence of the signature policy that cites a judgment', () => {
  it.each(DECISIONS)('%s: the references go, the rest of the explanation stays', (_name, d) => {
    const texts = [d.explanation, ...d.signers.map((s) => s.legalBasis), ...d.views.map((v) => v.legalBasis)];
    expect(d.explanation).toContain(JUDGMENT); // the policy does cite it: the case is meaningful
    for (const t of texts) {
      const out = withoutFileReferences(t);
      expect(out).not.toMatch(/RG \d|Tribunal|Juge des contentieux|2025|10 novembre 2026/);
      // Redacted, not withheld: the wording is known, the auditor still reads who signs and why.
      expect(out).not.toContain('texte non affiché');
    }
    expect(withoutFileReferences(d.explanation).length).toBeGreaterThan(40);
  });

  it('a minor under sole parental authority: the proof’s reference and date go, its ground and article stay (C. civ. 373-1)', () => {
    const enzo: ResidentView = {
      ...ahmed(null),
      firstName: 'Enzo',
      lastName: 'Petit',
      birthDate: '2014-05-30',
      minor: true,
      parentalAuthority: 'sole',
      soleAuthority: { ground: 'other_parent_deceased', proofReference: 'Acte de décès n° 312, mairie de Valville', proofDate: '2022-01-04' },
      contacts: [{ ...karim, holdsParentalAuthority: true }],
    };
    const d = decideSigners({ documentType: 'contrat-sejour', resident: enzo, establishment, on: ON });
    expect(d.explanation).toContain('Acte de décès n° 312'); // the policy does cite it
    for (const t of [d.explanation, ...d.signers.map((s) => s.legalBasis)]) {
      const out = withoutFileReferences(t);
      expect(out).not.toMatch(/312|Valville|2022|pièce/);
      expect(out).not.toContain('texte non affiché');
    }
    expect(withoutFileReferences(d.explanation)).toMatch(
      /^Mineur, autorité parentale exercée par un seul parent \(décès de l’autre parent, C\. civ\. 373-1\) : ce parent signe seul ; l’avis du mineur est recueilli \(C\. civ\. 371-1\)\. /,
    );
  });

  it('a text it does not recognise that still cites a reference is withheld whole', () => {
    expect(withoutFileReferences('Tutelle (jugement n° 25/412, TJ de Valville) : le tuteur signe.')).toBe(
      'texte non affiché : il cite le dossier de la personne (mesure de protection, jugement), que votre rôle ne permet pas de consulter',
    );
    expect(withoutFileReferences('Personne majeure sans mesure de protection : elle agit en son nom propre.')).toBe('Personne majeure sans mesure de protection : elle agit en son nom propre.');
  });
});

describe('document page: French names (elision, no gendered question)', () => {
  it('« Contrat de séjour d’Ahmed Benali », « Retour au dossier d’Ahmed Benali »', () => {
    const html = page(ADMISSIONS, {});
    expect(html).toContain('<h1>Contrat de séjour d’Ahmed Benali</h1>');
    expect(html).toContain('<title>Contrat de séjour d’Ahmed Benali — CarePact</title>');
    expect(textOf(html)).toContain('Retour au dossier d’Ahmed Benali');
    expect(textOf(html)).not.toMatch(/de Ahmed/);
  });

  it('the send form asks each signer’s way of signing without « il ou elle »', () => {
    const text = textOf(page(ADMISSIONS, { doc: doc('ready'), decision: DECISIONS[0][1] }));
    expect(text).toContain('Ahmed Benali : mode de signature');
    expect(text).toContain('Karim Benaïssa : mode de signature');
    expect(text).not.toContain('il ou elle');
  });
});

describe('document page: the countersignature when the person’s own signature is optional (a DIPC)', () => {
  const DIRECTOR: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: true };
  const dipcRequest = (personStatus: 'pending' | 'signed'): RequestView => {
    const r = request(decide(null));
    return { ...r, questions: [], signers: r.signers.map((x) => (x.role === 'director' ? x : { ...x, optional: true, status: personStatus, refusalReason: null, actedAt: personStatus === 'signed' ? '2026-11-06T10:00:00.000Z' : null })) };
  };
  it('the person has not signed: the required signatures are there; signing establishes the DIPC, handed over at once, and she may countersign after (CASF D.311 II-III)', () => {
    const text = textOf(page(DIRECTOR, { requests: [dipcRequest('pending')] }));
    expect(text).toContain('Les signatures requises sont là');
    expect(text).toContain('En signant maintenant, vous établissez le document : il est scellé et remis aussitôt à Ahmed Benali, qui pourra encore le contresigner jusqu’au');
    expect(text).not.toContain('vous clôturez la demande sans elle');
    expect(text).toContain('Signer et établir le document');
    expect(text).not.toContain('Toutes les signatures sont là');
  });
  it('a click alone never signs: the form has a required box naming the version (the newcomer’s review)', () => {
    const html = page(DIRECTOR, { requests: [dipcRequest('pending')] });
    const form = html.slice(html.indexOf('/contresigner"'), html.indexOf('</form>', html.indexOf('/contresigner"')));
    expect(form).toMatch(/<input type="checkbox" id="[^"]+" name="confirm" value="oui" required/);
    expect(textOf(form)).toMatch(/J’ai lu le document et je le signe pour l’établissement \(version \d+\)\./);
  });
  it('she has signed: all the signatures are there', () => {
    expect(textOf(page(DIRECTOR, { requests: [dipcRequest('signed')] }))).toContain('Toutes les signatures sont là');
  });

  it('an avenant to a DIPC follows the DIPC (CASF D.311 VII): « Signer et établir le document », and the confirmation says the document is established', () => {
    const decision = decideSigners({ documentType: 'avenant', appliesTo: 'dipc', resident: ahmed(null), establishment, on: ON });
    const r = request(decision);
    const avenant = { ...r, questions: [], signers: r.signers.map((x) => (x.role === 'director' ? x : { ...x, status: 'pending' as const, refusalReason: null, actedAt: null })) };
    expect(avenant.signers.find((x) => x.role === 'resident')!.optional).toBe(true);
    const text = textOf(page(DIRECTOR, { doc: { ...doc('in_signature'), type: 'avenant' }, requests: [avenant] }));
    expect(text).toContain('Signer et établir le document');
    expect(text).not.toContain('Contresigner le document');
    // Signed, not sealed yet: the page does not say « toutes les signatures sont réunies ».
    const signed = { ...avenant, awaitingSeal: true, signers: avenant.signers.map((x) => (x.role === 'director' ? { ...x, status: 'signed' as const, actedAt: '2026-11-06T10:00:00.000Z' } : x)) };
    const after = textOf(page(DIRECTOR, { doc: { ...doc('in_signature'), type: 'avenant' }, requests: [signed] }));
    expect(after).not.toContain('Toutes les signatures sont réunies');
    expect(after).toContain('Document signé et établi par l’établissement : le scellement du PDF est en cours, puis il est remis à Ahmed Benali.');
    // The send form: the director establishes it, not « contresigne en dernier ».
    const send = textOf(page(ADMISSIONS, { doc: { ...doc('ready'), type: 'avenant' }, decision }));
    expect(send).not.toContain('en dernier');
    expect(send).toContain('La direction signe depuis la console : sa signature établit le document, qui est alors scellé et remis (CASF D.311 II et III)');
  });

  // A DIPC request sent before CASF D.311 III's fifteen days were applied to it kept the legal deadline
  // stored then (admission 16 November + one month): shown as retained at sending, beside the rule in
  // force with its own date, never the stored date under the fifteen-day rule.
  it('a request sent under the one-month reading keeps its stored date, said to be the one retained then; the rule in force comes with its own date', () => {
    const old = { ...dipcRequest('pending'), legalDeadline: '2026-12-16T22:59:59.999Z' };
    const dipcDoc = { ...doc('in_signature'), type: 'dipc' as const };
    const text = textOf(page(DIRECTOR, { doc: dipcDoc, requests: [old], legalDeadlineNow: new Date('2026-12-01T22:59:59.999Z') }));
    expect(text).not.toMatch(/délai légal : 16 décembre 2026 — DIPC établi, signé par la direction et remis dans les quinze jours/);
    expect(text).toContain(
      'délai légal retenu à l’envoi de la demande : 16 décembre 2026 ; selon la règle en vigueur, 1er décembre 2026 — DIPC établi, signé par la direction et remis dans les quinze jours qui suivent l’admission, CASF D.311 II et III',
    );
    // Sent under the rule in force: one date, one rule.
    const current = { ...old, legalDeadline: '2026-12-01T22:59:59.999Z' };
    expect(textOf(page(DIRECTOR, { doc: dipcDoc, requests: [current], legalDeadlineNow: new Date('2026-12-01T22:59:59.999Z') }))).toContain(
      'délai légal : 1er décembre 2026 — DIPC établi, signé par la direction et remis dans les quinze jours',
    );
  });

  // CASF D.311 II-III: established by the director, sealed and handed over; she may still countersign.
  const established = (): RequestView => {
    const r = dipcRequest('pending');
    const person = r.signers.find((x) => x.role !== 'director')!;
    return {
      ...r,
      signers: r.signers.map((x) => (x.role === 'director' ? { ...x, status: 'signed', actedAt: '2026-11-06T10:00:00.000Z' } : x)),
      sealed: { sha256: 'ab'.repeat(32), sealedAt: '2026-11-06T10:01:00.000Z', href: '/api/x/signed.pdf', evidenceHref: '/api/x/evidence.json', edition: 1 },
      countersignUntil: '2026-12-02T22:59:00.000Z',
      handover: {
        establishedAt: '2026-11-06T10:01:00.000Z',
        recipients: [
          { key: 'resident', signerId: null, name: 'Inès Moreau', capacity: 'la personne accueillie', channel: 'in_hand', sentAt: null, emailFailed: false, handedOver: null },
          { key: person.key, signerId: person.id, name: person.name, capacity: person.capacity, channel: 'email', sentAt: '2026-11-06T10:02:00.000Z', emailFailed: false, handedOver: null },
        ],
      },
    };
  };
  it('established: in force, her countersignature still possible until the deadline; no cancel; the handover to each, by e-mail or « À remettre en main propre » with its form', () => {
    const html = page(DIRECTOR, { requests: [established()] });
    const text = textOf(html);
    expect(text).toContain('document établi ; contresignature possible');
    expect(text).toContain('Document établi (signé par l’établissement, CASF D.311) et scellé le 6 novembre 2026 à 11 h 01 : il s’applique dès maintenant.');
    expect(text).toContain('reste possible jusqu’au 2 décembre 2026 à 23 h 59');
    expect(text).not.toContain('Annuler la demande de signature');
    expect(text).toContain('Remise du document (CASF D.311 III)');
    expect(text).toContain('Inès Moreau (la personne accueillie) : À remettre en main propre.');
    expect(text).toContain('Ahmed Benali (');
    expect(text).toContain('envoyé par e-mail le 6 novembre 2026 à 11 h 02');
    expect(html).toMatch(/action="\/console\/documents\/[^"]+\/demandes\/[^"]+\/remise\/resident"/);
    expect(text).toContain('Enregistrer la remise à Inès Moreau');
  });
  it('the handover recorded: when, by whom, how; the form is gone', () => {
    const r = established();
    r.handover!.recipients[0].handedOver = { on: '2026-11-07', how: 'En main propre, lors de l’entretien', by: 'Nadia Haddad', at: '2026-11-07T09:00:00.000Z' };
    const text = textOf(page(DIRECTOR, { requests: [r] }));
    expect(text).toContain('Inès Moreau (la personne accueillie) : remis en main propre le 7 novembre 2026 (enregistré par Nadia Haddad) : « En main propre, lors de l’entretien »');
    expect(text).not.toContain('Enregistrer la remise');
  });
});

describe('document page: the person’s view recorded in the portal, and a disagreement with living there (C. civ. 459-2)', () => {
  const tutelle = DECISIONS[3][1];
  const view = tutelle.views[0];
  const disputed = (): RequestView => ({
    ...request(tutelle),
    views: [{ key: view.key, person: 'Ahmed Benali', reason: view.reason, recorded: { expression: 'desaccord', comment: 'Il veut rentrer chez lui.', at: '2026-11-05T13:05:00.000Z' } }],
    residenceDispute: { person: 'Ahmed Benali', recordedAt: '2026-11-05T13:05:00.000Z', recordedBy: 'Karim Benaïssa' },
  });

  it('staff read what was recorded, that nobody may sign this version, why, and the steps: the judge, then a new version citing the decision', () => {
    const text = textOf(page(ADMISSIONS, { requests: [disputed()] }));
    expect(text).toContain('Ahmed Benali : désaccord, le 5 novembre 2026 à 14 h 05 — « Il veut rentrer chez lui. »');
    expect(text).not.toContain('chez lui. ».');
    expect(text).toContain(
      'Signature bloquée : Ahmed Benali n’est pas d’accord pour vivre dans l’établissement (avis consigné par Karim Benaïssa le 5 novembre 2026 à 14 h 05).',
    );
    expect(text).toContain('le juge des contentieux de la protection (ou le conseil de famille, s’il a été constitué) statue (C. civ. 459-2)');
    expect(text).toContain('Créez une nouvelle version du document qui cite la décision');
  });

  it('a quoted comment that ends its own sentence gets no second full stop; one that does not, gets one', () => {
    const ends = (comment: string) => {
      const r = disputed();
      r.views = r.views.map((w) => ({ ...w, recorded: { ...w.recorded!, comment } }));
      return textOf(page(ADMISSIONS, { requests: [r] }));
    };
    expect(ends('Il demande à garder ses crayons.')).toContain('— « Il demande à garder ses crayons. » Signature bloquée');
    expect(ends('Pourquoi partir ?')).toContain('— « Pourquoi partir ? » Signature');
    expect(ends('Je ne sais pas…')).toContain('— « Je ne sais pas… » Signature');
    expect(ends('Il veut rentrer chez lui')).toContain('— « Il veut rentrer chez lui ». Signature');
    const none = disputed();
    none.views = none.views.map((w) => ({ ...w, recorded: { ...w.recorded!, comment: null } }));
    expect(textOf(page(ADMISSIONS, { requests: [none] }))).toContain('Ahmed Benali : désaccord, le 5 novembre 2026 à 14 h 05. Signature');
  });

  it('before sending, nothing is recorded yet: « Avis à recueillir », not « Avis recueillis »', () => {
    const text = textOf(page(ADMISSIONS, { doc: doc('ready'), decision: tutelle }));
    expect(text).toContain('Avis à recueillir : Ahmed Benali');
    expect(text).not.toContain('Avis recueillis');
  });

  it('the auditor reads that it is blocked, not the comment nor the steps', () => {
    const withheld = disputed();
    withheld.views = withheld.views.map((w) => ({ ...w, recorded: w.recorded ? { ...w.recorded, comment: null } : null }));
    const text = textOf(page(AUDITOR, { requests: [withheld] }));
    expect(text).toContain('Signature bloquée');
    expect(text).not.toContain('rentrer chez lui');
    expect(text).not.toContain('Créez une nouvelle version');
  });

  it('a curateur who refused to assist: not the person’s refusal, no DIPC, the judge may authorise her alone (C. civ. 469)', () => {
    const refused: RequestView = { ...request(DECISIONS[1][1]), status: 'refused', assistanceRefused: true };
    const text = textOf(page(ADMISSIONS, { requests: [refused] }));
    expect(text).toContain('Le curateur a refusé son assistance : ce n’est pas un refus du contrat par la personne, et il n’appelle pas de DIPC (CASF D.311).');
    expect(text).toContain('l’autorisation de signer seule (C. civ. 469)');
    expect(textOf(page(ADMISSIONS, { requests: [{ ...refused, assistanceRefused: false }] }))).not.toContain('refusé son assistance');
  });

  describe('then the judge’s authorisation for her to sign alone (C. civ. 469 al. 3)', () => {
    const refused = (): RequestView => ({ ...request(DECISIONS[1][1]), status: 'refused', assistanceRefused: true });
    const sole = (over: Partial<SoleSignatureView> = {}): SoleSignatureView => ({
      documentId: DOC_ID,
      authorisation: null,
      refusal: { requestId: refused().id, signerName: 'Karim Benaïssa', refusedAt: '2026-11-05T10:00:00.000Z' },
      notRecordable: null,
      canRecord: true,
      nextStep: null,
      legalBasis: 'C. civ. 469 al. 3',
      setAside: null,
      ...over,
    });
    const recorded = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', decisionDate: '2026-11-10', reference: 'RG 26/00123', recordedAt: '2026-11-12T09:30:00.000Z', recordedBy: 'Léa Martin' };

    it('not recorded yet: the steps and the form on the refused request (court, date, reference, note)', () => {
      const html = page(ADMISSIONS, { doc: doc('ready'), requests: [refused()], soleSignature: sole() });
      const text = textOf(html);
      expect(text).toContain('La personne peut demander au juge des contentieux de la protection l’autorisation de signer seule (C. civ. 469).');
      expect(text).toContain('Quand le juge l’a autorisée à signer seule, enregistrez ici son ordonnance : juridiction, date (celle du refus ou après) et référence.');
      // The ordonnance covers the version refused only (soleSignatureSetAside).
      expect(text).toContain('Une nouvelle version du document n’est pas couverte par l’ordonnance : le curateur serait de nouveau appelé à assister la personne.');
      expect(html).toContain(`action="/console/documents/${DOC_ID}/autorisation-juge"`);
      for (const name of ['court', 'decisionDate', 'reference', 'note']) expect(html).toContain(`name="${name}"`);
      expect(html).toMatch(/<input type="date" id="decisionDate" name="decisionDate"/);
      expect(text).toContain('Enregistrer l’autorisation du juge');
    });

    it('refused input: each French message beside its field, linked from the summary, the typed values kept', () => {
      const html = page(ADMISSIONS, {
        doc: doc('ready'),
        requests: [refused()],
        soleSignature: sole(),
        error: {
          message: 'L’autorisation du juge n’a pas pu être enregistrée : corrigez les champs signalés.',
          form: 'sole-signature',
          errors: [
            { field: 'decisionDate', code: 'DATE_IN_FUTURE', message: 'La date de l’ordonnance ne peut pas être dans le futur : indiquez celle qui figure sur la décision.' },
            { field: 'reference', code: 'REQUIRED', message: 'Indiquez la référence de l’ordonnance (numéro RG ou de minute), telle qu’elle figure sur la décision.' },
          ],
        },
        sendValues: { court: 'TJ de Valville', decisionDate: '2031-01-01', reference: '' },
      });
      expect(html).toContain('<a href="#decisionDate">La date de l’ordonnance ne peut pas être dans le futur');
      expect(html).toMatch(/<p class="field-error" id="decisionDate-erreur">La date de l’ordonnance ne peut pas être dans le futur/);
      expect(html).toMatch(/<p class="field-error" id="reference-erreur">Indiquez la référence de l’ordonnance/);
      expect(html).toContain('name="reference" value aria-invalid="true" aria-describedby="reference-aide reference-erreur"');
      expect(html).toContain('value="TJ de Valville"');
      expect(html).toContain('value="2031-01-01"');
    });

    it('recorded: the state says so, the person signs alone, the next step is « Envoyer à la signature »; the form only to correct', () => {
      const r: RequestView = { ...refused(), soleSignatureAuthorisation: recorded, nextStep: { kind: 'send', href: `/api/documents/${DOC_ID}/signature-requests` } };
      const html = page(ADMISSIONS, { doc: doc('ready'), requests: [r], soleSignature: sole() });
      const text = textOf(html);
      expect(text).toContain(
        'Autorisation du juge enregistrée : le juge a autorisé la personne à signer seule (C. civ. 469 al. 3) — ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026, réf. RG 26/00123. Enregistrée par Léa Martin le 12 novembre 2026 à 10 h 30.',
      );
      expect(text).toContain('La personne signe seule ; le curateur n’est plus signataire de ce document.');
      expect(html).toContain('<strong>Prochaine étape :</strong> <a href="#qui-signe">Envoyer à la signature</a>');
      expect(text).not.toContain('Les étapes :');
      expect(text).toContain('Corriger l’autorisation enregistrée');
    });

    it('the auditor reads that it is recorded, court and date, without the reference, the steps or the form', () => {
      const r: RequestView = { ...refused(), soleSignatureAuthorisation: { ...recorded, reference: null } };
      const text = textOf(page(AUDITOR, { doc: doc('ready'), requests: [r], soleSignature: sole({ canRecord: false }) }));
      expect(text).toContain('Autorisation du juge enregistrée');
      expect(text).toContain('tribunal judiciaire de Valville, 10 novembre 2026.');
      expect(text).not.toContain('RG 26/00123');
      expect(text).not.toContain('Corriger l’autorisation');
      const before = textOf(page(AUDITOR, { doc: doc('ready'), requests: [refused()], soleSignature: sole({ canRecord: false }) }));
      expect(before).not.toContain('Enregistrer l’autorisation du juge');
    });

    it('recorded for version 1, the document now at version 2: « Non retenue pour le prochain envoi » and why, where it said she signs alone', () => {
      const why =
        'L’autorisation du juge porte sur la version 1 du contrat de séjour, celle dont le curateur a refusé l’assistance ; pour une nouvelle version (ici la version 2), ' +
        'le curateur est de nouveau appelé à assister la personne et signe avec elle ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).';
      const authorisation: SoleSignatureView['authorisation'] = {
        id: 'a1',
        court: recorded.court,
        decisionDate: recorded.decisionDate,
        reference: recorded.reference,
        note: null,
        recordedAt: recorded.recordedAt,
        recordedBy: { userId: 'u1', name: recorded.recordedBy },
        refusedRequestId: refused().id,
        version: { id: VERSION_ID, number: 1, inputHash: 'ab'.repeat(32), templateHash: 'cd'.repeat(32) },
        measureId: 'm-curatelle_renforcee',
      };
      const r: RequestView = { ...refused(), soleSignatureAuthorisation: recorded, nextStep: null };
      const html = page(ADMISSIONS, {
        doc: doc('ready'),
        requests: [r],
        soleSignature: sole({ authorisation, setAside: { code: 'SOLE_SIGNATURE_OTHER_VERSION', message: why }, canRecord: false, notRecordable: { code: 'SOLE_SIGNATURE_OTHER_VERSION', message: 'x' } }),
      });
      const text = textOf(html);
      expect(text).toContain('le juge a autorisé la personne à signer seule la version 1 du document (C. civ. 469 al. 3)');
      expect(text).toContain(`Non retenue pour le prochain envoi : ${why}`);
      expect(text).not.toContain('La personne signe seule ;');
      expect(html).toContain('class="notice warning"');
    });

    it('a personne habilitée who refused: the judge settles the difficulty (C. civ. 494-1 al. 1, 494-10), not 469', () => {
      const hf = decide(measure('habilitation_familiale', [karim], { mode: 'assistance' }));
      const r: RequestView = { ...request(hf), status: 'refused', assistanceRefused: true };
      const text = textOf(page(ADMISSIONS, { doc: doc('ready'), requests: [r], soleSignature: sole({ refusal: { requestId: r.id, signerName: 'Karim Benaïssa', refusedAt: '2026-11-05T10:00:00.000Z' }, legalBasis: 'C. civ. 494-1 al. 1, 494-10' }) }));
      expect(text).toContain('La personne habilitée a refusé son assistance');
      expect(text).toContain('La personne peut saisir le juge des contentieux de la protection, qui statue sur cette difficulté et peut l’autoriser à signer seule (C. civ. 494-1 al. 1, 494-10).');
      expect(text).toContain('Enregistrer l’autorisation du juge (C. civ. 494-1, 494-10)');
      expect(text).not.toContain('469');
    });

    it('« Qui signera et pourquoi » with the authorisation: the person alone, then the director; the auditor without the reference', () => {
      const decision = decideSigners({
        documentType: 'contrat-sejour',
        resident: ahmed(measure('curatelle_renforcee', [karim])),
        establishment,
        on: ON,
        soleSignatureAuthorisation: { court: recorded.court, date: recorded.decisionDate, reference: recorded.reference },
      });
      const text = textOf(page(ADMISSIONS, { doc: doc('ready'), decision }));
      expect(text).toContain('Ahmed Benali — en son nom propre, sur autorisation du juge (C. civ. 469), sans l’assistance de son curateur.');
      expect(text).toContain('réf. RG 26/00123');
      expect(text).not.toContain('Karim Benaïssa : mode de signature');
      const audited = textOf(page(AUDITOR, { doc: doc('ready'), decision }));
      expect(audited).toContain('Fondement : C. civ. 469 al. 3 (ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026) ;');
      expect(audited).not.toContain('RG 26/00123');
    });
  });

  it('no disagreement: the view is listed, no notice', () => {
    const agreed: RequestView = { ...disputed(), residenceDispute: null };
    agreed.views = agreed.views.map((w) => ({ ...w, recorded: { ...w.recorded!, expression: 'accord', comment: null } }));
    const text = textOf(page(ADMISSIONS, { requests: [agreed] }));
    expect(text).toContain('Ahmed Benali : accord, le 5 novembre 2026 à 14 h 05.');
    expect(text).not.toContain('Signature bloquée');
  });
});

describe('document page: every signature is in, the seal pending or failed for good', () => {
  const DIRECTOR: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: true };
  /** A contract every signer signed, the director included: the request waits for its seal. */
  const allSigned = (over: Partial<RequestView> = {}): RequestView => {
    const r = request(decide(null));
    return {
      ...r,
      questions: [],
      signers: r.signers.map((x) => ({ ...x, status: 'signed', refusalReason: null, actedAt: '2026-11-06T10:00:00.000Z' })),
      awaitingSeal: true,
      ...over,
    };
  };
  const failed = (): RequestView =>
    allSigned({
      sealFailure: {
        code: 'SEAL_CERTIFICATE_NOT_VALID',
        reason: sealFailureReason('SEAL_CERTIFICATE_NOT_VALID'),
        at: '2026-11-06T10:05:00.000Z',
      },
    });

  it('the seal pending: says so, and no longer offers to cancel the request', () => {
    const text = textOf(page(DIRECTOR, { requests: [allSigned()] }));
    expect(text).toContain('Toutes les signatures sont réunies : le scellement du PDF est en cours.');
    expect(text).not.toContain('Annuler la demande de signature');
    expect(text).not.toContain('Contresigner le document');
  });

  it('failed for good: why in French, the signatures kept, « Relancer le scellement » posted to the request’s route; no cancel', () => {
    const html = page(DIRECTOR, { requests: [failed()] });
    const text = textOf(html);
    expect(text).toContain(
      'Le scellement du document signé a échoué le 6 novembre 2026 à 11 h 05. Toutes les signatures sont enregistrées et conservées ; la demande n’expire pas, mais le PDF signé n’existe pas encore.',
    );
    expect(text).toContain('Le certificat de cachet de l’établissement n’est pas valide à cette date (expiré ou pas encore valide).');
    expect(text).toContain('(code SEAL_CERTIFICATE_NOT_VALID)');
    expect(html).toContain(`action="/console/documents/${DOC_ID}/demandes/e0000000-0000-4000-8000-000000000001/sceller"`);
    expect(text).toContain('Relancer le scellement');
    expect(text).not.toContain('Annuler la demande de signature');
    expect(text).not.toContain('le scellement du PDF est en cours');
  });

  it('the auditor reads that it failed and why, without the action', () => {
    const text = textOf(page(AUDITOR, { requests: [failed()] }));
    expect(text).toContain('Le scellement du document signé a échoué');
    expect(text).not.toContain('Relancer le scellement');
  });

  it('not every signature in: the cancel is offered as before', () => {
    expect(textOf(page(DIRECTOR, { requests: [request(decide(null))] }))).toContain('Annuler la demande de signature');
  });
});

describe('document page: the request deadline’s hint follows the document’s own legal deadline', () => {
  it('the contract and the avenant name their rule; the projet and the minutes have none (the newcomer read « un mois après l’admission pour le contrat » on a projet)', () => {
    expect(requestDeadlineHint('contrat-sejour')).toContain('dans le mois qui suit l’admission');
    expect(requestDeadlineHint('avenant')).toContain('six mois');
    expect(requestDeadlineHint('dipc')).toContain('quinze jours');
    for (const type of ['projet-personnalise', 'compte-rendu-synthese']) {
      expect(requestDeadlineHint(type)).not.toMatch(/contrat|admission/);
      expect(requestDeadlineHint(type)).toContain('Aucun délai légal');
    }
  });
});

describe('document page: the template named in French', () => {
  it('« Modèle : contrat de séjour, version … », not the template’s identifier « contrat-sejour » (the newcomer’s review)', () => {
    const text = textOf(page(ADMISSIONS, {}));
    expect(text).toMatch(/Modèle : contrat de séjour, version \d+\.\d+\.\d+\./);
    expect(text).not.toContain('Modèle contrat-sejour');
  });
});

/** C. civ. 373-2-1 al. 5: the judge entrusted the exercise to one parent; the other does not sign but is to be informed. */
describe('one parent alone: the reminder to inform the other parent', () => {
  const minor = (ground: 'judgment' | 'other_parent_deceased'): ResidentView => ({
    ...ahmed(null),
    firstName: 'Enzo',
    lastName: 'Petit',
    birthDate: '2014-05-30',
    minor: true,
    parentalAuthority: 'sole',
    soleAuthority: { ground, proofReference: 'Jugement JAF, RG 24/01234', proofDate: '2024-03-12' },
    contacts: [{ ...contact('julie', 'Julie', 'Petit'), holdsParentalAuthority: true }],
  });
  const sendPage = (ground: 'judgment' | 'other_parent_deceased') =>
    textOf(page(ADMISSIONS, { doc: doc('ready'), decision: decideSigners({ documentType: 'contrat-sejour', resident: minor(ground), establishment, on: ON }) }));

  it('shows it beside « Qui signera et pourquoi » when the judge entrusted the exercise to one parent', () => {
    expect(sendPage('judgment')).toContain(
      'À faire : informer l’autre parent. L’autre parent n’exerce pas l’autorité parentale et ne signe pas ; il garde le droit et le devoir de surveiller l’entretien et l’éducation de l’enfant et doit être informé des choix importants relatifs à sa vie (C. civ. 373-2-1 al. 5). Informez-le de l’admission et du document, sans lui demander de signer.'.replace(/'/g, '’'),
    );
  });

  it('not when the other parent died', () => {
    expect(sendPage('other_parent_deceased')).not.toContain('informer l’autre parent');
  });
});
