import { Injectable } from '@nestjs/common';
import { randomToken, sha256Hex } from '@carepact/common';
import { returnedRows } from '@carepact/database';
import { EntityManager } from 'typeorm';
import { SignatureRequestEntity, SigningLinkEntity } from '../requests/signing.entities';

/** Link lifetimes (SECURITY-RELIABILITY.md, "Signing links"). */
export const LINK_LIFETIME_DAYS = 14;
/** Links for in-person signing, opened by staff on a tablet: short-lived. */
export const IN_PERSON_LINK_MINUTES = 120;
/** The completion e-mail's link to the sealed PDF. */
export const DOWNLOAD_LINK_DAYS = 30;

const DAY = 86_400_000;

export type LinkKind = 'email' | 'in_person' | 'download';

/** When a new link of this kind expires: never after the request's deadline for a signing link. */
export function linkExpiry(kind: LinkKind, now: Date, deadline: Date): Date {
  if (kind === 'download') return new Date(now.getTime() + DOWNLOAD_LINK_DAYS * DAY);
  const lifetime = kind === 'in_person' ? IN_PERSON_LINK_MINUTES * 60_000 : LINK_LIFETIME_DAYS * DAY;
  return new Date(Math.min(now.getTime() + lifetime, deadline.getTime()));
}

/**
 * The one place signing links are issued, revoked and consumed. A link is single-purpose and bound
 * to the version hash; only the SHA-256 of its 256-bit token is stored, the token itself goes into
 * the e-mail or the staff member's tablet and nowhere else.
 */
@Injectable()
export class SigningLinks {
  /** A new link for one signer (the caller revokes the previous ones when a link replaces them). */
  async issue(
    em: EntityManager,
    r: Pick<SignatureRequestEntity, 'id' | 'organisationId' | 'versionHash' | 'deadline'>,
    signerId: string,
    kind: LinkKind,
    now = new Date(),
  ): Promise<{ token: string; link: SigningLinkEntity }> {
    const token = randomToken();
    const link = em.create(SigningLinkEntity, {
      organisationId: r.organisationId,
      requestId: r.id,
      signerId,
      tokenHash: sha256Hex(token),
      versionHash: r.versionHash,
      purpose: kind === 'download' ? 'download' : 'sign',
      createdAt: now,
      expiresAt: linkExpiry(kind, now, r.deadline),
      revokedAt: null,
      usedAt: null,
    });
    await em.insert(SigningLinkEntity, link as never);
    return { token, link };
  }

  /** The link behind a token, whatever its state (the caller decides whether it still opens). */
  byToken(em: EntityManager, token: string): Promise<SigningLinkEntity | null> {
    return em.findOne(SigningLinkEntity, { where: { tokenHash: sha256Hex(token) } });
  }

  byId(em: EntityManager, id: string): Promise<SigningLinkEntity | null> {
    return em.findOne(SigningLinkEntity, { where: { id } });
  }

  /**
   * Revokes a signer's unused links (a resend, a reminder, a switch to in-person signing) and ends
   * the portal sessions they opened; returns how many links.
   */
  async revokeForSigner(em: EntityManager, signerId: string, now = new Date()): Promise<number> {
    return this.revokeWhere(em, 'signer_id = $1 AND used_at IS NULL', signerId, now);
  }

  /** The request is closed (cancelled, refused, expired): none of its links opens any more, no session of them goes on. */
  async revokeAllOfRequest(em: EntityManager, requestId: string, now = new Date()): Promise<void> {
    await this.revokeWhere(em, 'request_id = $1', requestId, now);
  }

  /** One link that was never delivered (the e-mail failed). */
  async revoke(em: EntityManager, linkId: string, now = new Date()): Promise<void> {
    await this.revokeWhere(em, 'id = $1', linkId, now);
  }

  /**
   * A revoked link ends every session it opened, in the same transaction: a session opened with
   * the old link must not sign after staff resent it to a corrected address (issue 7). Sessions are
   * ended by their expiry (the app role may not delete them, and the row stays for the record), so
   * the next load of the session, in any process, fails.
   */
  private async revokeWhere(em: EntityManager, where: string, id: string, now: Date): Promise<number> {
    const revoked = returnedRows(await em.query(`UPDATE signing_links SET revoked_at = $2 WHERE ${where} AND revoked_at IS NULL RETURNING id`, [id, now])) as { id: string }[];
    if (revoked.length)
      await em.query(`UPDATE portal_sessions SET expires_at = $2 WHERE link_id = ANY($1::uuid[]) AND expires_at > $2`, [revoked.map((r) => r.id), now]);
    return revoked.length;
  }

  /** A signing link is single-use: signing or refusing through it uses it up. */
  async consume(em: EntityManager, linkId: string, now = new Date()): Promise<void> {
    await em.update(SigningLinkEntity, { id: linkId }, { usedAt: now });
  }
}
