import { Injectable } from '@nestjs/common';
import { requireRole } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  EkeyStatsRepository,
  type RegistrationGrain,
  type RegistrationRow,
} from '../repositories/ekey-stats.repository.js';

export interface DayRange {
  /** YYYY-MM-DD, Bahrain days, inclusive. */
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function requireRange(range: DayRange): void {
  const valid = (d: string) => DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
  if (!valid(range.from) || !valid(range.to) || range.from > range.to)
    throw new DomainException(
      PlatformErrors.INVALID_PARAMETER,
      'from and to must be YYYY-MM-DD with from ≤ to',
    );
}

/** Whole calendar years inside a range: historic aggregates count only then. */
function wholeYears(range: DayRange): [number, number] {
  const fy = Number(range.from.slice(0, 4));
  const ty = Number(range.to.slice(0, 4));
  const first = range.from.slice(5) === '01-01' ? fy : fy + 1;
  const last = range.to.slice(5) === '12-31' ? ty : ty - 1;
  return [first, last];
}

/** eKey registrations for the strategy KPIs (contract: `registrations(range)`). */
@Injectable()
export class EkeyStatsService {
  constructor(
    private readonly stats: EkeyStatsRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /**
   * Accounts that became active in the range, plus the historic aggregates of years before
   * go-live that the range covers whole (they cannot be split into days).
   */
  async registrations(range: DayRange): Promise<number> {
    requireRange(range);
    const live = await this.stats.countActivated(range.from, range.to);
    const [fromYear, toYear] = wholeYears(range);
    const historic = await this.stats.historicWithin(fromYear, toYear);
    return live + historic.reduce((sum, y) => sum + (y.historicRegistrations ?? 0), 0);
  }

  /** Live registrations by period, level, channel and citizen/resident. */
  breakdown(range: DayRange, grain: RegistrationGrain): Promise<RegistrationRow[]> {
    requireRange(range);
    return this.stats.activatedBy(range.from, range.to, grain);
  }

  /** Registered against the target of one year (target null when none was set). */
  async yearAgainstTarget(
    year: number,
  ): Promise<{ year: number; registered: number; target: number | null }> {
    const registered = await this.registrations({ from: `${year}-01-01`, to: `${year}-12-31` });
    const row = await this.stats.findYear(year);
    return { year, registered, target: row?.target ?? null };
  }

  /** The yearly target, set in the back office by an admin. Audited. */
  async setTarget(actor: Actor, year: number, target: number): Promise<void> {
    if (actor.type !== 'system') requireRole(actor, 'admin');
    assertYear(year);
    if (!Number.isInteger(target) || target < 0 || target > 10_000_000)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [
        { field: 'target', message: 'A whole number of registrations', reason: 'range' },
      ]);
    await this.tx.run(async (tx) => {
      const before = await this.stats.findYear(year, tx);
      await this.stats.upsertYear(tx, year, { target });
      await this.audit.record(tx, {
        actor,
        action: 'ekey.target.set',
        objectType: 'ekey_registration_year',
        objectId: String(year),
        details: { from: before?.target ?? null, to: target },
      });
    });
  }

  /** Registrations of a year before go-live, loaded as one number. Audited. */
  async loadHistoric(actor: Actor, year: number, registrations: number): Promise<void> {
    if (actor.type !== 'system') requireRole(actor, 'admin');
    assertYear(year);
    if (!Number.isInteger(registrations) || registrations < 0)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [
        { field: 'registrations', message: 'A whole number of registrations', reason: 'range' },
      ]);
    await this.tx.run(async (tx) => {
      await this.stats.upsertYear(tx, year, { historicRegistrations: registrations });
      await this.audit.record(tx, {
        actor,
        action: 'ekey.historic.load',
        objectType: 'ekey_registration_year',
        objectId: String(year),
        details: { registrations },
      });
    });
  }
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [
      { field: 'year', message: 'A year between 2000 and 2100', reason: 'range' },
    ]);
}
