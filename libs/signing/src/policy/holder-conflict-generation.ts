import { Injectable, OnModuleInit } from '@nestjs/common';
import { GenerationChecks, type GenerationCheckInput } from '@carepact/documents';
import { assertHolderConflictResolved } from './signature-policy';

/**
 * C. civ. 451 al. 2, 454 al. 5, 455: a contract, an avenant or a DIPC is not generated (nor
 * previewed) while a holder in conflict of interest has neither a subrogé nor an ad hoc holder
 * recorded, nor a co-holder free of the conflict (C. civ. 447 al. 2-3): the same
 * HOLDER_CONFLICT_OF_INTEREST refusal as the signature request's, which stays. Registered with
 * @carepact/documents' GenerationChecks (this lib depends on that one, not the reverse).
 */
@Injectable()
export class HolderConflictGenerationCheck implements OnModuleInit {
  constructor(private readonly checks: GenerationChecks) {}

  onModuleInit(): void {
    this.checks.register(holderConflictAtGeneration);
  }
}

export function holderConflictAtGeneration({ type, resident, data, on }: GenerationCheckInput): void {
  const appliesTo = data.appliesTo === 'contrat-sejour' || data.appliesTo === 'dipc' ? data.appliesTo : null;
  const purpose = typeof data.purpose === 'string' ? data.purpose : null;
  assertHolderConflictResolved({ documentType: type, appliesTo, avenantPurpose: type === 'avenant' ? purpose : null, resident, on });
}
