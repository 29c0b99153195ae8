import type { PortalContext } from '@carepact/signing';

/** A signing session's context for the portal's view tests: Seán O’Brien's contract, active, pending. */
export function portalContext(
  over: { status?: string; requestStatus?: string; purpose?: 'sign' | 'download'; delivery?: 'email' | 'in_person'; email?: string | null } = {},
): PortalContext {
  return {
    session: { codeVerified: true, csrfToken: 'jeton-csrf' },
    signer: {
      role: 'resident',
      status: over.status ?? 'pending',
      firstName: 'Seán',
      lastName: 'O’Brien',
      email: over.email === undefined ? 'sean.obrien@example.org' : over.email,
      delivery: over.delivery ?? 'email',
      accessCodeRequired: false,
      optional: false,
      actedAt: null,
    },
    request: { status: over.requestStatus ?? 'active', deadline: new Date('2026-12-12T22:59:00Z') },
    document: { id: 'd1', type: 'contrat-sejour', subtype: null },
    link: null,
    residentName: 'Seán O’Brien',
    establishmentName: 'EHPAD Les Tilleuls',
    establishment: { name: 'EHPAD Les Tilleuls', phone: '01 00 00 00 18', address: '12 rue des Tilleuls, 00100 Valville' },
    preferences: { largePrint: false, easyToRead: false },
    views: [],
    residenceDispute: null,
    waitingFor: [],
    purpose: over.purpose ?? 'sign',
    archiveFrom: null,
  } as unknown as PortalContext;
}
