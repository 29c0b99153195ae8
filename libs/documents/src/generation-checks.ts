import { Injectable } from '@nestjs/common';
import type { ResidentView } from '@carepact/residents';
import type { DocumentType } from './documents.entities';

/** What a generation check is given: the document about to be generated (or previewed) and the resident's file. */
export interface GenerationCheckInput {
  type: DocumentType;
  resident: ResidentView;
  /** The document's own data (`document` of the template input): an avenant's `appliesTo`, its `purpose`… */
  data: Record<string, unknown>;
  /** The day the version is generated for (the measure in force that day is the one described). */
  on: string;
}

/**
 * Checks a library above this one (the signature policy, @carepact/signing, which depends on this
 * lib) runs before a version is generated or previewed: a document that could never go to signature
 * as the file stands is refused before it exists, with the refusal the signature request would give
 * (the holder's conflict of interest, C. civ. 451 al. 2, 454 al. 5, 455). A check throws a
 * DomainError; the one instance is shared by every module that imports DocumentsModule.
 */
@Injectable()
export class GenerationChecks {
  private readonly checks: ((input: GenerationCheckInput) => void)[] = [];

  register(check: (input: GenerationCheckInput) => void): void {
    if (!this.checks.includes(check)) this.checks.push(check);
  }

  run(input: GenerationCheckInput): void {
    for (const check of this.checks) check(input);
  }
}
