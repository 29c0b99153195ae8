import { DataSource } from 'typeorm';
import { documentSubtypeOf } from '@carepact/common';
import { DocumentsRepository, parseTariffCommonData, tariffAvenantData } from '@carepact/documents';
import { ApiHarness } from '../api/api-harness';

/** The common data of a January tariff run (CASF L.342-3 revalorisation), at another date when asked. */
export const TARIFF_COMMON = { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', percentage: 2.5, cvsConsultedOn: '2026-11-20' };

/**
 * The document data of a tariff avenant for `residentId`, as the bulk run builds it: from the price
 * in force on `effectiveOn` (the resident's last signed tariff avenant before it, else the signed
 * contract, CASF L.342-3). An earlier avenant still awaiting signature, and a later one, are ignored
 * here, so that a test can post the data and see the API's answer (409 TARIFF_AVENANT_PENDING,
 * TARIFF_LATER_AVENANT_EXISTS), or insert what a file made before those checks may hold. `common` overrides
 * the run's common data (another percentage, a typed price).
 */
export async function tariffAvenantDataFor(h: ApiHarness, ds: DataSource, residentId: string, effectiveOn: string, common: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const contract = (await h.app.get(DocumentsRepository).signedContracts(ds.manager, h.orgA.organisationId, [residentId], true, { effectiveOn })).get(residentId)!;
  return tariffAvenantData(parseTariffCommonData({ ...TARIFF_COMMON, ...common, effectiveOn }).data!, { ...contract, pendingTariffAvenant: null, laterTariffAvenant: null });
}

/**
 * A tariff avenant of the resident already past (`status`: 'signed' by default, or 'ready',
 * 'in_signature', 'refused'…), by direct inserts as `insertResidentsWithSignedContracts` makes
 * contracts: its data built by `tariffAvenantDataFor` (the price in force then), no rendition and
 * no job. `createdAt` orders the documents' creation (an avenant made late for an earlier date).
 */
export async function insertTariffAvenant(
  h: ApiHarness,
  ds: DataSource,
  residentId: string,
  effectiveOn: string,
  o: { common?: Record<string, unknown>; status?: string; createdAt?: string } = {},
): Promise<{ id: string; document: Record<string, unknown> }> {
  const document = await tariffAvenantDataFor(h, ds, residentId, effectiveOn, o.common);
  const at = o.createdAt ?? new Date().toISOString();
  const [doc] = (await ds.query(
    `INSERT INTO documents (organisation_id, establishment_id, resident_id, type, subtype, status, created_at, updated_at)
     SELECT organisation_id, establishment_id, id, 'avenant', $4, $2, $3::timestamptz, $3::timestamptz FROM residents WHERE id = $1 RETURNING id`,
    // Named as DocumentsService names it (« avenant tarifaire », migration 1764150000000).
    [residentId, o.status ?? 'signed', at, documentSubtypeOf('avenant', document)],
  )) as { id: string }[];
  const [version] = (await ds.query(
    `INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at, generated_at)
     SELECT organisation_id, id, 1, 'Création du document', 'ready', 'avenant', '1.3.0', repeat('0', 64), 'fixture', $2::jsonb, repeat('0', 64), $3::timestamptz, $3::timestamptz FROM documents WHERE id = $1
     RETURNING id`,
    [doc.id, JSON.stringify({ document }), at],
  )) as { id: string }[];
  await ds.query(`UPDATE documents SET current_version_id = $2 WHERE id = $1`, [doc.id, version.id]);
  return { id: doc.id, document };
}
