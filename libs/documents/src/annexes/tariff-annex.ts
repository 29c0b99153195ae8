import { canonicalJson, sha256Hex } from '@carepact/common';
import { formatDateLong } from '@carepact/rendering';

/**
 * The « Annexe tarifaire » a contrat de séjour or a DIPC lists among the documents handed over with
 * it (CASF L.311-4). Unlike the livret
 * d'accueil or the règlement, it is no uploaded file: the template writes it from the establishment's
 * tariffs as the version's input snapshot holds them (`establishment.tariffs`), and prints them in its
 * financial section (the « Tarifs journaliers applicables au … » table). Its SHA-256 is that of the
 * canonical JSON of those tariffs (canonicalJson, as the version's input hash is computed).
 */
export interface TariffAnnex {
  /** As the document lists it: « Annexe tarifaire en vigueur au 1er janvier 2026 ». */
  label: string;
  /** `establishment.tariffs.effectiveFrom` (YYYY-MM-DD), null when the tariffs do not say. */
  effectiveFrom: string | null;
  /** SHA-256 of canonicalJson(input.establishment.tariffs). */
  sha256: string;
  /**
   * The heading of the document's section that prints the tariffs table (« Participation financière
   * et facturation »), null when the document lists the annex without printing the tariffs (a
   * contract asking no financial contribution, `document.financialContribution` « aucune »).
   */
  reproducedIn: string | null;
}

/**
 * Which templates list the tariff annex and where they print the tariffs (checked against the
 * template files by tariff-annex.spec.ts): every contrat-sejour (1.0.0 prints the table whenever
 * there are tariffs, later versions when `document.financialContribution` is « tarifs »); the DIPC
 * from 1.1.0. Contract 1.7.0 and DIPC 1.6.0 on list it only when they print it (a document asking
 * no financial contribution hands over no tariff annex); earlier versions list it whenever the
 * establishment has tariffs.
 */
function listing(type: string, templateVersion: string): { section: string; alwaysPrinted: boolean; listedWithContributionOnly: boolean } | null {
  if (type === 'contrat-sejour')
    return { section: 'Participation financière et facturation', alwaysPrinted: templateVersion === '1.0.0', listedWithContributionOnly: versionAtLeast(templateVersion, [1, 7, 0]) };
  if (type === 'dipc' && templateVersion !== '1.0.0') return { section: 'Participation financière', alwaysPrinted: false, listedWithContributionOnly: versionAtLeast(templateVersion, [1, 6, 0]) };
  return null;
}

/** `version` (« 1.6.0 ») is `min` or later. */
function versionAtLeast(version: string, min: readonly [number, number, number]): boolean {
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  return true;
}

/** The tariff annex a version lists (its type, template version and input snapshot), or null when it lists none. */
export function tariffAnnexOf(version: { type: string; templateVersion: string; input: Record<string, unknown> }): TariffAnnex | null {
  const where = listing(version.type, version.templateVersion);
  const tariffs = (version.input.establishment as { tariffs?: unknown } | undefined)?.tariffs;
  if (!where || !tariffs || typeof tariffs !== 'object') return null;
  const from = (tariffs as { effectiveFrom?: unknown }).effectiveFrom;
  const effectiveFrom = typeof from === 'string' && from ? from : null;
  const contribution = (version.input.document as { financialContribution?: unknown } | undefined)?.financialContribution;
  if (where.listedWithContributionOnly && contribution !== 'tarifs') return null;
  return {
    label: effectiveFrom ? `Annexe tarifaire en vigueur au ${formatDateLong(effectiveFrom)}` : 'Annexe tarifaire',
    effectiveFrom,
    sha256: sha256Hex(canonicalJson(tariffs)),
    reproducedIn: where.alwaysPrinted || contribution === 'tarifs' ? where.section : null,
  };
}

