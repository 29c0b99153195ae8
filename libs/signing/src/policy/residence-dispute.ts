import type { PolicyDecision, ViewToRecord } from './policy.types';

/**
 * DOMAIN.md rule 2 and C. civ. 459-2: where the act decides where the person lives (the contract,
 * an avenant, the DIPC, under representation or a curatelle renforcée with the judge's
 * authorisation, C. civ. 472 al. 3), the policy asks for her view citing 459-2, and the choice is
 * hers. This is the one place that says, from the request's policy decision and the views recorded
 * on it, whether her recorded view is a disagreement: then nobody signs until the judge's (or family
 * council's) decision is in the document (judgeDecided). The portal's signature refuses it
 * (PortalActionsService.sign) and its pages do not offer the signature (PortalContext.residenceDispute).
 */
export function residenceDisagreement(decision: Pick<PolicyDecision, 'views'>, recorded: readonly { key: string; expression: string }[]): ViewToRecord | null {
  const view = decision.views.find((v) => v.legalBasis.includes('459-2'));
  if (!view) return null;
  return recorded.find((r) => r.key === view.key)?.expression === 'desaccord' ? view : null;
}

/** Whether a version's input snapshot cites the judge's decision on where the person lives (`document.residenceChoice.judgeDecision`). */
export function judgeDecided(input: unknown): boolean {
  const reference = (input as { document?: { residenceChoice?: { judgeDecision?: { reference?: unknown } | null } | null } } | null | undefined)?.document?.residenceChoice?.judgeDecision
    ?.reference;
  return typeof reference === 'string' && reference.length > 0;
}
