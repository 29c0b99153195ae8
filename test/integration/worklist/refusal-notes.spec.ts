import request from 'supertest';
import { DataSource } from 'typeorm';
import { addDaysIso } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';

/**
 * « À faire », section « Refus de signer à traiter »: its note said « Après un refus du contrat de
 * séjour, un DIPC est établi (CASF D.311) » above every refusal, a curateur's refused assistance too,
 * which calls for no DIPC: the person may ask the judge for the authorisation to sign alone (C. civ.
 * 469 al. 3). Now the note of each kind the section holds. Read on the page (GET /console), each
 * establishment with its own staff member (the page's cache is per roles).
 */
describe('« À faire »: the note of « Refus de signer à traiter » says what each kind of refusal calls for', () => {
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

  /** An establishment of its own, its administrator's console session. */
  const establishment = async (tag: string): Promise<{ id: string; agent: request.Agent }> => {
    const id = await addEstablishment(h.app, h.orgA.organisationId, tag);
    const email = `admin.${tag.toLowerCase()}@example.test`;
    await addUser(h.app, h.orgA.organisationId, email, [{ establishmentId: id, role: 'administrator' }]);
    return { id, agent: await loginAgent(h.app, email, TEST_PASSWORD) };
  };

  /**
   * A resident with a document whose request was refused by one signer (written in SQL, as the
   * worklist's fixtures: the db tier has no worker): `assistance`, a curateur refusing to assist her
   * (the policy's measure mode, assistance-refusal.ts), else the person refusing to sign.
   */
  const refused = async (est: { id: string; agent: request.Agent }, lastName: string, type: string, assistance: boolean) => {
    const r = await est.agent
      .post('/api/residents')
      .send({ establishmentId: est.id, firstName: 'Jeanne', lastName, birthDate: '1940-01-01', admissionDate: addDaysIso(todayIso(), -5), stayType: 'permanent' });
    expect(r.status).toBe(201);
    const status = type === 'contrat-sejour' && !assistance ? 'refused' : 'ready';
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, now(), now()) RETURNING id`,
      [h.orgA.organisationId, est.id, r.body.id, type, status],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.0.0', 'h', 'r', '{"document":{}}', 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, type],
    );
    const signer = assistance
      ? { key: 'curateur:k', role: 'curateur', measure: { mode: 'assistance' }, firstName: 'Karim', lastName: 'Benaïssa', capacity: 'en qualité de curateur' }
      : { key: 'resident', role: 'resident', firstName: 'Jeanne', lastName, capacity: 'en son nom propre' };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', 'refused', 'parallel', now() + interval '20 days', '{3,7}', $5, now()) RETURNING id`,
      [h.orgA.organisationId, est.id, doc.id, v.id, JSON.stringify({ documentType: type, signers: [{ key: signer.key, role: signer.role, ...(assistance ? { measure: signer.measure } : {}) }], views: [] })],
    );
    await sql(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'C. civ.', 1, false, 'email', 'refused', now()) RETURNING id`,
      [req.id, signer.key, signer.role, signer.firstName, signer.lastName, signer.capacity],
    );
  };

  /** The section « Refus de signer à traiter » of the page, as text: its note (the hint under the heading) and its items. */
  const refusalSection = async (agent: request.Agent) => {
    const page = await agent.get('/console').expect(200);
    const html = /<section class="todo-section" aria-labelledby="refusal-[^"]+">([\s\S]*?)<\/section>/.exec(page.text)?.[1];
    expect(html).toBeDefined();
    const note = /<h3[\s\S]*?<\/h3>([\s\S]*?)<ul class="todo-list">/.exec(html!)![1];
    return { note: text(note), html: html! };
  };

  it('only a refused assistance: no DIPC in the note, the judge’s authorisation to sign alone (C. civ. 469 al. 3)', async () => {
    const est = await establishment('Assistance');
    await refused(est, 'Assistée', 'contrat-sejour', true);
    const { note, html } = await refusalSection(est.agent);
    expect(note).not.toMatch(/DIPC est établi/);
    expect(note).toBe(
      'Assistance refusée par le curateur (ou la personne habilitée) : ce n’est pas un refus du document et aucun DIPC n’est à établir ; la personne peut demander au juge l’autorisation de signer seule (C. civ. 469 al. 3 ; sous habilitation familiale, le juge statue sur la difficulté, C. civ. 494-1 al. 1 et 494-10).',
    );
    expect(text(html)).toContain('Contrat de séjour : assistance refusée');
  });

  it('only a refused contract: the DIPC that replaces it (CASF D.311), as before', async () => {
    const est = await establishment('Contrat');
    await refused(est, 'Refus', 'contrat-sejour', false);
    expect((await refusalSection(est.agent)).note).toBe('Contrat de séjour refusé par la personne ou son représentant légal : un DIPC est établi à sa place (CASF D.311).');
  });

  it('a refused contract, a refused DIPC and a refused assistance: one note each, listed, each once', async () => {
    const est = await establishment('Melange');
    await refused(est, 'Refus', 'contrat-sejour', false);
    await refused(est, 'Dipc', 'dipc', false);
    await refused(est, 'Assistée', 'avenant', true);
    await refused(est, 'Assistée-Deux', 'contrat-sejour', true);
    const { note, html } = await refusalSection(est.agent);
    expect(note).toBe(
      [
        'La suite d’un refus dépend de ce qui est refusé :',
        'Contrat de séjour refusé par la personne ou son représentant légal : un DIPC est établi à sa place (CASF D.311).',
        'Autre document refusé : voyez avec la personne ce qui doit changer ; il se corrige par une nouvelle version, envoyée à nouveau à la signature.',
        'Assistance refusée par le curateur (ou la personne habilitée) : ce n’est pas un refus du document et aucun DIPC n’est à établir ; la personne peut demander au juge l’autorisation de signer seule (C. civ. 469 al. 3 ; sous habilitation familiale, le juge statue sur la difficulté, C. civ. 494-1 al. 1 et 494-10).',
      ].join(' '),
    );
    // A list: one item per kind.
    expect([.../<ul class="hint">([\s\S]*?)<\/ul>/.exec(html)![1].matchAll(/<li>/g)]).toHaveLength(3);
  });
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ')
    .trim();
