import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { pdfStyleFor, renderDocx, readZip } from '@carepact/rendering';
import { renderHtml } from '@carepact/rendering';
import { resolve, templateInputFromFixture } from '@carepact/rendering';
import { contentVariantOf, DocumentTree, Variant, VARIANTS } from '@carepact/rendering';
import { TemplateLoader } from '@carepact/templates';
import { AXE_SOURCE, launchChromium } from '@carepact/testing';

/**
 * Every document type × variant, rendered from the demo fixture: the HTML passes axe-core
 * (WCAG 2.1 AA) in the Debian Chromium; the DOCX has heading styles, w:lang fr-FR, a title,
 * header rows and alt text; both are reproducible and carry the data byte-exact.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'];

function tree(type: string, variant: Variant, residentKey?: string, patch?: (input: ReturnType<typeof templateInputFromFixture>) => void): DocumentTree {
  const input = templateInputFromFixture(fixture, type, residentKey);
  patch?.(input);
  return resolve(loader.load(type), input, contentVariantOf(variant));
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
function docxParts(docx: Buffer): Record<string, string> {
  return Object.fromEntries(readZip(docx).filter((e) => /\.(xml|rels)$/.test(e.name)).map((e) => [e.name, e.data.toString('utf8')]));
}
/** Paragraph texts of the document body, in order. */
function docxParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1])).join(''));
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function axeViolations(html: string): Promise<{ id: string; nodes: number }[]> {
  const page = await browser.newPage();
  try {
    await page.setContent(html);
    await page.addScriptTag({ content: AXE_SOURCE });
    // A string expression: this file is type-checked without the DOM library.
    const result = await page.evaluate<{ violations: { id: string; nodes: unknown[] }[] }>(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })`,
    );
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
  } finally {
    await page.close();
  }
}

describe.each(TYPES)('%s', (type) => {
  describe.each([...VARIANTS])('%s', (variant) => {
    const t = tree(type, variant);

    it('HTML passes axe-core WCAG 2.1 AA in Chromium', async () => {
      const html = renderHtml(t, variant);
      expect(html).toContain('<html lang="fr">');
      expect(await axeViolations(html)).toEqual([]);
    });

    it('HTML is reproducible', () => {
      expect(renderHtml(tree(type, variant), variant)).toBe(renderHtml(t, variant));
    });

    it('DOCX: heading styles, fr-FR, title, header rows, alt text, fixed dates', async () => {
      const parts = docxParts(await renderDocx(t, variant));
      const styles = parts['word/styles.xml'];
      expect(styles).toMatch(/w:styleId="Heading1"/);
      expect(styles).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="fr-FR"[\s\S]*<\/w:docDefaults>/);
      const body = parts['word/document.xml'];
      expect(body).toContain('<w:pStyle w:val="Heading1"/>');
      expect(body).toContain('<w:pStyle w:val="Heading2"/>');
      expect(body).not.toMatch(/<w:i\/>|<w:u /);
      const tables = body.match(/<w:tbl>/g)?.length ?? 0;
      expect(body.match(/<w:tblHeader\/>/g)?.length ?? 0).toBe(tables);
      const figures = t.blocks.filter((b) => b.kind === 'figure');
      const docPr = [...body.matchAll(/<wp:docPr ([^>]*)>/g)].map((m) => m[1]);
      expect(docPr).toHaveLength(figures.length);
      docPr.forEach((attrs, i) => expect(attrs).toContain(`descr="${(figures[i] as { alt: string }).alt.replace(/'/g, '&apos;')}"`));
      const core = parts['docProps/core.xml'];
      expect(core).toContain(`<dc:title>${t.title}</dc:title>`);
      expect(core).toContain(`>${t.meta.issuedAt.replace('.000Z', 'Z')}</dcterms:created>`);
      // The outline Word shows: the document's headings in order.
      const headings = t.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: { text: string }[] }).text.map((r) => r.text).join(''));
      const docxHeadings = [...body.matchAll(/<w:p>(?:(?!<\/w:p>)[\s\S])*?<w:pStyle w:val="Heading[1-4]"\/>[\s\S]*?<\/w:p>/g)].map((m) => docxParagraphs(m[0])[0]);
      expect(docxHeadings.filter((h) => headings.includes(h))).toEqual(headings);
    });

    it('DOCX lays out like the PDF: line spacing "auto", its fonts declared, its margins, header and footer', async () => {
      const parts = docxParts(await renderDocx(t, variant));
      const body = parts['word/document.xml'];
      // Every line spacing is a multiple ("auto"): never a height LibreOffice would read as exact.
      const spacings = [...(parts['word/styles.xml'] + body).matchAll(/<w:spacing [^>]*w:line="[^"]*"[^>]*\/>/g)].map((m) => m[0]);
      expect(spacings.length).toBeGreaterThan(3);
      for (const sp of spacings) expect(sp).toContain('w:lineRule="auto"');
      expect(parts['word/styles.xml']).toMatch(/<w:docDefaults>[\s\S]*<w:rFonts w:ascii="Atkinson Hyperlegible Next" w:cs="DejaVu Sans" w:eastAsia="DejaVu Sans" w:hAnsi="Atkinson Hyperlegible Next"\/>[\s\S]*<\/w:docDefaults>/);
      const fonts = parts['word/fontTable.xml'];
      for (const name of ['Atkinson Hyperlegible Next', 'DejaVu Sans'])
        expect(fonts).toContain(`<w:font w:name="${name}"><w:altName w:val="Arial"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>`);
      // Margins in twips, from the PDF's style profile (large print: 3 cm top and bottom, 2.5 cm sides).
      const m = pdfStyleFor(variant).margins;
      const pgMar = /<w:pgMar ([^>]*)\/>/.exec(body)?.[1] ?? '';
      for (const side of ['top', 'right', 'bottom', 'left'] as const) expect(pgMar).toContain(`w:${side}="${Math.round(m[side] * 20)}"`);
      if (variant === 'large-print') expect(pgMar).toMatch(/w:top="1701" w:right="1417" w:bottom="1701" w:left="1417"/);
      const resident = templateInputFromFixture(fixture, type).resident as { firstName: string; lastName: string };
      const rels = parts['word/_rels/document.xml.rels'];
      const partOf = (kind: 'header' | 'footer'): string => {
        const id = new RegExp(`<w:${kind}Reference w:type="default" r:id="([^"]+)"/>`).exec(body)?.[1];
        const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
        return parts[`word/${target}`];
      };
      expect(docxParagraphs(partOf('header'))).toEqual([`${resident.firstName} ${resident.lastName} — ${t.title}`]);
      const footer = partOf('footer');
      expect(docxParagraphs(footer)).toEqual(['Page  sur ', 'Aperçu, non versionné']);
      expect(footer).toMatch(/<w:instrText xml:space="preserve">PAGE<\/w:instrText>[\s\S]*<w:instrText xml:space="preserve">NUMPAGES<\/w:instrText>/);
    });

    it('DOCX footer names the stored version when there is one', async () => {
      const versioned = { ...t, meta: { ...t.meta, versionId: '0f6c2a9e-3b1d-4c7a-9e55-2d8f7a1b4c90' } };
      const xml = Object.entries(docxParts(await renderDocx(versioned, variant))).find(([name]) => /^word\/footer\d*\.xml$/.test(name))?.[1] ?? '';
      expect(docxParagraphs(xml)).toEqual(['Page  sur ', 'Version 0f6c2a9e-3b1d-4c7a-9e55-2d8f7a1b4c90']);
    });

    it('DOCX is byte-identical when rendered twice', async () => {
      const a = await renderDocx(t, variant);
      await new Promise((r) => setTimeout(r, 1100)); // a second later: the clock must not matter
      const b = await renderDocx(tree(type, variant), variant);
      expect(b.equals(a)).toBe(true);
    });
  });
});

describe('the fixture values come out byte-exact', () => {
  it.each([...VARIANTS])('contrat-sejour for Seán O’Brien-Nuñez, %s', async (variant) => {
    const t = tree('contrat-sejour', variant, 'sean-obrien');
    const name = "Seán O'Brien-Nuñez";
    const page = await browser.newPage();
    try {
      await page.setContent(renderHtml(t, variant));
      expect(await page.locator('main').innerText()).toContain(name);
    } finally {
      await page.close();
    }
    const text = docxParagraphs(docxParts(await renderDocx(t, variant))['word/document.xml']).join('\n');
    expect(text).toContain(name);
    expect(text).toContain('Claire Morel');
    if (variant !== 'falc') expect(text).toContain('72,50\u00a0€');
  });

  it('hostile names are shown literally, never executed', async () => {
    const hostile = '<script>window.pwned=1</script>{{constructor}} (\\) /JavaScript \u202Eevil';
    const t = tree('contrat-sejour', 'standard', 'jeanne-martin', (input) => {
      input.resident = { ...input.resident, lastName: hostile };
    });
    const page = await browser.newPage();
    try {
      await page.setContent(renderHtml(t, 'standard'));
      expect(await page.evaluate('document.querySelectorAll("script").length')).toBe(0);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
      expect(await page.locator('main').innerText()).toContain(`Jeanne ${hostile}`);
    } finally {
      await page.close();
    }
    const text = docxParagraphs(docxParts(await renderDocx(t, 'standard'))['word/document.xml']).join('\n');
    expect(text).toContain(`Jeanne ${hostile}`);
  });
});
