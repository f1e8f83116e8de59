import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FailureKind, ThrottleState } from '../domain/throttle-policy.js';

/** Failure runs per CPR hash and factor, in the database so every API instance shares them. */
@Injectable()
export class EkeyThrottleRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async stateOf(cprHash: string): Promise<ThrottleState> {
    const rows = await this.ds.query<
      { kind: FailureKind; failures: number; last_failure_at: Date | null }[]
    >('SELECT kind, failures, last_failure_at FROM ekey_throttle WHERE cpr_hash = $1', [cprHash]);
    const run = (kind: FailureKind) => {
      const r = rows.find((x) => x.kind === kind);
      return r ? { count: r.failures, lastAt: r.last_failure_at ?? undefined } : { count: 0 };
    };
    return { password: run('password'), code: run('code') };
  }

  /** Atomic increment (concurrent failures all count). */
  async recordFailure(cprHash: string, kind: FailureKind, at: Date): Promise<number> {
    const [row] = await this.ds.query<{ failures: number }[]>(
      `INSERT INTO ekey_throttle (cpr_hash, kind, failures, last_failure_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (cpr_hash, kind) DO UPDATE SET failures = ekey_throttle.failures + 1, last_failure_at = $3
       RETURNING failures`,
      [cprHash, kind, at],
    );
    return row.failures;
  }

  async reset(cprHash: string, kind: FailureKind): Promise<void> {
    await this.ds.query('DELETE FROM ekey_throttle WHERE cpr_hash = $1 AND kind = $2', [
      cprHash,
      kind,
    ]);
  }

  /** Service desk unlock: both runs end. */
  async resetAll(cprHash: string): Promise<void> {
    await this.ds.query('DELETE FROM ekey_throttle WHERE cpr_hash = $1', [cprHash]);
  }
}
