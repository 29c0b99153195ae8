/**
 * The document data of an accompaniment avenant to the contrat de séjour (avenant template ≥ 1.3.0,
 * `purpose: 'accompagnement'`): the demo's six-month avenant (objectives and services adapted, CASF
 * L.311-4, D.311), with the easy-to-read texts the API requires. `contractSignedOn`: the signed
 * contract's day (`insertResidentsWithSignedContracts`: 1 February 2024 by default).
 */
export function accompanimentAvenantData(contractSignedOn = '2024-02-01'): Record<string, unknown> {
  return {
    purpose: 'accompagnement',
    kind: 'avenant à six mois',
    appliesTo: 'contrat-sejour',
    contractSignedOn,
    objectives: [
      {
        title: 'Garder la promenade quotidienne en sécurité',
        titleFalc: 'Faire votre promenade chaque jour en sécurité',
        actions: [{ action: 'Accompagnement de la promenade le matin', actionFalc: 'Un bénévole fait la promenade avec vous le matin', responsible: 'Animatrice', deadline: '2027-01-31' }],
        evaluation: 'Nombre de promenades par semaine',
        evaluationFalc: 'Nous comptons vos promenades chaque semaine.',
      },
    ],
    services: ['Accompagnement à la promenade'],
    servicesFalc: ['Une personne vous accompagne en promenade'],
    participation: {
      person: { presence: 'present' },
      others: [{ name: 'Paul Girard', capacity: 'professionnel', role: 'coordinateur de projet', roleFalc: 'la personne qui suit votre projet', presence: 'present' }],
    },
  };
}
