import { VIEW_ESTABLISHMENT, viewActor } from '@carepact/testing';
import type { EstablishmentEntity, StaffUserView } from '@carepact/identity';
import { accountsPage, settingsPage } from './admin.views';

const establishment = VIEW_ESTABLISHMENT;
const actor = viewActor('administrator');

function invited(n: number, invitationEmail: StaffUserView['invitationEmail']): StaffUserView {
  return { id: `00000000-0000-4000-8000-00000000001${n}`, email: `personne${n}@example.test`, name: `Personne ${n}`, active: true, invitationPending: true, invitationEmail, roles: [{ establishmentId: establishment, role: 'coordinator' }] };
}

/** The cell « État » of each account row, tags removed. */
const states = (users: StaffUserView[]) =>
  [...accountsPage({ actor, csrf: 'csrf', users, administered: [[establishment, 'EHPAD Les Tilleuls']], names: new Map([[establishment, 'EHPAD Les Tilleuls']]) }).matchAll(/<tr>(?:(?!<\/tr>)[\s\S])*?<\/tr>/g)]
    .map((m) => /<td>((?:(?!<\/td>)[\s\S])*)<\/td>\s*<td>(?:(?!<\/td>)[\s\S])*<\/td>\s*<\/tr>$/.exec(m[0])?.[1])
    .filter((c): c is string => c !== undefined)
    .map((c) => c.replace(/<[^>]+>/g, ''));

describe('accounts page: where an invitation e-mail stands', () => {
  it('sending, sent with its time, refused address, unreachable server: each said in French, the failures with what to do', () => {
    expect(
      states([
        invited(1, { state: 'sending', since: '2026-12-02T09:00:00.000Z' }),
        invited(2, { state: 'sent', at: '2026-12-02T09:01:00.000Z' }),
        invited(3, { state: 'failed', at: '2026-12-02T09:02:00.000Z', refused: true }),
        invited(4, { state: 'failed', at: '2026-12-02T09:03:00.000Z', refused: false }),
        invited(5, undefined),
      ]),
    ).toEqual([
      'Invité : mot de passe pas encore choisi (e-mail en cours d’envoi)',
      'Invité : mot de passe pas encore choisi (e-mail envoyé le 2 décembre 2026 à 10 h 01)',
      'L’e-mail d’invitation n’est pas parti (2 décembre 2026 à 10 h 02) : le serveur de messagerie a refusé l’adresse. Vérifiez-la, puis renvoyez l’invitation.',
      'L’e-mail d’invitation n’est pas parti (2 décembre 2026 à 10 h 03) : le serveur de messagerie est resté injoignable. Renvoyez l’invitation.',
      'Invité : mot de passe pas encore choisi',
    ]);
  });
});

describe('settings page: the seal certificate’s validity days', () => {
  it('are Paris days: a certificate valid from 1 December 23:30 UTC reads « 2 décembre » (already the 2nd in Paris)', () => {
    const est = { id: establishment, organisationId: 'org', name: 'EHPAD Les Tilleuls', category: 'EHPAD', finess: '750000000', address: '1 rue des Tilleuls', phone: null, directorFirstName: 'Claire', directorLastName: 'Martin', directorEmail: null, tariffs: null, annexes: null, contacts: null, createdAt: new Date('2026-01-01T00:00:00Z') } as unknown as EstablishmentEntity;
    const seal = { subject: 'CN=EHPAD', commonName: 'EHPAD Les Tilleuls', issuer: 'CN=AC', serialNumber: '01', notBefore: new Date('2026-12-01T23:30:00Z'), notAfter: new Date('2029-06-30T22:30:00Z'), daysLeft: 900, status: 'valid' as const };
    const text = settingsPage({ actor, csrf: 'csrf', establishment: est, canWrite: false, seal, values: {} }).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // 22:30 UTC on 30 June is half past midnight on 1 July in Paris (summer time).
    expect(text).toContain('Valable du 2 décembre 2026 au 1er juillet 2029');
  });
});
