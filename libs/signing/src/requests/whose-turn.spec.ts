import { allRequiredSigned, blockingSigners, bySigningOrder, countersignWindowOpen, countersignatureDue, emailSignersDue, isOptionalCountersigner, isTurnOf, signedCount } from './whose-turn';

type S = { key: string; role: string; orderNo: number; status: 'pending' | 'signed' | 'refused'; optional: boolean; delivery: string };
const signer = (key: string, role: string, orderNo: number, status: S['status'] = 'pending', optional = false, delivery = 'email'): S => ({ key, role, orderNo, status, optional, delivery });

describe('whose turn it is (one pure function for creation, progress, reminders and the portal)', () => {
  // Curatelle, sequential: the person and the curateur (order 1), then the director (order 2).
  const resident = signer('resident', 'resident', 1);
  const curateur = signer('curateur:c1', 'curateur', 1);
  const director = signer('director', 'director', 2, 'pending', false, 'staff');

  it('in parallel mode nobody waits', () => {
    expect(isTurnOf('parallel', [resident, curateur, director], 2)).toBe(true);
    expect(blockingSigners('parallel', [resident, curateur, director], 2)).toEqual([]);
  });

  it('in sequential mode a signer waits for every required signer of a lower order', () => {
    expect(isTurnOf('sequential', [resident, curateur, director], 1)).toBe(true);
    expect(isTurnOf('sequential', [resident, curateur, director], 2)).toBe(false);
    expect(blockingSigners('sequential', [resident, curateur, director], 2).map((s) => s.key)).toEqual(['resident', 'curateur:c1']);
    const one = { ...resident, status: 'signed' as const };
    expect(blockingSigners('sequential', [one, curateur, director], 2).map((s) => s.key)).toEqual(['curateur:c1']);
    expect(isTurnOf('sequential', [one, { ...curateur, status: 'signed' }, director], 2)).toBe(true);
  });

  it('an optional signer (the person on a DIPC) never holds anyone back', () => {
    const optionalPerson = signer('resident', 'resident', 1, 'pending', true);
    expect(isTurnOf('sequential', [optionalPerson, director], 2)).toBe(true);
  });

  it('a refusal is not a signature: the next order keeps waiting', () => {
    expect(isTurnOf('sequential', [{ ...resident, status: 'refused' }, director], 2)).toBe(false);
  });

  it('invitations and reminders go to pending e-mail signers whose turn it is', () => {
    const parent = signer('parent:p2', 'parent', 2);
    expect(emailSignersDue('sequential', [resident, parent, director]).map((s) => s.key)).toEqual(['resident']);
    expect(emailSignersDue('sequential', [{ ...resident, status: 'signed' }, parent, director]).map((s) => s.key)).toEqual(['parent:p2']);
    expect(emailSignersDue('parallel', [resident, parent, director]).map((s) => s.key)).toEqual(['resident', 'parent:p2']);
  });

  it('signing order: by order, the person first, the establishment last, then by key', () => {
    const rows = [director, signer('tuteur:b', 'tuteur', 1), curateur, resident, signer('parent:a', 'parent', 1)];
    expect([...rows].sort(bySigningOrder).map((s) => s.key)).toEqual(['resident', 'curateur:c1', 'parent:a', 'tuteur:b', 'director']);
  });
});

describe('countersignatureDue', () => {
  const s = (role: string, status: 'pending' | 'signed' | 'refused', optional = false, orderNo = 1) => ({ role, status, optional, orderNo });
  it('is the pending director once every other required signer has signed', () => {
    const director = s('director', 'pending', false, 2);
    expect(countersignatureDue([s('resident', 'signed'), s('curateur', 'signed'), director])).toBe(director);
    // An optional countersigner (the person on a DIPC) does not hold it back.
    expect(countersignatureDue([s('resident', 'pending', true), director])).toBe(director);
  });
  it('is null while someone required is missing, after a refusal, or once countersigned', () => {
    expect(countersignatureDue([s('resident', 'signed'), s('curateur', 'pending'), s('director', 'pending', false, 2)])).toBeNull();
    expect(countersignatureDue([s('resident', 'refused'), s('director', 'pending', false, 2)])).toBeNull();
    expect(countersignatureDue([s('resident', 'signed'), s('director', 'signed', false, 2)])).toBeNull();
    expect(countersignatureDue([s('resident', 'pending')])).toBeNull();
  });
});

describe('allRequiredSigned (the seal is due: the request no longer expires nor may be cancelled)', () => {
  const s = (status: 'pending' | 'signed' | 'refused', optional = false) => ({ status, optional });
  it('every required signer signed, the director included; an optional one (the person on a DIPC) does not count', () => {
    expect(allRequiredSigned([s('signed'), s('signed')])).toBe(true);
    expect(allRequiredSigned([s('pending', true), s('signed')])).toBe(true);
  });
  it('not while the countersignature or any required signature is missing, nor after a refusal', () => {
    expect(allRequiredSigned([s('signed'), s('pending')])).toBe(false);
    expect(allRequiredSigned([s('refused'), s('signed')])).toBe(false);
  });
});

describe('countersignWindowOpen (CASF D.311 II: the DIPC established by the director may be countersigned after)', () => {
  const s = (role: string, status: 'pending' | 'signed' | 'refused', optional: boolean) => ({ role, status, optional });
  const tomorrow = new Date(Date.now() + 86400_000);
  const yesterday = new Date(Date.now() - 86400_000);
  it('is open once the director signed, while an optional signer of the person’s side may still countersign, until the deadline', () => {
    expect(countersignWindowOpen([s('resident', 'pending', true), s('director', 'signed', false)], tomorrow)).toBe(true);
    expect(countersignWindowOpen([s('resident', 'signed', true), s('tuteur', 'pending', true), s('director', 'signed', false)], tomorrow)).toBe(true);
  });
  it('is closed before the director signed, once everyone answered, after the deadline, and for a contract (everyone required)', () => {
    expect(countersignWindowOpen([s('resident', 'pending', true), s('director', 'pending', false)], tomorrow)).toBe(false);
    expect(countersignWindowOpen([s('resident', 'signed', true), s('director', 'signed', false)], tomorrow)).toBe(false);
    expect(countersignWindowOpen([s('resident', 'refused', true), s('director', 'signed', false)], tomorrow)).toBe(false);
    expect(countersignWindowOpen([s('resident', 'pending', true), s('director', 'signed', false)], yesterday)).toBe(false);
    expect(countersignWindowOpen([s('resident', 'signed', false), s('curateur', 'signed', false), s('director', 'signed', false)], tomorrow)).toBe(false);
  });
  it('an optional countersigner is of the person’s side: never the director, never a required signer', () => {
    expect(isOptionalCountersigner(s('resident', 'pending', true))).toBe(true);
    expect(isOptionalCountersigner(s('tuteur', 'pending', true))).toBe(true);
    expect(isOptionalCountersigner(s('director', 'pending', true))).toBe(false);
    expect(isOptionalCountersigner(s('resident', 'pending', false))).toBe(false);
  });
  it('counts the signatures a new sealed edition would record', () => {
    expect(signedCount([s('resident', 'pending', true), s('director', 'signed', false)])).toBe(1);
    expect(signedCount([s('resident', 'signed', true), s('director', 'signed', false)])).toBe(2);
  });
});
