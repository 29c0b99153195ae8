import { evaluate, EvalContext, ExpressionError, parseExpression, parseLoop, Value } from './expression';
import { parseTemplateText, TextSegment } from './template-text';

const formatters = { date: (d: string) => `date(${d})`, euros: (n: number) => `${n} €`, number: (n: number) => String(n), andList: (l: string[]) => l.join(' et ') };
const ctx = (vars: Record<string, Value>): EvalContext => ({ vars: new Map(Object.entries(vars)), formatters, labels: { kind: { a: 'libellé a' } } });
const run = (src: string, vars: Record<string, Value> = {}) => evaluate(parseExpression(src), ctx(vars), src);

describe('expressions', () => {
  const data = { resident: { firstName: 'Jeanne', tags: ['x', 'y'], measure: null, n: 3 } };
  it('reads paths, indexes and missing members', () => {
    expect(run('resident.firstName', data)).toBe('Jeanne');
    expect(run('resident.tags[1]', data)).toBe('y');
    expect(run('resident.nothing', data)).toBeUndefined();
    expect(run('resident.tags[5]', data)).toBeUndefined();
  });
  it('compares, combines and chooses', () => {
    expect(run("resident.firstName == 'Jeanne' and not resident.measure", data)).toBe(true);
    expect(run('resident.n >= 3 or false', data)).toBe(true);
    expect(run("'y' in resident.tags", data)).toBe(true);
    expect(run("resident.measure ?? 'aucune'", data)).toBe('aucune');
    expect(run("resident.measure ? 'oui' : 'non'", data)).toBe('non');
    expect(run("'Mme ' + resident.firstName", data)).toBe('Mme Jeanne');
    expect(run('resident.nothing == null', data)).toBe(true);
  });
  it('applies formatters', () => {
    expect(run("'2026-03-14' | date")).toBe('date(2026-03-14)');
    expect(run('72.5 | euros')).toBe('72.5 €');
    expect(run("resident.tags | join(' / ')", data)).toBe('x / y');
    expect(run('resident.tags | andList', data)).toBe('x et y');
    expect(run('resident.tags | length', data)).toBe(2);
    expect(run("'a' | label('kind')")).toBe('libellé a');
    expect(run("'inconnu' | label('kind')")).toBe('inconnu');
    expect(run("'élan' | capitalize")).toBe('Élan');
    // Elision before a vowel or a mute h (issue 8 C: « l’avis d’Enzo »).
    expect(run("'Enzo Petit' | de")).toBe('d’Enzo Petit');
    expect(run("'Hélène Roux' | de")).toBe('d’Hélène Roux');
    expect(run("'Marcel Dupont' | de")).toBe('de Marcel Dupont');
  });
  it('refuses what could leave the data: prototype members, unknown formatters, upper', () => {
    expect(() => parseExpression('resident.constructor')).toThrow(ExpressionError);
    expect(() => parseExpression('resident.__proto__')).toThrow(ExpressionError);
    expect(() => parseExpression("resident.firstName | upper")).toThrow(/formateur inconnu/);
    expect(() => parseExpression('resident.firstName()')).toThrow(ExpressionError);
    expect(() => parseExpression('a = 1')).toThrow(ExpressionError);
    expect(() => run('inconnue')).toThrow(/variable inconnue/);
  });
  it('type errors are reported, not coerced', () => {
    expect(() => run("'a' + 1")).toThrow(/assemble du texte/);
    expect(() => run("1 < 'b'")).toThrow(/comparaison impossible/);
    expect(() => run("'x' | euros")).toThrow(/attend un nombre/);
  });
  it('counts the calendar days between two dates (daysUntil), for rules such as « eight days before » (CASF D.311-0-4)', () => {
    const interview = { notice: '2026-10-09', on: '2026-10-17', late: '2026-10-14' };
    expect(run('i.notice | daysUntil(i.on)', { i: interview })).toBe(8);
    expect(run('i.notice | daysUntil(i.on) >= 8', { i: interview })).toBe(true);
    expect(run('i.late | daysUntil(i.on) >= 8', { i: interview })).toBe(false);
    expect(run('i.on | daysUntil(i.notice)', { i: interview })).toBe(-8);
    // Across months, a leap day and the change to summer time (calendar days, not 24-hour spans).
    expect(run("'2028-02-20' | daysUntil('2028-03-01')")).toBe(10);
    expect(run("'2026-03-28' | daysUntil('2026-03-30')")).toBe(2);
    expect(run("'2026-12-31' | daysUntil('2027-01-01')")).toBe(1);
    expect(run("'2026-10-20' | daysUntil('2026-10-20')")).toBe(0);
  });
  it('daysUntil refuses what is not a real date, on either side', () => {
    expect(() => run("'2026-02-30' | daysUntil('2026-03-01')")).toThrow(/daysUntil.*attend une date AAAA-MM-JJ/);
    expect(() => run("'2026-03-01' | daysUntil('01/03/2026')")).toThrow(/daysUntil.*attend une date AAAA-MM-JJ/);
    expect(() => run("i.missing | daysUntil('2026-03-01')", { i: {} })).toThrow(/reçu absent/);
    expect(() => run("'2026-03-01' | daysUntil")).toThrow(/reçu absent/);
    expect(() => run("'2026-03-01' | daysUntil(3)")).toThrow(/reçu number/);
  });
  it('adds calendar months (addMonths): same day, or the last day of a shorter month, for « six months at most » (CASF L.311-4-1 annex)', () => {
    expect(run("'2027-03-04' | addMonths(6)")).toBe('2027-09-04');
    expect(run("'2027-08-31' | addMonths(6)")).toBe('2028-02-29');
    expect(run("'2026-08-31' | addMonths(6)")).toBe('2027-02-28');
    expect(run("'2026-10-31' | addMonths(6)")).toBe('2027-04-30');
    expect(run("'2026-12-15' | addMonths(1)")).toBe('2027-01-15');
    expect(run("'2027-09-04' <= '2027-03-04' | addMonths(6)")).toBe(true);
    expect(run("'2027-09-05' <= '2027-03-04' | addMonths(6)")).toBe(false);
    expect(() => run("'2026-02-30' | addMonths(6)")).toThrow(/addMonths.*attend une date AAAA-MM-JJ/);
    expect(() => run("'2026-03-01' | addMonths('6')")).toThrow(/nombre entier de mois/);
    expect(() => run("'2026-03-01' | addMonths")).toThrow(/nombre entier de mois/);
  });
  it('parses loop headers', () => {
    const loop = parseLoop('o, n in document.objectives');
    expect(loop).toMatchObject({ variable: 'o', counter: 'n', source: { kind: 'path', root: 'document', members: ['objectives'] } });
    expect(() => parseLoop('document.objectives')).toThrow(ExpressionError);
  });
});

describe('template text', () => {
  it('splits literals, holes and bold markers', () => {
    expect(parseTemplateText('Bonjour **{{ name }}** !').map((s) => [s.kind, s.strong, s.kind === 'literal' ? s.text : s.source])).toEqual([
      ['literal', false, 'Bonjour '],
      ['hole', true, 'name'],
      ['literal', false, ' !'],
    ]);
  });
  it('refuses unbalanced markers', () => {
    expect(() => parseTemplateText('{{ a ')).toThrow(ExpressionError);
    expect(() => parseTemplateText('a }}')).toThrow(ExpressionError);
    expect(() => parseTemplateText('**gras')).toThrow(ExpressionError);
  });
});

describe('parsed expressions and texts are kept once per process', () => {
  it('the same source gives the same frozen tree, which no caller can change', () => {
    const a = parseExpression('resident.age >= 18 and guardian.name ?? "—"');
    expect(parseExpression('resident.age >= 18 and guardian.name ?? "—"')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { kind: string }).kind = 'literal';
    }).toThrow(TypeError);
    const text = parseTemplateText('Bonjour **{{ resident.firstName }}**.');
    expect(parseTemplateText('Bonjour **{{ resident.firstName }}**.')).toBe(text);
    expect(() => (text as TextSegment[]).push({ kind: 'literal', text: 'x', strong: false })).toThrow(TypeError);
    const hole = text.find((s) => s.kind === 'hole');
    expect(hole && Object.isFrozen(hole.kind === 'hole' ? hole.expr : null)).toBe(true);
  });

  it('a source that does not parse still fails every time', () => {
    expect(() => parseExpression('resident.')).toThrow(ExpressionError);
    expect(() => parseExpression('resident.')).toThrow(ExpressionError);
    expect(() => parseTemplateText('{{ x')).toThrow(ExpressionError);
    expect(() => parseTemplateText('{{ x')).toThrow(ExpressionError);
  });
});
