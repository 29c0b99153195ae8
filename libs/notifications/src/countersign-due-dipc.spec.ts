import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * The `countersign-due` e-mail goes to the establishment's director(s) when their signature is all
 * that remains (SigningJobsService.notifyCountersignDue). On a contract the director countersigns last
 * (CASF L.311-4, D.311): « Contresigner ». On a DIPC the director's signature is the one that
 * establishes it: CASF D.311 II « Le document individuel de prise en charge est établi et signé par le
 * directeur … Il peut être contresigné par la personne accueillie ou son représentant légal »; III:
 * handed over at once. The e-mail is sent as soon as the request is created (nobody else must sign
 * first): it must not say that « toutes les personnes concernées ont signé » nor ask to « contresigner ».
 */
const samples = emailSamples('https://carepact.example.fr');
const flat = (html: string) => html.replace(/&nbsp;/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('countersign-due: a DIPC is established by the director’s signature (CASF D.311 II)', () => {
  it('DIPC: « signer et établir », who may countersign after and until when, the legal deadline to establish and hand it over', () => {
    const m = renderEmail('countersign-due', { ...samples['countersign-due'], documentType: 'dipc', establishes: true });
    expect(m.subject).toBe('À signer pour l’établir : document individuel de prise en charge (DIPC) — EHPAD Les Tilleuls');
    for (const body of [m.text, flat(m.html)]) {
      expect(body).not.toMatch(/contresignature est attendue|Toutes les personnes concernées ont signé|Contresigner dans la console|dernière signature/i);
      expect(body).toMatch(/Votre signature établit le document|VOTRE SIGNATURE ÉTABLIT LE DOCUMENT/);
      expect(body).toContain('Le document individuel de prise en charge (DIPC) de Marcel Dupont attend votre signature : c’est elle qui l’établit (CASF, article D. 311).');
      expect(body).toContain('Dès que vous l’avez signé, il s’applique, il est scellé et remis à la personne et, le cas échéant, à son représentant légal.');
      expect(body).toContain('Ils pourront ensuite le contresigner, s’ils le souhaitent, jusqu’au dimanche 20 décembre 2026 à 23 h 59 : ce n’est pas obligatoire, et cela ne retarde rien.');
      expect(body).toContain('Délai prévu par la loi pour l’établir et le remettre : dimanche 15 novembre 2026');
      expect(body).toContain('Signer et établir le document dans la console');
    }
  });

  it('a contract: the director countersigns last, as before', () => {
    const m = renderEmail('countersign-due', samples['countersign-due']);
    expect(m.subject).toBe('Contresignature attendue : contrat de séjour — EHPAD Les Tilleuls');
    expect(m.text).toContain('Toutes les personnes concernées ont signé le contrat de séjour de Marcel Dupont');
    expect(m.text).toContain('Contresigner dans la console');
    expect(m.text).not.toMatch(/établit/);
  });
});
