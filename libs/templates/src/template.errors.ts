import { DomainError, FieldError } from '@carepact/common';

/** A template file that does not follow the model (unknown node, bad expression, missing FALC text…). */
export class TemplateInvalidError extends DomainError {
  constructor(templateRef: string, details: FieldError[]) {
    super('invalid', 'TEMPLATE_INVALID', `Le modèle ${templateRef} est invalide.`, details);
  }
}

/** A published version whose content no longer matches the hash recorded when it was published. */
export class TemplateTamperedError extends DomainError {
  constructor(templateRef: string) {
    super(
      'conflict',
      'TEMPLATE_TAMPERED',
      `Le modèle ${templateRef} a été modifié après sa publication : une version publiée ne change jamais, créez une nouvelle version.`,
    );
  }
}

export class TemplateNotFoundError extends DomainError {
  constructor(templateRef: string) {
    super('not_found', 'TEMPLATE_NOT_FOUND', `Modèle introuvable : ${templateRef}.`);
  }
}

/** The template is valid but its evaluation failed on this data (a template bug, e.g. a skipped heading level). */
export class TemplateRenderError extends DomainError {
  constructor(templateRef: string, where: string, message: string) {
    super('invalid', 'TEMPLATE_RENDER_FAILED', `Le modèle ${templateRef} ne peut pas produire ce document : ${message}`, [
      { field: where, code: 'template', message },
    ]);
  }
}
