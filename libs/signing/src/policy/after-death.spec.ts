import { decideSigners } from './signature-policy';
import { SignaturePolicyError } from './signature-policy.errors';
import { isEstablishmentSigner, isPersonSideSigner, keptAtDeath, optionalLapsedAtDeath } from './person-side';
import type { PolicyDocumentType } from './policy.types';
import { aContact, aMeasure, aResident } from './testing/resident-view.builder';

const ON = '2026-12-02';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const tuteur = aContact('alain', { firstName: 'Alain', lastName: 'Bernard' });
const underTutelle = aResident({ contacts: [tuteur], protectionMeasures: [aMeasure('tutelle', [tuteur], {}, ON)], deceasedOn: '2026-11-30' } as never, ON);

/** The sector lawyer's review of session 20: who is on the person's side, and what a death keeps. */
describe('after the person’s death', () => {
  it('the establishment’s signer is the director; every other role signs on the person’s side', () => {
    expect(isEstablishmentSigner('director')).toBe(true);
    for (const role of ['resident', 'curateur', 'tuteur', 'parent', 'habilite', 'mandataire', 'mandataire_special', 'delegataire', 'service_gardien']) expect(isPersonSideSigner(role)).toBe(true);
  });

  it('a request is kept for the countersignature only when everyone on her side signed and the director has not (C. civ. 1121, 443 al. 1)', () => {
    const s = (role: string, status: string) => ({ role, status });
    expect(keptAtDeath([s('tuteur', 'signed'), s('director', 'pending')])).toBe(true);
    expect(keptAtDeath([s('resident', 'signed'), s('curateur', 'signed'), s('director', 'pending')])).toBe(true);
    // A required signer of her side still to sign: cancelled, no one signs in her name any more.
    expect(keptAtDeath([s('resident', 'signed'), s('curateur', 'pending'), s('director', 'pending')])).toBe(false);
    expect(keptAtDeath([s('parent', 'signed'), s('parent', 'pending'), s('director', 'pending')])).toBe(false);
    // The director first (a DIPC): her side has not signed.
    expect(keptAtDeath([s('director', 'signed'), s('resident', 'pending')])).toBe(false);
    // Nothing on her side at all: not « signed before the death ».
    expect(keptAtDeath([s('director', 'pending')])).toBe(false);
  });

  it('an optional signer of her side who has not signed (she, beside her tuteur) does not hold the request back: it is kept, her signature lapses', () => {
    const o = (role: string, status: string, optional = false) => ({ role, status, optional });
    const signers = [o('resident', 'pending', true), o('tuteur', 'signed'), o('director', 'pending')];
    expect(keptAtDeath(signers)).toBe(true);
    expect(optionalLapsedAtDeath(signers)).toEqual([signers[0]]);
    // An optional refusal neither: the request went on without it.
    expect(keptAtDeath([o('resident', 'refused', true), o('tuteur', 'signed'), o('director', 'pending')])).toBe(true);
    // A required one pending: cancelled, even with the optional one signed.
    expect(keptAtDeath([o('resident', 'signed', true), o('tuteur', 'pending'), o('director', 'pending')])).toBe(false);
    // Nobody of her side signed (a DIPC whose optional countersigners had not answered): nothing agreed on her side, cancelled.
    expect(keptAtDeath([o('tuteur', 'pending', true), o('resident', 'pending', true), o('director', 'pending')])).toBe(false);
    // Her optional signature given after the death (recorded late): without power, cancelled.
    const at = (role: string, actedAt: string | null, optional = false) => ({ role, status: actedAt ? 'signed' : 'pending', optional, actedAt: actedAt ? new Date(actedAt) : null });
    expect(keptAtDeath([at('resident', '2026-12-02T10:00:00Z', true), at('tuteur', '2026-11-20T10:00:00Z'), at('director', null)], '2026-11-30')).toBe(false);
    expect(keptAtDeath([at('resident', null, true), at('tuteur', '2026-11-20T10:00:00Z'), at('director', null)], '2026-11-30')).toBe(true);
    // The director's signature is never « lapsed »: only her side's optional pending ones.
    expect(optionalLapsedAtDeath([o('director', 'pending', true), o('tuteur', 'signed', true)])).toEqual([]);
  });

  it('with the date of death: each signature on her side given on or before that day (Paris); one given after it, without power, cancels', () => {
    const at = (role: string, iso: string | null) => ({ role, status: iso ? 'signed' : 'pending', actedAt: iso ? new Date(iso) : null });
    // 30 November 23:30 in Paris is 22:30 UTC: the day of the death.
    expect(keptAtDeath([at('tuteur', '2026-11-30T22:30:00Z'), at('director', null)], '2026-11-30')).toBe(true);
    expect(keptAtDeath([at('tuteur', '2026-11-29T10:00:00Z'), at('director', null)], '2026-11-30')).toBe(true);
    // 1 December 00:30 in Paris (23:30 UTC the day before): after it.
    expect(keptAtDeath([at('tuteur', '2026-11-30T23:30:00Z'), at('director', null)], '2026-11-30')).toBe(false);
    expect(keptAtDeath([at('resident', '2026-11-20T10:00:00Z'), at('curateur', '2026-12-02T10:00:00Z'), at('director', null)], '2026-11-30')).toBe(false);
  });

  it('the compte rendu of a meeting held before the death: the director alone signs, the explanation says why', () => {
    const d = decideSigners({ documentType: 'compte-rendu-synthese', resident: underTutelle, establishment, on: ON, deceasedOn: '2026-11-30' });
    expect(d.signers.map((x) => `${x.key}:${x.order}${x.optional ? '?' : ''}`)).toEqual(['director:1']);
    expect(d.views).toEqual([]);
    expect(d.explanation).toContain('La personne est décédée le 30 novembre 2026');
    // Session 22's review: the power of those who represented her ended with her — a measure (C. civ. 418, 443) or, for a minor, parental authority.
    expect(d.explanation).toContain('le pouvoir de ceux qui la représentaient a pris fin avec elle (mesure de protection, C. civ. art. 418 et 443 ; autorité parentale, pour un mineur)');
    expect(d.explanation).not.toContain('sa mesure de protection a pris fin');
    // Alive, her tuteur may acknowledge it (optional).
    const alive = decideSigners({ documentType: 'compte-rendu-synthese', resident: underTutelle, establishment, on: ON });
    expect(alive.signers.map((x) => x.role)).toContain('tuteur');
  });

  it('any other document after the death: refused, nobody signs in her name', () => {
    for (const documentType of ['contrat-sejour', 'avenant', 'dipc', 'projet-personnalise'] as PolicyDocumentType[]) {
      let e: unknown;
      try {
        decideSigners({ documentType, resident: underTutelle, establishment, on: ON, deceasedOn: '2026-11-30' });
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(SignaturePolicyError);
      expect((e as SignaturePolicyError).code).toBe('DOCUMENT_TYPE_NOT_APPLICABLE');
    }
    // A signer proposed on her side: refused too.
    expect(() => decideSigners({ documentType: 'compte-rendu-synthese', resident: underTutelle, establishment, on: ON, deceasedOn: '2026-11-30', proposedContactIds: ['alain'] })).toThrow(/seule la direction signe/);
  });
});
