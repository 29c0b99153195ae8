import { annexFileNote } from './portal.views';

/** The portal's sign page names an annex's edition once (the newcomer's shot 06: « version 2025 (PDF, version « Édition 2025 ») »). */
describe('portal: an annex’s edition named once', () => {
  it('« Règlement de fonctionnement, version 2025 » with the edition « Édition 2025 »: « PDF » only', () => {
    expect(annexFileNote('Règlement de fonctionnement, version 2025', 'Édition 2025')).toBe('PDF');
  });
  it('the livret (fixed before) stays fixed; an edition the label does not name is still given', () => {
    expect(annexFileNote('Livret d’accueil, édition 2026', 'Édition 2026')).toBe('PDF');
    expect(annexFileNote('Règlement de fonctionnement', 'Édition 2025')).toBe('PDF, version « Édition 2025 »');
    expect(annexFileNote('Règlement de fonctionnement, version 2024', 'Édition 2025')).toBe('PDF, version « Édition 2025 »');
    expect(annexFileNote('Règlement de fonctionnement', null)).toBe('PDF');
  });
});
