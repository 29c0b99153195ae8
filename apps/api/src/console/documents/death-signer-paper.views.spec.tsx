import type { DocumentView } from '@carepact/documents';
import type { RequestView, SignerView } from '@carepact/signing';
import { viewActor, VIEW_ESTABLISHMENT } from '@carepact/testing';
import { type DocumentPageModel, type DocumentPagePerms, documentPage, signerState } from './document-page.views';

/**
 * The document page after the person's death (C. civ. 443 al. 1, 1121):
 * - a request kept for the director's countersignature: her own optional signature, closed by a
 *   `lapsed_at_death` event (her row stays `pending`), reads « Non signé — décès de la personne le … »,
 *   never « En attente », and offers no link, code nor in-person session (409 SIGNER_LAPSED_AT_DEATH);
 * - a request her death cancelled: the way to the paper form, « Déposer le papier signé avant le
 *   décès », for whom may deposit a paper, while the document is still « prêt ».
 */

const DOC_ID = 'd0c00000-0000-4000-8000-000000000011';
const VERSION_ID = 'd0c00000-0000-4000-8000-000000000012';
const REQUEST_ID = 'e0000000-0000-4000-8000-000000000011';
const DIED = '2026-12-03';
const BASE = `/console/documents/${DOC_ID}/demandes/${REQUEST_ID}`;

const ADMISSIONS: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: false };
const DIRECTOR: DocumentPagePerms = { content: true, residentFile: true, write: true, manage: true, countersign: true };
const AUDITOR: DocumentPagePerms = { content: false, residentFile: false, write: false, manage: false, countersign: false };

const signer = (over: Partial<SignerView>): SignerView =>
  ({
    id: 's',
    key: 'k',
    role: 'tuteur',
    name: 'Olivier Marchal',
    capacity: 'en qualité de tuteur',
    legalBasis: 'CASF L.311-4',
    order: 1,
    optional: false,
    delivery: 'in_person',
    status: 'pending',
    authMethod: null,
    actedAt: null,
    refusalReason: null,
    refusalAcknowledgedAt: null,
    accessCodeRequired: false,
    lastEmailStatus: null,
    ...over,
  }) as SignerView;

const self = signer({ id: 's-self', key: 'resident', role: 'resident', name: 'Jeanne Facultative', capacity: 'la personne accueillie', optional: true, order: 1 });
const tuteur = signer({ id: 's-tuteur', key: 'tuteur', order: 2, status: 'signed', actedAt: '2026-12-02T10:00:00.000Z' });
const director = signer({ id: 's-dir', key: 'director', role: 'director', name: 'Claire Morel', capacity: 'directrice', delivery: 'staff', order: 3 });

function doc(status: DocumentView['status']): DocumentView {
  return {
    id: DOC_ID,
    residentId: 'r-jeanne',
    establishmentId: VIEW_ESTABLISHMENT,
    type: 'projet-personnalise',
    subtype: null,
    status,
    currentVersionId: VERSION_ID,
    generationError: null,
    supersededBy: null,
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    versions: [],
  } as unknown as DocumentView;
}

function request(over: Partial<RequestView>): RequestView {
  return {
    id: REQUEST_ID,
    documentId: DOC_ID,
    versionId: VERSION_ID,
    versionNumber: 1,
    versionHash: 'ef'.repeat(32),
    status: 'active',
    mode: 'parallel',
    deadline: '2026-12-20T22:59:59.000Z',
    legalDeadline: null,
    sentLate: null,
    reminderDays: [3, 7],
    explanation: 'Le tuteur signe ; la personne peut signer à côté de lui.',
    signers: [self, tuteur, director],
    views: [],
    questions: [],
    events: [
      { kind: 'in_person_opened', at: '2026-12-02T09:00:00.000Z', signerId: 's-self' },
      { kind: 'signed', at: '2026-12-02T10:00:00.000Z', signerId: 's-tuteur' },
    ],
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
    ...over,
  } as RequestView;
}

/** Kept at her death: `kept_at_death`, then her own signature closed by `lapsed_at_death`. */
const kept = (): RequestView =>
  request({
    events: [
      ...request({}).events,
      { kind: 'kept_at_death', at: '2026-12-03T15:00:00.000Z', signerId: null },
      { kind: 'revoked', at: '2026-12-03T15:00:00.000Z', signerId: 's-self' },
      { kind: 'lapsed_at_death', at: '2026-12-03T15:00:00.000Z', signerId: 's-self' },
    ],
  });

/** Cancelled by her death (the reason cancelForDeparture writes). */
const cancelledForDeath = (over: Partial<RequestView> = {}): RequestView =>
  request({
    status: 'cancelled',
    signers: [self, { ...tuteur, status: 'pending', actedAt: null }, director],
    cancellation: { at: '2026-12-03T15:00:00.000Z', byName: null, reason: 'Décès de la personne le 3 décembre 2026' },
    ...over,
  } as Partial<RequestView>);

function page(perms: DocumentPagePerms, over: Partial<DocumentPageModel>): string {
  const model: DocumentPageModel = {
    doc: doc('in_signature'),
    residentName: perms.residentFile ? 'Jeanne Facultative' : null,
    perms,
    changes: null,
    decision: null,
    decisionRefusal: null,
    deceased: { deceasedOn: DIED, newVersion: 'La personne est décédée.', signature: 'La personne est décédée.' },
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

function textOf(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The signer card of `name`, up to the next card or the end of the list. */
function cardOf(html: string, name: string): string {
  const start = html.indexOf(`<h4>${name}</h4>`);
  const ends = [html.indexOf('<li class="signer-card', start), html.indexOf('</ul>', start)].filter((i) => i > start);
  return textOf(html.slice(start, Math.min(...ends)));
}

describe('a request kept at the death: her optional signature closed « non signé »', () => {
  it('signerState: « Non signé — décès de la personne le … », not « En attente » nor « pas encore signé », whatever the request’s state', () => {
    const r = kept();
    const expected = 'Non signé — décès de la personne le 3 décembre 2026 : signature facultative, elle ne peut plus être donnée';
    for (const status of ['active', 'completed', 'cancelled'] as const)
      expect(signerState(self, r.events, { type: 'projet-personnalise', signers: r.signers, mode: r.mode, status, deceasedOn: DIED })).toBe(expected);
  });

  it('a DIPC’s optional countersigner: « Non contresigné — décès … : contresignature facultative »', () => {
    const person = { ...self };
    const dir = { ...director };
    const s = signerState(person, kept().events, { type: 'dipc', signers: [person, dir], mode: 'parallel', status: 'active', deceasedOn: DIED });
    expect(s).toBe('Non contresigné — décès de la personne le 3 décembre 2026 : contresignature facultative, elle ne peut plus être donnée');
  });

  it('without a lapsed_at_death event, an optional signer pending is unchanged', () => {
    expect(signerState(self, request({}).events, { type: 'projet-personnalise', signers: request({}).signers, mode: 'parallel', status: 'active', deceasedOn: DIED })).toBe(
      'A ouvert le lien, pas encore lu',
    );
  });

  it('the page: her card says it, with neither « Renvoyer le lien », a code nor « Signer en présence » for her; the director’s countersignature is offered', () => {
    const html = page(DIRECTOR, { requests: [kept()] });
    const card = cardOf(html, 'Jeanne Facultative');
    expect(card).toContain('Non signé — décès de la personne le 3 décembre 2026 : signature facultative, elle ne peut plus être donnée');
    expect(card).not.toMatch(/En attente|pas encore/);
    expect(html).not.toContain(`${BASE}/signataires/s-self/renvoyer`);
    expect(html).not.toContain(`${BASE}/signataires/s-self/code`);
    expect(html).not.toContain(`${BASE}/signataires/s-self/en-presence`);
    expect(html).toContain('signer-card signer-lapsed');
    expect(html).toContain(`${BASE}/contresigner`);
    // Not « Toutes les signatures sont là »: hers was not given.
    expect(textOf(html)).toContain('Les signatures requises sont là ; celle de Jeanne Facultative, facultative, ne peut plus être donnée depuis le décès de la personne.');
    expect(textOf(html)).not.toContain('Toutes les signatures sont là');
  });
});

describe('a request cancelled by the death: the way to the paper signed before it', () => {
  const LINK = 'Déposer le papier signé avant le décès';
  const HINT = 'Un papier signé au plus tard le 3 décembre 2026, jour du décès, peut encore être déposé';
  const paperAfterDeath = new Map([[REQUEST_ID, DIED]]);

  it('for whom may deposit a paper (signature.manage): the link to the request’s paper form and the one-line hint', () => {
    const html = page(ADMISSIONS, { doc: doc('ready'), requests: [cancelledForDeath()], paperAfterDeath });
    expect(html).toMatch(new RegExp(`<a href="${BASE}/papier"[^>]*>\\s*${LINK}\\s*</a>`));
    expect(textOf(html)).toContain(HINT);
  });

  it('not for a reader without signature.manage', () => {
    const text = textOf(page(AUDITOR, { doc: doc('ready'), requests: [cancelledForDeath()], paperAfterDeath }));
    expect(text).not.toContain(LINK);
  });

  it('not for a request cancelled for another reason (the controller gives no entry), nor without the controller’s word', () => {
    const other = cancelledForDeath({ cancellation: { at: '2026-12-03T15:00:00.000Z', byName: 'Sophie Martin', reason: 'Erreur de tarif' } } as Partial<RequestView>);
    expect(textOf(page(ADMISSIONS, { doc: doc('ready'), requests: [other], paperAfterDeath: new Map() }))).not.toContain(LINK);
    expect(textOf(page(ADMISSIONS, { doc: doc('ready'), requests: [cancelledForDeath()] }))).not.toContain(LINK);
  });

  it('not once the document moved on: abandoned, another request in progress, or a paper already on it', () => {
    expect(textOf(page(ADMISSIONS, { doc: doc('cancelled'), requests: [cancelledForDeath()], paperAfterDeath }))).not.toContain(LINK);
    const again = request({ id: 'e0000000-0000-4000-8000-000000000099' });
    expect(textOf(page(ADMISSIONS, { doc: doc('in_signature'), requests: [again, cancelledForDeath()], paperAfterDeath }))).not.toContain(LINK);
    const withPaper = cancelledForDeath({ paper: {} as RequestView['paper'] });
    expect(textOf(page(ADMISSIONS, { doc: doc('ready'), requests: [withPaper], paperAfterDeath }))).not.toContain(LINK);
  });
});

describe('an e-mail not sent reads as its reason says (email_skipped), not always « dossier en archive intermédiaire »', () => {
  const skipped = (reason?: string): RequestView =>
    request({
      status: 'completed',
      signers: [self, tuteur, { ...director, status: 'signed', actedAt: '2026-12-04T09:00:00.000Z' }],
      events: [...kept().events, { kind: 'email_skipped', at: '2026-12-04T09:01:00.000Z', signerId: 's-tuteur', ...(reason ? { reason } : {}) }],
    });

  it('after the death, the former representative’s e-mail withheld: « après le décès … ancien représentant »', () => {
    const card = cardOf(page(DIRECTOR, { requests: [skipped('representative_after_death')] }), 'Olivier Marchal');
    expect(card).toContain('E-mail non envoyé : après le décès, le document signé n’est plus adressé à l’ancien représentant');
    expect(card).not.toContain('archive intermédiaire');
  });

  it('hers: « la personne est décédée »; the archive’s, and one recorded without a reason, as before', () => {
    expect(cardOf(page(DIRECTOR, { requests: [skipped('resident_deceased')] }), 'Olivier Marchal')).toContain('E-mail non envoyé : la personne est décédée');
    expect(cardOf(page(DIRECTOR, { requests: [skipped('resident_archived')] }), 'Olivier Marchal')).toContain('E-mail non envoyé : dossier en archive intermédiaire');
    expect(cardOf(page(DIRECTOR, { requests: [skipped()] }), 'Olivier Marchal')).toContain('E-mail non envoyé : dossier en archive intermédiaire');
  });
});
