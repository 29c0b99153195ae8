import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { LegalHoldView, RetentionSubjectName } from '@carepact/archive';
import { conservationPage } from './conservation.views';

const establishment = VIEW_ESTABLISHMENT;
const actor = viewActor('director');

function hold(subjectId: string, subjectType: LegalHoldView['subjectType']): LegalHoldView {
  return { id: subjectId.replace(/.$/, 'f'), subjectType, subjectId, reason: 'Contentieux', placedBy: `staff:${actor.userId}`, placedAt: '2026-12-02T09:00:00.000Z', liftedBy: null, liftedAt: null, liftReason: null };
}

describe('Conservation page: the held documents are named as the Archives page names them', () => {
  it('type from the shared table (« Avenant au contrat de séjour », not « Avenant »), with elision before a vowel', () => {
    const avenant = '00000000-0000-4000-8000-00000000000a';
    const contrat = '00000000-0000-4000-8000-00000000000b';
    const names = new Map<string, RetentionSubjectName>([
      [avenant, { type: 'document', id: avenant, documentType: 'avenant', residentId: 'r', firstName: 'Émile', lastName: 'Durand', establishmentId: establishment }],
      [contrat, { type: 'document', id: contrat, documentType: 'contrat-sejour', residentId: 'r', firstName: 'Marcel', lastName: 'Dupont', establishmentId: establishment }],
    ]);
    const html = conservationPage(actor, 'csrf', { policies: [], holds: [hold(avenant, 'document'), hold(contrat, 'document')], names, staff: new Map([[`staff:${actor.userId}`, 'Direction']]) });
    expect(html).toContain(`<a href="/console/documents/${avenant}">Avenant au contrat de séjour d’Émile Durand</a>`);
    expect(html).toContain(`<a href="/console/documents/${contrat}">Contrat de séjour de Marcel Dupont</a>`);
  });
});
