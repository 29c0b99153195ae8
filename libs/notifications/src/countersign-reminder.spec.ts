import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * CASF D.311 II: the DIPC « est établi et signé par le directeur … Il peut être contresigné par la
 * personne accueillie ou son représentant légal »; D.311 III: handed over at once. While the window
 * is open, the person's side keeps getting reminders: each says the countersignature is optional and,
 * once the director signed, that the document is in force — never « votre signature est attendue
 * avant le … » as if the document waited for it.
 */
const samples = emailSamples('https://carepact.example.fr');
const dipc = (kind: 'signature-reminder' | 'signature-invitation', established: boolean) =>
  renderEmail(kind, { ...samples[kind], documentType: 'dipc', residentName: null, countersign: { established } });

describe('reminders and invitations to an optional countersigner (CASF D.311 II)', () => {
  it('a reminder in the window: optional, the document already in force, nothing « attendue »', () => {
    const m = dipc('signature-reminder', true);
    expect(m.subject).toBe('Rappel : contresignature facultative, possible jusqu’au dimanche 20 décembre 2026 — EHPAD Les Tilleuls');
    for (const body of [m.text, m.html.replace(/&nbsp;/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')]) {
      expect(body).not.toMatch(/attendue|attend encore/);
      expect(body).toContain('Votre document individuel de prise en charge (DIPC) est établi : EHPAD Les Tilleuls l’a signé, il s’applique déjà et vous a été remis.');
      expect(body).toContain('Vous pouvez le contresigner (le signer après l’établissement), si vous le souhaitez, jusqu’au dimanche 20 décembre 2026 à 23 h 59.');
      expect(body).toContain('le document s’applique, que vous le contresigniez ou non.');
      expect(body).toContain('Lire et contresigner le document');
    }
  });

  it('a reminder before the director signed: optional, the document applies once the establishment signed', () => {
    const m = dipc('signature-reminder', false);
    expect(m.text).not.toMatch(/attendue|s’applique déjà/);
    expect(m.text).toContain('Ce n’est pas obligatoire : le document s’appliquera dès que l’établissement l’aura signé');
  });

  it('an invitation (a new link) in the window says the same', () => {
    const m = dipc('signature-invitation', true);
    expect(m.subject).toBe('Contresignature facultative : document individuel de prise en charge (DIPC) — EHPAD Les Tilleuls');
    expect(m.text).toContain('il s’applique déjà et vous a été remis');
    expect(m.text).not.toContain('À signer jusqu’au');
  });

  it('a required signer’s reminder is unchanged', () => {
    const m = renderEmail('signature-reminder', samples['signature-reminder']);
    expect(m.subject).toBe('Rappel : votre signature est attendue avant le dimanche 20 décembre 2026 — EHPAD Les Tilleuls');
    expect(m.text).toContain('attend encore votre réponse');
    expect(m.text).not.toContain('contresign');
  });
});
