import { DataSource } from 'typeorm';
import { DocumentsRepository, parseTariffCommonData, tariffAvenantData } from '@carepact/documents';
import { ApiHarness } from '../api/api-harness';

/** The common data of a January tariff run (CASF L.342-3 revalorisation), at another date when asked. */
export const TARIFF_COMMON = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };

/** The document data of a tariff avenant for `residentId`, as the bulk run builds it from the resident's signed contract. */
export async function tariffAvenantDataFor(h: ApiHarness, ds: DataSource, residentId: string, effectiveOn: string): Promise<Record<string, unknown>> {
  const contract = (await h.app.get(DocumentsRepository).signedContracts(ds.manager, h.orgA.organisationId, [residentId])).get(residentId)!;
  return tariffAvenantData(parseTariffCommonData({ ...TARIFF_COMMON, effectiveOn }).data!, contract);
}
