import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * An e-mail names an avenant by what it amends (documentSubtype, from documents.subtype): an avenant
 * to a DIPC is « avenant au document individuel de prise en charge (DIPC) » (CASF D.311 VII), the annex
 * on the freedom to come and go « annexe au contrat de séjour sur la liberté d’aller et venir » (CASF
 * L.311-4-1 I); « avenant au contrat de séjour » otherwise. In the subject and in the body, to the
 * person (« votre … »), to her representative (« … de Marcel Dupont ») and to staff.
 */
const samples = emailSamples('https://carepact.example.fr');
const flat = (html: string) => html.replace(/&nbsp;/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('e-mails: an avenant named by what it amends', () => {
  it('invitation, reminder: the avenant to a DIPC, to the representative and to the person', () => {
    const invitation = renderEmail('signature-invitation', { ...samples['signature-invitation'], documentType: 'avenant', documentSubtype: 'avenant-dipc' });
    expect(invitation.text).toContain('l’avenant au document individuel de prise en charge (DIPC) de Marcel Dupont');
    expect(flat(invitation.html)).toContain('l’avenant au document individuel de prise en charge (DIPC) de Marcel Dupont');
    expect(`${invitation.subject} ${invitation.text}`).not.toContain('avenant au contrat de séjour');
    const reminder = renderEmail('signature-reminder', { ...samples['signature-reminder'], documentType: 'avenant', documentSubtype: 'avenant-dipc' });
    expect(reminder.text).toContain('votre avenant au document individuel de prise en charge (DIPC)');
  });

  it('staff: countersign-due and sealed name the annex on the freedom to come and go', () => {
    const due = renderEmail('countersign-due', { ...samples['countersign-due'], documentType: 'avenant', documentSubtype: 'annexe-liberte-aller-venir' });
    expect(due.subject).toBe('Contresignature attendue : annexe au contrat de séjour sur la liberté d’aller et venir — EHPAD Les Tilleuls');
    const sealed = renderEmail('signature-completed', { ...samples['signature-completed'], documentType: 'avenant', documentSubtype: 'annexe-liberte-aller-venir' });
    expect(sealed.subject).toContain('annexe au contrat de séjour sur la liberté d’aller et venir');
    expect(sealed.text).toContain('l’annexe au contrat de séjour sur la liberté d’aller et venir de Marcel Dupont');
    // A feminine name: no participle agreed with « document » after it (« L’annexe … a été signé »).
    expect(`${sealed.text} ${flat(sealed.html)}`).not.toMatch(/annexe[^.]*(a été|est) (signé|établi)\b/);
  });

  it('an avenant to the contract keeps its name', () => {
    const m = renderEmail('signature-invitation', { ...samples['signature-invitation'], documentType: 'avenant', documentSubtype: null });
    expect(m.text).toContain('l’avenant au contrat de séjour de Marcel Dupont');
  });
});
