import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@carepact/common';
import type { InputSchema, LoadedTemplate, TemplateContent } from '@carepact/templates';
import { templates } from '../bundle';
import { validateTemplateInput } from './resolve';
import { templateInputFromFixture } from '.';

/**
 * Issue 12: what validateTemplateInput prepares from a template version (its FALC linter with the
 * glossary, its input schema's merged nodes and easy-to-read members) is kept per process. A version
 * must never be validated with what was prepared for another: two versions of one kind, and two
 * contents under the same kind and version, each validated in turn, each with its own result.
 */
describe('validateTemplateInput: what is prepared per template version is that version’s', () => {
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'templates/demo/establishment-les-tilleuls.json'), 'utf8')) as unknown;
  const base = templates().load('contrat-sejour', '1.9.0');
  const input = templateInputFromFixture(fixture, 'contrat-sejour', 'marcel-dupont') as { document: Record<string, unknown> };
  /** A copy of the published version, under another version (or the same), changed by `edit`. */
  const variant = (version: string, edit: (c: TemplateContent) => void): LoadedTemplate => {
    const content = JSON.parse(JSON.stringify(base.content)) as TemplateContent;
    content.version = version;
    edit(content);
    return { content, sha256: `test-${version}`, published: null };
  };
  const documentSchema = (c: TemplateContent) => c.inputSchema.properties!.document as InputSchema;
  // An easy-to-read objective with an acronym the published glossary does not explain.
  const data = { ...input, document: { ...input.document, objectives: ['Participer au ZQW.'], objectivesFalc: ['Vous allez au ZQW.'] } };
  const codes = (t: LoadedTemplate) => validateTemplateInput(t, data).map((e) => `${e.field} ${e.code}`);

  it('the glossary: a term one version explains is refused by the version that does not', () => {
    const without = variant('9.0.0', () => undefined);
    const withTerm = variant('9.0.1', (c) => {
      (c as { glossary: { term: string; definition: string }[] }).glossary = [...c.glossary, { term: 'ZQW', definition: 'Le club des résidents.' }];
    });
    for (let round = 0; round < 3; round++) {
      expect(codes(without)).toEqual(['document.objectivesFalc[0] FALC_TEXT']);
      expect(codes(withTerm)).toEqual([]);
    }
    expect(validateTemplateInput(without, data)[0].message).toContain('Sigle non expliqué');
  });

  it('the input schema: a member easy to read in one version only, a length in one version only', () => {
    const plain = variant('9.1.0', (c) => {
      const objectives = documentSchema(c).properties!.objectives;
      delete objectives.easyToRead;
    });
    const short = variant('9.1.1', (c) => {
      documentSchema(c).properties!.objectives.items!.maxLength = 5;
    });
    const published = variant('9.1.2', () => undefined);
    const { objectivesFalc: _falc, ...withoutFalc } = data.document;
    const shortOnly = { ...data, document: withoutFalc };
    for (let round = 0; round < 3; round++) {
      // Without easyToRead, the counterpart is an unknown member (additionalProperties: false) and none is required.
      expect(validateTemplateInput(plain, data).map((e) => `${e.field} ${e.code}`)).toEqual(['document.objectivesFalc UNKNOWN_FIELD']);
      expect(validateTemplateInput(plain, shortOnly)).toEqual([]);
      expect(validateTemplateInput(short, shortOnly).map((e) => `${e.field} ${e.code}`)).toEqual(['document.objectives[0] TOO_LONG', 'document.objectivesFalc REQUIRED']);
      expect(validateTemplateInput(published, shortOnly).map((e) => `${e.field} ${e.code}`)).toEqual(['document.objectivesFalc REQUIRED']);
    }
  });

  it('another content under the same kind and version (a test’s template) is not given the first one’s', () => {
    const a = variant('9.2.0', () => undefined);
    const b = variant('9.2.0', (c) => {
      (c as { glossary: { term: string; definition: string }[] }).glossary = [...c.glossary, { term: 'ZQW', definition: 'Le club des résidents.' }];
    });
    expect(codes(a)).toEqual(['document.objectivesFalc[0] FALC_TEXT']);
    expect(codes(b)).toEqual([]);
    expect(codes(a)).toEqual(['document.objectivesFalc[0] FALC_TEXT']);
  });
});
