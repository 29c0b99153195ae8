// Reads a PDF with pdf.js (what Firefox and many readers use) and prints JSON on stdout: document
// info and catalog facts, XMP, MarkInfo, viewer preferences, each page's structure tree and its
// text items with the marked-content sequence around them. Run as a child process because pdf.js
// is ESM-only and jest's CommonJS VM cannot import it. Usage: node pdfjs-inspect.mjs file.pdf
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pdfjsPath = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
const pdfjs = await import(pdfjsPath);

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const meta = await doc.getMetadata();
const out = {
  numPages: doc.numPages,
  info: meta.info,
  xmp: meta.metadata ? Object.fromEntries(meta.metadata) : null,
  xmpRaw: meta.metadata ? meta.metadata.getRaw() : null,
  markInfo: await doc.getMarkInfo(),
  viewerPreferences: await doc.getViewerPreferences(),
  outline: await doc.getOutline(),
  pages: [],
};
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const structTree = await page.getStructTree();
  const content = await page.getTextContent({ includeMarkedContent: true });
  const stack = [];
  const items = [];
  for (const item of content.items) {
    if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      stack.push({ tag: item.tag, id: item.id ?? null });
    } else if (item.type === 'endMarkedContent') {
      stack.pop();
    } else if (typeof item.str === 'string') {
      if (item.str === '' && item.width === 0) continue; // pdf.js' synthetic EOL markers
      items.push({ str: item.str, transform: item.transform, width: item.width, height: item.height, marked: stack.map((m) => ({ ...m })) });
    }
  }
  out.pages.push({ number: n, structTree, items });
}
process.stdout.write(JSON.stringify(out));
