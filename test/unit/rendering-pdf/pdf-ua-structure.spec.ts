/**
 * PDF/UA-1 machine checks of the tagged PDF adapter, named after the veraPDF rules they stand in
 * for (docs/reference/verapdf-pdfua1-rules.tsv), for each rendition variant.
 */
import { renderPdf } from '@carepact/rendering';
import { VARIANTS, type Variant } from '@carepact/rendering';
import { contratSejourTree, PICTOGRAMS_DIR } from './fixtures/contrat-sejour.fixture';
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
} from './pdf-tools';

describe.each(VARIANTS)('PDF/UA-1 structure — contrat de séjour, %s', (variant: Variant) => {
  const tree = contratSejourTree(variant === 'falc' ? 'falc' : 'standard');
  let pdf: Buffer;
  let file: string;
  let view: PdfJsView;
  let objects: Record<string, QpdfObject>;
  let catalog: Record<string, QpdfValue>;
  let structs: RawStruct[];
  let top: RawStruct[];

  beforeAll(async () => {
    pdf = await renderPdf(tree, variant, { pictogramsDir: PICTOGRAMS_DIR });
    file = writeTemp(pdf, `contrat-${variant}`);
    view = pdfjs(file);
    objects = qpdfObjects(file);
    catalog = Object.values(objects)
      .map(dictOf)
      .find((d) => d?.['/Type'] === '/Catalog') as Record<string, QpdfValue>;
    top = rawStructTree(objects).top;
    structs = flattenStruct(top);
  });

  it('qpdf --check finds no syntax or stream error', () => {
    const r = run('qpdf', ['--check', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('6.1-1 header is %PDF-1.7 followed by one EOL', () => {
    expect(pdf.subarray(0, 9).toString('latin1')).toBe('%PDF-1.7\n');
  });

  it('pdfinfo reports a tagged PDF with the document title', () => {
    const r = run('pdfinfo', [file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Tagged:\s+yes$/m);
    expect(r.stdout).toContain(`Title:           ${tree.title}`);
  });

  it('5-1/5-2/5-3 XMP declares pdfuaid:part = 1 in the PDF/UA identification schema', () => {
    expect(view.xmp?.['pdfuaid:part']).toBe('1');
    expect(view.xmpRaw).toContain('xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"');
  });

  it('7.1-8 catalog has a Metadata stream with Type Metadata and Subtype XML', () => {
    const meta = objects[`obj:${String(catalog['/Metadata'])}`];
    expect(meta?.stream?.dict['/Type']).toBe('/Metadata');
    expect(meta?.stream?.dict['/Subtype']).toBe('/XML');
  });

  it('7.1-9 XMP dc:title is the document title, hostile characters escaped and intact', () => {
    expect(view.xmp?.['dc:title']).toBe(tree.title);
    expect(view.xmpRaw).toContain('&lt;script&gt;');
    expect(view.xmpRaw).not.toContain('<script>');
  });

  it('7.2-29/7.2-34 catalog /Lang is fr-FR', () => {
    expect(catalog['/Lang']).toBe('u:fr-FR');
    expect(view.info.Language).toBe('fr-FR');
  });

  it('6.2-1 MarkInfo has Marked true (and 7.1-4 no Suspects)', () => {
    expect(view.markInfo?.Marked).toBe(true);
    expect(view.markInfo?.Suspects).toBe(false);
  });

  it('7.1-10 ViewerPreferences DisplayDocTitle is true and the info Title is set', () => {
    expect(view.viewerPreferences?.DisplayDocTitle).toBe(true);
    expect(view.info.Title).toBe(tree.title);
  });

  it('7.1-11 StructTreeRoot holds one Document element with the content', () => {
    expect(top.map((n) => n.S)).toEqual(['Document']);
    expect(top[0].kids.length).toBeGreaterThan(20);
    for (const page of view.pages) expect(page.structTree?.children?.[0]?.role).toBe('Document');
  });

  it('7.1-12 every structure element has a parent (P entry)', () => {
    for (const s of structs) expect(s.dict['/P']).toMatch(/^\d+ 0 R$/);
  });

  it('7.1-3 every text item is tagged real content or an Artifact (7.1-1/7.1-2: never nested)', () => {
    let tagged = 0;
    let artifacts = 0;
    for (const page of view.pages) {
      for (const item of page.items) {
        if (item.str.trim() === '') continue;
        expect({ str: item.str, depth: item.marked.length }).toEqual({ str: item.str, depth: 1 });
        const mc = item.marked[0];
        if (mc.tag === 'Artifact') artifacts++;
        else {
          expect({ str: item.str, id: mc.id }).toEqual({ str: item.str, id: expect.stringMatching(/_mc\d+$/) });
          tagged++;
        }
      }
    }
    expect(tagged).toBeGreaterThan(50);
    expect(artifacts).toBeGreaterThanOrEqual(2 * view.numPages);
  });

  it('7.1-3 running header and "Page n sur N" are artifacts on every page', () => {
    view.pages.forEach((page) => {
      const number = page.items.find((i) => i.str === `Page ${page.number} sur ${view.numPages}`);
      expect(number?.marked[0].tag).toBe('Artifact');
    });
  });

  it('7.4.2-1 headings: H1 first, no level skipped', () => {
    const levels = structs.filter((s) => /^H[1-6]$/.test(s.S)).map((s) => Number(s.S[1]));
    expect(levels[0]).toBe(1);
    expect(levels.length).toBeGreaterThan(5);
    levels.forEach((l, i) => {
      if (i > 0) expect(l).toBeLessThanOrEqual(levels[i - 1] + 1);
    });
    expect(structs.some((s) => s.S === 'H')).toBe(false); // 7.4.4-2: weakly structured only
  });

  it('7.2-3…7.2-16 tables: Caption first, THead/TBody of TR, TR of TH/TD, same number of cells', () => {
    const tables = structs.filter((s) => s.S === 'Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.kids.map((k) => k.S)).toEqual(['Caption', 'THead', 'TBody']);
      const rows = table.kids.slice(1).flatMap((g) => {
        g.kids.forEach((k) => expect(k.S).toBe('TR'));
        return g.kids;
      });
      const widths = new Set(rows.map((r) => r.kids.length));
      expect(widths.size).toBe(1);
      rows.forEach((r) => r.kids.forEach((c) => expect(['TH', 'TD']).toContain(c.S)));
    }
  });

  it('7.5-1 every TH has a Scope: Column in the header row, Row for row headers', () => {
    const ths = structs.filter((s) => s.S === 'TH');
    expect(ths.length).toBeGreaterThan(2);
    for (const th of ths) {
      const a = th.dict['/A'] as Record<string, QpdfValue>;
      expect(a['/O']).toBe('/Table');
      expect(['/Column', '/Row']).toContain(a['/Scope']);
    }
    for (const table of structs.filter((s) => s.S === 'Table')) {
      for (const th of table.kids[1].kids[0].kids) expect((th.dict['/A'] as Record<string, QpdfValue>)['/Scope']).toBe('/Column');
      for (const tr of table.kids[2].kids) expect((tr.kids[0].dict['/A'] as Record<string, QpdfValue>)['/Scope']).toBe('/Row');
    }
  });

  it('7.2-17…7.2-20 lists: L of LI, LI of Lbl + LBody, labels are real characters', () => {
    const lists = structs.filter((s) => s.S === 'L');
    expect(lists.length).toBeGreaterThan(1);
    for (const l of lists) {
      for (const li of l.kids) {
        expect(li.S).toBe('LI');
        expect(li.kids.map((k) => k.S)).toEqual(['Lbl', 'LBody']);
        expect(li.kids.every((k) => k.hasContent)).toBe(true);
      }
    }
    const labels = view.pages.flatMap((p) => p.items.filter((i) => i.marked[0]?.tag === 'Lbl').map((i) => i.str.trim()));
    expect(labels).toContain('•');
    expect(labels).toContain('1.');
    expect(labels).toContain('2.');
  });

  it('7.3-1 every Figure has Alt text (pdf.js reads it) and a layout BBox', () => {
    const figures = structs.filter((s) => s.S === 'Figure');
    const expected = tree.blocks.filter((b) => b.kind === 'figure').length;
    expect(figures.length).toBe(expected);
    for (const f of figures) {
      expect(String(f.dict['/Alt'])).toMatch(/^u:.+/);
      expect((f.dict['/A'] as Record<string, QpdfValue>)['/BBox']).toHaveLength(4);
      expect(f.hasContent).toBe(true);
    }
    const alts = view.pages.flatMap((p) => flattenView(p.structTree).filter((n) => n.role === 'Figure').map((n) => n.alt));
    for (const b of tree.blocks) if (b.kind === 'figure') expect(alts).toContain(b.alt);
  });

  it('signatures: a Sect with a heading and one Div of paragraphs per signer', () => {
    const sect = structs.find((s) => s.S === 'Sect');
    expect(sect?.kids[0].S).toMatch(/^H[12]$/);
    const divs = sect?.kids.filter((k) => k.S === 'Div') ?? [];
    expect(divs).toHaveLength(3);
    divs.forEach((d) => d.kids.forEach((p) => expect(p.S).toBe('P')));
  });

  it('7.18.3-1 pages carry /Tabs /S', () => {
    const pages = Object.values(objects)
      .map(dictOf)
      .filter((d) => d?.['/Type'] === '/Page');
    expect(pages).toHaveLength(view.numPages);
    pages.forEach((p) => expect(p?.['/Tabs']).toBe('/S'));
  });

  it('no JavaScript, OpenAction, Launch or additional actions anywhere (the title text says /JavaScript, no key does)', () => {
    const names = allNames(objects);
    for (const forbidden of ['/JavaScript', '/JS', '/OpenAction', '/Launch', '/AA', '/URI', '/SubmitForm']) {
      expect(names.has(forbidden)).toBe(false);
    }
    expect(catalog['/Names'] && dictOf(objects[`obj:${String(catalog['/Names'])}`])?.['/JavaScript']).toBeFalsy();
    // The outline navigates with destinations, never actions.
    expect(view.outline?.length).toBeGreaterThan(0);
    for (const o of view.outline ?? []) expect(o.action ?? null).toBeNull();
  });
});

function flattenView(node: { role?: string; alt?: string; children?: unknown[] } | null): { role?: string; alt?: string }[] {
  if (!node) return [];
  const out: { role?: string; alt?: string }[] = [node];
  for (const c of (node.children ?? []) as { role?: string; alt?: string; children?: unknown[] }[]) out.push(...flattenView(c));
  return out;
}
