import type { RequestMode, SignerStatus } from './signing.entities';

/** What deciding whose turn it is needs to know of a signer. */
export interface TurnSigner {
  orderNo: number;
  status: SignerStatus;
  optional: boolean;
}

/**
 * The signing order shown everywhere (staff view, evidence, "waiting for"): by order number; within
 * an order, the person first and the establishment last; then by key, for a stable order.
 */
export function bySigningOrder(a: { orderNo: number; role: string; key: string }, b: { orderNo: number; role: string; key: string }): number {
  const rank = (role: string) => (role === 'resident' ? 0 : role === 'director' ? 2 : 1);
  return a.orderNo - b.orderNo || rank(a.role) - rank(b.role) || a.key.localeCompare(b.key);
}

/**
 * The signers as every list shows them and, in sequential mode, as they sign: `bySigningOrder` on
 * the policy's order (the person's side, then the establishment), whatever order the policy built
 * them in. The console's preview, the request and the portal thereby show the same list.
 */
export function inSigningOrder<S extends { order: number; role: string; key: string }>(signers: readonly S[]): S[] {
  return [...signers].sort((a, b) => bySigningOrder({ ...a, orderNo: a.order }, { ...b, orderNo: b.order }));
}

/**
 * The order number each signer of a new request gets. Parallel: the policy's own (the person's side
 * together, then the director). Sequential (« Chacun à son tour, dans l’ordre ci-dessus »): one
 * after the other in `inSigningOrder`, the director still last — the policy gives every signer of
 * the person's side the same order, which made the sequential choice sign them all at once.
 */
export function orderNumbers<S extends { order: number; role: string; key: string }>(mode: RequestMode, signers: readonly S[]): Map<string, number> {
  if (mode === 'parallel') return new Map(signers.map((s) => [s.key, s.order]));
  return new Map(inSigningOrder(signers).map((s, i) => [s.key, i + 1]));
}

/**
 * A decision's signers as a request of `mode` holds them: in `inSigningOrder`, each with the order
 * number `orderNumbers` gives it. The console's preview (POST …/signature-requests/preview) returns
 * this, and `create` numbers the request's signers the same way: the first listed is the first invited.
 */
export function inRequestOrder<S extends { order: number; role: string; key: string }>(mode: RequestMode, signers: readonly S[]): S[] {
  const no = orderNumbers(mode, signers);
  return inSigningOrder(signers).map((s) => ({ ...s, order: no.get(s.key)! }));
}

/**
 * The required signers of a lower order who have not signed yet: in sequential mode, the ones a
 * signer of `orderNo` waits for (in the order given). Optional signers (the person on a DIPC,
 * CASF D.311) never hold anyone back; in parallel mode nobody waits.
 */
export function blockingSigners<S extends TurnSigner>(mode: RequestMode, signers: readonly S[], orderNo: number): S[] {
  if (mode === 'parallel') return [];
  return signers.filter((s) => s.orderNo < orderNo && !s.optional && s.status !== 'signed');
}

/** Sequential: a signer's turn comes when every required signer of a lower order has signed. */
export function isTurnOf(mode: RequestMode, signers: readonly TurnSigner[], orderNo: number): boolean {
  return blockingSigners(mode, signers, orderNo).length === 0;
}

/** The pending signers with an e-mail delivery whose turn it is (invitations, reminders). */
export function emailSignersDue<S extends TurnSigner & { delivery: string }>(mode: RequestMode, signers: readonly S[]): S[] {
  return signers.filter((s) => s.status === 'pending' && s.delivery === 'email' && isTurnOf(mode, signers, s.orderNo));
}

/**
 * The establishment's countersignature is due when it is all that remains: the director (or
 * delegate, CASF D.311) has not signed, and every other required signer has. Null otherwise.
 */
export function countersignatureDue<S extends TurnSigner & { role: string }>(signers: readonly S[]): S | null {
  const director = signers.find((s) => s.role === 'director' && s.status === 'pending');
  if (!director) return null;
  return signers.every((s) => s === director || s.optional || s.status === 'signed') ? director : null;
}

/**
 * Every required signer has signed, the establishment's countersignature included: what the seal
 * needs. From then on the request only waits for its seal (it stays `active` until the seal commits):
 * it no longer expires and staff can no longer cancel it — the signatures are never thrown away.
 */
export function allRequiredSigned(signers: readonly Pick<TurnSigner, 'status' | 'optional'>[]): boolean {
  return signers.filter((s) => !s.optional).every((s) => s.status === 'signed');
}

/**
 * An optional countersigner of the person's side: the person or her representative on a DIPC or an
 * avenant to it (CASF D.311 II, « peut être contresigné »), as opposed to the director, whose
 * signature establishes the document.
 */
export function isOptionalCountersigner(s: { optional: boolean; role: string }): boolean {
  return s.optional && s.role !== 'director';
}

/**
 * The countersignature window (CASF D.311 II: the DIPC « est établi et signé par le directeur … Il
 * peut être contresigné par la personne accueillie ou son représentant légal »). Once every required
 * signature is in (the director's establishes the DIPC: it is in force, sealed and handed over,
 * D.311 III), the optional signers of the person's side who have not answered keep their link to
 * countersign, until the request's deadline. D.311 sets no period for the countersignature; the
 * request's deadline is the date the person was already given in her invitation (« avant le … »),
 * chosen by staff when they sent it: no new date is invented, and past it every link dies as for
 * any request. Open while such a signer is pending and the deadline has not passed.
 */
export function countersignWindowOpen(signers: readonly Pick<TurnSigner & { role: string }, 'status' | 'optional' | 'role'>[], deadline: Date, now = new Date()): boolean {
  return allRequiredSigned(signers) && deadline > now && signers.some((s) => isOptionalCountersigner(s) && s.status === 'pending');
}

/** Signatures given: a new one after a seal is what a new sealed edition records. */
export function signedCount(signers: readonly Pick<TurnSigner, 'status'>[]): number {
  return signers.filter((s) => s.status === 'signed').length;
}
