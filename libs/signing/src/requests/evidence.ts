import type { Block, DocumentTree, Inline } from '@carepact/rendering';
import { formatDateLong } from '@carepact/rendering';
import { MEASURE_MODE_LABELS, MEASURE_TYPE_LABELS } from '@carepact/common';
import type { MeasureReference } from '../policy/policy.types';
import type { RecordedViewEntity, SignatureEventEntity, SignatureRequestEntity, SignerEntity, WitnessStatement } from './signing.entities';

/** The evidence file (DOMAIN.md, "Electronic signature and proof"): stored as JSON and printed as the last pages. */
export interface Evidence {
  transactionId: string;
  organisationId: string;
  establishment: string;
  initiatorUserId: string | null;
  created: string;
  deadline: string;
  sealedAt: string;
  document: { id: string; type: string; versionId: string; versionNumber: number; templateId: string; templateVersion: string; templateSha256: string; inputSha256: string; signedPdfSha256: string };
  companions: { format: string; variant: string; sha256: string }[];
  signers: {
    id: string;
    key: string;
    name: string;
    capacity: string;
    legalBasis: string;
    measure: MeasureReference | null;
    contact: string | null;
    delivery: string;
    authentication: string | null;
    status: string;
    at: string | null;
    ip: string | null;
    userAgent: string | null;
    /** What the signer typed as their name; null for a countersignature from the staff console (nothing was typed). */
    typedName: string | null;
    drawnSignature: boolean;
    witness: WitnessStatement | null;
    /** How they signed; absent from evidence sealed before it existed (read it with `signedHowOf`). */
    signedHow?: SignedHow | null;
  }[];
  views: { key: string; person: string; expression: string; comment: string | null; recordedBySignerId: string | null; at: string }[];
  events: { at: string; kind: string; signerId: string | null; ip: string | null; userAgent: string | null }[];
  certificate: string;
  /**
   * How the request was signed: `paper` when the sealed PDF is the scan of a signed paper (the
   * paper is the original; see `paper`), `electronic` otherwise. Absent from evidence sealed before
   * paper signatures existed (electronic).
   */
  signingMethod?: SigningMethod;
  /** The scan of the signed paper (issue 11 §6): absent for an electronic signature. */
  paper?: PaperEvidence;
}

export type SigningMethod = 'electronic' | 'paper';
export const SIGNING_METHOD_FR: Record<SigningMethod, string> = { electronic: 'signature électronique', paper: 'signé sur papier' };

export interface PaperEvidence {
  /** SHA-256 of the scan exactly as uploaded (kept, downloadable by staff). */
  originalSha256: string;
  byteSize: number;
  pageCount: number;
  /** The version the paper signs. */
  versionId: string;
  uploadedAt: string;
  uploadedBy: { userId: string; name: string; account: string };
  /** The signers whose handwritten signature is on the paper, as staff declared them. */
  signerIds: string[];
}

/**
 * How a party actually signed: a person types their name (in the portal, alone or in person with a
 * witness); the director countersigns from their own authenticated console session and types nothing.
 */
export type SignedHow =
  | { method: 'typed_name'; typedName: string; witnessed: boolean }
  | { method: 'staff_session'; account: string | null; userId: string | null; staffName: string | null }
  | { method: 'paper'; uploadedBy: string; uploadedAt: string; originalSha256: string };

type EvidenceSigner = Evidence['signers'][number];

/**
 * The signer's `signedHow`, also for evidence sealed before the field existed: there the director's
 * `typedName` held the staff member's name, which they never typed.
 */
export function signedHowOf(s: EvidenceSigner): SignedHow | null {
  if (s.signedHow !== undefined) return s.signedHow;
  if (s.status !== 'signed') return null;
  if (s.authentication === 'staff_session') return { method: 'staff_session', account: null, userId: null, staffName: s.typedName };
  if (s.authentication === 'paper') return null; // written with signedHow since it exists
  return s.typedName ? { method: 'typed_name', typedName: s.typedName, witnessed: s.authentication === 'in_person_witnessed' } : null;
}

/** One French line: "a écrit son nom : …" or "signature depuis sa session personnelle de la console (compte …)". */
export function signedHowText(how: SignedHow, drawnSignature = false): string {
  if (how.method === 'paper')
    return `signature manuscrite sur le document papier ; scan déposé par ${how.uploadedBy} le ${dateTime(how.uploadedAt)} (SHA-256 ${how.originalSha256})`;
  if (how.method === 'staff_session') {
    const account = how.account ? `compte ${how.account}` : how.staffName ? `compte de ${how.staffName}` : 'compte non enregistré';
    return `signature depuis sa session personnelle de la console (${account})`;
  }
  return `a écrit son nom : ${how.typedName}${how.witnessed ? ', en présence d’un témoin' : ''}${drawnSignature ? ', et a tracé sa signature' : ''}`;
}

function signedHowFromRows(s: SignerEntity, events: SignatureEventEntity[], paper: PaperEvidence | undefined): SignedHow | null {
  if (s.status !== 'signed') return null;
  if (s.authMethod === 'paper' && paper) return { method: 'paper', uploadedBy: `${paper.uploadedBy.name} (${paper.uploadedBy.account})`, uploadedAt: paper.uploadedAt, originalSha256: paper.originalSha256 };
  if (s.authMethod === 'staff_session') {
    // The account is recorded on the countersignature's event; rows written before that kept the
    // staff member's name in typed_name.
    const d = events.find((e) => e.kind === 'countersigned' && e.signerId === s.id)?.details ?? {};
    const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    return { method: 'staff_session', account: str(d.byAccount), userId: str(d.byUserId), staffName: str(d.byName) ?? s.typedName };
  }
  return s.typedName ? { method: 'typed_name', typedName: s.typedName, witnessed: s.authMethod === 'in_person_witnessed' } : null;
}

const KIND_FR: Record<string, string> = {
  created: 'Demande créée',
  email_sent: 'E-mail envoyé',
  email_failed: 'E-mail non distribué',
  link_opened: 'Lien ouvert',
  code_issued: 'Code remis par l’établissement',
  code_ok: 'Code vérifié',
  code_failed: 'Code erroné',
  code_locked: 'Code bloqué après trop d’essais',
  viewed: 'Document consulté',
  downloaded: 'Document téléchargé',
  view_recorded: 'Avis de la personne enregistré',
  view_corrected: 'Avis de la personne corrigé',
  signed: 'Signé',
  refused: 'Refusé',
  question: 'Question posée',
  question_answered: 'Réponse donnée',
  countersigned: 'Contresigné',
  countersign_notified: 'Direction prévenue : contresignature attendue',
  reminder: 'Relance envoyée',
  revoked: 'Lien révoqué',
  resent: 'Lien renvoyé',
  in_person_opened: 'Session en présence ouverte',
  witness_recorded: 'Déclaration du témoin',
  expired: 'Demande expirée',
  cancelled: 'Demande annulée',
  paper_uploaded: 'Scan du document signé sur papier déposé',
  signed_on_paper: 'Signé sur papier',
};

export const AUTH_FR: Record<string, string> = {
  email_link: 'lien personnel reçu par e-mail',
  'email_link+access_code': 'lien personnel reçu par e-mail et code remis par l’établissement',
  in_person: 'en présence, sur une session ouverte par l’établissement, sans déclaration de témoin',
  in_person_witnessed: 'en présence, sur une session ouverte par l’établissement, avec témoin',
  staff_session: 'session authentifiée du personnel (console)',
  paper: 'signature manuscrite sur papier, scan déposé par l’établissement',
};

const MEASURE_FR: Record<string, string> = MEASURE_TYPE_LABELS;
const MODE_FR: Record<string, string> = MEASURE_MODE_LABELS;

/** The person's view as recorded (recorded_views.expression), in French. */
export const VIEW_EXPRESSION_LABELS: Readonly<Record<string, string>> = {
  accord: 'accord',
  accord_partiel: 'accord partiel',
  desaccord: 'désaccord',
  ne_se_prononce_pas: 'ne se prononce pas',
  ne_peut_pas_s_exprimer: 'ne peut pas s’exprimer',
};

/** « 23 novembre 2026 à 14:02:05 », Europe/Paris. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' }).format(d);
  return `${formatDateLong(iso.slice(0, 10))} à ${time}`;
}

export function buildEvidence(
  r: SignatureRequestEntity,
  ctx: {
    establishment: string;
    versionNumber: number;
    templateId: string;
    templateVersion: string;
    templateSha256: string;
    documentType: string;
    companions: { format: string; variant: string; sha256: string }[];
    certificate: string;
    sealedAt: Date;
    paper?: PaperEvidence;
  },
  signers: SignerEntity[],
  views: RecordedViewEntity[],
  events: SignatureEventEntity[],
): Evidence {
  return {
    transactionId: r.id,
    organisationId: r.organisationId,
    establishment: ctx.establishment,
    initiatorUserId: r.createdBy,
    created: r.createdAt.toISOString(),
    deadline: r.deadline.toISOString(),
    sealedAt: ctx.sealedAt.toISOString(),
    document: {
      id: r.documentId,
      type: ctx.documentType,
      versionId: r.versionId,
      versionNumber: ctx.versionNumber,
      templateId: ctx.templateId,
      templateVersion: ctx.templateVersion,
      templateSha256: ctx.templateSha256,
      inputSha256: r.versionHash,
      signedPdfSha256: r.pdfSha256,
    },
    companions: ctx.companions,
    signers: signers.map((s) => ({
      id: s.id,
      key: s.key,
      name: `${s.firstName} ${s.lastName}`,
      capacity: s.capacity,
      legalBasis: s.legalBasis,
      measure: s.measure,
      contact: s.email,
      delivery: s.delivery,
      authentication: s.authMethod,
      status: s.status,
      at: s.actedAt?.toISOString() ?? null,
      ip: s.ip,
      userAgent: s.userAgent,
      typedName: s.authMethod === 'staff_session' ? null : s.typedName,
      drawnSignature: Boolean(s.drawnSignature),
      witness: s.witness,
      signedHow: signedHowFromRows(s, events, ctx.paper),
    })),
    views: views.map((v) => ({ key: v.viewKey, person: v.personName, expression: v.expression, comment: v.comment, recordedBySignerId: v.recordedBySignerId, at: v.recordedAt.toISOString() })),
    events: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, signerId: e.signerId, ip: e.ip, userAgent: e.userAgent })),
    certificate: ctx.certificate,
    signingMethod: ctx.paper ? 'paper' : 'electronic',
    ...(ctx.paper ? { paper: ctx.paper } : {}),
  };
}

/**
 * The evidence page printed after the scan of a signed paper: the same facts as the JSON, as lines
 * of text (the scan itself is an image; this page is real text).
 */
export function paperEvidenceLines(e: Evidence, facts: { documentLabel: string; personName: string }): string[] {
  const p = e.paper!;
  const lines = [
    `Cette page fait partie du document scellé. Le document signé est le papier dont les pages précédentes sont le scan ; l’établissement a déposé ce scan et l’a scellé. Toute modification après le scellement est détectable.`,
    `Méthode de signature : ${SIGNING_METHOD_FR.paper}.`,
    `Établissement : ${e.establishment}.`,
    `Document : ${facts.documentLabel} de ${facts.personName} (${e.document.id}).`,
    `Version signée : n° ${e.document.versionNumber} (${p.versionId}) ; empreinte SHA-256 des données de la version : ${e.document.inputSha256}.`,
    `Empreinte SHA-256 du PDF présenté pour signature : ${e.document.signedPdfSha256}.`,
    `Scan original : ${p.pageCount} page(s), ${p.byteSize} octets, empreinte SHA-256 ${p.originalSha256} (conservé tel qu’il a été déposé).`,
    `Déposé par ${p.uploadedBy.name} (compte ${p.uploadedBy.account}) le ${dateTime(p.uploadedAt)}.`,
  ];
  for (const s of e.signers) {
    const how = signedHowOf(s);
    const status = s.status === 'signed' ? (s.authentication === 'paper' ? 'a signé sur le papier' : `a signé : ${how ? signedHowText(how, s.drawnSignature) : (AUTH_FR[s.authentication ?? ''] ?? '')}`) : 'n’a pas signé (signature facultative)';
    lines.push(`Signataire : ${s.name}, ${s.capacity} (${s.legalBasis}) — ${status}${s.at ? `, enregistré le ${dateTime(s.at)}` : ''}.`);
  }
  lines.push(`Scellé le ${dateTime(e.sealedAt)} avec le certificat de l’établissement : ${e.certificate}.`);
  lines.push(`Transaction : ${e.transactionId}.`);
  return lines;
}

const t = (text: string): Inline => [{ text }];
const b = (label: string, value: string): Inline => [{ text: `${label} : `, strong: true }, { text: value }];

/** The evidence page(s) appended to the sealed PDF: who signed, in which capacity, how, and when. */
export function evidenceBlocks(e: Evidence): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: t('Dossier de preuve de la signature') },
    {
      kind: 'paragraph',
      text: t(
        'Cette page fait partie du document scellé. Elle indique qui a signé, en quelle qualité, comment la personne a été identifiée, et quand. Toute modification du document après le scellement est détectable.',
      ),
    },
    {
      kind: 'list',
      ordered: false,
      items: [
        b('Transaction', e.transactionId),
        b('Document', `${e.document.id}, version ${e.document.versionNumber} (${e.document.versionId})`),
        b('Modèle', `${e.document.templateId} ${e.document.templateVersion}, empreinte SHA-256 ${e.document.templateSha256}`),
        b('Empreinte SHA-256 des données de la version', e.document.inputSha256),
        b('Empreinte SHA-256 du PDF présenté et signé', e.document.signedPdfSha256),
        b('Demande créée le', dateTime(e.created)),
        b('Échéance', dateTime(e.deadline)),
        b('Scellé le', dateTime(e.sealedAt)),
        b('Certificat de l’établissement', e.certificate),
      ],
    },
    { kind: 'heading', level: 3, text: t('Signataires') },
    {
      kind: 'table',
      caption: 'Signataires, qualité, mesure de protection et mode d’identification',
      header: ['Signataire', 'Qualité', 'Mesure de protection', 'Identification', 'Date', 'Adresse IP et navigateur'],
      rowHeaders: true,
      rows: e.signers.map((s) => [
        t(s.name),
        t(`${s.capacity} (${s.legalBasis})`),
        t(
          s.measure
            ? `${MEASURE_FR[String(s.measure.type)] ?? String(s.measure.type)} (${MODE_FR[String(s.measure.mode)] ?? String(s.measure.mode)}), jugement ${String(s.measure.judgmentReference)} du ${formatDateLong(String(s.measure.judgmentDate))}, ${String(s.measure.court)}${s.measure.authorisationReference ? `, autorisation du juge ${String(s.measure.authorisationReference)}` : ''}`
            : 'aucune',
        ),
        t(s.authentication ? (AUTH_FR[s.authentication] ?? s.authentication) : s.status === 'pending' ? 'n’a pas signé (signature facultative)' : s.status),
        t(s.at ? dateTime(s.at) : '—'),
        t(s.ip ? `${s.ip} — ${s.userAgent ?? ''}` : '—'),
      ]),
    },
  ];
  const how = e.signers.map((s) => [s, signedHowOf(s)] as const).filter(([, h]) => h !== null);
  if (how.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Comment chaque personne a signé') });
    blocks.push({
      kind: 'list',
      ordered: false,
      items: how.map(([s, h]) => [{ text: `${s.name} : `, strong: true }, { text: signedHowText(h!, s.drawnSignature) }]),
    });
  }
  const witnesses = e.signers.filter((s) => s.witness);
  if (witnesses.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Signatures en présence : déclaration du témoin') });
    for (const s of witnesses) {
      const w = s.witness!;
      blocks.push({
        kind: 'paragraph',
        text: [
          { text: `${s.name} : `, strong: true },
          { text: `document expliqué ainsi : ${w.explainedHow ?? '—'}. Personnes présentes : ${(w.present ?? []).join(', ') || '—'}. Déclaration faite par ${w.recordedBy ?? '—'}.` },
        ],
      });
    }
  }
  if (e.views.length) {
    blocks.push({ kind: 'heading', level: 3, text: t('Avis de la personne') });
    blocks.push({
      kind: 'list',
      ordered: false,
      items: e.views.map((v) => [{ text: `${v.person} : `, strong: true }, { text: `${VIEW_EXPRESSION_LABELS[v.expression] ?? v.expression}${v.comment ? ` — « ${v.comment} »` : ''} (${dateTime(v.at)})` }]),
    });
  }
  blocks.push({ kind: 'heading', level: 3, text: t('Chronologie') });
  blocks.push({
    kind: 'table',
    caption: 'Événements de la demande de signature, dans l’ordre',
    header: ['Date et heure', 'Événement', 'Personne', 'Adresse IP'],
    rowHeaders: false,
    rows: e.events.map((ev) => [t(dateTime(ev.at)), t(KIND_FR[ev.kind] ?? ev.kind), t(e.signers.find((s) => s.id === ev.signerId)?.name ?? (ev.signerId ? '—' : 'établissement')), t(ev.ip ?? '—')]),
  });
  blocks.push({ kind: 'heading', level: 3, text: t('Autres formats remis') });
  blocks.push({
    kind: 'list',
    ordered: false,
    items: e.companions.map((c) => t(`${c.format.toUpperCase()} ${c.variant} : SHA-256 ${c.sha256}`)),
  });
  return blocks;
}

/** The signed document: the version's tree with filled signature blocks, then the evidence pages. */
export function sealedTree(tree: DocumentTree, signers: SignerEntity[], evidence: Evidence): DocumentTree {
  const blocks = tree.blocks.map((block) => {
    if (block.kind !== 'signatures') return block;
    return {
      ...block,
      slots: block.slots.map((slot) => {
        const s = signers.find((x) => `${x.firstName} ${x.lastName}` === slot.name && x.status === 'signed') ?? signers.find((x) => x.capacity === slot.capacity && x.status === 'signed');
        if (!s) return slot;
        const es = evidence.signers.find((x) => x.id === s.id);
        const how = es ? signedHowOf(es) : null;
        const method =
          how?.method === 'staff_session'
            ? `signature électronique, ${signedHowText(how)}`
            : `signature électronique, ${AUTH_FR[s.authMethod ?? ''] ?? s.authMethod ?? ''}${how ? ` ; ${signedHowText(how, es!.drawnSignature)}` : ''}`;
        return { ...slot, signedOn: dateTime(s.actedAt!.toISOString()), method };
      }),
    };
  });
  return { ...tree, blocks: [...blocks, ...evidenceBlocks(evidence)] };
}
