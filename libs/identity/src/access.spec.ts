import { ForbiddenError, NotFoundError } from '@carepact/common';
import { StaffActor, assertCan, requireVisible } from './access';

const actor = (roles: StaffActor['roles']): StaffActor => ({
  kind: 'staff',
  userId: 'u1',
  organisationId: 'o1',
  email: 'a@example.org',
  name: 'A',
  sessionId: 's1',
  roles,
});

describe('requireVisible', () => {
  const auditorOnE1 = actor([{ establishmentId: 'e1', role: 'auditor' }]);
  const notFound = new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.');

  it('accepts a record in an establishment the actor sees, whatever their role there', () => {
    expect(() => requireVisible(auditorOnE1, { establishmentId: 'e1' }, notFound)).not.toThrow();
  });

  it('throws the caller’s own not-found error for another establishment and for a missing record alike', () => {
    expect(() => requireVisible(auditorOnE1, { establishmentId: 'e2' }, notFound)).toThrow(notFound);
    expect(() => requireVisible(auditorOnE1, undefined, notFound)).toThrow(notFound);
    expect(() => requireVisible(auditorOnE1, null, notFound)).toThrow(notFound);
  });

  it('given a function, builds the not-found error only when it throws it', () => {
    const made: NotFoundError[] = [];
    const lazily = () => {
      const e = new NotFoundError('RESIDENT_NOT_FOUND', 'Résident introuvable.');
      made.push(e);
      return e;
    };
    requireVisible(auditorOnE1, { establishmentId: 'e1' }, lazily);
    expect(made).toHaveLength(0);
    expect(() => requireVisible(auditorOnE1, { establishmentId: 'e2' }, lazily)).toThrow(NotFoundError);
    expect(() => requireVisible(auditorOnE1, null, lazily)).toThrow('Résident introuvable.');
    expect(made).toHaveLength(2);
  });

  it('leaves the role to assertCan: visible without the role is a 403, not a 404', () => {
    requireVisible(auditorOnE1, { establishmentId: 'e1' }, notFound);
    expect(() => assertCan(auditorOnE1, 'resident.write', 'e1')).toThrow(ForbiddenError);
  });
});
