import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainException, type FieldError } from './domain-exception.js';
import { PlatformErrors } from './platform.errors.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    for (const [constraint, message] of Object.entries(e.constraints ?? {})) {
      out.push({
        field: path,
        message,
        reason: constraint === 'whitelistValidation' ? 'unknown' : constraint,
      });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

export function validationException(errors: ValidationError[]): DomainException {
  const fields = flatten(errors);
  return new DomainException(
    PlatformErrors.VALIDATION_FAILED,
    `${fields.length} field(s) are invalid: ${[...new Set(fields.map((f) => f.field))].join(', ')}`,
    fields,
  );
}

/** Global input validation: unknown fields refused, types converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: validationException,
  });
}
