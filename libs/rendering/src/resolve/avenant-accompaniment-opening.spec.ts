import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateLoader } from '@carepact/templates';
import { type TemplateInput, templateInputFromFixture } from './fixture-input';
import { resolve } from './resolve';
import { proseLines as text } from './testing/parties.builder';

/**
 * Avenant 1.10.0, the accompaniment avenant (CASF D.311: within six months, then updated each year):
 * its opening said « Le présent avenant, avenant à six mois, complète… » (« avenant » twice), the
 * free-text `document.kind` set in apposition. The two kinds the form suggests now read as French;
 * any other kind is shown as a label. 1.9.0 keeps its words, for the documents made with it.
 */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const NEW = loader.load('avenant', '1.10.0');
const OLD = loader.load('avenant', '1.9.0');


function withKind(kind: string | null, appliesTo = 'contrat-sejour'): TemplateInput {
  const input = structuredClone(templateInputFromFixture(fixture, 'avenant', 'marcel-dupont')) as TemplateInput & { document: { kind: string; appliesTo: string } };
  if (kind !== null) input.document.kind = kind;
  input.document.appliesTo = appliesTo;
  return input;
}
const opening = (t: ReturnType<typeof loader.load>, input: TemplateInput) =>
  text(resolve(t, input, 'standard')).find((l) => l.startsWith('Le présent avenant'));

describe('avenant 1.10.0: the accompaniment avenant’s opening says « avenant » once', () => {
  it('the demo’s six-month avenant: « Le présent avenant, établi dans les six mois suivant l’admission, complète… »', () => {
    expect(opening(NEW, withKind(null))).toBe(
      'Le présent avenant, établi dans les six mois suivant l’admission, complète le contrat de séjour signé le 29 octobre 2026. Il fixe les objectifs et les prestations adaptées à Marcel Dupont, issus de son projet personnalisé.',
    );
    expect(opening(NEW, withKind('Avenant à six mois'))).toMatch(/^Le présent avenant, établi dans les six mois suivant l’admission, complète/);
    expect(opening(OLD, withKind(null))).toMatch(/^Le présent avenant, avenant à six mois, complète/);
  });

  it('the yearly update, and a DIPC', () => {
    expect(opening(NEW, withKind('réactualisation annuelle'))).toMatch(/^Le présent avenant, réactualisation annuelle des objectifs et des prestations, complète le contrat de séjour signé le/);
    expect(opening(NEW, withKind('avenant à six mois', 'dipc'))).toMatch(/^Le présent avenant, établi dans les six mois suivant l’admission, complète le document individuel de prise en charge/);
  });

  it('any other kind, written by the staff, as a label', () => {
    expect(opening(NEW, withKind('avenant de mi-parcours'))).toMatch(/^Le présent avenant \(nature : avenant de mi-parcours\) complète le contrat de séjour signé le/);
  });

  it('no text of any kind says « avenant » twice in a row', () => {
    for (const kind of [null, 'réactualisation annuelle', 'avenant de mi-parcours']) expect(opening(NEW, withKind(kind))).not.toMatch(/avenant, avenant/);
  });
});
