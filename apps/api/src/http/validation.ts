import { ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationError } from '@carepact/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { STRUCTURED_CONSTRAINTS, StructuredFailure } from './validators';

/** class-validator constraint → stable code + French message. */
function describe(constraint: string, englishMessage: string): { code: string; message: string } {
  switch (constraint) {
    case 'whitelistValidation':
      return { code: 'UNKNOWN_FIELD', message: 'Champ inconnu : il n’est pas accepté ici.' };
    case 'isDefined':
    case 'isNotEmpty':
      return { code: 'REQUIRED', message: 'Champ obligatoire.' };
    case 'isString':
      return { code: 'INVALID_TYPE', message: 'Doit être un texte.' };
    case 'isBoolean':
      return { code: 'INVALID_TYPE', message: 'Doit être vrai ou faux.' };
    case 'isInt':
    case 'isNumber':
      return { code: 'INVALID_TYPE', message: 'Doit être un nombre.' };
    case 'isArray':
      return { code: 'INVALID_TYPE', message: 'Doit être une liste.' };
    case 'isObject':
    case 'nestedValidation':
      return { code: 'INVALID_TYPE', message: 'Doit être un objet.' };
    case 'isIn':
    case 'isEnum': {
      const values = englishMessage.split(':').slice(1).join(':').trim();
      return { code: 'NOT_ALLOWED_VALUE', message: `Valeur non autorisée. Valeurs possibles : ${values}.` };
    }
    case 'isCalendarDate':
      return { code: 'INVALID_DATE', message: 'Doit être une date réelle au format AAAA-MM-JJ.' };
    case 'maxLength':
    case 'arrayMaxSize': {
      const n = /(\d+)/.exec(englishMessage)?.[1];
      return { code: 'TOO_LONG', message: `Trop long (${n ?? '?'} au plus).` };
    }
    case 'minLength':
    case 'arrayMinSize': {
      const n = /(\d+)/.exec(englishMessage)?.[1];
      return { code: 'TOO_SHORT', message: `Trop court (${n ?? '?'} au moins).` };
    }
    case 'isEmail':
      return { code: 'INVALID_EMAIL', message: "Adresse e-mail invalide." };
    case 'isUUID':
      return { code: 'INVALID_ID', message: 'Identifiant invalide.' };
    default:
      return { code: 'INVALID', message: 'Valeur invalide.' };
  }
}

export function flattenErrors(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = e.constraints ?? {};
    // Report the most telling constraint first: a missing field is "required", not "not a string".
    const keys = Object.keys(constraints).sort((a, b) => rank(a) - rank(b));
    if (keys.length) {
      const k = keys[0];
      if (STRUCTURED_CONSTRAINTS.has(k)) {
        const f = JSON.parse(constraints[k]) as StructuredFailure;
        out.push({ field: f.path ? `${field}.${f.path}` : field, code: f.code, message: f.message });
      } else out.push({ field, ...describe(k, constraints[k]) });
    }
    if (e.children?.length) out.push(...flattenErrors(e.children, field));
  }
  return out;
}

const TYPE_CHECKS = new Set(['isString', 'isBoolean', 'isInt', 'isNumber', 'isArray', 'isObject', 'isIn', 'isEnum', 'isCalendarDate', 'isUUID', 'isEmail']);

function rank(constraint: string): number {
  if (constraint === 'whitelistValidation') return 0;
  if (constraint === 'isDefined' || constraint === 'isNotEmpty') return 1;
  return TYPE_CHECKS.has(constraint) ? 2 : 3;
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationError(flattenErrors(errors)),
  });
}

/**
 * The JSON API's body validation for a body built elsewhere (the console's forms): the same DTO
 * class, pipe options, codes and French messages as a request to the API.
 */
export async function validateBody<T extends object>(metatype: new () => T, body: unknown): Promise<{ dto: T; errors?: undefined } | { dto?: undefined; errors: FieldError[] }> {
  try {
    return { dto: (await validationPipe().transform(body, { type: 'body', metatype, data: undefined })) as T };
  } catch (e) {
    if (e instanceof ValidationError) return { errors: e.details };
    throw e;
  }
}
