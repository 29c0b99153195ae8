import { DEMO_FIXTURE_PATH, DEMO_IME_FIXTURE_PATH, loadDemoFixture } from '@carepact/residents';
import { demoExampleFor, demoExampleOf } from './demo-example';

/**
 * « Préremplir avec l’exemple » for the demo's second establishment, the IME Les Sources (its own
 * FINESS, its own fixture): it was offered for Les Tilleuls only. Each child's contract is the one
 * written for them; a DIPC and a projet personnalisé, for which the fixture has no data, are drawn
 * from that contract without inventing what it does not say.
 */
describe('the demo example for the IME Les Sources', () => {
  const ime = loadDemoFixture(DEMO_IME_FIXTURE_PATH);
  const tilleuls = loadDemoFixture(DEMO_FIXTURE_PATH);
  const ines = ime.residents.find((r) => r.key === 'ines-moreau')!;
  const noah = ime.residents.find((r) => r.key === 'noah-lefevre')!;
  const contractOf = (r: typeof ines) => (r as unknown as { documents: Record<string, Record<string, unknown>> }).documents['contrat-sejour'];

  it('found by the IME’s FINESS among the demo fixtures (the default loads both): the contract written for that child', () => {
    const example = demoExampleFor(ime.establishment.finess, ines, 'contrat-sejour')!;
    expect(example.from).toBeNull();
    expect(example.data).toEqual(expect.objectContaining({ objectives: contractOf(ines).objectives, minorView: contractOf(ines).minorView }));
    expect(demoExampleOf(ime.establishment.finess, noah, 'contrat-sejour')).toEqual(expect.objectContaining({ objectives: contractOf(noah).objectives }));
    // Never another establishment's: a Tilleuls resident under the IME's FINESS, an IME child under Les Tilleuls'.
    expect(demoExampleOf(ime.establishment.finess, tilleuls.residents[0], 'contrat-sejour', [ime, tilleuls])).toBeNull();
    expect(demoExampleOf(tilleuls.establishment.finess, ines, 'contrat-sejour', [ime, tilleuls])).toBeNull();
  });

  it('a DIPC: the child’s objectives, services, participants, financial contribution and admission day from her contract; why a DIPC is left to staff', () => {
    const example = demoExampleFor(ime.establishment.finess, ines, 'dipc', [tilleuls, ime])!;
    const c = contractOf(ines);
    expect(example.from).toBe('contrat-sejour');
    expect(example.data).toEqual({
      objectives: c.objectives,
      objectivesFalc: c.objectivesFalc,
      services: c.services,
      servicesFalc: c.servicesFalc,
      participation: c.participation,
      financialContribution: 'aucune',
      annexesHandedOverOn: c.annexesHandedOverOn,
      startDate: ines.admissionDate,
    });
    expect(example.data).not.toHaveProperty('reason');
  });

  it('a projet personnalisé: the contract’s objectives as its titles, its professional as referent, who took part; no words put in the child’s mouth', () => {
    const example = demoExampleFor(ime.establishment.finess, noah, 'projet-personnalise', [tilleuls, ime])!;
    const c = contractOf(noah) as { objectives: string[]; objectivesFalc: string[]; participation: { others: { name: string; capacity: string; role: string }[] } };
    const professional = c.participation.others.find((o) => o.capacity === 'professionnel')!;
    expect(example).toEqual({
      from: 'contrat-sejour',
      data: {
        referent: professional.name,
        objectives: c.objectives.map((title, i) => ({ title, titleFalc: c.objectivesFalc[i] })),
        participants: [{ name: `${noah.firstName} ${noah.lastName}`, role: 'la personne accompagnée' }, ...c.participation.others.map((o) => ({ name: o.name, role: o.role }))],
      },
    });
    expect(example.data).not.toHaveProperty('expectations');
    expect(example.data).not.toHaveProperty('expression');
  });

  it('Les Tilleuls unchanged: a type written for another person is neither lent nor drawn (the compte rendu is Enzo’s, the DIPC Ahmed’s)', () => {
    const marcel = tilleuls.residents.find((r) => r.key === 'marcel-dupont')!;
    expect(demoExampleFor(tilleuls.establishment.finess, marcel, 'compte-rendu-synthese')).toBeNull();
    expect(demoExampleFor(tilleuls.establishment.finess, marcel, 'dipc')).toBeNull();
    expect(demoExampleFor(tilleuls.establishment.finess, marcel, 'contrat-sejour')).toMatchObject({ from: null });
  });
});
