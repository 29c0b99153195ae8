import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/**
 * Issue 12 (worker peak RSS ≤ 300 MB): PDFKit, fontkit and docx are loaded where a PDF or a DOCX is
 * rendered, not wherever @carepact/rendering is imported. The api and the worker's main thread import
 * the library (templates, resolve, the render pool) but render on threads or not at all; loading the
 * renderers there cost some 9 MB of resident memory per process for nothing.
 */
describe('render libraries are loaded at the first render only', () => {
  const root = projectRoot();
  /** The node_modules packages among the modules a compiled entry point loads, after running `then`. */
  const loaded = (entry: string, then = ''): string[] => {
    const script = `
      require(${JSON.stringify(join(root, entry))});
      Promise.resolve((async () => { ${then} })()).then(() => {
        const names = Object.keys(require.cache).map((k) => (k.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//) || [])[1]).filter(Boolean);
        process.stdout.write(JSON.stringify([...new Set(names)].sort()));
      });`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as string[];
  };
  const RENDERERS = ['docx', 'pdfkit'];

  it('the worker module and the api module load neither PDFKit nor docx', () => {
    for (const entry of ['dist/apps/worker/src/worker.module.js', 'dist/apps/api/src/api.module.js']) {
      const packages = loaded(entry);
      expect(packages).toContain('typeorm');
      expect({ entry, renderers: packages.filter((p) => RENDERERS.includes(p)) }).toEqual({ entry, renderers: [] });
    }
  });

  it('a render loads them, and renders', () => {
    const render = `
      const r = require(${JSON.stringify(join(root, 'dist/libs/rendering/src'))});
      const fixture = JSON.parse(require('fs').readFileSync(${JSON.stringify(join(root, 'templates/demo/establishment-les-tilleuls.json'))}, 'utf8'));
      const input = r.templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont');
      const bundle = await r.renderBundle('contrat-sejour', r.templates().load('contrat-sejour').content.version, input);
      if (bundle.length !== 9 || bundle.find((b) => b.format === 'pdf').bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error('bad bundle');`;
    expect(loaded('dist/libs/rendering/src/index.js', render)).toEqual(expect.arrayContaining(RENDERERS));
  });
});
