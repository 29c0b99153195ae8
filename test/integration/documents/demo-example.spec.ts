import request from 'supertest';
import { DataSource } from 'typeorm';
import { DEMO_IME_FIXTURE_PATH, loadDemoFixture } from '@carepact/residents';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { withContext } from '../../../apps/cli/src/context';
import { loadDemo } from '../../../apps/cli/src/seed/load-demo';
import { demoExampleOf } from '../../../apps/api/src/console/documents/demo-example';
import { ApiHarness, startApiHarness } from '../api/api-harness';
import { formFieldsOf } from './form-fields';

/**
 * README's first try: « Nouveau document » for a demo resident offers « Préremplir avec l'exemple du
 * jeu de démonstration ». Before, the form came prefilled with the participants and the judgment only,
 * and the first « Prévisualiser » answered 18 errors: some twenty answers (objectives, services,
 * easy-to-read wordings, the consent interview…) had to be invented (newcomer's review, session 14).
 */
describe('the demo example on the new-document form', () => {
  let h: ApiHarness;
  let ds: DataSource;
  let demo: request.Agent;
  const fixture = loadDemoFixture();
  const marcel = fixture.residents.find((r) => r.key === 'marcel-dupont')!;

  beforeAll(async () => {
    h = await startApiHarness();
    ds = h.app.get(DataSource);
    const password = await withContext(async (ctx, config) => (await loadDemo(ctx, config, fixture), config.demo.password), h.db.config);
    demo = await loginAgent(h.app, 'admissions@les-tilleuls.example', password);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const idOf = async (r: { firstName: string; lastName: string }) =>
    ((await ds.query(`SELECT id FROM residents WHERE first_name = $1 AND last_name = $2`, [r.firstName, r.lastName])) as { id: string }[])[0].id;
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  it('only the data written for that very person of the demo establishment: another FINESS, another person or a type without data gives none', () => {
    const contract = demoExampleOf(fixture.establishment.finess, marcel, 'contrat-sejour', fixture)!;
    expect(contract).not.toHaveProperty('resident');
    expect(contract).toEqual(expect.objectContaining({ objectives: expect.any(Array), consentInterview: expect.any(Object) }));
    expect(demoExampleOf('123456789', marcel, 'contrat-sejour', fixture)).toBeNull();
    expect(demoExampleOf(fixture.establishment.finess, { ...marcel, birthDate: '1947-07-03' }, 'contrat-sejour', fixture)).toBeNull();
    // The compte rendu is written for Enzo: never lent to Marcel.
    expect(demoExampleOf(fixture.establishment.finess, marcel, 'compte-rendu-synthese', fixture)).toBeNull();
    const enzo = fixture.residents.find((r) => r.key === 'enzo-petit')!;
    expect(demoExampleOf(fixture.establishment.finess, enzo, 'compte-rendu-synthese', fixture)).not.toBeNull();
  });

  it('Marcel’s contract: the link, then the form filled with his example, which previews at once (200, no error)', async () => {
    const id = await idOf(marcel);
    const url = `/console/residents/${id}/documents/nouveau?type=contrat-sejour`;
    const first = (await demo.get(url).expect(200)).text;
    expect(first).toContain(`<a href="/console/residents/${id}/documents/nouveau?type=contrat-sejour&amp;exemple=demo">Préremplir avec l’exemple du jeu de démonstration</a>`);

    const filled = (await demo.get(`${url}&exemple=demo`).expect(200)).text;
    expect(filled).toContain('Prérempli avec l’exemple du jeu de démonstration pour Marcel Dupont');
    expect(filled).not.toContain('exemple=demo">Préremplir');
    const example = demoExampleOf(fixture.establishment.finess, marcel, 'contrat-sejour', fixture)!;
    const fields = formFieldsOf(example);
    // What the form shows is the example: a few of its values are in the page, as the fields' values.
    const someValues = Object.entries(fields).filter(([, v]) => v.length > 12 && !/[<>&"’']/.test(v));
    expect(someValues.length).toBeGreaterThan(5);
    for (const [, v] of someValues.slice(0, 10)) expect(filled).toContain(v);

    const preview = await demo.post(url).type('form').send({ _csrf: csrfOf(filled), _action: 'preview', ...fields });
    expect(preview.text).not.toContain('class="error-summary"');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Aperçu avant génération');
  });

  it('Enzo’s compte rendu (1.4.0: recipients, information on sharing, the outside doctor’s consent): the example previews at once, its recipients in the page', async () => {
    const enzo = fixture.residents.find((r) => r.key === 'enzo-petit')!;
    const id = await idOf(enzo);
    const url = `/console/residents/${id}/documents/nouveau?type=compte-rendu-synthese`;
    const filled = (await demo.get(`${url}&exemple=demo`).expect(200)).text;
    expect(filled).toContain('Prérempli avec l’exemple du jeu de démonstration pour Enzo Petit');
    expect(filled).toContain('value="Dr Claire Martin"');
    const fields = formFieldsOf(demoExampleOf(fixture.establishment.finess, enzo, 'compte-rendu-synthese', fixture)!);
    expect(fields).toEqual(expect.objectContaining({ 'recipients[4].circle': 'hors_equipe', 'recipients[4].consentOn': '2026-11-18', 'sharing.objected': 'non' }));
    const preview = await demo.post(url).type('form').send({ _csrf: csrfOf(filled), _action: 'preview', ...fields });
    expect(preview.text).not.toContain('class="error-summary"');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Aperçu avant génération');
  });

  it('the IME Les Sources (the demo’s second establishment): a minor’s DIPC and projet personnalisé are offered the example, drawn from the child’s own contract, the rest left to fill', async () => {
    const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);
    const password = await withContext(async (ctx, config) => (await loadDemo(ctx, config, ime), config.demo.password), h.db.config);
    const agent = await loginAgent(h.app, 'admissions@ime-les-sources.example', password);
    const ines = ime.residents.find((r) => r.key === 'ines-moreau')!;
    const contract = (ines as unknown as { documents: Record<string, { objectives: string[]; services: string[] }> }).documents['contrat-sejour'];
    const id = await idOf(ines);
    const linkTo = async (type: string) => {
      const page = (await agent.get(`/console/residents/${id}/documents/nouveau?type=${type}`).expect(200)).text;
      expect(page).toContain(`<a href="/console/residents/${id}/documents/nouveau?type=${type}&amp;exemple=demo">Préremplir avec l’exemple du jeu de démonstration</a>`);
    };
    await linkTo('contrat-sejour');
    await linkTo('projet-personnalise');
    // A DIPC for a child in the IME's boarding school: when her contract of stay was refused (CASF D.311). Its creation
    // goes through the API with her example; the refusal is set as a signer's refusal leaves it.
    const contractId = (await agent.post('/api/documents').send({ residentId: id, type: 'contrat-sejour', data: demoExampleOf(ime.establishment.finess, ines, 'contrat-sejour') }).expect(202)).body.id as string;
    await ds.query(`UPDATE documents SET status = 'refused' WHERE id = $1`, [contractId]);
    await linkTo('dipc');
    const dipc = (await agent.get(`/console/residents/${id}/documents/nouveau?type=dipc&exemple=demo`).expect(200)).text;
    expect(dipc).toContain('Prérempli avec l’exemple du jeu de démonstration pour Inès Moreau, repris de son contrat de séjour');
    for (const v of [...contract.objectives, ...contract.services, 'Catherine Moreau', 'Julien Marchand']) expect(dipc).toContain(v.replace(/’/g, '’'));
    expect(dipc).toContain(`value="${ines.admissionDate}"`);
    // What the contract does not say (why a DIPC) is asked: the preview names that field alone.
    const url = `/console/residents/${id}/documents/nouveau?type=dipc`;
    const preview = await agent.post(url).type('form').send({ _csrf: csrfOf(dipc), _action: 'preview', ...formFieldsOf(demoExampleOf(ime.establishment.finess, ines, 'dipc')!) });
    const errors = /class="error-summary"[\s\S]*?<\/ul>/.exec(preview.text)?.[0] ?? '';
    expect(errors.match(/<li/g)).toHaveLength(1);
    expect(errors).toContain('href="#reason"');
    // Named as the DIPC's field, not as a correction's reason (there is none on a new document).
    expect(errors).not.toContain('Raison de cette nouvelle version');

    const projet = (await agent.get(`/console/residents/${id}/documents/nouveau?type=projet-personnalise&exemple=demo`).expect(200)).text;
    expect(projet).toContain('Prérempli avec l’exemple du jeu de démonstration pour Inès Moreau, repris de son contrat de séjour');
    expect(projet).toContain('value="Julien Marchand"');
    for (const v of contract.objectives) expect(projet).toContain(v);
  });

  it('a resident of another establishment: no link, and `exemple=demo` changes nothing', async () => {
    const [other] = await insertResidentsWithSignedContracts(ds, { organisationId: h.orgA.organisationId, establishmentId: h.orgA.establishmentId, count: 1, tag: 'Exemple' });
    const agent = await loginAgent(h.app, h.orgA.users.admissions.email, TEST_PASSWORD);
    const url = `/console/residents/${other}/documents/nouveau?type=projet-personnalise`;
    const plain = (await agent.get(url).expect(200)).text;
    expect(plain).not.toContain('exemple=demo');
    const asked = (await agent.get(`${url}&exemple=demo`).expect(200)).text;
    expect(asked).not.toContain('jeu de démonstration');
  });
});
