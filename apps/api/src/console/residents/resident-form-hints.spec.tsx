import type { StaffActor } from '@carepact/identity';
import type { ResidentView } from '@carepact/residents';
import { residentEditPage } from './resident-forms.views';

/**
 * C. civ. 372 al. 2 in fine: a filiation established towards one parent, or late towards the other,
 * does not rule out a later joint declaration before the court clerk (or the judge's decision) that
 * makes the exercise joint — which the birth certificate does not show. The form's hint says so.
 */
const actor: StaffActor = { kind: 'staff', userId: 's', organisationId: 'o', email: 'a@example.org', name: 'Agnès', sessionId: 'x', roles: [{ establishmentId: 'e', role: 'admissions' }] };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');

describe('the sole-authority proof hint (C. civ. 372 al. 2)', () => {
  it('asks for a recent birth certificate and to ask the parent about a joint declaration before the court clerk', () => {
    const page = text(residentEditPage({ actor, csrf: 'x', resident: { id: 'r', firstName: 'Enzo', lastName: 'Petit' } as ResidentView, values: {} } as never));
    expect(page).toContain(
      'Filiation : l’acte de naissance ne montre pas une déclaration conjointe des parents devant le greffier du tribunal judiciaire (ou une décision du juge) qui rend l’exercice commun (C. civ. 372 al. 2) ; demandez un acte intégral récent et interrogez le parent.',
    );
    // Under a partial délégation not covering the stay, the proof is recorded too (C. civ. 377-1).
    expect(page).toContain('Sous une délégation partielle qui ne porte pas sur l’accueil, les parents gardent le reste en commun');
  });
});
