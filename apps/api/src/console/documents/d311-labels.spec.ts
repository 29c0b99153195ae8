import { legalDeadlineRule } from '@carepact/signing';
import { inputFieldHint } from '@carepact/templates';
import { meetingEditorOf } from './meeting-editors';
import { ACCOMPANIMENT_UPDATE_NOTE } from './new-document.controller';

/**
 * CASF D.311, V (checked by the sector lawyer): « Un avenant précise dans le délai maximum de six mois les
 * objectifs et les prestations adaptées à la personne. Chaque année, la définition des objectifs et des
 * prestations est réactualisée. » VI applies it to the DIPC. Nothing in D.311 (nor in D.311-38, on the
 * projet d'établissement) says the projet personnalisé is reviewed each year: that is the ANESM
 * recommendations of December 2008. The console's labels cite them so (projet 1.12.0, compte rendu 1.10.0).
 */
const intros = (type: 'projet-personnalise' | 'compte-rendu-synthese' | 'avenant') => meetingEditorOf(type)!.steps.map((s) => s.intro);

describe('the console’s labels on the six-month avenant and the yearly updating (CASF D.311, V)', () => {
  it('the projet and minutes editors give the projet’s yearly review to the ANESM recommendations, not to L.311-3 7° or D.311-38', () => {
    const projet = intros('projet-personnalise');
    const minutes = intros('compte-rendu-synthese');
    expect(projet).toContain(
      'Le référent suit le projet avec la personne ; le projet est revu au moins une fois par an et à chaque changement de situation (recommandations de l’ANESM, décembre 2008) ; la personne participe à sa conception et à sa mise en œuvre (CASF L.311-3 7°).',
    );
    expect(minutes.find((s) => s.startsWith('La prochaine révision'))).toContain(
      'La prochaine révision, dans les douze mois : le projet est révisé au moins une fois par an (recommandations de l’ANESM, décembre 2008), comme la définition des objectifs et des prestations du contrat ou du DIPC, réactualisée chaque année (CASF D.311, V).',
    );
    for (const s of [...projet, ...minutes]) expect(s).not.toMatch(/D\.311-38|qui les porte avec eux|\(CASF D\.311\)/);
  });

  it('the avenant editor, the purpose hint, the yearly update note and the legal deadline cite D.311, V', () => {
    expect(intros('avenant').join('\n')).toContain('sa nature (avenant à six mois, réactualisation annuelle : CASF D.311, V ; annexe initiale…)');
    expect(inputFieldHint('document.purpose')).toContain('(précisés par un avenant dans le délai maximum de six mois, leur définition réactualisée chaque année, CASF D.311, V)');
    expect(ACCOMPANIMENT_UPDATE_NOTE).toContain('sont réactualisés chaque année (CASF D.311, V)');
    expect(legalDeadlineRule('avenant')).toBe('premier avenant dans les six mois de l’admission, CASF D.311, V');
  });
});
