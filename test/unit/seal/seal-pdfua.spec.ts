/**
 * The sealed PDF keeps its PDF/UA-1 structure (ACCESSIBILITY.md: "the sealed PDF is checked again
 * after signing"), and its signature field is itself tagged: a Form element whose only child is an
 * OBJR to the widget, the widget's /TU accessible name and /StructParent, /Tabs /S on its page.
 * Tests are named after the veraPDF rules they stand in for (docs/reference/verapdf-pdfua1-rules.tsv).
 */
import { join } from 'node:path';
import { ensureDevSealIdentity, SEAL_FIELD_NAME, type SealIdentity, sealDocument } from '@carepact/signing';
import { PICTOGRAMS_DIR } from '../rendering-pdf/fixtures/contrat-sejour.fixture';
import {
  allNames,
  dictOf,
  flattenStruct,
  pdfjs,
  type PdfJsView,
  qpdfObjects,
  type QpdfObject,
  type QpdfValue,
  type RawStruct,
  rawStructTree,
  run,
  writeTemp,
} from '../rendering-pdf/pdf-tools';
import { ESTABLISHMENT, now, signatureDictionary, signedTree, workDir } from './seal-tools';

type Dict = Record<string, QpdfValue>;

describe('PDF/UA-1 after sealing — contrat de séjour', () => {
  const tree = signedTree();
  let identity: SealIdentity;
  let file: string;
  let view: PdfJsView;
  let objects: Record<string, QpdfObject>;
  let catalog: Dict;
  let structs: RawStruct[];
  const get = (ref: QpdfValue): Dict => dictOf(objects[`obj:${String(ref)}`]) as Dict;

  beforeAll(async () => {
    identity = await ensureDevSealIdentity(join(workDir, 'dev-seal-ua'), ESTABLISHMENT);
    const sealed = await sealDocument(tree, identity, { signingTime: now(), reason: 'Document signé par toutes les parties', render: { pictogramsDir: PICTOGRAMS_DIR } });
    file = writeTemp(sealed, 'sealed-ua');
    view = pdfjs(file);
    objects = qpdfObjects(file);
    catalog = Object.values(objects)
      .map(dictOf)
      .find((d) => d?.['/Type'] === '/Catalog') as Dict;
    structs = flattenStruct(rawStructTree(objects).top);
  });

  it('qpdf --check finds no syntax or stream error; one revision (one xref, one %%EOF)', () => {
    const r = run('qpdf', ['--check', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = run('cat', [file]).stdout;
    expect(text.match(/%%EOF/g)).toHaveLength(1);
    expect(text.match(/^xref$/gm)).toHaveLength(1);
  });

  it('pdfinfo: tagged, with the document title', () => {
    const r = run('pdfinfo', [file]);
    expect(r.stdout).toMatch(/^Tagged:\s+yes$/m);
    expect(r.stdout).toContain(`Title:           ${tree.title}`);
  });

  it('5-1 XMP pdfuaid:part = 1; 7.1-9 dc:title; 7.2-29 /Lang fr-FR; 6.2-1 MarkInfo; 7.1-10 DisplayDocTitle', () => {
    expect(view.xmp?.['pdfuaid:part']).toBe('1');
    expect(view.xmp?.['dc:title']).toBe(tree.title);
    expect(catalog['/Lang']).toBe('u:fr-FR');
    expect(view.markInfo?.Marked).toBe(true);
    expect(view.viewerPreferences?.DisplayDocTitle).toBe(true);
  });

  it('7.1-11 StructTreeRoot holds the Document element with the content; 7.1-12 every element has a parent', () => {
    const top = rawStructTree(objects).top;
    expect(top.map((n) => n.S)).toEqual(['Document']);
    expect(top[0].kids.length).toBeGreaterThan(20);
    for (const s of structs) expect(s.dict['/P']).toMatch(/^\d+ 0 R$/);
  });

  it('7.18.4-1/7.18.4-2 the signature widget is in a Form element whose only child is an OBJR to it, inside the signatures section', () => {
    const { fieldRef } = signatureDictionary(objects);
    const forms = structs.filter((s) => s.S === 'Form');
    expect(forms).toHaveLength(1);
    const k = forms[0].dict['/K'] as QpdfValue[];
    expect(k).toHaveLength(1);
    const objr = k[0] as Dict;
    expect(objr['/Type']).toBe('/OBJR');
    expect(objr['/Obj']).toBe(fieldRef);
    expect(objr['/Pg']).toBe(get(fieldRef)['/P']);
    const sect = structs.find((s) => s.S === 'Sect');
    expect(sect?.kids.map((c) => c.S)).toContain('Form');
    expect(forms[0].dict['/P']).toBe(sect?.ref);
  });

  it('7.18.1-3 the field has a French /TU accessible name; the widget has /StructParent mapped to its Form element in the ParentTree', () => {
    const { field } = signatureDictionary(objects);
    expect(field['/FT']).toBe('/Sig');
    expect(field['/Subtype']).toBe('/Widget');
    expect(field['/T']).toBe(`u:${SEAL_FIELD_NAME}`);
    expect(field['/TU']).toBe(`u:Cachet électronique de ${ESTABLISHMENT}`);
    const key = field['/StructParent'] as number;
    expect(typeof key).toBe('number');
    const root = get(catalog['/StructTreeRoot']);
    const pt = root['/ParentTree'];
    const parentTree = typeof pt === 'string' ? get(pt) : (pt as Dict); // PDFKit writes it inline
    const nums = parentTree['/Nums'] as QpdfValue[];
    const i = nums.findIndex((v, j) => j % 2 === 0 && v === key);
    expect(i).toBeGreaterThanOrEqual(0);
    const form = structs.find((s) => s.S === 'Form');
    expect(nums[i + 1]).toBe(form?.ref);
    expect(root['/ParentTreeNextKey']).toBeGreaterThan(key);
  });

  it('7.18.3-1 the widget\'s page lists it in /Annots and has /Tabs /S (every page does)', () => {
    const { field, fieldRef } = signatureDictionary(objects);
    const page = get(field['/P']);
    expect(page['/Type']).toBe('/Page');
    expect(page['/Annots']).toEqual([fieldRef]);
    const pages = Object.values(objects)
      .map(dictOf)
      .filter((d) => d?.['/Type'] === '/Page');
    expect(pages).toHaveLength(view.numPages);
    pages.forEach((p) => expect(p?.['/Tabs']).toBe('/S'));
  });

  it('AcroForm: the one signature field, SigFlags 3, no NeedAppearances; the invisible widget is printable and locked', () => {
    const acro = get(catalog['/AcroForm']);
    expect(acro['/SigFlags']).toBe(3);
    expect(acro['/NeedAppearances']).toBeUndefined();
    const { field } = signatureDictionary(objects);
    expect(field['/Rect']).toEqual([0, 0, 0, 0]);
    expect(field['/F']).toBe(132);
  });

  it('7.21 fonts: all embedded with ToUnicode (pdffonts), none of the standard 14', () => {
    const r = run('pdffonts', [file]);
    const rows = r.stdout.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      // name type… emb sub uni object ID
      const [emb, , uni] = cols.slice(-5, -2);
      expect({ row, emb, uni }).toEqual({ row, emb: 'yes', uni: 'yes' });
      expect(row).not.toMatch(/^(Courier|Helvetica|Times|Symbol|ZapfDingbats)/);
    }
  });

  it('no JavaScript, OpenAction, Launch, URI or additional actions anywhere; the widget has no action', () => {
    const names = allNames(objects);
    for (const forbidden of ['/JavaScript', '/JS', '/OpenAction', '/Launch', '/AA', '/URI', '/SubmitForm', '/ResetForm', '/ImportData']) {
      expect(names.has(forbidden)).toBe(false);
    }
    const { field } = signatureDictionary(objects);
    expect(field['/A']).toBeUndefined();
  });

  it('7.1-3 every text item is still tagged content or an Artifact', () => {
    for (const page of view.pages) {
      for (const item of page.items) {
        if (item.str.trim() === '') continue;
        expect({ str: item.str, depth: item.marked.length }).toEqual({ str: item.str, depth: 1 });
      }
    }
  });
});
