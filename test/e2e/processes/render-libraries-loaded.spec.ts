import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';

/**
 * Issue 12 (worker peak RSS ≤ 300 MB): PDFKit, fontkit and docx are loaded where a PDF or a DOCX is
 * rendered, not wherever @carepact/rendering is imported. The api and the worker's main thread import
 * the library (templates, resolve, the render pool) but render on threads or not at all; loading the
 * renderers there cost some 9 MB of resident memory per process for nothing. The same for pdf-lib
 * (paper scans) and node-forge (the seal's identity): 5.4 MB of the worker main thread's heap, which
 * V8 lets grow to twice its live size between full collections (bench:bulk's memory).
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
  /** Loaded by a paper scan (pdf-lib: 3.7 MB of heap) and by the seal's identity (node-forge: 1.7 MB). */
  const SIGNING = ['node-forge', 'pdf-lib'];

  it('the worker module and the api module load neither PDFKit nor docx, nor pdf-lib nor node-forge', () => {
    for (const entry of ['dist/apps/worker/src/worker.module.js', 'dist/apps/api/src/api.module.js']) {
      const packages = loaded(entry);
      expect(packages).toContain('typeorm');
      expect({ entry, late: packages.filter((p) => RENDERERS.includes(p) || SIGNING.includes(p)) }).toEqual({ entry, late: [] });
    }
  });

  it('a paper scan loads pdf-lib and reads the scan; the seal identity loads node-forge', () => {
    // A one-page PDF written by hand, its cross-reference offsets computed: no library makes it.
    const use = `
      const s = require(${JSON.stringify(join(root, 'dist/libs/signing/src'))});
      const parts = ['%PDF-1.4\\n', '1 0 obj\\n<< /Type /Catalog /Pages 2 0 R >>\\nendobj\\n', '2 0 obj\\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\\nendobj\\n', '3 0 obj\\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\\nendobj\\n'];
      let at = 0;
      const offsets = parts.map((p) => { const o = at; at += Buffer.byteLength(p, 'latin1'); return o; });
      const xref = 'xref\\n0 4\\n0000000000 65535 f \\n' + offsets.slice(1).map((o) => String(o).padStart(10, '0') + ' 00000 n \\n').join('');
      const pdf = Buffer.from(parts.join('') + xref + 'trailer\\n<< /Size 4 /Root 1 0 R >>\\nstartxref\\n' + at + '\\n%%EOF\\n', 'latin1');
      const { facts } = await s.loadInspectedScan(pdf);
      if (facts.pageCount !== 1) throw new Error('scan not read');
      const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'carepact-seal-'));
      const identity = await s.ensureDevSealIdentity(dir, 'Établissement de test');
      require('fs').rmSync(dir, { recursive: true, force: true });
      if (!identity.subject.commonName) throw new Error('no seal identity');`;
    expect(loaded('dist/libs/signing/src/index.js', use)).toEqual(expect.arrayContaining(SIGNING));
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
