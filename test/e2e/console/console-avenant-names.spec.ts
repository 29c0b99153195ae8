import { DataSource } from 'typeorm';
import { DocumentsRepository, parseTariffCommonData, tariffAvenantData } from '@carepact/documents';
import { TEST_PASSWORD, insertResidentsWithSignedContracts, loginAgent } from '@carepact/testing';
import { accompanimentAvenantData } from '../../integration/documents/accompaniment-avenant-data';
import { TARIFF_COMMON } from '../../integration/documents/tariff-avenant-data';
import { checkConsolePage, ConsoleHarness, startConsoleHarness } from './console-harness';

/**
 * A person's two avenants of one year, in her file: the tariff avenant (the yearly revalorisation,
 * CASF L.342-3) « Avenant tarifaire au contrat de séjour », the accompaniment avenant (objectives
 * and services, CASF L.311-4, D.311) « Avenant au contrat de séjour » — two lines, two names
 * (`documents.subtype`, migration 1764150000000). axe, one h1, French title, 320 px.
 */
describe('console: a tariff avenant and an accompaniment avenant named apart in the person’s file', () => {
  let h: ConsoleHarness;
  let enzo: string;
  const shots = process.env.CONSOLE_SCREENSHOTS ?? '/tmp';
  beforeAll(async () => {
    h = await startConsoleHarness();
    const ds = h.app.get(DataSource);
    [enzo] = await insertResidentsWithSignedContracts(ds, { organisationId: h.org.organisationId, establishmentId: h.org.establishmentId, count: 1, tag: 'Avenants' });
    await ds.query(`UPDATE residents SET first_name = 'Enzo', last_name = 'Petit' WHERE id = $1`, [enzo]);
    const admin = await loginAgent(h.app, h.org.users.administrator.email, TEST_PASSWORD);
    const contract = (await h.app.get(DocumentsRepository).signedContracts(ds.manager, h.org.organisationId, [enzo], true, { effectiveOn: '2027-01-01' })).get(enzo)!;
    const tariff = tariffAvenantData(parseTariffCommonData(TARIFF_COMMON).data!, { ...contract, pendingTariffAvenant: null, laterTariffAvenant: null });
    await admin.post('/api/documents').send({ residentId: enzo, type: 'avenant', data: tariff }).expect(202);
    await admin.post('/api/documents').send({ residentId: enzo, type: 'avenant', data: accompanimentAvenantData() }).expect(202);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('« Avenant tarifaire au contrat de séjour » and « Avenant au contrat de séjour », each a link to its document', async () => {
    const page = await h.newPage();
    await h.login(page, h.org.users.administrator.email);
    await page.goto(`/console/residents/${enzo}`);
    const links = page.locator('section[aria-labelledby="documents"] li a');
    expect((await links.allTextContents()).sort()).toEqual(['Avenant au contrat de séjour', 'Avenant tarifaire au contrat de séjour', 'Contrat de séjour']);
    await checkConsolePage(page, 'Dossier d’Enzo Petit');
    await page.locator('section[aria-labelledby="documents"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/console-dossier-avenants-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${shots}/console-dossier-avenants-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(page.problems).toEqual([]);
  });
});
