import { formatFalcFinding, lintTemplate } from './falc-lint';
import { PictogramLibrary } from './pictograms';
import { TemplateLoader } from './template-loader';
import type { BodyNode } from './template.types';

/** The templates shipped in templates/documents: valid, published, pictograms present, FALC lint clean. */
const loader = new TemplateLoader();
const pictograms = new PictogramLibrary();
const EXPECTED = ['avenant', 'compte-rendu-synthese', 'contrat-sejour', 'dipc', 'projet-personnalise'];

describe('templates/documents', () => {
  it('holds the five document types, each with a published version', () => {
    const list = loader.list();
    expect(list.map((t) => t.id)).toEqual(EXPECTED);
    for (const t of list) expect(t.latestPublished).not.toBeNull();
  });

  it.each(EXPECTED)('%s: latest published version loads and matches its recorded hash', (id) => {
    const t = loader.load(id);
    expect(t.published).not.toBeNull();
    expect(t.sha256).toBe(t.published!.sha256);
    expect(t.content.documentType).toBe(id);
  });

  it.each(EXPECTED)('%s: every figure names a pictogram of the library, with its SVG and PNG', (id) => {
    const assets = new Set<string>();
    const walk = (n: BodyNode): void => {
      if ('figure' in n) assets.add(n.figure.asset);
      if ('if' in n) [...n.then, ...(n.else ?? [])].forEach(walk);
      if ('each' in n) n.do.forEach(walk);
    };
    loader.load(id).content.body.forEach(walk);
    expect(assets.size).toBeGreaterThan(3);
    for (const a of assets) expect(pictograms.get(a).paths.length).toBeGreaterThan(0);
  });

  it.each(EXPECTED)('%s: FALC lint finds no error', (id) => {
    const errors = lintTemplate(loader.load(id).content).filter((f) => f.severity === 'error');
    expect(errors.map(formatFalcFinding)).toEqual([]);
  });
});

/** Issue 8 C: one picture, one meaning — across the documents, and recorded with its licence. */
describe('pictograms: one meaning each, licence recorded', () => {
  it('every pictogram of the catalog has one meaning of its own and a licence (CC0-1.0: drawn for the project)', () => {
    const catalog = pictograms.catalog();
    for (const e of catalog) {
      expect(e.meaning).toEqual(expect.any(String));
      expect(e.licence).toBe('CC0-1.0');
    }
    const meanings = catalog.map((e) => e.meaning);
    expect(new Set(meanings).size).toBe(meanings.length);
  });

  it('in the latest published templates, a figure says the meaning of its pictogram and nothing else', () => {
    const meaning = new Map(pictograms.catalog().map((e) => [e.id, e.meaning]));
    const wrong: string[] = [];
    const walk = (id: string, n: BodyNode): void => {
      if ('figure' in n) {
        const alt = typeof n.figure.alt === 'string' ? n.figure.alt : JSON.stringify(n.figure.alt);
        if (alt !== meaning.get(n.figure.asset)) wrong.push(`${id}: ${n.figure.asset} « ${alt} »`);
      }
      if ('if' in n) [...n.then, ...(n.else ?? [])].forEach((x) => walk(id, x));
      if ('each' in n) n.do.forEach((x) => walk(id, x));
    };
    for (const id of EXPECTED) loader.load(id).content.body.forEach((n) => walk(id, n));
    expect(wrong).toEqual([]);
  });
});
