import { readFileSync, writeFileSync } from 'node:fs';
import { isDomainError } from '@carepact/common';
import { assertDocumentTypeApplies, assertMeasureInForce, type DocumentType } from '@carepact/documents';
import { todayIso, type ResidentView } from '@carepact/residents';
import { FORMATS, RenditionFormat, VARIANTS, Variant, contentVariantOf, renderOne, resolve, templates } from '@carepact/rendering';
import { CliCommand, UsageError, parseArgs } from '../command';
import { renderInputOf } from './render-input';

const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'];

/** Offline: no database, no Redis. The fixture has the shape of templates/demo/establishment-les-tilleuls.json. */
export const render: CliCommand = {
  name: 'render',
  summary: 'Produit un document hors ligne (sans base ni Redis) à partir d’un fichier de données.',
  usage: 'render --type <type> --fixture <fichier> --resident <clé> --variant <standard|falc|large-print> --format <pdf|docx|html> --out <chemin>',
  async run(args) {
    const { flags } = parseArgs(args);
    const known = ['type', 'fixture', 'resident', 'variant', 'format', 'out'];
    const unknown = Object.keys(flags).filter((k) => !known.includes(k));
    if (unknown.length) throw new UsageError(`Option inconnue : --${unknown[0]}.`);
    const need = (k: string): string => {
      const v = flags[k];
      if (typeof v !== 'string' || !v) throw new UsageError(`Option --${k} manquante.`);
      return v;
    };
    const type = need('type');
    if (!TYPES.includes(type)) throw new UsageError(`Type inconnu : « ${type} ». Types possibles : ${TYPES.join(', ')}.`);
    const variant = (typeof flags.variant === 'string' ? flags.variant : 'standard') as Variant;
    if (!VARIANTS.includes(variant)) throw new UsageError(`Variante inconnue : « ${variant} ». Variantes possibles : ${VARIANTS.join(', ')}.`);
    const format = need('format') as RenditionFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`Format inconnu : « ${format} ». Formats possibles : ${FORMATS.join(', ')}.`);
    const out = need('out');
    const fixturePath = need('fixture');
    let fixture: unknown;
    try {
      fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
    } catch (e) {
      process.stderr.write(`Fichier de données illisible (${fixturePath}) : ${(e as Error).message}\n`);
      return 2;
    }
    try {
      const on = todayIso();
      // The product's input (templateInputOf) for the resident the fixture describes, read as the seed records her.
      const input = renderInputOf(fixture, type, typeof flags.resident === 'string' ? flags.resident : undefined, on);
      // The same rules as the API (DocumentsService.prepare): the document type must fit the
      // person's situation, and an expired measure blocks generation.
      checkSituation(type as DocumentType, input.establishmentEntity.category, input.view, input.document, on);
      const tree = resolve(templates().load(type), { establishment: input.establishment, resident: input.resident, document: input.document }, contentVariantOf(variant));
      const bytes = await renderOne(tree, format, variant);
      writeFileSync(out, bytes);
      process.stdout.write(`${out} : ${tree.title}, ${variant}, ${format} (${bytes.length} octets)\n`);
      return 0;
    } catch (e) {
      if (isDomainError(e)) {
        process.stderr.write(`${e.code} : ${e.messageFr}\n${e.details.map((d) => `  - ${d.field} : ${d.message}`).join('\n')}${e.details.length ? '\n' : ''}`);
        return 2;
      }
      throw e;
    }
  },
};

/** The resident file's rules the API checks before a document is generated (DocumentsService.prepare). */
function checkSituation(type: DocumentType, establishmentCategory: string, resident: ResidentView, document: Record<string, unknown>, on: string): void {
  assertMeasureInForce(resident.protectionMeasures, on);
  assertDocumentTypeApplies(type, {
    resident,
    establishmentCategory,
    // The fixture records a refused contract on the DIPC's own data (document.contractRefused).
    contractRefused: !!document.contractRefused,
  });
}
