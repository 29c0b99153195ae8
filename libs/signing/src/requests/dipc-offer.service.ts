import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, calendarDayIn } from '@carepact/common';
import { TransactionRunner } from '@carepact/database';
import { DocumentsRepository, DocumentsService, assertDocumentArchiveOpen } from '@carepact/documents';
import { StaffActor } from '@carepact/identity';
import { RequestAccess } from './request-access';
import { assistsThePerson } from '../policy/assistance-refusal';
import { SigningRepository } from './signing.repository';

export interface DipcOffer {
  residentId: string;
  type: 'dipc';
  data: Record<string, unknown>;
}

/** The contract's input snapshot, as far as the DIPC takes it over (templates' input shape). */
type ContractInput = {
  document: Record<string, unknown>;
  resident: { admissionDate: string };
};

/**
 * Fields of the contract's data that the DIPC template takes with the same meaning and shape
 * (1.2.0: with the easy-to-read wordings of the free texts, `<name>Falc`).
 */
const DIPC_FIELDS_FROM_CONTRACT = ['objectives', 'objectivesFalc', 'services', 'servicesFalc', 'participation', 'residenceChoice', 'financialContribution', 'pricing', 'annexesHandedOverOn'] as const;

/**
 * After a refused contrat de séjour, the law requires a DIPC (CASF D.311): its data pre-filled
 * from the contract (objectives, services, participants) and the refusal (who, when, why).
 */
@Injectable()
export class DipcOfferService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: SigningRepository,
    private readonly access: RequestAccess,
    private readonly documentsRepo: DocumentsRepository,
    private readonly documents: DocumentsService,
  ) {}

  async offer(actor: StaffActor, requestId: string): Promise<DipcOffer> {
    const em = this.tx.manager;
    // The offer carries the contract's content (objectives, pricing with the GIR, the refusal's
    // reason): for whom may write the DIPC, as the console offers it (not the auditor, who reads
    // metadata and evidence only).
    const r = await this.access.request(em, actor, requestId, 'document.write');
    // Past the active base, the contract's content (and the refusal's reason) is read only by whoever
    // opened the person's archive (intermediate-archive.ts; RGPD art. 5.1.e, CNIL délib. 2021-028):
    // 403 ARCHIVE_INTERMEDIATE_RESTRICTED before anything of the version is read.
    await assertDocumentArchiveOpen(em, actor, r.documentId);
    if (r.status !== 'refused' || r.policy.documentType !== 'contrat-sejour')
      throw new ConflictError('NO_DIPC_OFFER', 'Le DIPC de remplacement ne concerne qu’un contrat de séjour refusé.');
    const doc = await this.documentsRepo.findById(em, r.documentId);
    const version = await this.documentsRepo.versionInput(em, r.versionId);
    if (!doc || !version) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'Document introuvable.');
    const input = version.input as ContractInput;
    const refuser = (await this.repo.signersOf(em, r.id)).find((s) => s.status === 'refused');
    if (refuser && assistsThePerson(r.policy, refuser.key))
      throw new ConflictError(
        'NO_DIPC_OFFER',
        refuser.role === 'habilite'
          ? // C. civ. 494-1 al. 1, 494-10: a personne habilitée's refusal to assist is a difficulty the judge settles.
            'La personne habilitée a refusé son assistance : ce n’est pas un refus du contrat par la personne (CASF D.311). Elle peut saisir le juge, qui statue sur cette difficulté (C. civ. 494-1 al. 1, 494-10) ; le contrat reste prêt à être envoyé de nouveau en signature.'
          : 'Le curateur a refusé son assistance : ce n’est pas un refus du contrat par la personne (CASF D.311). Elle peut demander au juge l’autorisation de signer seule (C. civ. 469) ; le contrat reste prêt à être envoyé de nouveau en signature.',
      );
    const contract = input.document;
    // What the contract already established carries over as is (same shapes in both templates):
    // who took part, the person's agreement to live here, what she pays, when the livret d'accueil,
    // charte and règlement were handed over (CASF L.311-4). Nothing is invented for the DIPC.
    const carried: Record<string, unknown> = {};
    for (const key of DIPC_FIELDS_FROM_CONTRACT) if (contract[key] !== undefined) carried[key] = contract[key];
    const data: Record<string, unknown> = {
      reason: 'refus de signer le contrat de séjour',
      reasonFalc: 'Le contrat de séjour n’a pas été signé.',
      startDate: input.resident.admissionDate,
      ...carried,
      contractRefused: {
        refusedOn: calendarDayIn(refuser?.actedAt ?? r.closedAt ?? new Date()),
        refusedBy: refuser ? `${refuser.firstName} ${refuser.lastName}, ${refuser.capacity}` : 'la personne ou son représentant',
        ...(refuser?.refusalReason ? { reasonGiven: refuser.refusalReason } : {}),
      },
    };
    return { residentId: doc.residentId, type: 'dipc', data };
  }

  async createFromRefusal(actor: StaffActor, requestId: string): Promise<{ id: string; versionId: string; status: string }> {
    return this.documents.create(actor, await this.offer(actor, requestId));
  }
}
