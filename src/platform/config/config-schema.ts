/**
 * Every environment variable Diwan reads, in one place: its area, meaning, default and
 * whether it is sensitive. `loadConfig` validates them all and freezes the result;
 * `docs/configuration.md` is generated from this table (a unit test fails on drift).
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Parser<T> = (raw: string, name: string) => T;

export interface VariableSpec<T> {
  name: string;
  description: string;
  sensitive?: boolean;
  /** Default as written in the docs; `undefined` means optional with no default. */
  default?: string;
  parse: Parser<T>;
}

export const parsers = {
  string: ((raw) => raw) as Parser<string>,
  int(min: number, max: number): Parser<number> {
    return (raw, name) => {
      if (!/^-?\d+$/.test(raw.trim()))
        throw new Error(`${name} must be a whole number, got "${raw}"`);
      const n = Number.parseInt(raw, 10);
      if (n < min || n > max)
        throw new Error(`${name} must be between ${min} and ${max}, got ${n}`);
      return n;
    };
  },
  bool: ((raw, name) => {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new Error(`${name} must be true or false, got "${raw}"`);
  }) as Parser<boolean>,
  oneOf<T extends string>(...values: T[]): Parser<T> {
    return (raw, name) => {
      if (!(values as string[]).includes(raw))
        throw new Error(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as T;
    };
  },
  url(...protocols: string[]): Parser<string> {
    return (raw, name) => {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new Error(`${name} is not a valid URL`);
      }
      if (protocols.length && !protocols.includes(u.protocol.replace(/:$/, ''))) {
        throw new Error(`${name} must use ${protocols.join(' or ')}, got ${u.protocol}`);
      }
      return raw;
    };
  },
  email: ((raw, name) => {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw))
      throw new Error(`${name} must be an email address`);
    return raw.toLowerCase();
  }) as Parser<string>,
  minLength(min: number): Parser<string> {
    return (raw, name) => {
      if (raw.length < min) throw new Error(`${name} must be at least ${min} characters`);
      return raw;
    };
  },
  /** 32 bytes given as 64 hex characters or base64. */
  key32: ((raw, name) => {
    const buf = /^[0-9a-fA-F]{64}$/.test(raw)
      ? Buffer.from(raw, 'hex')
      : Buffer.from(raw, 'base64');
    if (buf.length !== 32)
      throw new Error(`${name} must be 32 bytes (64 hex characters or base64)`);
    return raw;
  }) as Parser<string>,
};

/** Keeps the literal type, so areas know which variables always have a value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function v<S extends VariableSpec<any>>(spec: S): S {
  return spec;
}
