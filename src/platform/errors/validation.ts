import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
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

/**
 * A DTO on a hot route may offer a hand-written check, `fromValidInput`, that returns the DTO
 * when the input is certainly valid, and undefined for anything else, which then goes through
 * class-validator as usual (so errors are always class-validator's, worded the same). It
 * must never accept what class-validator would refuse: a spec next to the DTO compares both.
 */
export interface FastValidatedType<T = unknown> {
  fromValidInput(value: unknown): T | undefined;
}

const hasFastPath = (type: unknown): type is FastValidatedType =>
  typeof (type as Partial<FastValidatedType> | undefined)?.fromValidInput === 'function';

/** Nest's ValidationPipe, with the DTOs' fast path for inputs that are certainly valid. */
class DiwanValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (hasFastPath(metadata.metatype)) {
      const valid = metadata.metatype.fromValidInput(value);
      if (valid !== undefined) return valid;
    }
    return super.transform(value, metadata);
  }
}

/** Global input validation: unknown fields refused, types converted only where declared. */
export function createValidationPipe(): ValidationPipe {
  return new DiwanValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: validationException,
  });
}
