import { ConflictError } from '@carepact/common';
import { RESIDENT_DECEASED, assertNotDeceased } from './resident-deceased';

const died = { deceasedOn: '2026-11-30' };
const refusal = (f: () => void): ConflictError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConflictError) return e;
    throw e;
  }
  throw new Error('expected 409');
};

/** After a death, only the compte rendu of a meeting held on or before its day (the sector lawyer's review of session 20). */
describe('assertNotDeceased', () => {
  it('alive: anything', () => {
    expect(() => assertNotDeceased({ deceasedOn: null }, 'document', { type: 'contrat-sejour' })).not.toThrow();
  });

  it('the compte rendu of a meeting on or before the day of the death: established and sent', () => {
    for (const act of ['document', 'signature'] as const) {
      expect(() => assertNotDeceased(died, act, { type: 'compte-rendu-synthese', meetingDate: '2026-11-30' })).not.toThrow();
      expect(() => assertNotDeceased(died, act, { type: 'compte-rendu-synthese', meetingDate: '2026-11-18' })).not.toThrow();
    }
  });

  it('a meeting after the death, or no valid date: 409 RESIDENT_DECEASED with the French reason', () => {
    const after = refusal(() => assertNotDeceased(died, 'document', { type: 'compte-rendu-synthese', meetingDate: '2026-12-01' }));
    expect(after.code).toBe(RESIDENT_DECEASED);
    expect(after.messageFr).toBe(
      'La personne est décédée le 30 novembre 2026 : la réunion du 1er décembre 2026 a eu lieu après son décès, son compte rendu ne peut pas être établi pour elle. Seul le compte rendu d’une réunion tenue au plus tard le jour du décès peut l’être.',
    );
    for (const meetingDate of [undefined, '', '2026-11-31', '30/11/2026', 20261130])
      expect(refusal(() => assertNotDeceased(died, 'signature', { type: 'compte-rendu-synthese', meetingDate })).messageFr).toContain('indiquez la date de la réunion');
  });

  it('every other type stays refused, whatever its dates', () => {
    for (const type of ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise'])
      expect(refusal(() => assertNotDeceased(died, 'document', { type, meetingDate: '2026-11-01' })).code).toBe(RESIDENT_DECEASED);
    expect(refusal(() => assertNotDeceased(died, 'signature')).messageFr).toContain('aucune nouvelle demande de signature');
  });
});
