/**
 * Issue 11 §6: the scan of a paper signature. What pdf-lib must refuse (each with its stable code),
 * what it accepts, and the stamped, sealed copy — read back with poppler (pdfsig, pdftotext -bbox,
 * pdfinfo) and qpdf, never with the code that wrote it.
 */
import { join } from 'node:path';
import { PDFDocument, degrees } from 'pdf-lib';
import { verifyPades } from '@carepact/archive';
import { renderPdf } from '@carepact/rendering';
import { MAX_SCAN_BYTES, STAMP_STRIP, type SealIdentity, ensureDevSealIdentity, inspectScan, sealScan } from '@carepact/signing';
import { PICTOGRAMS_DIR, contratSejourTree } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import { ESTABLISHMENT, now, pdfsig, workDir } from '../seal/seal-tools';
import {
  blankPages,
  encrypted,
  malformed,
  notAPdf,
  scanOf,
  tempFile,
  tool,
  withEmbeddedFile,
  withJavaScriptNames,
  withJavaScriptOpenAction,
  withLaunchOnPageOpen,
  withOpenDestination,
  withUriLink,
  withXfa,
} from './scan-fixtures';

const codeOf = async (bytes: Buffer): Promise<string> => {
  try {
    await inspectScan(bytes);
    return 'accepted';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('paper signature scans: inspection, stamp and seal', () => {
  let rendered: Buffer;
  let scan: Buffer;
  let identity: SealIdentity;

  beforeAll(async () => {
    rendered = await renderPdf(contratSejourTree('standard'), 'standard', { pictogramsDir: PICTOGRAMS_DIR });
    scan = await scanOf(rendered, [1, 2]);
    identity = await ensureDevSealIdentity(join(workDir, 'paper-seal'), ESTABLISHMENT);
  }, 60000);

  it('a scan (a rendered contract, rasterised by pdftoppm, wrapped by pdf-lib) is accepted; qpdf --check agrees', async () => {
    const facts = await inspectScan(scan);
    expect(facts).toMatchObject({ pageCount: 2, byteSize: scan.length, pdfVersion: '1.7' });
    expect(facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(tool('qpdf', ['--check', tempFile('scan.pdf', scan)]).status).toBe(0);
    // A page destination as /OpenAction only says which page to show: it is not an action.
    expect(await codeOf(await withOpenDestination(scan))).toBe('accepted');
  });

  it.each([
    ['encrypted with a password (qpdf AES-256)', 'PAPER_ENCRYPTED', async (s: Buffer) => encrypted(s)],
    ['encrypted, opening without a password', 'PAPER_ENCRYPTED', async (s: Buffer) => encrypted(s, '')],
    ['JavaScript as /OpenAction', 'PAPER_JAVASCRIPT', withJavaScriptOpenAction],
    ['JavaScript in the name tree', 'PAPER_JAVASCRIPT', withJavaScriptNames],
    ['an embedded file', 'PAPER_EMBEDDED_FILES', withEmbeddedFile],
    ['a link annotation with a URI action', 'PAPER_ACTIONS', withUriLink],
    ['a Launch action when the page opens (/AA)', 'PAPER_ACTIONS', withLaunchOnPageOpen],
    ['an XFA form', 'PAPER_XFA', withXfa],
    ['cut in the middle', 'PAPER_MALFORMED', async (s: Buffer) => malformed(s)],
    ['without its end of file', 'PAPER_MALFORMED', async (s: Buffer) => s.subarray(0, s.length - 200)],
    ['a PNG', 'PAPER_NOT_PDF', async (s: Buffer) => notAPdf(s)],
    ['empty', 'PAPER_NOT_PDF', async () => Buffer.alloc(0)],
  ])('refused: %s → %s', async (_what, code, make) => {
    expect(await codeOf(await make(scan))).toBe(code);
  });

  it('page and size limits: 100 pages pass, 101 do not; one byte over the size limit is refused before parsing', async () => {
    expect(await codeOf(await blankPages(100))).toBe('accepted');
    expect(await codeOf(await blankPages(101))).toBe('PAPER_TOO_MANY_PAGES');
    const big = Buffer.concat([scan, Buffer.alloc(MAX_SCAN_BYTES + 1 - scan.length, 0x20)]);
    await expect(inspectScan(big)).rejects.toMatchObject({ code: 'PAPER_TOO_LARGE', kind: 'too_large' });
  });

  it('the refusal names what was found and says it in French', async () => {
    await expect(inspectScan(await withJavaScriptOpenAction(scan))).rejects.toMatchObject({
      code: 'PAPER_JAVASCRIPT',
      messageFr: expect.stringContaining('JavaScript'),
      details: [expect.objectContaining({ field: 'pdf', message: expect.stringContaining('/OpenAction') })],
    });
  });

  it('sealed: every page stamped in a strip below the scan (never over it), an evidence page, a valid PAdES signature', async () => {
    // A third page turned a quarter (/Rotate 90): the stamp follows the page as it is shown.
    const doc = await PDFDocument.load(scan);
    const [copy] = await doc.copyPages(doc, [0]);
    copy.setRotation(degrees(90));
    doc.addPage(copy);
    const input = Buffer.from(await doc.save());
    const signingTime = now();
    const sealed = await sealScan(input, identity, {
      stampLines: (p, n) => [`Signé sur papier — Contrat de séjour de Seán O’Brien-Nuñez — page ${p} sur ${n}`, `Version 0b8e1f3c-4c1d-4a7e-9d55-2f1f0c1d2e3f (n° 1)`],
      evidence: { title: 'Dossier de preuve — document signé sur papier', lines: [`Scan original : empreinte SHA-256 ${'ab'.repeat(32)}.`] },
      title: 'Contrat de séjour — signé sur papier',
      signingTime,
      signature: { fieldName: 'CachetEtablissement', tooltip: `Cachet électronique de ${ESTABLISHMENT}`, signerName: ESTABLISHMENT, reason: 'Document signé sur papier', location: ESTABLISHMENT },
    });
    const file = tempFile('sealed.pdf', sealed);
    const sig = pdfsig(file);
    expect(sig.valid).toBe(true);
    expect(sig.out).toContain('Total document signed');
    expect(sig.out).toContain('ETSI.CAdES.detached');
    expect(tool('qpdf', ['--check', file]).status).toBe(0);
    // The archive's offline verifier (archive:verify) accepts it as it accepts the generated seals.
    expect(verifyPades(sealed)).toMatchObject({ ok: true });

    const pages = tool('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(4);
    pages.forEach((text, i) => expect(text).toContain(`Contrat de séjour de Seán O’Brien-Nuñez — page ${i + 1} sur 4`));
    expect(pages[3]).toContain('Dossier de preuve');

    // Page 1 grew by the strip, and every stamp word sits in it: below the scanned area.
    const original = (await PDFDocument.load(scan)).getPage(0).getSize();
    const info = tool('pdfinfo', ['-f', '1', '-l', '3', file]).stdout;
    expect(info).toContain(`Page    1 size:  ${original.width.toFixed(2)} x ${(original.height + STAMP_STRIP).toFixed(2)} pts`);
    const bbox = tool('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-']).stdout;
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
    expect(words.length).toBeGreaterThan(10);
    for (const w of words) expect(Number(w[2])).toBeGreaterThanOrEqual(original.height);
    // The turned page is shown landscape, the strip along its shown bottom edge.
    expect(info).toMatch(/Page {4}3 rot:\s+90/);
    expect(info).toContain(`Page    3 size:  ${(original.width + STAMP_STRIP).toFixed(2)} x ${original.height.toFixed(2)} pts`);
  }, 60000);
});
