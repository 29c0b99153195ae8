import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '@carepact/common';
import { tariffAnnexOf } from './tariff-annex';

const TEMPLATES = join(__dirname, '../../../../templates/documents');
const TARIFFS = { effectiveFrom: '2026-01-01', hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, depositEuros: 0 };
const input = (financialContribution?: string) => ({ establishment: { name: 'EHPAD', tariffs: TARIFFS }, document: financialContribution ? { financialContribution } : {} });

/** Every published template version of a type, with its JSON text and its content. */
function versionsOf(type: string): { version: string; raw: string; content: unknown }[] {
  return readdirSync(join(TEMPLATES, type))
    .filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))
    .map((f) => {
      const raw = readFileSync(join(TEMPLATES, type, f), 'utf8');
      return { version: f.replace(/\.json$/, ''), raw, content: JSON.parse(raw) as unknown };
    });
}

/** The `if` of the block whose table caption prints « Tarifs journaliers applicables au … », and the heading-2 before it. */
function tariffTable(content: unknown): { condition: string | null; section: string | null } {
  let section: string | null = null;
  let found: { condition: string | null; section: string | null } = { condition: null, section: null };
  const walk = (node: unknown, condition: string | null): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, condition));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.heading === 2) section = (o.text as { standard?: string }).standard ?? null;
    const caption = (o.table as { caption?: { standard?: string } } | undefined)?.caption?.standard;
    if (caption?.startsWith('Tarifs journaliers applicables au') && !found.section) found = { condition, section };
    for (const [k, v] of Object.entries(o)) walk(v, k === 'then' && typeof o.if === 'string' ? o.if : condition);
  };
  walk((content as { blocks?: unknown; body?: unknown }).blocks ?? content, null);
  return found;
}

describe('the tariff annex a version lists (CASF L.311-4): no file, the establishment’s tariffs of its input', () => {
  it('label, SHA-256 of the canonical tariffs, and where the document prints them', () => {
    expect(tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.6.0', input: input('tarifs') })).toEqual({
      label: 'Annexe tarifaire en vigueur au 1er janvier 2026',
      effectiveFrom: '2026-01-01',
      sha256: sha256Hex(canonicalJson(TARIFFS)),
      reproducedIn: 'Participation financière et facturation',
    });
    // A contract asking no contribution lists the annex but prints no tariffs.
    expect(tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.6.0', input: input('aucune') })?.reproducedIn).toBeNull();
    // From contract 1.7.0 and DIPC 1.6.0, a document asking no contribution no longer lists it at all.
    expect(tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.7.0', input: input('aucune') })).toBeNull();
    expect(tariffAnnexOf({ type: 'dipc', templateVersion: '1.6.0', input: input('aucune') })).toBeNull();
    expect(tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.7.0', input: input('tarifs') })?.reproducedIn).toBe('Participation financière et facturation');
    expect(tariffAnnexOf({ type: 'dipc', templateVersion: '1.5.0', input: input('tarifs') })?.reproducedIn).toBe('Participation financière');
    // Without tariffs, or for a document that lists none: nothing.
    expect(tariffAnnexOf({ type: 'contrat-sejour', templateVersion: '1.6.0', input: { establishment: {}, document: {} } })).toBeNull();
    expect(tariffAnnexOf({ type: 'avenant', templateVersion: '1.4.0', input: input('tarifs') })).toBeNull();
    expect(tariffAnnexOf({ type: 'dipc', templateVersion: '1.0.0', input: input('tarifs') })).toBeNull();
  });

  it.each(['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'])('agrees with every template version of %s: listed, section and condition of the tariffs table', (type) => {
    for (const t of versionsOf(type)) {
      const annex = tariffAnnexOf({ type, templateVersion: t.version, input: input('tarifs') });
      const listed = t.raw.includes('"standard": "Annexe tarifaire en vigueur au {{ establishment.tariffs.effectiveFrom | date }}"');
      expect({ version: t.version, listed: annex !== null }).toEqual({ version: t.version, listed });
      if (!annex) continue;
      const table = tariffTable(t.content);
      expect({ version: t.version, section: annex.reproducedIn }).toEqual({ version: t.version, section: table.section });
      const unconditional = table.condition === 'establishment.tariffs';
      expect({ version: t.version, condition: table.condition }).toEqual({ version: t.version, condition: unconditional ? 'establishment.tariffs' : "document.financialContribution == 'tarifs'" });
      // Listed without a financial contribution? As the list item's condition says (none in contract 1.0.0; contract 1.7.0, DIPC 1.6.0 on: only with one).
      const listCondition = /"if": "([^"]*)",\s*"then": \[\s*\{\s*"standard": "Annexe tarifaire en vigueur au/.exec(t.raw)?.[1];
      const listedWithout = tariffAnnexOf({ type, templateVersion: t.version, input: input('aucune') });
      expect({ version: t.version, listedWithout: listedWithout !== null }).toEqual({ version: t.version, listedWithout: listCondition === undefined || listCondition === 'establishment.tariffs' });
      expect({ version: t.version, without: listedWithout?.reproducedIn ?? null }).toEqual({
        version: t.version,
        without: unconditional ? table.section : null,
      });
    }
  });
});
