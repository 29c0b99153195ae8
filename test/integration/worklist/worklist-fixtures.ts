import { INestApplication } from '@nestjs/common';
import { addMonthsIso, todayIso } from '@carepact/residents';
import { addDaysIso } from '@carepact/signing';
import { TEST_PASSWORD, curatelleResident, loginAgent } from '@carepact/testing';
import { DataSource } from 'typeorm';

/**
 * Residents in every situation the « À faire » worklist knows, dated from today (the worklist reads
 * the real clock): created through the API, their documents, requests and signers written in SQL
 * (the db tier has no worker to generate them). Each name says what it stands for.
 */
export interface WorklistFixture {
  today: string;
  residents: Record<string, string>;
  documents: Record<string, string>;
  requests: Record<string, string>;
  signers: Record<string, string>;
  measures: Record<string, string>;
  questions: Record<string, string>;
}

const days = (today: string, n: number) => addDaysIso(today, n);

export async function seedWorklist(app: INestApplication, admin: { email: string }, establishmentId: string, organisationId: string, opts: { tag?: string } = {}): Promise<WorklistFixture> {
  const today = todayIso();
  const agent = await loginAgent(app, admin.email, TEST_PASSWORD);
  const sql = (text: string, params: unknown[] = []) => app.get(DataSource).query(text, params) as Promise<Record<string, string>[]>;
  const f: WorklistFixture = { today, residents: {}, documents: {}, requests: {}, signers: {}, measures: {}, questions: {} };

  const resident = async (key: string, firstName: string, lastName: string, admissionDate: string, measure?: { endDate: string }) => {
    const base = curatelleResident(establishmentId);
    const body = {
      ...base,
      firstName,
      lastName: `${lastName}${opts.tag ?? ''}`,
      admissionDate,
      email: null,
      protectionMeasure: measure ? { ...base.protectionMeasure, judgmentDate: addMonthsIso(admissionDate, -12), endDate: measure.endDate } : null,
    };
    const res = await agent.post('/api/residents').send(body);
    if (res.status !== 201) throw new Error(`resident ${firstName}: ${res.status} ${JSON.stringify(res.body)}`);
    f.residents[key] = res.body.id;
    if (measure) f.measures[key] = res.body.protectionMeasures[0].id;
    return res.body.id as string;
  };
  const document = async (key: string, residentKey: string, type: string, status: string, opts: { createdAt?: string; nextReview?: string; errorCode?: string; versionStatus?: string; purpose?: string } = {}) => {
    const at = opts.createdAt ? `${opts.createdAt}T09:00:00Z` : new Date().toISOString();
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
      [organisationId, establishmentId, f.residents[residentKey], type, status, at],
    );
    const [version] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, error_code, created_at)
       VALUES ($1, $2, 1, 'Création', $3, $4, '1.1.0', 'h', 'r', $5, $6, $7, $8) RETURNING id`,
      [organisationId, doc.id, opts.versionStatus ?? (status === 'generation_failed' ? 'pending' : 'ready'), type, JSON.stringify({ document: { ...(opts.nextReview ? { nextReview: opts.nextReview } : {}), ...(opts.purpose ? { purpose: opts.purpose } : {}) } }), `hash-${key}`, opts.errorCode ?? null, at],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, version.id]);
    f.documents[key] = doc.id;
    return { documentId: doc.id as string, versionId: version.id as string };
  };
  const request = async (
    key: string,
    docKey: { documentId: string; versionId: string },
    status: string,
    signers: { key: string; role: string; firstName: string; lastName: string; order: number; status: string; actedAt?: string; delivery?: string; optional?: boolean }[],
    opts: { createdAt?: string; legalDeadline?: string; deadline?: string } = {},
  ) => {
    const [r] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, legal_deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', $5, 'parallel', $6, $7, '{3,7}', '{"signers":[],"views":[]}', $8) RETURNING id`,
      [organisationId, establishmentId, docKey.documentId, docKey.versionId, status, opts.deadline ?? `${days(today, 20)}T22:59:59Z`, opts.legalDeadline ?? null, opts.createdAt ?? new Date().toISOString()],
    );
    f.requests[key] = r.id;
    for (const s of signers) {
      const [row] = await sql(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'CASF D.311', $7, $8, $9, $10, $11) RETURNING id`,
        [r.id, s.key, s.role, s.firstName, s.lastName, s.role === 'director' ? 'pour l’établissement' : 'en son nom propre', s.order, s.optional ?? false, s.delivery ?? (s.role === 'director' ? 'staff' : 'email'), s.status, s.actedAt ?? null],
      );
      f.signers[`${key}.${s.key}`] = row.id;
    }
    return r.id as string;
  };
  const director = { key: 'director', role: 'director', firstName: 'Directrice', lastName: 'Test', order: 2 };
  const yesterday = `${days(today, -1)}T10:00:00Z`;

  await resident('noContractLate', 'Alice', 'Sanscontrat', days(today, -20));
  await resident('noContractNew', 'Bruno', 'Nouveau', days(today, -3));
  await resident('notHandedOver', 'Chantal', 'Nonremis', days(today, -20));
  await document('notHandedOver', 'notHandedOver', 'contrat-sejour', 'ready');

  await resident('awaiting', 'Denis', 'Attente', days(today, -10));
  const dAwaiting = await document('awaiting', 'awaiting', 'contrat-sejour', 'in_signature');
  await request('awaiting', dAwaiting, 'active', [{ key: 'resident', role: 'resident', firstName: 'Denis', lastName: 'Attente', order: 1, status: 'pending' }, { ...director, status: 'pending' }], {
    createdAt: `${days(today, -2)}T08:00:00Z`,
    legalDeadline: `${addMonthsIso(days(today, -10), 1)}T22:59:59Z`,
  });

  await resident('countersign', 'Émile', 'Contresigne', days(today, -12));
  const dCountersign = await document('countersign', 'countersign', 'contrat-sejour', 'in_signature');
  await request('countersign', dCountersign, 'active', [{ key: 'resident', role: 'resident', firstName: 'Émile', lastName: 'Contresigne', order: 1, status: 'signed', actedAt: yesterday }, { ...director, status: 'pending' }], {
    createdAt: `${days(today, -5)}T08:00:00Z`,
    legalDeadline: `${addMonthsIso(days(today, -12), 1)}T22:59:59Z`,
  });

  await resident('refused', 'Fanny', 'Refus', days(today, -30));
  const dRefused = await document('refused', 'refused', 'contrat-sejour', 'refused');
  await request('refused', dRefused, 'refused', [{ key: 'resident', role: 'resident', firstName: 'Fanny', lastName: 'Refus', order: 1, status: 'refused', actedAt: yesterday }, { ...director, status: 'pending' }]);

  await resident('question', 'Gaston', 'Question', days(today, -8));
  const dQuestion = await document('question', 'question', 'contrat-sejour', 'in_signature');
  await request('question', dQuestion, 'active', [{ key: 'resident', role: 'resident', firstName: 'Gaston', lastName: 'Question', order: 1, status: 'pending', delivery: 'in_person' }, { ...director, status: 'pending' }]);
  const [q] = await sql(`INSERT INTO signer_questions (request_id, signer_id, message, asked_at) VALUES ($1, $2, 'Puis-je garder mon chat ?', $3) RETURNING id`, [f.requests.question, f.signers['question.resident'], yesterday]);
  f.questions.question = q.id;

  // Measures: one ending in 30 days, one expired (written in SQL: the API refuses a past end date
  // on creation), one expired but renewed (a later measure on file).
  await resident('measureSoon', 'Hugo', 'Mesure', days(today, -400), { endDate: days(today, 30) });
  await resident('measureExpired', 'Inès', 'Échue', days(today, -400), { endDate: days(today, 200) });
  await sql(`UPDATE protection_measures SET end_date = $2 WHERE id = $1`, [f.measures.measureExpired, days(today, -10)]);
  await resident('measureRenewed', 'Jules', 'Renouvelé', days(today, -400), { endDate: days(today, 200) });
  await sql(`UPDATE protection_measures SET end_date = $2 WHERE id = $1`, [f.measures.measureRenewed, days(today, -10)]);
  await agent
    .post(`/api/residents/${f.residents.measureRenewed}/protection-measures`)
    .send({ ...curatelleResident(establishmentId).protectionMeasure, judgmentDate: days(today, -12), startDate: days(today, -9), endDate: days(today, 1500) })
    .expect(201);
  for (const k of ['measureSoon', 'measureExpired', 'measureRenewed']) {
    const d = await document(`${k}Contract`, k, 'contrat-sejour', 'signed', { createdAt: days(today, -390) });
    void d;
    await document(`${k}Avenant`, k, 'avenant', 'signed', { createdAt: days(today, -300) });
    await document(`${k}Projet`, k, 'projet-personnalise', 'signed', { createdAt: days(today, -30) });
  }

  // The first avenant: due in 10 days; and long overdue (with no projet personnalisé either).
  await resident('avenantSoon', 'Karine', 'Avenant', days(addMonthsIso(today, -6), 10));
  await document('avenantSoonContract', 'avenantSoon', 'contrat-sejour', 'signed', { createdAt: days(addMonthsIso(today, -6), 12) });
  await document('avenantSoonProjet', 'avenantSoon', 'projet-personnalise', 'ready', { createdAt: days(today, -5), nextReview: days(today, 300) });
  await resident('avenantLate', 'Louis', 'Avenantretard', addMonthsIso(today, -8));
  await document('avenantLateContract', 'avenantLate', 'contrat-sejour', 'signed', { createdAt: addMonthsIso(today, -8) });
  // A signed tariff avenant (CASF L.342-3) is not the first avenant of CASF D.311: it is still due.
  await document('avenantLateTariff', 'avenantLate', 'avenant', 'signed', { createdAt: days(today, -30), purpose: 'tarifs' });

  // Projets personnalisés: a year old; recent and reviewed in 300 days; recent but reviewed in 20 days.
  for (const [k, first, last, projetOn, nextReview] of [
    ['projetOld', 'Marie', 'Projet', days(today, -400), days(today, -35)],
    ['projetFine', 'Nina', 'Projetajour', days(today, -30), days(today, 300)],
    ['projetSoon', 'Olivier', 'Projetproche', days(today, -60), days(today, 20)],
  ] as const) {
    await resident(k, first, last, days(today, -800));
    await document(`${k}Contract`, k, 'contrat-sejour', 'signed', { createdAt: days(today, -790) });
    // Its yearly « réactualisation » (CASF D.311) done 100 days ago: nothing due for the avenant.
    await document(`${k}Avenant`, k, 'avenant', 'signed', { createdAt: days(today, -100) });
    await document(`${k}Projet`, k, 'projet-personnalise', 'signed', { createdAt: projetOn, nextReview: k === 'projetOld' ? undefined : nextReview });
  }

  // The annex on the freedom to come and go (CASF L.311-4-1 I): Hugo's re-evaluated in 12 days, Inès's 4 days late.
  await document('measureSoonLiberty', 'measureSoon', 'avenant', 'signed', { createdAt: days(today, -160), purpose: 'liberte-aller-venir', nextReview: days(today, 12) });
  await document('measureExpiredLiberty', 'measureExpired', 'avenant', 'signed', { createdAt: days(today, -180), purpose: 'liberte-aller-venir', nextReview: days(today, -4) });
  // Hugo's contract, established and sealed yesterday: he has no e-mail, it is to be handed to him in person (CASF D.311 III).
  const handedDoc = { documentId: f.documents.measureSoonContract, versionId: (await sql(`SELECT current_version_id FROM documents WHERE id = $1`, [f.documents.measureSoonContract]))[0].current_version_id };
  await request('handover', handedDoc, 'completed', [{ key: 'resident', role: 'resident', firstName: 'Hugo', lastName: 'Mesure', order: 1, status: 'signed', actedAt: yesterday, delivery: 'in_person' }, { ...director, status: 'signed', actedAt: yesterday }], {
    createdAt: `${days(today, -3)}T08:00:00Z`,
  });
  await sql(`INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at, edition) VALUES ($1, $2, 'b', '{}', 'e', 'CN=test', $3, 1)`, [
    f.requests.handover,
    handedDoc.versionId,
    yesterday,
  ]);

  await resident('failed', 'Paul', 'Échec', days(today, -2));
  await document('failed', 'failed', 'contrat-sejour', 'generation_failed', { errorCode: 'GENERATION_RETRIES_EXHAUSTED', versionStatus: 'pending' });
  return f;
}

/** A signer of a sealed request written by `insertSealedRequest`: signed two days ago, in person unless an e-mail is given. */
export interface SealedSigner {
  key: string;
  role: string;
  firstName: string;
  lastName: string;
  email?: string;
}

/**
 * A completed signature request on a document version, sealed yesterday (edition 1), with its
 * signers signed and the policy's views: what « À faire »'s handover section reads. Returns its id.
 */
export async function insertSealedRequest(
  ds: DataSource,
  at: { organisationId: string; establishmentId: string; today: string },
  doc: { documentId: string; versionId: string },
  signers: readonly SealedSigner[],
  views: { key: string; person: { firstName: string; lastName: string; contactId: string | null }; reason: string }[] = [],
): Promise<string> {
  const [req] = (await ds.query(
    `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
     VALUES ($1, $2, $3, $4, 'h', 'p', 'completed', 'parallel', now() + interval '20 days', '{3,7}', $5, now() - interval '3 days') RETURNING id`,
    [at.organisationId, at.establishmentId, doc.documentId, doc.versionId, JSON.stringify({ signers: [], views })],
  )) as { id: string }[];
  let order = 1;
  for (const s of signers)
    await ds.query(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at, email)
       VALUES ($1, $2, $3, $4, $5, $6, 'CASF D.311', $7, false, $8, 'signed', now() - interval '2 days', $9)`,
      [req.id, s.key, s.role, s.firstName, s.lastName, s.role === 'director' ? 'pour l’établissement' : s.role === 'tuteur' ? 'en qualité de tuteur' : 'en son nom propre', order++, s.role === 'director' ? 'staff' : 'in_person', s.email ?? null],
    );
  await ds.query(
    `INSERT INTO sealed_documents (request_id, version_id, blob_sha256, evidence, evidence_sha256, certificate_subject, sealed_at, edition) VALUES ($1, $2, 'b', '{}', 'e', 'CN=test', $3, 1)`,
    [req.id, doc.versionId, `${addDaysIso(at.today, -1)}T10:00:00Z`],
  );
  return req.id;
}
