/** Child process of precompileEmailTemplatesApart: compiles every e-mail template, sends them back, exits. */
import { compiledTemplates, precompileEmailTemplates } from './email-renderer';

try {
  precompileEmailTemplates();
  process.send?.({ compiled: compiledTemplates() }, () => process.disconnect());
} catch (e) {
  process.send?.({ error: e instanceof Error ? e.message : String(e) }, () => process.disconnect());
}
