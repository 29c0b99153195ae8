import { eventBodyParts, eventHash, eventHashFromParts, eventRowHasher } from './audit-hash';

/** Issue 12, item 4: the body cut for the append statement (APPEND_SQL) hashes the very bytes of the chain format. */
describe('eventBodyParts', () => {
  const base = {
    chainId: '6f1f8a52-6a43-4f0b-9a39-0d5f2b1c9e11',
    actorType: 'staff',
    actorId: 'a"b\\c',
    action: 'document.created',
    subjectType: 'document' as string | null,
    subjectId: null as string | null,
  };
  const payloads: Record<string, unknown>[] = [
    {},
    { residentId: 'x', n: 3, ok: true, none: null, list: ['a', 'b'] },
    // The payload reuses the slot names and the placeholders: the top-level slots are still found.
    { occurredAt: '\u0001', seq: '\u0002', nested: '"occurredAt":"\\u0001"', z: '"seq":"\\u0002"' },
    { nom: 'Zoé L’Hôte — 😀', ctrl: '\u0000\u001f\u2028', lone: '\ud800' },
  ];
  it.each(payloads.map((p) => [p]))('gives eventHash’s hash for %j', (payload) => {
    const occurredAt = new Date(Date.UTC(2026, 11, 1, 16, 45, 7, 89));
    for (const seq of [1, 42, 1_000_000]) {
      const parts = eventBodyParts({ ...base, payload });
      expect(eventHashFromParts('ab'.repeat(32), parts, seq, occurredAt)).toBe(eventHash('ab'.repeat(32), { ...base, payload, seq, occurredAt }));
    }
  });
  it('changes with every field (no slot swallows a neighbour)', () => {
    const at = new Date(0);
    const h = (o: { actorId?: string | null; subjectId?: string | null; subjectType?: string | null; action?: string }) => eventHashFromParts('0'.repeat(64), eventBodyParts({ ...base, ...o, payload: {} }), 1, at);
    const all = [h({}), h({ actorId: null }), h({ subjectId: 'y' }), h({ subjectType: null }), h({ action: 'x' })];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('eventRowHasher (the verifier’s loop)', () => {
  it('gives eventHash’s hash, whatever the fields', () => {
    const at = new Date(Date.UTC(2025, 0, 31, 23, 59, 59, 999));
    const cases = [
      { chainId: 'c', seq: 1, actorType: 'staff', actorId: 'u"1', action: 'a.b', subjectType: null, subjectId: null, payload: {} },
      { chainId: 'c', seq: 123456, actorType: 'system', actorId: null, action: 'x', subjectType: 'document', subjectId: 'é\u2028', payload: { z: 1, a: ['x', 'y'], m: null, b: false } },
      { chainId: '11111111-1111-4111-8111-1111111111"\\', seq: 9007199254740991, actorType: 'é', actorId: '', action: '', subjectType: '', subjectId: '', payload: { a: [] } },
      { chainId: 'c', seq: 2, actorType: 'signer', actorId: 's', action: 'signature.signed', subjectType: 'signature_request', subjectId: 'r', payload: { nested: { b: 1, a: 2 }, '😀': '\ud800' } },
    ];
    for (const c of cases)
      expect(eventRowHasher(c.chainId)('f'.repeat(64), c.seq, c.actorType, c.actorId, c.action, c.subjectType, c.subjectId, c.payload, at.toISOString())).toBe(
        eventHash('f'.repeat(64), { ...c, occurredAt: at }),
      );
  });
});
