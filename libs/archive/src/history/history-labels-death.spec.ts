import { historyLabel } from './history-labels';

/** An e-mail withheld after the person's death is not labelled « archive intermédiaire » (signing-jobs.service.ts). */
describe('historyLabel: an e-mail not sent after the death', () => {
  it('says why from the event’s reason', () => {
    expect(historyLabel('signature.email_skipped', { kind: 'signature-completed', reason: 'representative_after_death' })).toBe(
      'E-mail non envoyé : après le décès, le document signé n’est plus adressé à l’ancien représentant',
    );
    expect(historyLabel('signature.email_skipped', { kind: 'signature-completed', reason: 'resident_deceased' })).toBe('E-mail non envoyé : la personne est décédée');
    expect(historyLabel('signature.email_skipped', { kind: 'signature-completed', reason: 'resident_archived' })).toBe('E-mail non envoyé : personne en archive intermédiaire');
    expect(historyLabel('signature.email_skipped')).toBe('E-mail non envoyé : personne en archive intermédiaire');
  });
});
