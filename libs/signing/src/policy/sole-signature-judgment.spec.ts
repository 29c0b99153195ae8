import { aContact, aMeasure, aResident } from './testing/resident-view.builder';
import { withoutFileReferences } from './file-references';
import { soleSignatureSetAside } from './sole-signature';

const ON = '2026-11-20';
const karim = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa' });
type MeasureOver = Parameters<typeof aMeasure>[2];
const resident = (type: Parameters<typeof aMeasure>[0], over: MeasureOver = {}) => aResident({ contacts: [karim], protectionMeasures: [aMeasure(type, [karim], over, ON)] }, ON);
/** The judgment as the refused request recorded it (aMeasure's defaults). */
const AT_REFUSAL = { type: 'curatelle_renforcee', court: 'Tribunal judiciaire de Valville', judgmentReference: 'RG 25/00001', judgmentDate: '2025-01-10' };
const recorded = { measureId: 'measure-curatelle_renforcee', judgment: AT_REFUSAL, versionId: 'v1', versionNumber: 1 };
const now = (r = resident('curatelle_renforcee')) => ({ resident: r, documentType: 'contrat-sejour' as const, on: ON, version: { id: 'v1', number: 1 } });

/** C. civ. 469 al. 3: the same measure row whose judgment was edited in place is not the judgment the assistant refused under. */
describe('soleSignatureSetAside: the judgment of the measure, as at the refusal', () => {
  it('unchanged: relied on; without a recorded judgment (an older request), the measure id alone decides', () => {
    expect(soleSignatureSetAside(recorded, now())).toBeNull();
    expect(soleSignatureSetAside({ ...recorded, judgment: null }, now(resident('curatelle_renforcee', { judgmentReference: 'RG 26/00900' })))).toBeNull();
  });

  it.each([
    ['the reference', { judgmentReference: 'RG 26/00900' }],
    ['the date', { judgmentDate: '2026-06-01' }],
    ['the court', { court: 'Tribunal judiciaire de Montval' }],
  ])('%s changed on the same row: set aside (SOLE_SIGNATURE_MEASURE_CHANGED), at each decision and when recording', (_what, over) => {
    const sent = soleSignatureSetAside(recorded, now(resident('curatelle_renforcee', over)));
    expect(sent).toEqual({
      code: 'SOLE_SIGNATURE_MEASURE_CHANGED',
      message:
        'L’autorisation du juge n’est plus retenue : le jugement de la mesure de protection en vigueur (curatelle renforcée) a été modifié au dossier depuis le refus d’assistance (sa référence, sa date, sa juridiction ou la nature de la mesure). ' +
        'Le curateur que désigne la mesure en vigueur est appelé à assister la personne ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).',
    });
    // No reference in it: the auditor reads it whole.
    expect(withoutFileReferences(sent!.message)).toBe(sent!.message);
    expect(soleSignatureSetAside(recorded, now(resident('curatelle_renforcee', over)), 'record')?.message).toMatch(/^Le jugement de la mesure de protection a été modifié au dossier depuis le refus d’assistance/);
  });

  it('the kind changed on the same row (curatelle renforcée → curatelle simple): set aside', () => {
    const r = resident('curatelle');
    r.protectionMeasures[0].id = 'measure-curatelle_renforcee';
    expect(soleSignatureSetAside(recorded, now(r))).toMatchObject({ code: 'SOLE_SIGNATURE_MEASURE_CHANGED', message: expect.stringContaining('(curatelle simple) a été modifié') });
  });

  it('what is not the judgment (the end date, the proof on file): still relied on', () => {
    expect(soleSignatureSetAside(recorded, now(resident('curatelle_renforcee', { endDate: '2031-01-10', proofDocumentRef: 'Classeur 3' })))).toBeNull();
  });
});
