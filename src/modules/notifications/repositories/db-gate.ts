import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseConfig } from '../../../platform/config/config.js';
import { DATABASE_CONFIG } from '../../../platform/config/config.tokens.js';

/**
 * On the embedded database (PGlite behind its socket server) statements sent at the same
 * time on two connections were seen to interleave at the protocol level ("bind message
 * supplies 2 parameters, but prepared statement requires 11"). PGlite runs one statement at
 * a time anyway, so this module's repositories go through this gate one at a time there;
 * on PostgreSQL the gate is open.
 */
@Injectable()
export class DbGate {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serial: boolean;

  constructor(@Inject(DATABASE_CONFIG) db: DatabaseConfig) {
    this.serial = db.embedded;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.serial) return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
