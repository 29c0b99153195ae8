import { type DocumentHistory, historyLabel, renditionCheckName, sealCheckName } from '@carepact/archive';
import type { StaffActor } from '@carepact/identity';
import { documentHistoryPage } from './document-history.views';

const ESTABLISHMENT = '11111111-1111-4111-8111-111111111111';
const VERSION = '22222222-2222-4222-8222-222222222222';
const REQUEST = '33333333-3333-4333-8333-333333333333';
const NADIA = '44444444-4444-4444-8444-444444444444';
const CLAIRE = '55555555-5555-4555-8555-555555555555';
const KARIM = { id: '66666666-6666-4666-8666-666666666666', name: 'Karim Benaïssa', capacity: 'curateur', role: 'curateur' };
const MARCEL = { id: '77777777-7777-4777-8777-777777777777', name: 'Marcel Dupont', capacity: 'résident', role: 'resident' };
const DIRECTOR = { id: '88888888-8888-4888-8888-888888888888', name: 'Claire Morel', capacity: 'directrice', role: 'director' };

const auditor: StaffActor = {
  kind: 'staff',
  userId: '99999999-9999-4999-8999-999999999999',
  organisationId: '00000000-0000-4000-8000-000000000000',
  email: 'audit@example.test',
  name: 'Alice Auditrice',
  sessionId: 's',
  roles: [{ establishmentId: ESTABLISHMENT, role: 'auditor' }],
};

type Entry = DocumentHistory['timeline'][number];
let seq = 0;
function event(action: string, actor: Entry['actor'], signer: Entry['signer'] = null): Entry {
  seq += 1;
  return { seq, at: `2026-12-02T${String(8 + seq).padStart(2, '0')}:00:00.000Z`, action, label: historyLabel(action), actor, signer, versionId: null, requestId: REQUEST, details: {}, cancelReason: null, hash: 'ab'.repeat(32) };
}
const staff = (id: string, name: string): Entry['actor'] => ({ type: 'staff', id, name });
const system: Entry['actor'] = { type: 'system', id: null, name: null };
const signer = (s: { id: string }): Entry['actor'] => ({ type: 'signer', id: s.id, name: null });

const timeline: Entry[] = [
  event('document.created', staff(NADIA, 'Nadia Haddad')),
  event('signature.email_sent', system, KARIM),
  event('signature.question', signer(KARIM), KARIM),
  event('signature.question_answered', staff(NADIA, 'Nadia Haddad'), KARIM),
  event('signature.signed', signer(KARIM), KARIM),
  event('signature.countersign_notified', system, DIRECTOR),
  event('signature.countersigned', staff(CLAIRE, 'Claire Morel'), DIRECTOR),
  event('signature.sealed', system),
  event('signature.completion_sent', system, MARCEL),
];

const history: DocumentHistory = {
  document: { id: 'd0c00000-0000-4000-8000-000000000000', type: 'contrat-sejour', subtype: null, status: 'signed', residentId: 'r', establishmentId: ESTABLISHMENT, createdAt: '2026-12-01T09:00:00.000Z', currentVersionId: VERSION },
  versions: [
    {
      id: VERSION,
      number: 1,
      reason: 'Création du document',
      status: 'generated',
      templateId: 'contrat-sejour',
      templateVersion: '1.0.0',
      inputSha256: 'cd'.repeat(32),
      createdAt: '2026-12-01T09:00:00.000Z',
      generatedAt: '2026-12-01T09:00:05.000Z',
      renditions: [],
    },
  ],
  signatureRequests: [{ id: REQUEST, versionId: VERSION, status: 'completed', createdAt: '2026-12-02T09:00:00.000Z', sealed: null, editions: [] }],
  lineage: [],
  timeline,
};

const requestCreatedAt = new Date('2026-12-02T09:00:00.000Z');
const html = documentHistoryPage({
  actor: auditor,
  csrf: 'csrf',
  history,
  establishmentName: 'Les Jardins du Val',
  verification: {
    kind: 'verification',
    ok: true,
    checkedAt: '2026-12-03T10:00:00.000Z',
    checks: [
      { what: renditionCheckName(1, 'docx', 'large-print'), ok: true, detail: null },
      { what: `${sealCheckName(requestCreatedAt)} — empreinte`, ok: true, detail: null },
    ],
  },
});

function text(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.)])/g, '$1')
    .trim();
}

/** The timeline's entry for an action, as read: heading, « Par : … », « Concerne : … ». */
function entry(action: string): string {
  const items = html.slice(html.indexOf('class="timeline"')).split('<li').slice(1);
  const e = timeline.find((t) => t.action === action)!;
  const item = items.find((i) => i.includes(`Événement n° ${e.seq} `) || text(i).includes(`Événement n° ${e.seq} `));
  if (!item) throw new Error(`no timeline entry for ${action}`);
  return text(`<li${item}`);
}

describe('the document history page: who acted, whom it concerns, in French', () => {
  it('a staff member’s answer to a signer’s question: the staff member acted, the signer is concerned', () => {
    const t = entry('signature.question_answered');
    expect(t).toContain('Réponse à la question');
    expect(t).toContain('Par : Nadia Haddad');
    expect(t).toContain('Concerne : Karim Benaïssa, curateur');
    expect(t).not.toMatch(/Par : Karim/);
    expect(t).not.toContain('saisi par');
  });

  it('the signer’s own question: the signer acted, in their capacity, nothing else concerned', () => {
    const t = entry('signature.question');
    expect(t).toContain('Par : Karim Benaïssa, curateur');
    expect(t).not.toContain('Concerne');
  });

  it('an e-mail sent by CarePact: the system acted, the recipient is concerned', () => {
    const t = entry('signature.email_sent');
    expect(t).toContain('E-mail envoyé');
    expect(t).toContain('Par : CarePact (envoi automatique)');
    expect(t).toContain('Concerne : Karim Benaïssa, curateur');
    expect(t).not.toMatch(/Par : Karim/);
  });

  it('the signed document sent to a signer: sent by CarePact, not by the signer', () => {
    const t = entry('signature.completion_sent');
    expect(t).toContain('Par : CarePact (envoi automatique)');
    expect(t).toContain('Concerne : Marcel Dupont, résident');
    expect(t).not.toMatch(/Par : Marcel/);
  });

  it('the seal: an automatic step of CarePact, not an e-mail', () => {
    expect(entry('signature.sealed')).toContain('Par : CarePact (traitement automatique)');
  });

  it('countersign_notified has a French heading; the director countersigning from the console is named once, with her capacity', () => {
    const notified = entry('signature.countersign_notified');
    expect(notified).not.toContain('signature.countersign_notified');
    expect(notified).toContain('Direction avertie');
    expect(notified).toContain('Par : CarePact (envoi automatique)');
    const countersigned = entry('signature.countersigned');
    expect(countersigned).toContain('Par : Claire Morel, directrice');
    expect(countersigned).not.toContain('Concerne');
  });

  it('no action code is shown as a heading', () => {
    const headings = [...html.matchAll(/<strong>([^<]*)<\/strong> —/g)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThanOrEqual(timeline.length);
    for (const h of headings) expect(h).not.toMatch(/^[a-z_]+\.[a-z_.]+$/);
  });

  it('the verification names formats and dates as the document page does', () => {
    const v = text(html.slice(html.indexOf('id="verification"'), html.indexOf('</section>')));
    expect(v).toContain('Version 1 — Word (DOCX), gros caractères');
    expect(v).toContain('Document scellé (demande du 2 décembre 2026) — empreinte');
    expect(v).not.toMatch(/large-print|DOCX large|\d{4}-\d{2}-\d{2}/);
  });
});

/**
 * The sealed event's certified time (PAdES B-T): « Horodatage qualifié » was printed for every TSA,
 * while the product cannot know whether its TSA is a qualified trust service (eIDAS art. 41(2), 42).
 * Now only when the operator declared it (SEAL_TSA_QUALIFIED, recorded in the event as
 * timestampQualified); « Horodatage » otherwise, and for events written before it was recorded.
 */
describe('the history’s certified time: « qualifié » only when the operator declared the TSA so', () => {
  const sealedWith = (details: Record<string, unknown>) => {
    const sealed: Entry = { ...event('signature.sealed', system), details: { timestampGenTime: '2026-12-02T16:00:01.000Z', timestampSerialNumber: '0A1B', timestampAuthority: 'CN=Horodatage Exemple, O=Exemple, C=FR', ...details } };
    const page = documentHistoryPage({ actor: auditor, csrf: 'csrf', history: { ...history, timeline: [sealed] }, establishmentName: 'Les Jardins du Val', verification: null });
    return text(page.slice(page.indexOf('class="timeline"')));
  };
  it('declared (timestampQualified true): « Horodatage qualifié (règlement eIDAS, art. 42) : heure certifiée … »', () => {
    const page = sealedWith({ timestampQualified: true });
    expect(page).toContain('Horodatage qualifié (règlement eIDAS, art. 42) : heure certifiée');
    expect(page).toContain('présomption d’exactitude de la date et de l’heure et d’intégrité des données qu’elles datent (règlement eIDAS, art. 41, paragraphe 2)');
  });
  // eIDAS art. 41(2): only a qualified time stamp is presumed accurate; the others « indiquent » the time, they do not certify it.
  it('not declared, or an event from before it was recorded: « Horodatage : heure indiquée … », never « certifiée », and without the presumption', () => {
    for (const page of [sealedWith({ timestampQualified: false }), sealedWith({})]) {
      expect(page).toContain('Horodatage : heure indiquée');
      expect(page).toContain('par l’autorité d’horodatage CN=Horodatage Exemple, O=Exemple, C=FR');
      expect(page).toContain('horodatage non qualifié : sans la présomption d’exactitude de la date et de l’heure de l’article 41 du règlement eIDAS, mais sa recevabilité comme preuve en justice ne peut être refusée au seul motif qu’il n’est pas qualifié (art. 41, paragraphe 1)');
      expect(page).not.toMatch(/certifi|horodatage qualifié|Horodatage qualifié/);
    }
  });
});

