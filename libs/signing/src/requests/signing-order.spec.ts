import { inSigningOrder, orderNumbers } from './whose-turn';

const s = (key: string, role: string, order: number) => ({ key, role, order });
// The policy's order for a minor: both parents at 1, the director at 2 (C. civ. 372; CASF D.311).
const policy = [s('parent:b', 'parent', 1), s('parent:a', 'parent', 1), s('director', 'director', 2)];

describe('the order signers are listed and sign in', () => {
  it('lists the person first, then the representatives by key, the establishment last, whatever order the policy built', () => {
    expect(inSigningOrder([s('director', 'director', 2), s('curateur:x', 'curateur', 1), s('resident', 'resident', 1)]).map((x) => x.key)).toEqual(['resident', 'curateur:x', 'director']);
    expect(inSigningOrder(policy).map((x) => x.key)).toEqual(['parent:a', 'parent:b', 'director']);
  });

  it('parallel keeps the policy’s orders: the person’s side together, then the director', () => {
    expect(Object.fromEntries(orderNumbers('parallel', policy))).toEqual({ 'parent:a': 1, 'parent:b': 1, director: 2 });
  });

  it('sequential (« Chacun à son tour, dans l’ordre ci-dessus ») gives each signer its own turn in the listed order', () => {
    expect(Object.fromEntries(orderNumbers('sequential', policy))).toEqual({ 'parent:a': 1, 'parent:b': 2, director: 3 });
  });
});
