/**
 * Errors are domain exceptions with stable codes (CONVENTIONS.md §8). Each module declares
 * its codes with `defineErrors`, which also registers them in the catalogue that
 * `docs/errors.md` is generated from.
 */
export interface FieldError {
  /** JSON pointer-ish path of the offending field: `items[3].amountFils`, `body`, `query.since`. */
  field: string;
  message: string;
  /** Machine-readable reason: `required`, `type`, `format`, `unknown`, `range`, … */
  reason?: string;
}

export interface ErrorDefinition {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  /** Who owns it: `platform`, `registry`, `payments`, … */
  readonly scope: string;
}

const catalogue = new Map<string, ErrorDefinition>();

export function errorCatalogue(): ErrorDefinition[] {
  return [...catalogue.values()].sort(
    (a, b) => a.scope.localeCompare(b.scope) || a.code.localeCompare(b.code),
  );
}

/**
 * `defineErrors('registry', { EDITION_NOT_DRAFT: [409, 'The edition is not a draft'] })`
 * gives `{ EDITION_NOT_DRAFT: { code: 'REGISTRY_EDITION_NOT_DRAFT', status: 409, … } }`.
 */
export function defineErrors<K extends string>(
  scope: string,
  defs: Record<K, readonly [status: number, title: string]>,
  prefix = scope.toUpperCase(),
): Record<K, ErrorDefinition> {
  const out = {} as Record<K, ErrorDefinition>;
  for (const key of Object.keys(defs) as K[]) {
    const [status, title] = defs[key];
    const code = prefix ? `${prefix}_${key}` : key;
    const def = Object.freeze({ code, status, title, scope });
    const existing = catalogue.get(code);
    if (existing && (existing.status !== status || existing.title !== title))
      throw new Error(`Error code ${code} defined twice`);
    catalogue.set(code, def);
    out[key] = def;
  }
  return out;
}

export class DomainException extends Error {
  constructor(
    readonly definition: ErrorDefinition,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    /** Extra members for the problem body (e.g. `missing` fields, `retryAfter`). */
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? definition.title);
    this.name = 'DomainException';
  }
  get code(): string {
    return this.definition.code;
  }
  get status(): number {
    return this.definition.status;
  }
}

export function fail(
  def: ErrorDefinition,
  detail?: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
): never {
  throw new DomainException(def, detail, errors, extensions);
}
