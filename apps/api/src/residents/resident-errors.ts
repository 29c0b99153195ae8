import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { FieldError } from '@carepact/common';
import { type ResidentInput, todayIso, validateResident } from '@carepact/residents';

/**
 * The body as sent, untouched by the global ValidationPipe (which skips custom decorators): the
 * resident's create and update validate it themselves, to report format and rule errors together.
 */
export const RawBody = createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<Request>().body);

/**
 * Every problem of a resident file at once (newcomer review, item 5): the DTO's format errors, and
 * the file's rules (libs/residents resident-rules) run on the values that could be read — a field
 * with a format error is left out, so a rule that needs it is skipped rather than misled. A rule
 * error on a field already in error is not repeated. `rulesOf`: the rules of a new file by default;
 * an update passes the service's check of the patch merged with the file (patchRuleErrors).
 */
export async function withRuleErrors(
  payload: unknown,
  formatErrors: FieldError[],
  rulesOf: (readable: Record<string, unknown>) => FieldError[] | Promise<FieldError[]> = (r) => validateResident(r as unknown as ResidentInput, todayIso()),
): Promise<FieldError[]> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return formatErrors;
  const readable = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
  for (const e of formatErrors) drop(readable, e.field.split('.'));
  let rules: FieldError[];
  try {
    rules = await rulesOf(readable);
  } catch {
    // Values of a shape the rules cannot read (the DTO has said so already), or a file the rules
    // cannot reach (not found, not writable: `update` answers that once the format is right): the
    // format errors alone, as before.
    return formatErrors;
  }
  const covered = (field: string) => formatErrors.some((f) => field === f.field || field.startsWith(`${f.field}.`) || f.field.startsWith(`${field}.`));
  return [...formatErrors, ...rules.filter((r) => !covered(r.field))];
}

function drop(obj: unknown, path: string[]): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[path[path.length - 1]];
}
