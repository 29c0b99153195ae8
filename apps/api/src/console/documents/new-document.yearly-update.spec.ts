import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOMPANIMENT_UPDATE_NOTE } from './new-document.controller';

/**
 * The accompaniment avenant's yearly « réactualisation » rests on CASF L.311-4 (the contract or the
 * DIPC defines the objectives and details the prestations) and D.311 (an avenant within six months,
 * then « chaque année » the objectives and prestations are réactualisés). The sector lawyer found no
 * such rule in a « D.311 VII » for the projet or the avenant: the form's note and the controller's
 * comments cite what the law says, without that paragraph.
 */
describe('new accompaniment avenant: the yearly update is tied to CASF L.311-4 and D.311', () => {
  it('the form’s note says what is updated each year and on which articles', () => {
    expect(ACCOMPANIMENT_UPDATE_NOTE).toBe(
      'Les objectifs et les prestations que définit le contrat ou le DIPC (CASF L.311-4) sont réactualisés chaque année (CASF D.311, V) : revoyez chacun d’eux et les dates.',
    );
  });

  it('the controller cites no « D.311 VII »', () => {
    const source = readFileSync(join(__dirname, 'new-document.controller.ts'), 'utf8');
    expect(source.match(/D\.311 VII/g) ?? []).toEqual([]);
  });
});
