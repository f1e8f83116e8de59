import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseConfig } from '../../../platform/config/config.js';
import { DATABASE_CONFIG } from '../../../platform/config/config.tokens.js';

/**
 * On the embedded database (PGlite runs one query at a time), two of our transactions that
 * wait on each other's row lock would wait forever: the one holding the lock can never run
 * its next statement. There is one process in that mode, so payments writes queue here
 * instead. On PostgreSQL this is a pass-through; the database's own locks do the work.
 */
@Injectable()
export class WriteGate {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(DATABASE_CONFIG) private readonly db: DatabaseConfig) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.db.embedded) return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
