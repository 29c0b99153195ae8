import { DataSource } from 'typeorm';
import { addDaysIso } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal ». When the person (or her representative) chooses
 * not to countersign, nothing is refused and nothing is to be handled: « À faire » does not list it
 * under « Refus de signer à traiter », the signature inbox (GET /api/signature-inbox) leaves it out of
 * its refusals, and the document page says it as information — « La personne n’a pas souhaité
 * contresigner ; le DIPC reste établi » — without « Marquer le refus comme traité ». An optional
 * signature elsewhere (the person's own beside her tuteur on a contract) is no countersignature: its
 * refusal is still one to handle. Rows written in SQL, as the worklist's fixtures (no worker here).
 */
describe('a DIPC’s countersignature declined is information, not a refusal to handle (CASF D.311 II)', () => {
  let h: ApiHarness;
  let ds: DataSource;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await h?.close();
  });

  const sql = (text: string, params: unknown[]) => ds.query(text, params) as Promise<{ id: string }[]>;
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');

  /** In an establishment of its own: a request on `type` where the person's optional signature was refused; the director's `directorStatus`. */
  const declined = async (tag: string, type: 'dipc' | 'contrat-sejour', directorStatus: 'pending' | 'signed') => {
    const est = await addEstablishment(h.app, h.orgA.organisationId, tag);
    const email = `admin.${tag.toLowerCase()}@example.test`;
    await addUser(h.app, h.orgA.organisationId, email, [{ establishmentId: est, role: 'administrator' }]);
    const agent = await loginAgent(h.app, email, TEST_PASSWORD);
    const r = await agent
      .post('/api/residents')
      .send({ establishmentId: est, firstName: 'Ahmed', lastName: tag, birthDate: '1940-01-01', admissionDate: addDaysIso(todayIso(), -5), stayType: 'permanent' });
    expect(r.status).toBe(201);
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'in_signature', now(), now()) RETURNING id`,
      [h.orgA.organisationId, est, r.body.id, type],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.0.0', 'h', 'r', '{"document":{}}', 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, type],
    );
    await sql(`UPDATE documents SET current_version_id = $2 WHERE id = $1 RETURNING id`, [doc.id, v.id]);
    const others = type === 'dipc' ? [] : [{ key: 'tuteur:t', role: 'tuteur', optional: false, measure: { mode: 'representation' } }];
    const policy = { documentType: type, signers: [{ key: 'resident', role: 'resident', optional: true }, ...others, { key: 'director', role: 'director', optional: false }], views: [] };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'active', 'parallel', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
      [h.orgA.organisationId, est, doc.id, v.id, JSON.stringify(policy)],
    );
    const signer = (key: string, role: string, order: number, optional: boolean, status: string, delivery = 'email') =>
      sql(
        `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
         VALUES ($1, $2, $3, $4, $5, 'en son nom propre', 'CASF D.311', $6, $7, $8, $9, CASE WHEN $9 = 'pending' THEN NULL ELSE now() END) RETURNING id`,
        [req.id, key, role, role === 'resident' ? 'Ahmed' : 'Claire', tag, order, optional, delivery, status],
      );
    const [refuser] = await signer('resident', 'resident', 1, true, 'refused');
    if (type === 'contrat-sejour') await signer('tuteur:t', 'tuteur', 1, false, 'pending');
    await signer('director', 'director', 2, false, directorStatus, 'staff');
    return { agent, documentId: doc.id, signerId: refuser.id };
  };

  const refusalSection = (html: string) => /<section class="todo-section" aria-labelledby="refusal-[^"]+">([\s\S]*?)<\/section>/.exec(html)?.[1];

  it('declined before the director signed: not in « À faire » nor in the inbox’s refusals; the page says the director’s signature establishes it', async () => {
    const { agent, documentId, signerId } = await declined('Avant', 'dipc', 'pending');
    const home = (await agent.get('/console').expect(200)).text;
    expect(refusalSection(home)).toBeUndefined();
    const inbox = (await agent.get('/api/signature-inbox').expect(200)).body as { refusals: { signer_id: string }[] };
    expect(inbox.refusals.map((x) => x.signer_id)).not.toContain(signerId);
    const page = (await agent.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(text(page)).toContain('La personne n’a pas souhaité contresigner ; le DIPC est établi par la signature de la direction. Rien n’est à traiter (CASF D.311 II).');
    expect(page).not.toContain('Marquer le refus comme traité');
  });

  it('declined after: « le DIPC reste établi »', async () => {
    const { agent, documentId } = await declined('Apres', 'dipc', 'signed');
    const page = (await agent.get(`/console/documents/${documentId}`).expect(200)).text;
    expect(text(page)).toContain('La personne n’a pas souhaité contresigner ; le DIPC reste établi. Rien n’est à traiter (CASF D.311 II).');
    expect(page).not.toContain('Marquer le refus comme traité');
    expect(refusalSection((await agent.get('/console').expect(200)).text)).toBeUndefined();
  });

  it('an optional signature on a contract (the person beside her tuteur) is no countersignature: still a refusal to handle', async () => {
    const { agent, documentId, signerId } = await declined('Contrat', 'contrat-sejour', 'pending');
    expect(text(refusalSection((await agent.get('/console').expect(200)).text) ?? '')).toContain('Contrat de séjour : signature facultative refusée');
    const inbox = (await agent.get('/api/signature-inbox').expect(200)).body as { refusals: { signer_id: string }[] };
    expect(inbox.refusals.map((x) => x.signer_id)).toContain(signerId);
    expect((await agent.get(`/console/documents/${documentId}`).expect(200)).text).toContain('Marquer le refus comme traité');
  });
});
