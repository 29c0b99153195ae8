import { checkSchema, InputSchema, isValidIsoDate, validateInput } from './input-schema';

const schema: InputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['person', 'items'],
  properties: {
    person: { $ref: '#/$defs/person' },
    partner: { type: ['object', 'null'], $ref: '#/$defs/person' },
    items: { type: 'array', minItems: 1, items: { type: 'object', required: ['answer'], properties: { answer: { type: 'string', enum: ['yes', 'no'] }, why: { type: 'string' } }, requiredIf: [{ property: 'answer', equals: 'no', required: ['why'] }] } },
    amount: { type: 'number', minimum: 0 },
  },
  $defs: { person: { type: 'object', required: ['name', 'born'], properties: { name: { type: 'string', minLength: 1, maxLength: 5 }, born: { type: 'string', format: 'date' } } } },
};

describe('validateInput', () => {
  it('accepts valid data, with a nullable reference', () => {
    expect(validateInput(schema, { person: { name: 'Léa', born: '1944-02-29' }, partner: null, items: [{ answer: 'yes' }] })).toEqual([]);
  });
  it('reports every error with its exact field', () => {
    const errors = validateInput(schema, { person: { name: '', born: '1943-02-29' }, items: [{ answer: 'no' }, { answer: 'maybe' }, 3], amount: -1, extra: 1 });
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'extra:UNKNOWN_FIELD',
      'person.name:TOO_SHORT',
      'person.born:INVALID_DATE',
      'items[0].why:REQUIRED',
      'items[1].answer:NOT_ALLOWED_VALUE',
      'items[2]:INVALID_TYPE',
      'amount:MINIMUM',
    ]);
    expect(errors.every((e) => e.message.length > 0)).toBe(true);
  });
  it('reports missing required fields and wrong root types', () => {
    expect(validateInput(schema, {}).map((e) => e.field)).toEqual(['person', 'items']);
    expect(validateInput(schema, [])).toEqual([{ field: '(racine)', code: 'INVALID_TYPE', message: 'Ce champ doit être un objet.' }]);
  });
  it('refuses control characters and lone surrogates but keeps RTL marks and emoji', () => {
    const at = (name: string) => validateInput(schema, { person: { name, born: '2000-01-01' }, items: [{ answer: 'yes' }] }).map((e) => e.code);
    expect(at('a\u0007')).toEqual(['CONTROL_CHARACTER']);
    expect(at('a\u0085')).toEqual(['CONTROL_CHARACTER']);
    expect(at('a\uD800')).toEqual(['INVALID_CHARACTER']);
    expect(at('\u202Eab')).toEqual([]);
    expect(at('😀')).toEqual([]);
  });
  it('checks the schema itself', () => {
    expect(checkSchema({ type: 'object', $ref: '#/$defs/none', pattern: 'x' } as unknown as InputSchema)).toHaveLength(2);
    expect(checkSchema(schema)).toEqual([]);
  });
  it('names the fields of the document data by their French labels, not by their keys (was « mode » vaut « paper », « role »)', () => {
    const doc: InputSchema = {
      type: 'object',
      properties: {
        document: {
          type: 'object',
          properties: {
            signing: { type: 'object', properties: { mode: { type: 'string', enum: ['paper', 'electronic'] }, originals: { type: 'integer' } }, requiredIf: [{ property: 'mode', equals: 'paper', required: ['originals'] }] },
            participation: { type: 'object', properties: { others: { type: 'array', items: { type: 'object', properties: { role: { type: 'string', easyToRead: true } } } } } },
            objectives: { type: 'array', items: { type: 'string' }, easyToRead: true },
          },
        },
      },
    };
    const errors = validateInput(doc, { document: { signing: { mode: 'paper' }, participation: { others: [{ role: 'curateur' }] }, objectives: ['A', 'B'], objectivesFalc: ['a'] } });
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['document.signing.originals', 'Ce champ est obligatoire quand « Mode de signature » est « sur papier ».'],
      ['document.participation.others[0].roleFalc', 'La version facile à lire de « Fonction ou lien » est obligatoire : la version facile à lire du document l’imprime à sa place.'],
      ['document.objectivesFalc', 'Ce champ doit être une liste de 2 textes, un par élément de « Objectifs », dans le même ordre.'],
    ]);
    // Outside the document data, or without a label, the key stays (the establishment's settings, an API caller's data).
    expect(validateInput(schema, { person: { name: 'Léa', born: '1944-02-29' }, items: [{ answer: 'no' }] })[0].message).toBe('Ce champ est obligatoire quand « answer » est « no ».');
  });

  it('knows real calendar dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2026-1-01')).toBe(false);
  });
});
