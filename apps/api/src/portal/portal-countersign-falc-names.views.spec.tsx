import type { PortalContext } from '@carepact/signing';
import { lintFalcText } from '@carepact/templates';
import { portalContext } from './portal-context.fixture';
import { landingPage, readingPage, refusePage, signPage } from './portal.views';

/**
 * Two things a signer reads in the portal:
 * - the name of an avenant says what it amends (documents.subtype): an avenant to a DIPC is
 *   « avenant au document individuel de prise en charge (DIPC) » (CASF D.311 VII), the annex on the
 *   freedom to come and go « annexe au contrat de séjour sur la liberté d’aller et venir » (CASF
 *   L.311-4-1 I), never « avenant au contrat de séjour »;
 * - a DIPC's optional countersigner (CASF D.311 II) who reads easy-to-read French is told in plain
 *   words what happens — « signer aussi, si vous le voulez » — on every page before her answer, the
 *   consent she ticks included, never « contresigner » (jargon for the FALC lint) beside a « signer ».
 */
function tuteur(type: 'dipc' | 'avenant', subtype: string | null, easyToRead: boolean): PortalContext {
  const ctx = portalContext();
  return {
    ...ctx,
    signer: {
      ...ctx.signer,
      role: 'tuteur',
      firstName: 'Paul',
      lastName: 'Martin',
      capacity: 'en qualité de tuteur, qui représente Seán O’Brien',
      measure: { type: 'tutelle', mode: 'representation' },
      optional: true,
    },
    document: { id: 'd1', type, subtype },
    preferences: { largePrint: false, easyToRead },
  } as PortalContext;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
/** The main's paragraphs and list items, as read. */
const lines = (html: string) =>
  [...html.slice(html.indexOf('<main'), html.indexOf('</main>')).matchAll(/<(p|li)>([\s\S]*?)<\/\1>/g)].map((m) => m[2].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());

describe('portal: an avenant named by what it amends', () => {
  it('an avenant to a DIPC: « avenant au document individuel de prise en charge (DIPC) », in the title, the facts and the sign page', () => {
    const ctx = tuteur('avenant', 'avenant-dipc', false);
    const landing = landingPage(ctx);
    expect(landing).toContain('<h1>Signature : avenant au document individuel de prise en charge (DIPC)</h1>');
    expect(text(landing)).toContain('Le document : l’avenant au document individuel de prise en charge (DIPC) de Seán O’Brien');
    expect(landing).not.toContain('contrat de séjour');
    expect(signPage(ctx, true)).toContain('<h1>Contresigner : avenant au document individuel de prise en charge (DIPC)</h1>');
  });

  it('the annex on the freedom to come and go: « annexe au contrat de séjour sur la liberté d’aller et venir »; an avenant to the contract keeps its name', () => {
    const annex = { ...tuteur('avenant', 'annexe-liberte-aller-venir', false), signer: { ...tuteur('avenant', null, false).signer, optional: false } } as PortalContext;
    expect(landingPage(annex)).toContain('<h1>Signature : annexe au contrat de séjour sur la liberté d’aller et venir</h1>');
    const avenant = { ...annex, document: { id: 'd1', type: 'avenant', subtype: null } } as PortalContext;
    expect(landingPage(avenant)).toContain('<h1>Signature : avenant au contrat de séjour</h1>');
  });
});

describe('portal, easy-to-read French: a DIPC’s countersignature said in plain words (CASF D.311 II)', () => {
  const pages = (ctx: PortalContext): [string, string][] => [
    ['landing', landingPage(ctx)],
    ['landing, established', landingPage(ctx, { established: true })],
    ['reading', readingPage(ctx, 'falc', '<p>Texte.</p>')],
    ['sign', signPage(ctx, true)],
    ['refuse', refusePage(ctx)],
  ];

  it('no « contresigner » on any page before the answer; « signer aussi », the consent included', () => {
    const ctx = tuteur('dipc', null, true);
    for (const [name, html] of pages(ctx)) expect({ name, jargon: /contresign/i.test(text(html)) }).toEqual({ name, jargon: false });
    const sign = signPage(ctx, true);
    expect(sign).toContain('J’ai lu le document et je le signe aussi en qualité de tuteur, pour Seán O’Brien, que je représente.');
    expect(sign).toContain('<h1>Signer aussi : document individuel de prise en charge (DIPC)</h1>');
    expect(sign).toContain('<button type="submit">Signer aussi</button>');
    expect(lines(sign)).toContain('Vous pouvez signer aussi le document individuel de prise en charge (DIPC) de Seán O’Brien, si vous le voulez.');
    expect(text(landingPage(ctx))).toContain('Vous pouvez signer aussi, si vous le voulez : Paul Martin');
    expect(text(refusePage(ctx))).toContain('Ne pas signer');
    expect(lines(refusePage(ctx))).toContain('Signer ce document n’est pas obligatoire.');
  });

  it('the sentences written for easy-to-read pass the FALC lint (no jargon, one idea each)', () => {
    const ctx = tuteur('dipc', null, true);
    const written = [
      ...lines(refusePage(ctx)).slice(0, 4),
      ...lines(landingPage(ctx, { established: true })).filter((l) => /signer aussi|obligatoire|jusqu’au|e-mail/.test(l) && !l.includes(':')),
      ...lines(landingPage(ctx)).filter((l) => /signer aussi|e-mail/.test(l) && !l.includes(':')),
      ...lines(readingPage(ctx, 'falc', '<p>Texte.</p>')).filter((l) => /signer aussi|obligatoire|question/.test(l)),
    ];
    expect(written.length).toBeGreaterThan(6);
    expect(written.flatMap((l) => lintFalcText(l).map((f) => `${f.rule}: ${f.excerpt}`))).toEqual([]);
  });

  it('the standard pages keep « contresigner », the legal word (CASF D.311 II)', () => {
    const ctx = tuteur('dipc', null, false);
    expect(signPage(ctx, true)).toContain('J’ai lu le document et je le contresigne en qualité de tuteur, pour Seán O’Brien, que je représente.');
    expect(signPage(ctx, true)).toContain('<button type="submit">Contresigner</button>');
    expect(text(landingPage(ctx))).toContain('Vous pouvez le contresigner : Paul Martin');
  });
});
