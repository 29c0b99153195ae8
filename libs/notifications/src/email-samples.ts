import type { EmailDataByKind, EmailKind } from './email-kinds';

/**
 * Realistic data for each email kind (the demo establishment), for previews during development
 * and for tests. `base` is the origin every link is built on.
 */
export function emailSamples(base = 'http://localhost:3000'): { [K in EmailKind]: EmailDataByKind[K] } {
  const establishment = { name: 'EHPAD Les Tilleuls', phone: '01 23 45 67 89' };
  const at = new Date('2026-11-20T09:30:00Z');
  const staff = { establishment, recipientName: 'Claire Bernard', documentType: 'contrat-sejour' as const, documentSubtype: null, residentName: 'Marcel Dupont' };
  // Staff e-mails open the document's page in the console at the request's section or its questions,
  // named in the query too for the way back from the login page (SigningJobsService staffConsoleUrl), never the JSON API.
  const documentPage = `${base}/console/documents/5b1d0c3e-8f7a-4c2b-9e6d-1a2b3c4d5e6f`;
  const requestId = '0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f';
  return {
    'staff-invitation': {
      establishment: { name: 'EHPAD Les Tilleuls' },
      recipientName: 'Camille Leroy',
      invitedBy: 'Sophie Garnier',
      roles: ['Coordination — EHPAD Les Tilleuls'],
      actionUrl: `${base}/compte/mot-de-passe/Qm3Xr8Tz1Lp6Wn4Kc9Vb2Hd7Fs5Jg0Ya_-EuIoNtRq`,
      expiresAt: new Date('2026-11-27T09:30:00Z'),
    },
    'password-reset': {
      establishment: { name: 'EHPAD Les Tilleuls' },
      recipientName: 'Camille Leroy',
      actionUrl: `${base}/compte/mot-de-passe/Zt5Gh8Jk2Lm7Np4Qr1St6Uv3Wx9Yz0Ab_-CdEfGhIj`,
      expiresAt: new Date('2026-11-20T10:30:00Z'),
    },
    'signature-invitation': {
      establishment,
      recipientName: 'Jeanne Martin',
      documentType: 'contrat-sejour',
      documentSubtype: null,
      residentName: 'Marcel Dupont',
      deadline: new Date('2026-12-20T22:59:00Z'),
      signUrl: `${base}/s/9hQkXw2mZr4tLbN7cVd0sE1fGu3yJp5aKq8iOx6RzTA`,
    },
    'signature-reminder': {
      establishment,
      recipientName: 'Marcel Dupont',
      documentType: 'contrat-sejour',
      documentSubtype: null,
      residentName: null,
      deadline: new Date('2026-12-20T22:59:00Z'),
      signUrl: `${base}/s/Yc3Lq9Zp1Rk5Tn7Wm2Xb4Vd6Fh8Js0GaEoIuQe_-Ny`,
      accessCodeRequired: true,
    },
    'question-answered': {
      establishment,
      recipientName: 'Jeanne Martin',
      documentType: 'contrat-sejour',
      documentSubtype: null,
      residentName: 'Marcel Dupont',
      deadline: new Date('2026-12-20T22:59:00Z'),
      signUrl: `${base}/s/Qa7Lq9Zp1Rk5Tn7Wm2Xb4Vd6Fh8Js0GaEoIuQe_-Nz`,
    },
    'signature-completed': {
      establishment,
      recipientName: 'Jeanne Martin',
      documentType: 'contrat-sejour',
      documentSubtype: null,
      residentName: 'Marcel Dupont',
      signedAt: at,
      downloadUrl: `${base}/d/Kf7Gh2Jk9Lm4Np1Qr6St3Uv8Wx5Yz0Ab_-CdEfGhIj`,
      downloadAvailableUntil: new Date('2027-02-20T22:59:00Z'),
    },
    'signature-cancelled': {
      establishment,
      recipientName: 'Jeanne Martin',
      documentType: 'contrat-sejour',
      documentSubtype: null,
      residentName: 'Marcel Dupont',
      departure: true,
      signed: true,
    },
    'staff-refusal': { ...staff, signerName: 'Jeanne Martin', refusedAt: at, consoleUrl: `${documentPage}?section=demande-${requestId}#demande-${requestId}` },
    'staff-question': { ...staff, signerName: 'Jeanne Martin', askedAt: at, consoleUrl: `${documentPage}?section=questions-${requestId}#questions-${requestId}` },
    'request-expired': {
      ...staff,
      deadline: new Date('2026-12-20T22:59:00Z'),
      pendingSigners: ['Jeanne Martin', 'Marcel Dupont'],
      consoleUrl: `${documentPage}?section=demande-${requestId}#demande-${requestId}`,
    },
    'countersign-due': {
      ...staff,
      recipientName: 'Claire Morel',
      lastSignedAt: at,
      deadline: new Date('2026-12-20T22:59:59Z'),
      legalDeadline: new Date('2026-11-15T22:59:59Z'),
      consoleUrl: `${documentPage}?section=demande-${requestId}#demande-${requestId}`,
    },
    'seal-failed': {
      ...staff,
      recipientName: 'Claire Morel',
      failedAt: at,
      cause:
        'Le certificat de cachet de l’établissement n’est pas valide à cette date (expiré ou pas encore valide). L’administrateur doit installer un certificat valide, puis relancer le scellement.',
      consoleUrl: `${documentPage}?section=demande-${requestId}#demande-${requestId}`,
    },
    'delivery-failed': {
      ...staff,
      failedEmail: 'signature-invitation',
      intendedRecipient: { name: 'Jeanne Martin', address: 'jeanne.martin@exemple.fr' },
      failure: 'permanent',
      failedAt: at,
      consoleUrl: `${documentPage}?section=demande-${requestId}#demande-${requestId}`,
    },
  };
}

/** The link each sample's primary action must point to; null for the one e-mail without a link (a cancelled request: nothing is left to open). */
export function primaryLinkOf<K extends EmailKind>(kind: K, data: EmailDataByKind[K]): string | null {
  if (kind === 'signature-cancelled') return null;
  const d = data as unknown as Record<string, unknown>;
  const key =
    kind === 'signature-invitation' || kind === 'signature-reminder' || kind === 'question-answered'
      ? 'signUrl'
      : kind === 'signature-completed'
        ? 'downloadUrl'
        : kind === 'staff-invitation' || kind === 'password-reset'
          ? 'actionUrl'
          : 'consoleUrl';
  return d[key] as string;
}
