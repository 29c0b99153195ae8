import request from 'supertest';
import { DataSource } from 'typeorm';
import { addDaysIso } from '@carepact/signing';
import { todayIso } from '@carepact/residents';
import { TEST_PASSWORD, loginAgent } from '@carepact/testing';
import { ApiHarness, addEstablishment, addUser, startApiHarness } from '../api/api-harness';

interface Fixture {
  type: 'contrat-sejour' | 'dipc';
  /** The signer who refused: optional (her signature may be given, never required) or not. */
  refuser: { key: string; role: string; optional: boolean; firstName: string; capacity: string };
  /** Who else signs, in the request's decision (a tuteur deciding for her…). */
  others: { key: string; role: string; mode?: string }[];
}

/**
 * « À faire », « Refus de signer à traiter »: the DIPC replaces a contract that the person, or her
 * representative deciding for her, refused to sign (CASF D.311 I: « lorsque la personne accueillie
 * ou son représentant légal refuse la signature dudit contrat »; CASF L.311-4). A signer whose
 * signature was optional refuses nothing that the contract needed: the request goes on without
 * her signature, nothing is refused, no DIPC is due. Each kind of refusal says what follows, in its
 * item and in the section's note. Read on the page (GET /console), each case in its own
 * establishment (the page's cache is per roles); the rows are written in SQL, as the worklist's
 * fixtures (the db tier has no worker).
 */
describe('« À faire »: a refusal by a signer whose signature was optional calls for no DIPC', () => {
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

  /** An establishment of its own with its administrator, and one resident's document refused as `f` says. */
  const refusal = async (tag: string, f: Fixture): Promise<{ agent: request.Agent; text: string; note: string }> => {
    const est = await addEstablishment(h.app, h.orgA.organisationId, tag);
    const email = `admin.${tag.toLowerCase()}@example.test`;
    await addUser(h.app, h.orgA.organisationId, email, [{ establishmentId: est, role: 'administrator' }]);
    const agent = await loginAgent(h.app, email, TEST_PASSWORD);
    const r = await agent
      .post('/api/residents')
      .send({ establishmentId: est, firstName: f.refuser.firstName, lastName: tag, birthDate: '1940-01-01', admissionDate: addDaysIso(todayIso(), -5), stayType: 'permanent' });
    expect(r.status).toBe(201);
    // A required signer's refusal ends the request (and a refused contract is refused); an optional one's does not (portal-actions refuse).
    const requestStatus = f.refuser.optional ? 'active' : 'refused';
    const documentStatus = f.refuser.optional ? 'in_signature' : f.type === 'contrat-sejour' ? 'refused' : 'ready';
    const [doc] = await sql(
      `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, now(), now()) RETURNING id`,
      [h.orgA.organisationId, est, r.body.id, f.type, documentStatus],
    );
    const [v] = await sql(
      `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at)
       VALUES ($1, $2, 1, 'Création', 'ready', $3, '1.0.0', 'h', 'r', '{"document":{}}', 'hash', now()) RETURNING id`,
      [h.orgA.organisationId, doc.id, f.type],
    );
    const policy = {
      documentType: f.type,
      signers: [
        { key: f.refuser.key, role: f.refuser.role, optional: f.refuser.optional },
        ...f.others.map((o) => ({ key: o.key, role: o.role, optional: false, ...(o.mode ? { measure: { mode: o.mode } } : {}) })),
      ],
      views: [],
    };
    const [req] = await sql(
      `INSERT INTO signature_requests (organisation_id, establishment_id, document_id, version_id, version_hash, pdf_sha256, status, mode, deadline, reminder_days, policy, created_at)
       VALUES ($1, $2, $3, $4, 'h', 'p', $5, 'parallel', now() + interval '20 days', '{3,7}', $6, now()) RETURNING id`,
      [h.orgA.organisationId, est, doc.id, v.id, requestStatus, JSON.stringify(policy)],
    );
    await sql(
      `INSERT INTO signature_signers (request_id, key, role, first_name, last_name, capacity, legal_basis, order_no, optional, delivery, status, acted_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'CASF D.311', 1, $7, 'email', 'refused', now()) RETURNING id`,
      [req.id, f.refuser.key, f.refuser.role, f.refuser.firstName, tag, f.refuser.capacity, f.refuser.optional],
    );
    const page = await agent.get('/console').expect(200);
    const html = /<section class="todo-section" aria-labelledby="refusal-[^"]+">([\s\S]*?)<\/section>/.exec(page.text)?.[1];
    expect(html).toBeDefined();
    const note = /<h3[\s\S]*?<\/h3>([\s\S]*?)<ul class="todo-list">/.exec(html!)![1];
    return { agent, text: text(html!), note: text(note) };
  };

  it('the contract: the person’s own signature was optional beside her tuteur’s (a request decided so): « signature facultative refusée », no DIPC, the request goes on', async () => {
    const { text: section, note } = await refusal('Facultative', {
      type: 'contrat-sejour',
      refuser: { key: 'resident', role: 'resident', optional: true, firstName: 'Jeanne', capacity: 'en son nom propre' },
      others: [{ key: 'tuteur:t', role: 'tuteur', mode: 'representation' }],
    });
    expect(section).not.toContain('DIPC est à établir');
    expect(section).toContain('Contrat de séjour : signature facultative refusée');
    expect(section).toContain(
      'Jeanne Facultative (en son nom propre) a refusé de signer ; sa signature était facultative : la demande se poursuit sans elle. Ce n’est pas un refus du contrat de séjour, et aucun DIPC n’est à établir (CASF D.311).',
    );
    expect(note).toBe('Signature facultative refusée : la demande se poursuit sans elle ; ce n’est pas un refus du document, et aucun DIPC n’est à établir (CASF D.311).');
  });

  it('the contract refused by the person, or by her tuteur deciding for her: the DIPC is to be drawn up (CASF D.311), as before', async () => {
    const person = await refusal('Personne', {
      type: 'contrat-sejour',
      refuser: { key: 'resident', role: 'resident', optional: false, firstName: 'Paule', capacity: 'en son nom propre' },
      others: [],
    });
    expect(person.text).toContain('Contrat de séjour refusé');
    expect(person.text).toContain('Paule Personne (en son nom propre) a refusé de signer. Un DIPC est à établir (CASF D.311).');
    const tuteur = await refusal('Tuteur', {
      type: 'contrat-sejour',
      refuser: { key: 'tuteur:t', role: 'tuteur', optional: false, firstName: 'Alain', capacity: 'en qualité de tuteur, représentant Mme Tuteur' },
      others: [],
    });
    expect(tuteur.text).toContain('Alain Tuteur (en qualité de tuteur, représentant Mme Tuteur) a refusé de signer. Un DIPC est à établir (CASF D.311).');
    expect(tuteur.note).toBe('Contrat de séjour refusé par la personne ou son représentant légal : un DIPC est établi à sa place (CASF D.311).');
  });

  // The DIPC, whose countersignature by the person is optional (CASF D.311 II): declining it is no
  // refusal to handle and is not in this section at all (declined-countersignature.spec.ts).
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ')
    .trim();
