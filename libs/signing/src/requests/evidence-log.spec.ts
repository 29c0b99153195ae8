import type { AuditService } from '@carepact/audit';
import type { IdentityRepository } from '@carepact/identity';
import type { EntityManager } from 'typeorm';
import { EvidenceLog } from './evidence-log';

/**
 * A staff member's step (in-person session opened, access code issued, witness statement…) names
 * them on the signature event, which the evidence prints; before, they were only the audit event's
 * actor id, and the evidence could not say who acted for the establishment.
 */
describe('EvidenceLog: the staff member who acted is on the signature event', () => {
  const r = { id: 'r1', organisationId: 'o1' };
  function setup(user: { id: string; name: string; email: string } | null) {
    const insert = jest.fn();
    const append = jest.fn();
    const findUserInOrganisation = jest.fn().mockResolvedValue(user);
    const log = new EvidenceLog({ append } as unknown as AuditService, { findUserInOrganisation } as unknown as IdentityRepository);
    return { log, em: { insert } as unknown as EntityManager, insert, append, findUserInOrganisation };
  }
  const detailsOf = (insert: jest.Mock) => (insert.mock.calls[0][1] as { details: Record<string, unknown> }).details;

  it('in_person_opened, code_issued, witness_recorded: account and name of the staff member, looked up in the request’s organisation', async () => {
    for (const kind of ['in_person_opened', 'code_issued', 'witness_recorded'] as const) {
      const { log, em, insert, append, findUserInOrganisation } = setup({ id: 'u7', name: 'Nadia Haddad', email: 'admissions@les-tilleuls.example' });
      await log.record(em, r, kind, { type: 'staff', id: 'u7' }, { signerId: 's1' });
      expect(findUserInOrganisation).toHaveBeenCalledWith(em, 'o1', 'u7');
      expect(detailsOf(insert)).toEqual({ byUserId: 'u7', byName: 'Nadia Haddad', byAccount: 'admissions@les-tilleuls.example' });
      // The audit chain keeps ids only: its actor is the staff member, its payload unchanged.
      expect(append.mock.calls[0][1]).toMatchObject({ actor: { type: 'staff', id: 'u7' }, payload: { signerId: 's1' } });
      expect(append.mock.calls[0][1].payload).not.toHaveProperty('byName');
    }
  });

  it('details the caller gave win (the countersignature names its account itself); a signer’s or the system’s step looks nobody up', async () => {
    const a = setup({ id: 'u9', name: 'Autre', email: 'x@example.org' });
    await a.log.record(a.em, r, 'countersigned', { type: 'staff', id: 'u9' }, { details: { byUserId: 'u9', byAccount: 'direction@les-tilleuls.example', byName: 'Claire Morel' } });
    expect(detailsOf(a.insert)).toEqual({ byUserId: 'u9', byAccount: 'direction@les-tilleuls.example', byName: 'Claire Morel' });
    expect(a.findUserInOrganisation).not.toHaveBeenCalled();
    const b = setup(null);
    await b.log.record(b.em, r, 'viewed', { type: 'signer', id: 's1' }, { signerId: 's1', details: { variant: 'falc' } });
    expect(detailsOf(b.insert)).toEqual({ variant: 'falc' });
    expect(b.findUserInOrganisation).not.toHaveBeenCalled();
  });

  it('an account not found in the organisation: its id alone', async () => {
    const { log, em, insert } = setup(null);
    await log.record(em, r, 'code_issued', { type: 'staff', id: 'u8' }, { signerId: 's1' });
    expect(detailsOf(insert)).toEqual({ byUserId: 'u8' });
  });
});
