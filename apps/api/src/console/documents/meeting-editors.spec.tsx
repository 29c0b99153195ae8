import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateInputFromFixture, templates, validateTemplateInput } from '@carepact/rendering';
import { renderFragment } from '../../views';
import { carriedOver, meetingEditorOf, renderMeetingEditor } from './meeting-editors';
import { Data, applyRowAction, formSchemaOf, memberKeys, parseForm, renderFields } from './schema-form';

const demo = JSON.parse(readFileSync(join(__dirname, '../../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8')) as { documents: Record<string, Data> };
const demoInput = (type: string) => templateInputFromFixture(demo as unknown as Parameters<typeof templateInputFromFixture>[0], type);

/** The form's fields as a browser would post them: every named control with its value. */
function posted(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<(input|textarea|select)\b([^>]*)>([\s\S]*?)(?=<\/\1>|<(?:input|textarea|select|div|p|fieldset)\b)/g)) {
    const attrs = m[2];
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    if (m[1] === 'input') {
      if (/type="radio"/.test(attrs) && !/\bchecked\b/.test(attrs)) continue;
      out[name] = unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    } else if (m[1] === 'textarea') out[name] = unescape(m[3]);
    else out[name] = unescape(/<option[^>]*value="([^"]*)"[^>]*selected/.exec(m[3])?.[1] ?? '');
  }
  return out;
}

describe.each(['projet-personnalise', 'compte-rendu-synthese'] as const)('the %s editor, shaped like the meeting', (type) => {
  const fs = formSchemaOf(templates().load(type).content.inputSchema);
  const editor = meetingEditorOf(type)!;
  const { resident: _key, ...data } = demo.documents[type];

  it('draws every member of the template (none left to « Autres informations »), each easy-to-read counterpart after its text', () => {
    const drawn = new Set<string>();
    const html = renderFragment(<>{renderMeetingEditor(editor, fs, data, { documentType: type, errors: [], drawn })}</>);
    for (const k of memberKeys(fs)) expect(drawn.has(k)).toBe(true);
    expect(html).not.toContain('Autres informations');
    const headings = [...html.matchAll(/<h3 id="[^"]+">([\s\S]*?)<\/h3>/g)].map((m) => m[1].replace(/<!-- -->/g, ''));
    expect(headings).toEqual(editor.steps.map((s, i) => `${i + 1}. ${s.title}`));
    expect(html.indexOf('id="personExpressionFalc"') > html.indexOf('id="personExpression"') || html.indexOf('id="expressionCommentFalc"') > html.indexOf('id="expressionComment"')).toBe(true);
  });

  it('posts the same template input: the demo data drawn, read back, are the demo data', () => {
    const html = renderFragment(<>{renderMeetingEditor(editor, fs, data, { documentType: type, errors: [], drawn: new Set() })}</>);
    const generic = renderFragment(<>{renderFields(fs, data, { documentType: type, errors: [], drawn: new Set() })}</>);
    expect(parseForm(fs, posted(html))).toEqual(data);
    expect(posted(html)).toEqual(posted(generic));
  });

  it('names its add buttons after the meeting (« Ajouter un participant »), a submit button that works without JavaScript', () => {
    const added = applyRowAction(fs, parseForm(fs, posted(renderFragment(<>{renderMeetingEditor(editor, fs, data, { documentType: type, errors: [], drawn: new Set() })}</>)), true), 'add:participants');
    const html = renderFragment(<>{renderMeetingEditor(editor, fs, added.data, { documentType: type, errors: [], drawn: new Set(), focus: added.focus })}</>);
    expect(html).toMatch(/<button type="submit" name="_action" value="add:participants"[^>]*>Ajouter un participant/);
    expect((added.data.participants as unknown[]).length).toBe((data.participants as unknown[] | undefined)?.length ? (data.participants as unknown[]).length + 1 : 2);
  });

  it('puts the API’s field errors beside their field', () => {
    const html = renderFragment(
      <>{renderMeetingEditor(editor, fs, {}, { documentType: type, errors: [{ field: 'nextReview', code: 'REQUIRED', message: 'Indiquez la date de la prochaine révision.' }], drawn: new Set() })}</>,
    );
    // Its hint (the twelve months, from compte rendu 1.4.0 and projet 1.5.0) is read before the error.
    expect(html).toMatch(/id="nextReview"[^>]*aria-invalid="true"[^>]*aria-describedby="(nextReview-aide )?nextReview-erreur"/);
    expect(html).toContain('<p class="field-error" id="nextReview-erreur">Indiquez la date de la prochaine révision.</p>');
  });
});

describe('the projet personnalisé editor', () => {
  it('objectives → actions → who → by when → how evaluated, with « Ajouter une action » inside each objective', () => {
    const fs = formSchemaOf(templates().load('projet-personnalise').content.inputSchema);
    const html = renderFragment(<>{renderMeetingEditor(meetingEditorOf('projet-personnalise')!, fs, {}, { documentType: 'projet-personnalise', errors: [], drawn: new Set() })}</>);
    const order = ['objectives-0-title', 'objectives-0-actions-0-action', 'objectives-0-actions-0-responsible', 'objectives-0-actions-0-deadline', 'objectives-0-evaluation'].map((id) => html.indexOf(`id="${id}"`));
    expect(order.every((x) => x > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('value="add:objectives[0].actions"');
    expect(html).toMatch(/value="add:objectives\[0\]\.actions"[^>]*>Ajouter une action/);
    expect(html).toMatch(/value="add:objectives"[^>]*>Ajouter un objectif/);
    expect(html).toMatch(/value="add:expectations"[^>]*>Ajouter une attente/);
    // The person's agreement first, then the points of agreement and each disagreement with the establishment's answer.
    expect(html.indexOf('id="expression"')).toBeLessThan(html.indexOf('id="agreements"'));
    expect(html.indexOf('id="disagreements-0-point"')).toBeLessThan(html.indexOf('id="disagreements-0-answer"'));
  });
});

describe('data of an earlier projet personnalisé in the editor', () => {
  it('1.2.0 listed each participant on one line: the line becomes the name, the rest is to complete; other types are untouched', () => {
    const data = { participants: ['Alain Bernard (tuteur)', { name: 'Paul Girard', role: 'référent', presence: 'présent' }], referent: 'Paul Girard' };
    expect(carriedOver('projet-personnalise', data)).toEqual({
      participants: [{ name: 'Alain Bernard (tuteur)' }, { name: 'Paul Girard', role: 'référent', presence: 'présent' }],
      referent: 'Paul Girard',
    });
    expect(carriedOver('compte-rendu-synthese', { participants: ['x'] })).toEqual({ participants: ['x'] });
  });

  it('1.7.0 drops « La personne signe elle-même » (without effect since 1.4.0): a 1.6.0 projet reviewed is not refused for it', () => {
    const { resident: _key, ...data } = demo.documents['projet-personnalise'];
    const previous = { ...data, personSigns: true };
    const carried = carriedOver('projet-personnalise', previous);
    expect(carried).toEqual(data);
    expect(validateTemplateInput(templates().load('projet-personnalise', '1.6.0'), { ...demoInput('projet-personnalise'), document: previous })).toEqual([]);
    expect(validateTemplateInput(templates().load('projet-personnalise'), { ...demoInput('projet-personnalise'), document: carried })).toEqual([]);
    // Its form no longer asks it.
    const fs = formSchemaOf(templates().load('projet-personnalise').content.inputSchema);
    const html = renderFragment(<>{renderMeetingEditor(meetingEditorOf('projet-personnalise')!, fs, carried, { documentType: 'projet-personnalise', errors: [], drawn: new Set() })}</>);
    expect(html).not.toContain('La personne signe elle-même');
    expect(html).not.toContain('name="personSigns"');
  });
});

describe('data of an earlier compte rendu in the editor', () => {
  it('1.3.0 listed the recipients by name (`distribution`): each becomes a recipient of 1.4.0, to complete; 1.4.0 data are untouched', () => {
    const old = { place: 'Salle B', distribution: ['Julie Petit', 'Dossier de l’usager'], distributionFalc: ['Julie Petit', 'Votre dossier'] };
    expect(carriedOver('compte-rendu-synthese', old)).toEqual({ place: 'Salle B', recipients: [{ name: 'Julie Petit' }, { name: 'Dossier de l’usager' }] });
    const current = { recipients: [{ name: 'Julie Petit', function: 'mère', circle: 'representant' }] };
    expect(carriedOver('compte-rendu-synthese', current)).toEqual(current);
  });
});

describe('the avenant editor (the projet personnalisé within the contract)', () => {
  it('draws every member of the template in the meeting’s order and posts the same template input', () => {
    const fs = formSchemaOf(templates().load('avenant').content.inputSchema);
    const { resident: _key, ...data } = demo.documents.avenant;
    const drawn = new Set<string>();
    const html = renderFragment(<>{renderMeetingEditor(meetingEditorOf('avenant')!, fs, data, { documentType: 'avenant', errors: [], drawn })}</>);
    for (const k of memberKeys(fs)) expect(drawn.has(k)).toBe(true);
    expect(html).not.toContain('Autres informations');
    expect(parseForm(fs, posted(html))).toEqual(data);
    expect(html).toMatch(/value="add:objectives"[^>]*>Ajouter un objectif/);
    expect(html).toMatch(/value="add:participation\.others"[^>]*>Ajouter un participant/);
  });

  it('the annex on the freedom to come and go (avenant 1.4.0, CASF L.311-4-1 I): its own step, its lists, and the same template input posted back', () => {
    const fs = formSchemaOf(templates().load('avenant').content.inputSchema);
    const residents = (demo as unknown as { residents: { key: string; documents?: Record<string, Data> }[] }).residents;
    const data = residents.find((r) => r.key === 'lucie-bernard')!.documents!.avenant;
    const html = renderFragment(<>{renderMeetingEditor(meetingEditorOf('avenant')!, fs, data, { documentType: 'avenant', errors: [], drawn: new Set<string>() })}</>);
    expect(html).not.toContain('Autres informations');
    expect(html).toContain('Sécurité et liberté d’aller et venir (annexe au contrat de séjour seulement)');
    expect(parseForm(fs, posted(html))).toEqual(data);
    expect(html).toMatch(/value="add:libertyAnnex\.measures"[^>]*>Ajouter une mesure/);
    expect(html).toMatch(/value="add:libertyAnnex\.collegialProcedure\.team"[^>]*>Ajouter un professionnel/);
  });
});

describe('the annex step’s intro: the six months are the establishment’s rule, not the law (CASF L.311-4-1 I)', () => {
  it('says « règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment », as the avenant template and the worklist do', () => {
    const intro = meetingEditorOf('avenant')!.steps.find((s) => s.id === 'etape-liberte')!.intro;
    expect(intro).toContain('La prochaine révision est la réévaluation des mesures, six mois au plus après la procédure collégiale (règle de l’établissement ; CASF L.311-4-1 I : révisable à tout moment).');
    expect(intro).not.toMatch(/six mois au plus après la procédure\.$/);
  });
});

/**
 * Avenant 1.12.0: the basis is the hébergement price’s (CASF L.342-3 for places not habilitated, L.314-1
 * for habilitated places); the dependency price is fixed by the président du conseil départemental’s
 * arrêté for every place (CASF L.314-2, R.314-172). The step said « le fondement (… L.342-3 …) et les
 * nouveaux prix », as if L.342-3 set them all.
 */
describe('the avenant’s tariff step, in the words of avenant 1.12.0', () => {
  const intro = meetingEditorOf('avenant')!.steps.find((s) => s.id === 'etape-tarifs')!.intro;
  it('names the hébergement price as what the basis fixes, and the dependency price’s own law', () => {
    expect(intro).toContain(
      'le fondement du prix de l’hébergement (revalorisation annuelle des places non habilitées à l’aide sociale, CASF L.342-3, ou prix arrêté par le président du conseil départemental pour les places habilitées, CASF L.314-1)',
    );
    expect(intro).toContain('Le tarif dépendance est arrêté par le président du conseil départemental pour toutes les places (CASF L.314-2 et R.314-172 et suivants).');
  });
  it('names the basis field « Fondement du prix de l’hébergement », as the bulk form does (it said « Fondement du changement »), beside its error', () => {
    const fs = formSchemaOf(templates().load('avenant').content.inputSchema);
    const data = { purpose: 'tarifs', tariffChange: { effectiveOn: '2027-01-01', basisReference: 'arrêté du 18 décembre 2026' } } as Data;
    const errors = [{ field: 'document.tariffChange.basis', code: 'required', message: 'Ce champ est obligatoire.' }];
    const html = renderFragment(<>{renderMeetingEditor(meetingEditorOf('avenant')!, fs, data, { documentType: 'avenant', errors, drawn: new Set() })}</>).replace(/<!-- -->/g, '');
    expect(html.match(/<label for="tariffChange-basis">([^<]*)/)?.[1]).toBe('Fondement du prix de l’hébergement');
    // The percentage is required « si vous choisissez … pour » the basis: named the same.
    expect(html).toContain('(CASF L.342-3) » pour « Fondement du prix de l’hébergement »)');
    expect(html.includes('Fondement du changement')).toBe(false);
    // Its hint and the percentage's in words, not the data's codes (the template's descriptions name them).
    const hint = (id: string) => new RegExp(`<p class="hint" id="${id}-aide">([^<]*)`).exec(html)?.[1] ?? '';
    expect(hint('tariffChange-basis')).toContain('Places habilitées : prix de l’hébergement arrêté par le président du conseil départemental (CASF L.314-1).');
    expect(`${hint('tariffChange-basis')} ${hint('tariffChange-percentage')}`).not.toMatch(/revalorisation_annuelle|arrete_departemental|yearBase/);
  });
  it('agrees with the template: each law it cites is one the published avenant’s tariffChange description cites', () => {
    const description = (templates().load('avenant').content.inputSchema as { properties: { document: { properties: { tariffChange: { description: string } } } } }).properties.document.properties.tariffChange.description;
    for (const article of intro.match(/[LR]\.\d{3}-\d+/g)!) expect({ article, inTemplate: description.includes(article) }).toEqual({ article, inTemplate: true });
  });
});
