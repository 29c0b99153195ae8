import type { StaffActor, StaffRole } from '@carepact/identity';

/** The establishment of `viewActor`'s role, for the rows a view test builds. */
export const VIEW_ESTABLISHMENT = '00000000-0000-4000-8000-000000000003';

/** A signed-in staff member with one role in VIEW_ESTABLISHMENT, for tests that render console pages without a database. */
export function viewActor(role: StaffRole, name = 'Personne du personnel'): StaffActor {
  return {
    kind: 'staff',
    userId: '00000000-0000-4000-8000-000000000001',
    organisationId: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    name,
    sessionId: 's',
    roles: [{ establishmentId: VIEW_ESTABLISHMENT, role }],
  };
}
