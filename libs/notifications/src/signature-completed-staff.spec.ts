import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

const sample = emailSamples()['signature-completed'];

/**
 * CASF D.311 II–III: the DIPC is established by the director's signature and handed over to the
 * person. The director who signed it is told so in a staff wording, not the person's.
 */
describe('« document établi » e-mail: the establishment’s signer is staff', () => {
  const dipc = { ...sample, documentType: 'dipc' as const, documentSubtype: null, residentName: 'Ahmed Benali', recipientName: 'Claire Morel', established: { countersignUntil: new Date('2026-12-20T22:59:00Z') } };
  it('the director: established by her signature, handed over to the person; no « que vous l’ayez signé ou non »', () => {
    const m = renderEmail('signature-completed', { ...dipc, establishmentSigner: true });
    for (const part of [m.text, m.html]) {
      expect(part).not.toContain('que vous l’ayez signé ou non');
      expect(part).not.toContain('Vous pouvez aussi le contresigner');
      expect(part).not.toContain('copie papier');
      expect(part).toContain('est établi par votre signature au nom de l’établissement');
      expect(part).toContain('remis à la personne et, le cas échéant, à son représentant légal');
    }
    expect(m.text).toContain('Le document individuel de prise en charge (DIPC) d’Ahmed Benali est établi par votre signature');
  });
  it('the person: still told it is handed over to her, signed or not, and that she may countersign', () => {
    const m = renderEmail('signature-completed', { ...dipc, residentName: null, recipientName: 'Ahmed Benali' });
    expect(m.text).toContain('Il vous est remis, que vous l’ayez signé ou non');
    expect(m.text).toContain('Vous pouvez aussi le contresigner');
    expect(m.text).toContain('copie papier');
  });
});
