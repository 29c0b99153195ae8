import { inRequestOrder, orderNumbers } from './whose-turn';

/**
 * The preview lists the signers as the request numbers them: the policy builds Enzo's parents in its
 * own order (Julie, then Thomas, both order 1); a sequential request invites them one after the other
 * in inSigningOrder. The preview's first signer is the first one invited.
 */
describe('inRequestOrder: the preview’s order is the request’s', () => {
  const policy = [
    { key: 'parent:b-julie', role: 'parent', order: 1 },
    { key: 'parent:a-thomas', role: 'parent', order: 1 },
    { key: 'director', role: 'director', order: 2 },
  ];

  it('sequential: listed and numbered as create numbers them (orderNumbers), Thomas first', () => {
    const listed = inRequestOrder('sequential', policy);
    const created = orderNumbers('sequential', policy);
    expect(listed.map((s) => [s.key, s.order])).toEqual([
      ['parent:a-thomas', 1],
      ['parent:b-julie', 2],
      ['director', 3],
    ]);
    expect(listed.map((s) => [s.key, created.get(s.key)])).toEqual(listed.map((s) => [s.key, s.order]));
  });

  it('parallel: the policy’s numbers, in the same listing order', () => {
    expect(inRequestOrder('parallel', policy).map((s) => [s.key, s.order])).toEqual([
      ['parent:a-thomas', 1],
      ['parent:b-julie', 1],
      ['director', 2],
    ]);
  });
});
