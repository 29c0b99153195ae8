import { falcTextLinter, FalcTextFinding, FalcTextOptions, TemplateContent } from '@carepact/templates';

/**
 * What the validation of a document's data needs from its template version and would otherwise
 * prepare again on every call (issue 12: validateTemplateInput was 7 % of the api's CPU per document
 * created): the FALC linter with the version's glossary terms. Kept per process for each template
 * version's content — the object the loader keeps once per kind and version (deep-frozen), held
 * weakly: another version, or another content under the same name (a test's template), is another
 * object and never meets this one's entry. What depends on the data (the lint of its texts) runs on
 * every call.
 */
export interface TemplateValidation {
  lintFalc: (text: string, options?: FalcTextOptions) => FalcTextFinding[];
}

const prepared = new WeakMap<TemplateContent, TemplateValidation>();

export function templateValidation(content: TemplateContent): TemplateValidation {
  let v = prepared.get(content);
  if (!v) {
    v = { lintFalc: falcTextLinter(content.glossary.map((g) => g.term)) };
    prepared.set(content, v);
  }
  return v;
}
