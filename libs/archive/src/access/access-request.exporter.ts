import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditService } from '@carepact/audit';
import { NotFoundError, canonicalJson, formatDateFr } from '@carepact/common';
import { APP_CONFIG, AppConfig } from '@carepact/config';
import { TransactionRunner } from '@carepact/database';
import { BlobStore, VersionAnnex, archivedResidents } from '@carepact/documents';
import { PadesSealer } from '@carepact/signing';
import { EntityManager } from 'typeorm';
import { signManifest } from '../archive-exporter.service';
import { StreamingZip } from '../zip-writer';
import { AnnexPackager, soleSignatureRecords } from '../annex-package';
import { sealedEditionFiles } from '../sealed-editions';
import { ACCESS_REQUEST_FROM_LABELS, AccessRequestStatement, HEIR_PURPOSE_LABELS, STANDING_PROOF_LABELS, isCspAccessRequest, monthsAfter } from './access-request-statement';
import { AccessItemKey, notBeforeText } from './access-answer';
import { personFileHtml } from './person-file';

/**
 * Loi n° 78-17 art. 85 II, both its cases: « En l'absence de directives ou de mention contraire dans
 * lesdites directives, les héritiers … peuvent exercer … les droits … dans la mesure nécessaire : 1° A
 * l'organisation et au règlement de la succession du défunt … Ils peuvent aussi recevoir communication
 * des biens numériques ou des données s'apparentant à des souvenirs de famille, transmissibles aux
 * héritiers ; 2° A la prise en compte, par les responsables de traitement, de son décès » (clôture des
 * comptes, opposition à la poursuite des traitements, mise à jour). The LISEZMOI and the answer page say it so.
 */
export const LOI_85_II =
  'en l’absence de directives ou de mention contraire dans ces directives, ses héritiers peuvent exercer ces droits dans la mesure nécessaire, d’une part, à l’organisation et au règlement de sa succession — ils peuvent alors obtenir communication des informations utiles à la liquidation et au partage de la succession, ainsi que des biens numériques ou des données s’apparentant à des souvenirs de famille, transmissibles aux héritiers (article 85, II, 1°) — et, d’autre part, à la prise en compte de son décès par l’établissement — ils peuvent alors faire clôturer ses comptes, s’opposer à la poursuite des traitements de ses données ou les faire mettre à jour (article 85, II, 2°)'

export interface AccessProgress {
  phase: 'dossier' | 'documents' | 'journal' | 'done';
  done: number;
  total: number;
}

export interface AccessExportResult {
  file: string;
  organisationId: string;
  documents: number;
  files: number;
  /** Documents handed over with the contracts (documents-remis/), each once. */
  annexes: number;
  events: number;
  /** SHA-256 of manifeste.json (the SHA-256 of every other file): what the audit event records. */
  manifestSha256: string;
}

/** Secrets and internal keys never handed out, even to the person (hashes of tokens and codes). */
const SIGNER_SECRETS = ['access_code_hash', 'access_code_expires_at', 'access_code_failures'];

const README_CONTENT = `Ce paquet contient toutes les données que l’établissement conserve dans CarePact sur la personne :
- personne.html : le dossier, à lire dans un navigateur (identité, séjour, préférences de lecture,
  personne de confiance, contacts, mesures de protection et qui les exerce, fin de l’accompagnement) ;
- personne.json : le même dossier au format informatique, tel qu’il est enregistré (noms de champs
  techniques), pour le réutiliser ailleurs (portabilité, article 20 du RGPD) ;
- documents/<id>/document.json : chaque document, ses versions avec les données saisies et les
  documents remis avec elles, ses demandes de signature (signataires, qualité, dates, événements,
  avis recueillis, questions) et les autorisations du juge de signer seule (C. civ. 469 ; 494-1 et 494-10 en habilitation familiale) ;
- documents/<id>/v<n>/… : les rendus de chaque version (PDF, DOCX, HTML ; standard, facile à lire
  et à comprendre, gros caractères) ;
- documents/<id>/signatures/<demande>/ : le PDF scellé et son dossier de preuve
  (document-scelle.pdf, preuve.json), et le scan original d’une signature sur papier ; un DIPC
  est scellé dès la signature du directeur (exemplaire 1, celui qui est remis à la personne) puis
  de nouveau à chaque contresignature (document-scelle-exemplaire-2.pdf,
  preuve-exemplaire-2.json, …) : tous les exemplaires sont conservés et listés dans
  document.json (exemplairesScelles) ;
- documents-remis/<empreinte>.pdf : les documents remis avec le contrat (livret d’accueil,
  règlement de fonctionnement, charte…), chacun une fois, nommé par son empreinte SHA-256 ;
  manifeste.json dit avec quelle version de quel document chacun a été remis ;
- journal/evenements.jsonl : les événements du journal d’audit qui concernent la personne, ses
  contacts, ses mesures et ses documents ;
- manifeste.json : l’empreinte SHA-256 de chaque fichier, et manifeste.json.p7s sa signature par
  le certificat de cachet de l’établissement (CMS), qui atteste ce qui a été remis.
Les empreintes de jetons et de codes d’accès ne sont pas communiquées (sécurité des liens de
signature).
`;

/** « 3 décembre 2026 » (the README is plain text, read by the person: no ISO date). */
const dayFr = (day: string) => formatDateFr(day);

/**
 * LISEZMOI.txt: which request this zip answers, then what it holds. It goes to whoever asked (the
 * person, her representative, or after her death an ayant droit or a deceased minor's parent), so it
 * quotes her own request as staff recorded it (its text is hers; the audit chain keeps only its
 * SHA-256), with who asked, the day it was received, the answer's due date(s) and the legal basis:
 * RGPD art. 15 (answer within a month, art. 12(3)), or after the death CSP L.1110-4 V and L.1111-7
 * (eight days, two months for information more than five years old; not before 48 hours), with the
 * stated purpose for an ayant droit, the parents' whole right and the minor's secret (L.1111-5,
 * L.1111-5-1) for a minor, and the basis of the non-health rest (loi Informatique et Libertés
 * art. 85). `selected`: the labels of the items staff kept (access-answer.ts) — the zip holds those
 * only; null: the unsorted working copy, which says it is not to be handed to an ayant droit.
 * Without a recorded request (a person still in the active base, where it is optional; or a
 * statement redacted at purge): art. 15 alone.
 */
export function accessRequestReadme(request: AccessRequestStatement | null, selected: string[] | null = null): string {
  if (!request) return `Demande d’accès — article 15 du RGPD\n\n${README_CONTENT}`;
  const csp = isCspAccessRequest(request);
  const heir = csp ? request.heir : undefined;
  const parent = request.from === 'parental_authority';
  const who = ACCESS_REQUEST_FROM_LABELS[request.from];
  const lower = (t: string) => `${t.charAt(0).toLowerCase()}${t.slice(1)}`;
  const lines = [
    parent
      ? 'Demande d’accès des titulaires de l’autorité parentale d’un mineur décédé — articles L.1110-4 V et L.1111-7 du Code de la santé publique'
      : csp
        ? 'Demande d’accès d’un ayant droit — articles L.1110-4 V et L.1111-7 du Code de la santé publique'
        : 'Demande d’accès — article 15 du RGPD',
    '',
    'La demande à laquelle ce paquet répond :',
    `- demandée par : ${lower(who)} ;`,
    `- reçue le ${dayFr(request.receivedOn)} ;`,
  ];
  if (csp && heir) {
    lines.push(
      parent
        ? `- décès de la personne le ${dayFr(heir.deceasedOn)}, alors qu’elle était mineure (d’après sa date de naissance) ;`
        : `- décès de la personne le ${dayFr(heir.deceasedOn)} ; aucune opposition de sa part à la communication de ses informations après son décès n’est enregistrée ;`,
    );
    if (heir.standingProof)
      lines.push(`- qualité du demandeur établie par : ${lower(STANDING_PROOF_LABELS[heir.standingProof.type])}, référence « ${heir.standingProof.reference} », du ${dayFr(heir.standingProof.issuedOn)} ;`);
    if (heir.purpose) lines.push(`- motif indiqué : ${lower(HEIR_PURPOSE_LABELS[heir.purpose])} ;`);
    if (heir.requesterName) lines.push(`- demandeur : ${heir.requesterName} ;`);
    if (heir.communication === 'physician') lines.push(`- communication demandée par l’intermédiaire d’un médecin : ${heir.physician ?? ''} (article L.1111-7) ;`);
    lines.push(
      request.answerDueOlderInformation
        ? `- réponse due au plus tard le ${dayFr(request.answerDue)} (huit jours), et le ${dayFr(request.answerDueOlderInformation)} pour les informations de plus de cinq ans (deux mois) ;`
        : request.answerDue === monthsAfter(request.receivedOn, 2)
          ? `- réponse due au plus tard le ${dayFr(request.answerDue)} (deux mois : les informations datent de plus de cinq ans) ;`
          : `- réponse due au plus tard le ${dayFr(request.answerDue)} (huit jours) ;`,
    );
    // L.1111-7 al. 2: « au plus tôt après qu'un délai de quarante-huit heures aura été observé ».
    if (request.notBefore) lines.push(`- communication ${notBeforeText(request.notBefore)} (quarante-huit heures après la demande, article L.1111-7) ;`);
    lines.push(
      parent
        ? '- fondement : Code de la santé publique, article L.1110-4 V, deuxième phrase (les titulaires de l’autorité parentale d’un mineur décédé conservent leur droit d’accès à la totalité des informations médicales le concernant, sans motif à indiquer, à l’exception des éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention de leur consentement, articles L.1111-5 et L.1111-5-1) et article L.1111-7 (délais de communication) ;'
        : '- fondement : Code de la santé publique, article L.1110-4 V (communication aux ayants droit, au concubin ou au partenaire de PACS d’une personne décédée, dans la mesure nécessaire au motif indiqué) et article L.1111-7 (délais de communication) ;',
      // Loi n° 78-17 art. 85 I (directives) and II, 1° and 2° as the law words them (the sector lawyer's review of session 20: LOI_85_II).
      `- les autres données du dossier, qui ne sont pas des informations de santé, relèvent de l’article 85 de la loi Informatique et Libertés : après le décès, l’établissement respecte les directives que la personne a pu donner sur la conservation, l’effacement et la communication de ses données ; ${LOI_85_II} ;`,
    );
    if (selected)
      lines.push(
        parent
          ? '- ce paquet ne contient que les éléments que l’établissement transmet (les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention du consentement de ses parents en sont retirés, articles L.1111-5 et L.1111-5-1) :'
          : '- ce paquet ne contient que les éléments que l’établissement a retenus comme nécessaires au motif indiqué (article L.1110-4 V) :',
        ...selected.map((l) => `  - ${l} ;`),
      );
    else
      lines.push(
        parent
          ? '- POUR L’ÉTABLISSEMENT, AVANT TOUT ENVOI : ce paquet contient tout ce que l’établissement conserve sur la personne ; retirez-en les éléments relatifs aux décisions médicales pour lesquelles le mineur s’est opposé à l’obtention du consentement de ses parents (articles L.1110-4 V, L.1111-5 et L.1111-5-1), en enregistrant dans CarePact les éléments transmis (un nouveau paquet ne contenant qu’eux est alors préparé) ;'
          : '- POUR L’ÉTABLISSEMENT, À NE PAS REMETTRE AU DEMANDEUR : ce paquet de travail contient tout ce que l’établissement conserve sur la personne, sans tri. Seules les informations nécessaires au motif indiqué peuvent être communiquées (article L.1110-4 V) : enregistrez dans CarePact (Archives et demandes d’accès) les éléments retenus et la justification de ce tri ; un nouveau paquet ne contenant qu’eux est alors préparé, c’est lui qui est transmis ;',
      );
  } else if (request.answerDueOtherData) {
    // A living person's request about her health information (isHealthAccessRequest): CSP L.1111-7 al. 2 for it, RGPD art. 12(3) for the rest.
    lines.push(
      request.answerDueOlderInformation
        ? `- informations de santé : communication au plus tard le ${dayFr(request.answerDue)} (huit jours), et le ${dayFr(request.answerDueOlderInformation)} pour celles de plus de cinq ans (deux mois), article L.1111-7 du Code de la santé publique ;`
        : request.answerDue === monthsAfter(request.receivedOn, 2)
          ? `- informations de santé : communication au plus tard le ${dayFr(request.answerDue)} (deux mois : elles datent de plus de cinq ans), article L.1111-7 du Code de la santé publique ;`
          : `- informations de santé : communication au plus tard le ${dayFr(request.answerDue)} (huit jours), article L.1111-7 du Code de la santé publique ;`,
      ...(request.notBefore ? [`- informations de santé : communication ${notBeforeText(request.notBefore)} (quarante-huit heures après la demande, article L.1111-7) ;`] : []),
      `- autres données : réponse due au plus tard le ${dayFr(request.answerDueOtherData)} (un mois après sa réception, RGPD article 12.3 ; ce délai peut être prolongé de deux mois, la personne étant informée du motif) ;`,
      '- fondement : droit d’accès de la personne concernée, article 15 du RGPD, et, pour ses informations de santé, article L.1111-7 du Code de la santé publique ;',
      ...livingMinorReadmeLines(request),
    );
  } else {
    lines.push(
      `- réponse due au plus tard le ${dayFr(request.answerDue)} (un mois après sa réception, RGPD article 12.3 ; ce délai peut être prolongé de deux mois, la personne étant informée du motif) ;`,
      '- fondement : droit d’accès de la personne concernée, article 15 du RGPD ;',
    );
  }
  const content = selected ? README_CONTENT.replace(/^Ce paquet contient toutes les données que l’établissement conserve dans CarePact sur la personne :/, 'Ce que contient chaque fichier (seuls ceux des éléments retenus figurent dans ce paquet) :') : README_CONTENT;
  lines.push(`- la demande, telle que l’établissement l’a enregistrée : « ${request.statement} ».`, '', content);
  return lines.join('\n');
}

/**
 * A living minor's health information asked for by her parents (CSP L.1111-7, alinéa relatif aux
 * mineurs; L.1111-5, L.1111-5-1; R.1111-6): who exercises the right; whether an opposition of hers to
 * their being told of some care is written down in her file — then the professional who receives the
 * request seeks her consent, and if she maintains it that information is not communicated while she
 * does, that professional sorting (the sector lawyer's review: not « retirez-les de ce paquet »); and
 * whether their access goes through a physician at her request — then the information is sent to the
 * physician the parents designate, named, or consulted on the spot in his presence (R.1111-6 last
 * alinéa), not handed to the parents.
 */
export function livingMinorReadmeLines(request: AccessRequestStatement): string[] {
  const minor = request.minor;
  if (!minor?.opposition) return [];
  return [
    '- la personne est mineure : le droit d’accès à ses informations de santé est exercé par le ou les titulaires de l’autorité parentale (article L.1111-7 du Code de la santé publique, alinéa relatif aux mineurs) ;',
    minor.opposition === 'recorded'
      ? '- une opposition du mineur à ce que les titulaires de l’autorité parentale soient informés de certains soins figure au dossier (articles L.1111-5 et L.1111-5-1 ; mention écrite du médecin, de la sage-femme ou de l’infirmier) : le professionnel saisi s’efforce d’obtenir son consentement ; s’il maintient son opposition, ces informations ne sont pas communiquées tant qu’elle est maintenue (article R.1111-6 du Code de la santé publique) ; le tri est fait par ce professionnel, avant tout envoi ;'
      : '- le mineur ne s’est pas opposé à ce que les titulaires de l’autorité parentale soient informés des soins qu’il a reçus (articles L.1111-5 et L.1111-5-1) ;',
    // R.1111-6 last alinéa: at the parents' choice, « adressées au médecin qu'il a désigné ou consultées sur place en présence de ce médecin ».
    minor.throughPhysician
      ? `- à la demande du mineur, les informations sont adressées au médecin désigné par les titulaires de l’autorité parentale${minor.physician ? `, ${minor.physician},` : ''} ou consultées sur place en sa présence (articles L.1111-7 et R.1111-6 du Code de la santé publique) ; elles ne sont pas remises aux parents ;`
      : '- le mineur n’a pas demandé que cet accès ait lieu par l’intermédiaire d’un médecin (article L.1111-7) ;',
  ];
}

/**
 * A resident's access request (RGPD art. 15; CASF L.311-3 5°, access to the information about
 * them): one zip of everything held about them, streamed to `out`. Audited (`rgpd.access_exported`)
 * with the SHA-256 of its manifest.
 */
@Injectable()
export class AccessRequestExporter {
  private readonly sealer: PadesSealer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
  ) {
    this.sealer = new PadesSealer(config);
  }

  /** `ground`: why the content goes out — her own request (RGPD art. 15), or, once she has died, an ayant droit's (CSP L.1110-4 V, L.1111-7; DataJobsService.requestAccess). */
  async export(
    organisationId: string,
    residentId: string,
    out: string,
    actor: AuditActor,
    onProgress: (p: AccessProgress) => void = () => undefined,
    ground: 'RGPD art. 15' | 'CSP L.1110-4 V, L.1111-7' = 'RGPD art. 15',
    /** The request this zip answers, as staff recorded it (null: none recorded, or redacted): LISEZMOI.txt names it. */
    request: AccessRequestStatement | null = null,
    /** The items staff kept (access-answer.ts) with their labels: the zip holds those only. Null: everything. */
    selection: { items: AccessItemKey[]; labels: Map<string, string> } | null = null,
  ): Promise<AccessExportResult> {
    const em = this.tx.manager;
    const [resident] = (await em.query(`SELECT * FROM residents WHERE id = $1 AND organisation_id = $2`, [residentId, organisationId])) as Record<string, unknown>[];
    if (!resident) throw new NotFoundError('RESIDENT_NOT_FOUND', 'Personne introuvable.');
    // Past the active base her documents are in the intermediate archive, read by no one without a
    // reason (intermediate-archive.ts); her own access request includes them without one: it is her
    // right (RGPD art. 15), the specific need the intermediate archive is kept for (CNIL délib.
    // n° 2023-095). The `rgpd.access_exported` event says so: the archive's content went out, and why.
    const archivedSince = (await archivedResidents(em, organisationId, [residentId])).get(residentId) ?? null;
    const q = (sql: string, params: unknown[]) => em.query(sql, params) as Promise<Record<string, unknown>[]>;
    // A selection (CSP L.1110-4 V: only what the purpose needs): the file, the documents and the journal kept, nothing else.
    const kept = selection ? new Set<string>(selection.items) : null;
    const withDossier = !kept || kept.has('dossier');
    const ids = new Set<string>(withDossier ? [residentId] : []);
    const contacts = await q(`SELECT * FROM contacts WHERE resident_id = $1 ORDER BY created_at, id`, [residentId]);
    const measures = await q(`SELECT * FROM protection_measures WHERE resident_id = $1 ORDER BY created_at, id`, [residentId]);
    const holders = await q(`SELECT h.* FROM measure_holders h JOIN protection_measures m ON m.id = h.measure_id WHERE m.resident_id = $1 ORDER BY h.id`, [residentId]);
    const holds = await q(`SELECT id, subject_type, subject_id, reason, placed_at, lifted_at, lift_reason FROM legal_holds WHERE subject_id = $1 ORDER BY placed_at`, [residentId]);
    if (withDossier) for (const r of [...contacts, ...measures]) ids.add(r.id as string);
    const documents = (await q(`SELECT * FROM documents WHERE resident_id = $1 ORDER BY created_at, id`, [residentId])).filter((d) => !kept || kept.has(`document:${d.id as string}`));

    const zip = new StreamingZip(out);
    try {
      const selectedLabels = selection ? selection.items.map((k) => selection.labels.get(k) ?? k) : null;
      await zip.add('LISEZMOI.txt', Buffer.from(accessRequestReadme(request, selectedLabels), 'utf8'));
      if (withDossier) {
        // Her file in French, readable (RGPD art. 12.1, 15.3), and the same as stored, for reuse (art. 20).
        const [est] = await q(`SELECT name FROM establishments WHERE id = $1`, [resident.establishment_id]);
        await zip.add('personne.html', Buffer.from(personFileHtml({ personne: resident, establishmentName: (est?.name as string | undefined) ?? null, contacts, measures, holders, holds }), 'utf8'));
        await zip.add('personne.json', json({ personne: resident, contacts, mesuresDeProtection: measures, titulairesDesMesures: holders, gels: holds }));
      }
      onProgress({ phase: 'dossier', done: 1, total: 1 });
      const annexes = new AnnexPackager(zip, this.blobs, 'documents-remis');
      let done = 0;
      for (const doc of documents) {
        await this.addDocument(em, zip, doc, ids, annexes);
        onProgress({ phase: 'documents', done: ++done, total: documents.length });
      }
      let events = 0;
      const list = [...ids];
      async function* lines(): AsyncGenerator<string> {
        for (let after = 0; ; ) {
          const batch = (await em.query(
            `SELECT seq, action, actor_type, actor_id, subject_type, subject_id, payload, occurred_at, hash FROM audit_events
              WHERE chain_id = $1 AND subject_id = ANY ($2) AND seq > $3 ORDER BY seq LIMIT 2000`,
            [organisationId, list, after],
          )) as { seq: string; occurred_at: Date }[];
          if (!batch.length) return;
          after = Number(batch[batch.length - 1].seq);
          events += batch.length;
          onProgress({ phase: 'journal', done: events, total: events });
          yield batch.map((e) => JSON.stringify({ ...e, seq: Number(e.seq), occurred_at: e.occurred_at.toISOString() }) + '\n').join('');
        }
      }
      if (!kept || kept.has('journal')) await zip.add('journal/evenements.jsonl', lines());
      const manifest = Buffer.from(JSON.stringify({ format: 'carepact.acces-rgpd.v1', residentId, organisationId, createdAt: new Date().toISOString(), files: zip.files, annexes: annexes.entries }, null, 1) + '\n', 'utf8');
      const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
      await zip.add('manifeste.json', manifest, { listed: false });
      // Signed by the establishment's seal (CMS, as archive packages): the person can show what was handed over.
      await zip.add('manifeste.json.p7s', signManifest(manifest, await this.sealer.sealIdentity()), { listed: false });
      await zip.end();
      const result = { file: out, organisationId, documents: documents.length, files: zip.files.length, annexes: annexes.files, events, manifestSha256 };
      await this.audit.appendAlone(this.tx.manager, {
        chainId: organisationId,
        actor,
        action: 'rgpd.access_exported',
        subject: { type: 'resident', id: residentId },
        payload: {
          manifestSha256,
          documents: result.documents,
          files: result.files,
          annexes: result.annexes,
          events,
          // The chain's payloads are flat: the archive's day, and on what ground its content went out.
          intermediateArchiveSince: archivedSince ?? null,
          archiveContentIncludedFor: archivedSince ? ground : null,
          // Only the items staff kept for the request (CSP L.1110-4 V; DataJobsService.recordSelection): how many.
          ...(selection ? { selectedItems: selection.items.length } : {}),
        },
      });
      onProgress({ phase: 'done', done: 1, total: 1 });
      return result;
    } catch (e) {
      await zip.end().catch(() => undefined);
      throw e;
    }
  }

  private async addDocument(em: EntityManager, zip: StreamingZip, doc: Record<string, unknown>, ids: Set<string>, annexes: AnnexPackager): Promise<void> {
    const id = doc.id as string;
    ids.add(id);
    const dir = `documents/${id}`;
    const versions = (await em.query(`SELECT * FROM document_versions WHERE document_id = $1 ORDER BY number`, [id])) as Record<string, unknown>[];
    const renditions = (await em.query(`SELECT r.* FROM renditions r JOIN document_versions v ON v.id = r.version_id WHERE v.document_id = $1 ORDER BY r.variant, r.format`, [id])) as Record<string, unknown>[];
    const requests = (await em.query(`SELECT * FROM signature_requests WHERE document_id = $1 ORDER BY created_at`, [id])) as Record<string, unknown>[];
    const perRequest = [];
    for (const r of requests) {
      const rid = r.id as string;
      ids.add(rid);
      const signers = ((await em.query(`SELECT * FROM signature_signers WHERE request_id = $1 ORDER BY order_no, key`, [rid])) as Record<string, unknown>[]).map((s) => {
        ids.add(s.id as string);
        return Object.fromEntries(Object.entries(s).filter(([k]) => !SIGNER_SECRETS.includes(k)));
      });
      // Every sealed edition, the first first: a DIPC's edition 1 is the one handed over to the person (CASF D.311 II–III).
      const sealed = (await em.query(`SELECT * FROM sealed_documents WHERE request_id = $1 ORDER BY edition`, [rid])) as Record<string, unknown>[];
      const paper = ((await em.query(`SELECT * FROM paper_signatures WHERE request_id = $1`, [rid])) as Record<string, unknown>[])[0];
      perRequest.push({
        ...r,
        signataires: signers,
        evenements: await em.query(`SELECT kind, at, signer_id, details FROM signature_events WHERE request_id = $1 ORDER BY at, id`, [rid]),
        avisRecueillis: await em.query(`SELECT * FROM recorded_views WHERE request_id = $1 ORDER BY recorded_at`, [rid]),
        questions: await em.query(`SELECT * FROM signer_questions WHERE request_id = $1 ORDER BY asked_at`, [rid]),
        signaturePapier: paper ?? null,
        exemplairesScelles: sealed.map((s) => {
          const files = sealedEditionFiles(s.edition as number);
          return {
            exemplaire: s.edition,
            scelleLe: s.sealed_at,
            fichier: `signatures/${rid}/${files.pdf}`,
            preuve: `signatures/${rid}/${files.evidence}`,
            empreinteSha256: s.blob_sha256,
            empreintePreuveSha256: s.evidence_sha256,
          };
        }),
      });
      for (const s of sealed) {
        const files = sealedEditionFiles(s.edition as number);
        await zip.add(`${dir}/signatures/${rid}/${files.pdf}`, await this.blob(em, s.blob_sha256 as string));
        await zip.add(`${dir}/signatures/${rid}/${files.evidence}`, Buffer.from(canonicalJson(s.evidence), 'utf8'));
      }
      if (paper) await zip.add(`${dir}/signatures/${rid}/scan-original.pdf`, await this.blob(em, paper.original_sha256 as string));
    }
    for (const v of versions) ids.add(v.id as string);
    await zip.add(`${dir}/document.json`, json({ document: doc, versions, demandesDeSignature: perRequest, autorisationsDuJuge: await soleSignatureRecords(em, id) }));
    for (const v of versions) {
      for (const r of renditions.filter((x) => x.version_id === v.id)) {
        await zip.add(`${dir}/v${v.number as number}/${r.variant as string}.${r.format as string}`, await this.blob(em, r.blob_sha256 as string));
      }
      await annexes.addVersion(em, id, { id: v.id as string, number: v.number as number, annexes: (v.annexes as VersionAnnex[] | null) ?? null });
    }
  }

  private async blob(em: EntityManager, sha: string): Promise<Buffer> {
    const bytes = await this.blobs.get(em, sha);
    if (!bytes) throw new Error(`blob ${sha} missing`);
    return bytes;
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 1) + '\n', 'utf8');
}
