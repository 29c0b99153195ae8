import { renderEmail } from './email-renderer';
import { emailSamples } from './email-samples';

/**
 * A cancelled signature request, told to a signer who had been invited: the document, that the
 * request is cancelled and the links dead, a signature given no longer counts, the establishment will
 * get in touch; the one reason given is the person's departure — staff's own words are never passed,
 * and a caller that passed them anyway sees them dropped. No link: nothing is left to open.
 */
const samples = emailSamples('https://carepact.example.fr');
const plain = (s: string) => s.replace(/[\u2068\u2069]/g, '').replace(/&nbsp;|\u00a0/g, ' ');

describe('signature-cancelled e-mail', () => {
  it('to a guardian who had signed, with the departure: the document, cancelled, her signature no longer counts, the departure, no link', () => {
    const e = renderEmail('signature-cancelled', samples['signature-cancelled']);
    expect(e.subject).toBe('Demande de signature annulée : contrat de séjour — EHPAD Les Tilleuls');
    const text = plain(e.text);
    expect(text).toContain('Bonjour Jeanne Martin,');
    expect(text).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour le contrat de séjour de Marcel Dupont, à la suite du départ de Marcel Dupont de l’établissement.');
    expect(text).toContain('Vous n’avez plus rien à signer pour cette demande : les liens reçus pour elle ne fonctionnent plus.');
    expect(text).toContain('La signature que vous aviez donnée ne compte plus : le document n’est pas signé.');
    expect(text).toContain('Si un nouveau document doit être signé, l’établissement vous contactera.');
    expect(text).toContain('Pour toute question, appelez l’établissement au 01 23 45 67 89.');
    expect(e.html).not.toMatch(/<a\b/);
    expect(plain(e.html)).toContain('à la suite du départ de Marcel Dupont de l’établissement');
  });

  it('to the person herself, not signed, cancelled by staff for their own reason: « votre », no signature sentence, no reason', () => {
    const e = renderEmail('signature-cancelled', {
      ...samples['signature-cancelled'],
      recipientName: 'Émile Durand',
      residentName: null,
      departure: false,
      signed: false,
      establishment: { name: 'EHPAD Les Tilleuls', phone: null },
      reason: 'Erreur de tarif CX-77',
    } as never);
    const text = plain(e.text);
    expect(text).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour votre contrat de séjour.');
    expect(text).not.toContain('départ');
    expect(text).not.toContain('La signature que vous aviez donnée');
    expect(text).not.toContain('CX-77');
    expect(text).toContain('Pour toute question, contactez l’établissement.');
    expect(plain(renderEmail('signature-cancelled', { ...samples['signature-cancelled'], residentName: null, departure: true }).text)).toContain(
      'pour votre contrat de séjour, à la suite de votre départ de l’établissement.',
    );
  });

  it('cancelled because another contrat de séjour of the stay was signed (CASF L.311-4): that reason, no departure, no link', () => {
    const e = renderEmail('signature-cancelled', { ...samples['signature-cancelled'], departure: false, otherContractSigned: true, signed: false });
    const text = plain(e.text);
    expect(text).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour le contrat de séjour de Marcel Dupont, car un autre contrat de séjour a été signé pour ce séjour.');
    expect(text).not.toContain('départ');
    expect(plain(e.html)).toContain('car un autre contrat de séjour a été signé pour ce séjour');
    expect(e.html).not.toMatch(/<a\b/);
  });

  it('cancelled with the person’s death (C. civ. 443 al. 1): « à la suite du décès de … », soberly, no « départ », no date, no link', () => {
    const e = renderEmail('signature-cancelled', { ...samples['signature-cancelled'], death: true });
    const text = plain(e.text);
    expect(text).toContain('EHPAD Les Tilleuls a annulé la demande de signature pour le contrat de séjour de Marcel Dupont, à la suite du décès de Marcel Dupont.');
    expect(text).not.toContain('départ');
    expect(text).not.toContain('de l’établissement.');
    expect(plain(e.html)).toContain('à la suite du décès de Marcel Dupont.');
    expect(e.html).not.toMatch(/<a\b/);
    expect(plain(renderEmail('signature-cancelled', { ...samples['signature-cancelled'], residentName: 'Émile Durand', death: true }).text)).toContain('à la suite du décès d’Émile Durand.');
    // `death` only with the departure: alone it tells nothing.
    expect(plain(renderEmail('signature-cancelled', { ...samples['signature-cancelled'], departure: false, death: true }).text)).not.toContain('décès');
  });

  it('after the death, no « Si un nouveau document doit être signé … » (nothing new is signed for her, C. civ. 443 al. 1); kept for every other cancellation', () => {
    const sentence = 'Si un nouveau document doit être signé, l’établissement vous contactera.';
    const death = renderEmail('signature-cancelled', { ...samples['signature-cancelled'], death: true });
    expect(plain(death.text)).toContain('à la suite du décès de Marcel Dupont.');
    expect(plain(death.text)).not.toContain('nouveau document');
    expect(plain(death.html)).not.toContain('nouveau document');
    // The text stays well laid out: one blank line between paragraphs, none doubled.
    expect(death.text).not.toMatch(/\n\n\n/);
    expect(plain(death.text)).toMatch(/ne fonctionnent plus\.\n\nLa signature que vous aviez donnée ne compte plus : le document n’est pas signé\.\n\nPour toute question/);
    for (const other of [
      samples['signature-cancelled'],
      { ...samples['signature-cancelled'], departure: false, signed: false },
      { ...samples['signature-cancelled'], departure: false, otherContractSigned: true },
      { ...samples['signature-cancelled'], departure: false, death: true },
    ]) {
      const e = renderEmail('signature-cancelled', other);
      expect(plain(e.text)).toContain(sentence);
      expect(plain(e.html)).toContain(sentence);
    }
  });

  it('elides the name after « du départ » (d’Émile)', () => {
    const e = renderEmail('signature-cancelled', { ...samples['signature-cancelled'], residentName: 'Émile Durand' });
    expect(plain(e.text)).toContain('pour le contrat de séjour d’Émile Durand, à la suite du départ d’Émile Durand de l’établissement.');
  });
});
