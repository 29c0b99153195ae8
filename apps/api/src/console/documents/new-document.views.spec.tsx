import { templates } from '@carepact/rendering';
import { viewActor } from '@carepact/testing';
import { chooseTypePage, documentFormPage } from './new-document.views';
import { formSchemaOf } from './schema-form';

const actor = viewActor('admissions');
const ahmed = { id: 'r-ahmed', name: 'Ahmed Benali' };
const marcel = { id: 'r-marcel', name: 'Marcel Dupont' };

describe('new document pages: « de » elided before a vowel (was « Retour au dossier de Ahmed Benali », « DIPC de Ahmed Benali »)', () => {
  it('the type choice links back to « le dossier d’Ahmed Benali », « de Marcel Dupont » stays', () => {
    const html = chooseTypePage(actor, 'csrf', ahmed, [{ type: 'dipc', allowed: true, reason: null }]);
    expect(html).toContain('>Retour au dossier d’Ahmed Benali</a>');
    expect(html).not.toContain('de Ahmed');
    expect(chooseTypePage(actor, 'csrf', marcel, [{ type: 'dipc', allowed: true, reason: null }])).toContain('>Retour au dossier de Marcel Dupont</a>');
  });

  it('the form’s heading: « Document individuel de prise en charge (DIPC) d’Ahmed Benali »', () => {
    const schema = formSchemaOf(templates().load('dipc').content.inputSchema);
    const html = documentFormPage(actor, 'csrf', { type: 'dipc', resident: ahmed, schema, data: {} });
    expect(html).toMatch(/<h1>\s*Document individuel de prise en charge \(DIPC\) d’Ahmed Benali\s*<\/h1>/);
    expect(html).toContain('>Retour au dossier d’Ahmed Benali</a>');
    expect(html).not.toContain('de Ahmed');
  });
});
