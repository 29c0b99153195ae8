import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import { hasInputEnumLabel, hasInputFieldLabel, inputEnumLabel, inputFieldLabel, labelPath } from './input-labels';
import { type InputSchema, validateInput } from './input-schema';

/** Every document field and enum value of every stored template version (published or not). */
function fieldsOf(): { type: string; file: string; path: string; schema: InputSchema }[] {
  const dir = join(projectRoot(), 'templates/documents');
  const out: { type: string; file: string; path: string; schema: InputSchema }[] = [];
  for (const type of readdirSync(dir))
    for (const file of readdirSync(join(dir, type)).filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))) {
      const root = (JSON.parse(readFileSync(join(dir, type, file), 'utf8')) as { inputSchema: InputSchema }).inputSchema;
      const walk = (s: InputSchema | undefined, path: string): void => {
        while (s?.$ref) {
          const { $ref, ...rest } = s;
          s = { ...root.$defs![$ref.split('/').pop()!], ...rest };
        }
        if (!s) return;
        if (path) out.push({ type, file, path, schema: s });
        for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, path ? `${path}.${k}` : k);
        if (s.items) walk(s.items, path);
      };
      walk(root.properties!.document, '');
    }
  return out;
}

/** Values that are French words already (the compte rendu's presence). */
const FRENCH_VALUES = new Set(['participants.presence']);

describe('French labels of the templates’ document data', () => {
  const fields = fieldsOf();

  it('names every field of every stored template version', () => {
    expect(fields.length).toBeGreaterThan(100);
    const missing = fields.filter((f) => !hasInputFieldLabel(f.type, f.path)).map((f) => `${f.type}/${f.file}: ${f.path}`);
    expect(missing).toEqual([]);
  });

  it('names every enum value', () => {
    const missing = fields
      .filter((f) => f.schema.enum && !FRENCH_VALUES.has(f.path))
      .flatMap((f) => f.schema.enum!.filter((v) => v !== null && !hasInputEnumLabel(f.path, v)).map((v) => `${f.type}: ${f.path} = ${String(v)}`));
    expect(missing).toEqual([]);
  });

  it('strips indexes and the document prefix, and overrides per type', () => {
    expect(labelPath('document.participation.others[2].name')).toBe('participation.others.name');
    expect(inputFieldLabel('contrat-sejour', 'participation.others[0].capacity')).toBe('À quel titre');
    expect(inputFieldLabel('compte-rendu-synthese', 'kind')).toBe('Type de réunion');
    expect(inputFieldLabel('avenant', 'kind')).toBe('Nature de l’avenant');
    expect(inputEnumLabel('requests[3].answer', 'postponed')).toBe('reportée');
    expect(inputEnumLabel('participants[0].presence', 'présente')).toBe('présente');
  });
});

/**
 * Avenant 1.12.0: `tariffChange.basis` is the basis of the hébergement price (CASF L.342-3 for places
 * not habilitated, L.314-1 for habilitated ones), the dependency price having its own (L.314-2,
 * R.314-172). The bulk form says « Fondement du prix de l’hébergement »; the document form, its
 * differences and the messages naming the field said « Fondement du changement », as if it were the
 * basis of every new price.
 */
describe('the tariff change’s basis, named as the bulk form and avenant 1.12.0 name it', () => {
  it('is « Fondement du prix de l’hébergement » in the form and in the messages naming it', () => {
    expect(inputFieldLabel('avenant', 'document.tariffChange.basis')).toBe('Fondement du prix de l’hébergement');
    const schema = (JSON.parse(readFileSync(join(projectRoot(), 'templates/documents/avenant/1.12.0.json'), 'utf8')) as { inputSchema: InputSchema }).inputSchema;
    const errors = validateInput(schema, { document: { purpose: 'tarifs', tariffChange: { effectiveOn: '2027-01-01', basis: 'revalorisation_annuelle', basisReference: 'arrêté du 18 décembre 2026', prices: { hebergementPerDay: 70, totalPerDay: 76 } } } });
    const percentage = errors.find((e) => e.field === 'document.tariffChange.percentage');
    expect(percentage?.message).toBe(`Ce champ est obligatoire quand « Fondement du prix de l’hébergement » est « ${inputEnumLabel('document.tariffChange.basis', 'revalorisation_annuelle')} ».`);
  });
});
