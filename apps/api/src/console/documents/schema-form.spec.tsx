import { templates } from '@carepact/rendering';
import { renderFragment } from '../../views';
import { diffData, pathLabel } from './document-diff';
import { applyRowAction, formSchemaOf, parseForm, renderFields } from './schema-form';

const contract = formSchemaOf(templates().load('contrat-sejour').content.inputSchema);

describe('the document form generated from the template schema', () => {
  it('reads fields back into the schema’s shape: numbers with a comma, booleans, blank rows and groups dropped', () => {
    const data = parseForm(contract, {
      'objectives[0]': ' Vivre en sécurité ',
      'objectives[1]': '',
      'objectives[3]': 'Garder ses promenades',
      duration: '',
      'pricing.gir': '4',
      'pricing.dependancePerDay': '6,50',
      'pricing.totalPerDay': 'beaucoup',
      'residenceChoice.agrees': 'oui',
      'participation.others[0].name': 'Karim Benaïssa',
      'participation.others[0].capacity': 'representant_legal',
      'participation.others[1].name': '',
      'residenceChoice.recordedOn': '',
      resident: 'marcel-dupont',
    });
    expect(data).toEqual({
      objectives: ['Vivre en sécurité', 'Garder ses promenades'],
      pricing: { gir: 4, dependancePerDay: 6.5, totalPerDay: 'beaucoup' },
      residenceChoice: { agrees: true },
      participation: { others: [{ name: 'Karim Benaïssa', capacity: 'representant_legal' }] },
    });
  });

  it('templates 1.2.0: each text marked easyToRead gets its counterpart field right after it, a row added or removed on both, labelled « en facile à lire »', () => {
    const body = { 'objectives[0]': 'Garder ses promenades', 'objectivesFalc[0]': 'Vous vous promenez.', duration: 'indéterminée', durationFalc: 'Sans date de fin.' };
    const data = parseForm(contract, body, true);
    expect(data).toMatchObject({ objectives: ['Garder ses promenades'], objectivesFalc: ['Vous vous promenez.'], duration: 'indéterminée', durationFalc: 'Sans date de fin.' });
    const added = applyRowAction(contract, data, 'add:objectives');
    expect(added.data.objectivesFalc).toEqual(['Vous vous promenez.', '']);
    const html = renderFragment(<>{renderFields(contract, added.data, { documentType: 'contrat-sejour', errors: [], drawn: new Set() })}</>);
    expect(html.indexOf('id="objectives-1"')).toBeGreaterThan(-1);
    expect(html.indexOf('id="objectivesFalc-1"')).toBeGreaterThan(html.indexOf('id="objectives-1"'));
    expect(html).toContain('Objectifs, en facile à lire');
    // (row actions change the data in place)
    expect(applyRowAction(contract, added.data, 'remove:objectives[0]').data.objectivesFalc).toEqual(['']);
  });

  it('« Ajouter une ligne » and « Retirer » work on the posted data, blank rows kept while editing', () => {
    const body = { 'objectives[0]': 'A', 'participation.others[0].name': 'B' };
    const added = applyRowAction(contract, parseForm(contract, body, true), 'add:objectives');
    expect(added.data.objectives).toEqual(['A', '']);
    expect(added.focus).toBe('objectives[1]');
    const again = applyRowAction(contract, added.data, 'add:participation.others');
    expect((again.data.participation as { others: unknown[] }).others).toEqual([{ name: 'B' }, {}]);
    const removed = applyRowAction(contract, again.data, 'remove:objectives[0]');
    expect(removed.data.objectives).toEqual(['']);
    // An unknown or malformed path changes nothing.
    expect(applyRowAction(contract, { a: 1 }, 'add:nope').data).toEqual({ a: 1 });
    expect(applyRowAction(contract, { a: 1 }, 'add:__proto__').data).toEqual({ a: 1 });
  });

  it('draws each field with its French label, its easy-to-read counterpart next to it, and its error tied to it', () => {
    const drawn = new Set<string>();
    const html = renderFragment(
      <>{renderFields(contract, { objectives: ['<script>x</script>'] }, { documentType: 'contrat-sejour', errors: [{ field: 'duration', code: 'REQUIRED', message: 'Ce champ est obligatoire.' }], drawn })}</>,
    );
    expect(html).toContain('<label for="duration">Durée du contrat<span class="required"> (obligatoire)</span></label>');
    expect(html).toContain('aria-describedby="duration-aide duration-erreur"');
    expect(html).toContain('<p class="field-error" id="duration-erreur">Ce champ est obligatoire.</p>');
    expect(html).toContain('&lt;script>x&lt;/script>');
    expect(html).not.toContain('<script>');
    // The easy-to-read text comes right after its free text, before the next member.
    expect(html.indexOf('id="termination-byPersonFalc"')).toBeGreaterThan(html.indexOf('id="termination-byPerson"'));
    expect(html.indexOf('id="termination-byPersonFalc"')).toBeLessThan(html.indexOf('id="termination-byEstablishment"'));
    expect(html).toContain('value="add:objectives"');
    expect(drawn.has('participation.person.presence')).toBe(true);
    expect(drawn.has('resident')).toBe(false);
  });
});

describe('the form says which fields are required, and when, from its first display', () => {
  const draw = (data: Record<string, unknown>) => renderFragment(<>{renderFields(contract, data, { documentType: 'contrat-sejour', errors: [], drawn: new Set() })}</>);
  const labelOf = (html: string, id: string) => new RegExp(`<label for="${id}">(.*?)</label>`).exec(html)?.[1];

  it('a field another answer makes required is shown with its condition, in the words of the form (was shown optional, then refused)', () => {
    const html = draw({ signing: { mode: 'electronic' }, participation: { person: {} } });
    expect(labelOf(html, 'signing-originals')).toBe('Nombre d’exemplaires originaux<span class="required"> (obligatoire si vous choisissez « sur papier » pour « Mode de signature »)</span>');
    expect(labelOf(html, 'participation-person-note')).toBe('Précision<span class="required"> (obligatoire si vous choisissez « était excusée » pour « Sa participation »)</span>');
    // Once that answer is given, the field is required, before any submission.
    expect(labelOf(draw({ signing: { mode: 'paper' } }), 'signing-originals')).toBe('Nombre d’exemplaires originaux<span class="required"> (obligatoire)</span>');
  });

  it('an easy-to-read wording is required once its text is written; its rows are named after the text’s (was « Élément 1 »)', () => {
    const html = draw({ participation: { others: [{ name: 'Karim Benaïssa', role: 'curateur' }] }, objectives: ['Garder ses promenades'], objectivesFalc: [''] });
    expect(html).toContain('Objectifs, en facile à lire<span class="required"> (obligatoire)</span>');
    expect(labelOf(html, 'objectivesFalc-0')).toBe('Objectif 1, en facile à lire');
    // A participant already named: each of the row's required fields is required now, not « si cette partie est remplie ».
    expect(labelOf(html, 'participation-others-0-roleFalc')).toBe('Fonction ou lien, en facile à lire<span class="required"> (obligatoire)</span>');
    expect(labelOf(html, 'participation-others-0-presence')).toBe('Présence<span class="required"> (obligatoire)</span>');
    expect(labelOf(draw({}), 'durationFalc')).toBe('Durée du contrat, en facile à lire<span class="required"> (obligatoire si le champ « Durée du contrat » est rempli)</span>');
    expect(html).not.toContain('Élément');
  });

  it('dates written JJ/MM/AAAA, as the page says they may be, are read as dates; an impossible one is kept as typed', () => {
    expect(parseForm(contract, { annexesHandedOverOn: '15/10/2026', entryInventoryOn: '2026-10-16', issuedOn: '31/02/2026' })).toEqual({
      annexesHandedOverOn: '2026-10-15',
      entryInventoryOn: '2026-10-16',
      issuedOn: '31/02/2026',
    });
  });
});

describe('differences between two versions', () => {
  it('lists each changed field with its French label and French values', () => {
    const before = { duration: 'indéterminée', financialContribution: 'tarifs', objectives: ['A', 'B'], participation: { others: [{ name: 'X', presence: 'present' }] }, annexesHandedOverOn: '2026-10-01' };
    const after = { duration: 'de six mois', financialContribution: 'aucune', objectives: ['A'], participation: { others: [{ name: 'X', presence: 'excuse' }] }, annexesHandedOverOn: '2026-10-15' };
    expect(diffData('contrat-sejour', before, after)).toEqual([
      { path: 'duration', label: 'Durée du contrat', before: 'indéterminée', after: 'de six mois' },
      { path: 'financialContribution', label: 'Participation financière', before: 'les tarifs de l’établissement s’appliquent', after: 'aucune participation n’est demandée' },
      { path: 'participation.others[0].presence', label: 'Participation à l’élaboration › Participant 1 › Présence', before: 'présent ou présente', after: 'excusé ou excusée' },
      { path: 'annexesHandedOverOn', label: expect.stringContaining('Date de remise'), before: '1er octobre 2026', after: '15 octobre 2026' },
      { path: 'objectives[1]', label: 'Objectif 2', before: 'B', after: null },
    ]);
    expect(diffData('contrat-sejour', before, before)).toEqual([]);
    expect(pathLabel('compte-rendu-synthese', 'requests[2].answer')).toBe('Demande 3 › Décision');
  });
});
