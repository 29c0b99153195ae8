import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemplatesRoot, TemplateLoader } from './template-loader';

describe('TemplateLoader', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'carepact-templates-'));
    cpSync(join(findTemplatesRoot(), 'documents', 'dipc'), join(root, 'documents', 'dipc'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads the latest published version by id', () => {
    const t = new TemplateLoader(root).load('dipc');
    // 1.1.0 to 1.6.0 are published beside 1.0.0 (issue 8; 1.4.0: the APA by GIR, CASF L.232-2; 1.5.0: the signature slots of the signature policy, C. civ. 435, 437, 459-2;
    // 1.6.0: a minor's tuteur, délégataire or service gardien, C. civ. 375-7, 377, 408; 1.7.0: a holder préposé of the establishment, C. civ. 451 al. 2;
    // 1.8.0: a one-parent authority, a placed minor's authorisation, the tuteur's capacity without gender, C. civ. 372, 375-7 al. 2, 408):
    // 1.9.0: the délégation named by its form and the missions of a divided measure in easy-to-read, C. civ. 377, 377-1, 447 al. 3):
    // 1.10.0: the legal wording of a divided measure's mission, « gestion patrimoniale » (C. civ. 447 al. 3), and « autorité parentale » in the glossary):
    // 1.11.0: « autorité parentale » in the glossary with the child's say, C. civ. 371-1 al. 4; the GIR tariffs under CASF R.314-172 et suivants):
    // 1.12.0: the six-month avenant and the yearly updating cited as CASF D.311, VI and V):
    // the latest published is the current one.
    expect(t.content.version).toBe('1.12.0');
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(t.content)).toBe(true);
  });

  it('refuses a published version whose content changed', () => {
    const file = join(root, 'documents', 'dipc', '1.0.0.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.title.standard = 'Document modifié';
    writeFileSync(file, JSON.stringify(content));
    expect(() => new TemplateLoader(root).load('dipc', '1.0.0')).toThrow(expect.objectContaining({ code: 'TEMPLATE_TAMPERED' }));
  });

  it('the hash does not depend on key order or formatting', () => {
    const file = join(root, 'documents', 'dipc', '1.0.0.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    const reordered = Object.fromEntries(Object.entries(content).reverse());
    writeFileSync(file, JSON.stringify(reordered));
    expect(new TemplateLoader(root).load('dipc').published).not.toBeNull();
  });

  it('loads a draft only by exact version; unknown ids and path tricks are not found', () => {
    const draft = JSON.parse(readFileSync(join(root, 'documents', 'dipc', '1.0.0.json'), 'utf8'));
    draft.version = '1.13.0';
    writeFileSync(join(root, 'documents', 'dipc', '1.13.0.json'), JSON.stringify(draft));
    const loader = new TemplateLoader(root);
    expect(loader.load('dipc').content.version).toBe('1.12.0');
    expect(loader.load('dipc', '1.13.0').published).toBeNull();
    expect(loader.list()[0]).toMatchObject({
      id: 'dipc',
      latestPublished: '1.12.0',
      versions: [
        { version: '1.0.0', published: true },
        { version: '1.1.0', published: true },
        { version: '1.2.0', published: true },
        { version: '1.3.0', published: true },
        { version: '1.4.0', published: true },
        { version: '1.5.0', published: true },
        { version: '1.6.0', published: true },
        { version: '1.7.0', published: true },
        { version: '1.8.0', published: true },
        { version: '1.9.0', published: true },
        { version: '1.10.0', published: true },
        { version: '1.11.0', published: true },
        { version: '1.12.0', published: true },
        { version: '1.13.0', published: false },
      ],
    });
    expect(() => loader.load('../dipc')).toThrow(expect.objectContaining({ code: 'TEMPLATE_NOT_FOUND' }));
    expect(() => loader.load('dipc', '../../x')).toThrow(expect.objectContaining({ code: 'TEMPLATE_NOT_FOUND' }));
  });

  it('refuses a template that breaks the model, naming each problem', () => {
    const file = join(root, 'documents', 'dipc', '1.0.0.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.body.push({ paragraph: { standard: 'Sans version facile.' } }, { paragraph: '{{ inconnue }}' }, { video: 'x' });
    writeFileSync(file, JSON.stringify(content));
    try {
      new TemplateLoader(root).load('dipc', '1.0.0');
      throw new Error('no error');
    } catch (e) {
      const n = content.body.length;
      expect((e as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([`body[${n - 3}].paragraph`, `body[${n - 2}].paragraph`, `body[${n - 1}]`]);
    }
  });

  it('checks (rules between values, e.g. CASF D.311-0-4’s eight days): each expression parses and reads declared variables, a stable code, a message, paths', () => {
    const file = join(root, 'documents', 'dipc', '1.0.0.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    const good = { when: 'document.issuedOn', check: "document.issuedOn | daysUntil('2027-01-01') >= 8", fields: ['document.issuedOn'], code: 'TOO_LATE', message: 'Au moins huit jours avant.' };
    content.checks = [
      good,
      { ...good, when: 'inconnue', check: 'document.issuedOn |', code: 'trop_tard', message: ' ', fields: ['issuedOn'], extra: 1 },
    ];
    writeFileSync(file, JSON.stringify(content));
    try {
      new TemplateLoader(root).load('dipc', '1.0.0');
      throw new Error('no error');
    } catch (e) {
      expect((e as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
        'checks[1].extra',
        'checks[1].when',
        'checks[1].check',
        'checks[1].fields[0]',
        'checks[1].code',
        'checks[1].message',
      ]);
    }
    content.checks = [good];
    writeFileSync(file, JSON.stringify(content));
    // Valid, but no longer the published content: the model check passed, the hash did not.
    expect(() => new TemplateLoader(root).load('dipc', '1.0.0')).toThrow(expect.objectContaining({ code: 'TEMPLATE_TAMPERED' }));
  });

  it('checks per item of a list (`each`, e.g. every recipient of the minutes, CSP L.1110-4 III): the item is a variable of the rule, the list a plain path', () => {
    const file = join(root, 'documents', 'dipc', '1.0.0.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    const good = { each: 'o, n in document.objectives', when: 'n > 0', check: "o != ''", fields: ['o.title'], code: 'EMPTY', message: 'Vide.' };
    content.checks = [good, { ...good, each: 'o, n in inconnue' }, { ...good, each: 'o, n in document.objectives ?? document.services' }, { ...good, each: 'pas une boucle' }, { ...good, each: undefined, fields: ['o.title'] }];
    writeFileSync(file, JSON.stringify(content));
    try {
      new TemplateLoader(root).load('dipc', '1.0.0');
      throw new Error('no error');
    } catch (e) {
      expect((e as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
        'checks[1].each',
        'checks[2].each',
        'checks[3].each',
        'checks[3].when',
        'checks[3].check',
        'checks[3].fields[0]',
        'checks[4].when',
        'checks[4].check',
        'checks[4].fields[0]',
      ]);
    }
  });
});
