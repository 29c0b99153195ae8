/**
 * Scans of paper signatures for the tests, made as a scanner makes them: a real PDF rendered,
 * its pages rasterised by poppler (pdftoppm), each JPEG wrapped into a page with pdf-lib. Then the
 * files a scan must never be: encrypted (by qpdf), with JavaScript, actions, embedded files, XFA,
 * damaged, too long, not a PDF.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';

const dir = mkdtempSync(join(tmpdir(), 'carepact-paper-'));
let n = 0;

export function tool(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempFile(name: string, data: Buffer): string {
  const file = join(dir, `${++n}-${name}`);
  writeFileSync(file, data);
  return file;
}

/** Rasterises `pages` (1-based) of `pdf` at `dpi` and wraps each image into a page of the same size. */
export async function scanOf(pdf: Buffer, pages: number[], dpi = 100): Promise<Buffer> {
  const source = tempFile('source.pdf', pdf);
  const info = await PDFDocument.load(pdf, { updateMetadata: false });
  const out = await PDFDocument.create();
  for (const p of pages) {
    const prefix = join(dir, `${++n}-scan`);
    const r = tool('pdftoppm', ['-jpeg', '-jpegopt', 'quality=70', '-gray', '-r', String(dpi), '-f', String(p), '-l', String(p), source, prefix]);
    if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
    const file = readdirSync(dir).find((f) => f.startsWith(`${n}-scan`) && f.endsWith('.jpg'))!;
    const jpg = await out.embedJpg(readFileSync(join(dir, file)));
    const { width, height } = info.getPage(p - 1).getSize();
    out.addPage([width, height]).drawImage(jpg, { x: 0, y: 0, width, height });
  }
  out.setProducer('Scanner de l’accueil');
  return Buffer.from(await out.save());
}

async function edit(pdf: Buffer, change: (doc: PDFDocument) => void | Promise<void>): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  await change(doc);
  return Buffer.from(await doc.save());
}

/** qpdf's AES-256 encryption; `user` empty: opens without a password, encrypted all the same. */
export function encrypted(pdf: Buffer, user = 'secret'): Buffer {
  const input = tempFile('clear.pdf', pdf);
  const output = join(dir, `${++n}-encrypted.pdf`);
  const r = tool('qpdf', ['--encrypt', user, 'owner-secret', '256', '--', input, output]);
  if (r.status !== 0) throw new Error(`qpdf --encrypt: ${r.stderr}`);
  return readFileSync(output);
}

export const withJavaScriptOpenAction = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("bonjour")') }));
  });

/** JavaScript in the document's name tree (run at opening by Acrobat), nothing in the catalog's /OpenAction. */
export const withJavaScriptNames = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    const action = doc.context.register(doc.context.obj({ S: 'JavaScript', JS: PDFString.of('this.print()') }));
    doc.catalog.set(PDFName.of('Names'), doc.context.obj({ JavaScript: doc.context.obj({ Names: [PDFString.of('a'), action] }) }));
  });

export const withEmbeddedFile = (pdf: Buffer) =>
  edit(pdf, async (doc) => {
    await doc.attach(Buffer.from('pièce jointe'), 'note.txt', { mimeType: 'text/plain', description: 'Une pièce jointe' });
  });

export const withUriLink = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    const page = doc.getPage(0);
    const link = doc.context.register(
      doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [10, 10, 100, 30], A: doc.context.obj({ S: 'URI', URI: PDFString.of('https://example.org/') }) }),
    );
    page.node.set(PDFName.of('Annots'), doc.context.obj([link]));
  });

export const withLaunchOnPageOpen = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    doc.getPage(0).node.set(PDFName.of('AA'), doc.context.obj({ O: doc.context.obj({ S: 'Launch', F: PDFString.of('calc.exe') }) }));
  });

export const withXfa = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    const xdp = doc.context.register(doc.context.flateStream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"></xdp:xdp>'));
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], XFA: xdp }));
  });

/** A page destination as /OpenAction (which page to show first): not an action, accepted. */
export const withOpenDestination = (pdf: Buffer) =>
  edit(pdf, (doc) => {
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj([doc.getPage(0).ref, PDFName.of('Fit')]));
  });

/** The first half of the file with an end marker: objects cut in the middle. */
export function malformed(pdf: Buffer): Buffer {
  return Buffer.concat([pdf.subarray(0, Math.floor(pdf.length / 2)), Buffer.from('\n%%EOF\n')]);
}

export async function blankPages(count: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) doc.addPage([595.28, 841.89]);
  return Buffer.from(await doc.save());
}

/** A PNG (what a phone sends when it is not set to PDF). */
export function notAPdf(pdf: Buffer): Buffer {
  const source = tempFile('source.pdf', pdf);
  const prefix = join(dir, `${++n}-png`);
  const r = tool('pdftoppm', ['-png', '-r', '20', '-f', '1', '-l', '1', '-singlefile', source, prefix]);
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
  return readFileSync(`${prefix}.png`);
}
