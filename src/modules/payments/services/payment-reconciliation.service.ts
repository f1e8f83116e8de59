import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { hasScope, requireRole } from '../../../platform/auth/access.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { bahrainDayStart, MAX_CUSTOM_DAYS, parseDay } from '../domain/periods.js';
import { PaymentsErrors } from '../errors/payments.errors.js';
import {
  PaymentRollupRepository,
  type RollupRow,
} from '../repositories/payment-rollup.repository.js';

export interface RollupDifference {
  table: 'payment_rollup_day' | 'payment_rollup_month';
  day: string;
  serviceCode: string;
  agencyCode: string;
  channel: string;
  kind: string;
  status: string;
  /** stored − recomputed, as digit strings. */
  countDiff: string;
  amountFilsDiff: string;
  feeFilsDiff: string;
}

export interface ReconciliationReport {
  from: string;
  to: string;
  rollupRowsChecked: number;
  differences: RollupDifference[];
  repaired: boolean;
}

const key = (r: RollupRow) =>
  `${r.day}|${r.serviceCode}|${r.agencyCode}|${r.channel}|${r.kind}|${r.status}`;
const isZero = (r: RollupRow) => r.count === 0n && r.amountFils === 0n && r.feeFils === 0n;

/**
 * Recomputes the daily rollups (source 'facts') of a period from the facts and lists every
 * difference; also checks that each month's rollup is the sum of its days. With `repair`,
 * the period's daily rollups are rebuilt from the facts in the same transaction.
 */
@Injectable()
export class PaymentReconciliationService {
  constructor(
    private readonly rollups: PaymentRollupRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async reconcile(
    actor: Actor,
    from: string,
    to: string,
    options: { repair?: boolean } = {},
  ): Promise<ReconciliationReport> {
    // Checking: national staff, or a reporting client with reports:read. Repairing: admin, operator.
    if (actor.type === 'api_client') {
      if (!hasScope(actor, 'reports:read') || options.repair)
        throw new DomainException(
          PlatformErrors.FORBIDDEN,
          'Needs reports:read; only staff repair rollups',
        );
    } else if (actor.type !== 'system') requireRole(actor, 'admin', 'operator', 'auditor');
    if (options.repair && actor.type !== 'system') requireRole(actor, 'admin', 'operator');
    if (!parseDay(from) || !parseDay(to) || from > to)
      throw new DomainException(
        PaymentsErrors.INVALID_PERIOD,
        'from and to must be days YYYY-MM-DD, from <= to',
      );
    const start = bahrainDayStart(from);
    const end = bahrainDayStart(to);
    end.setUTCDate(end.getUTCDate() + 1);
    if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_CUSTOM_DAYS)
      throw new DomainException(
        PaymentsErrors.INVALID_PERIOD,
        `at most ${MAX_CUSTOM_DAYS} days at once`,
      );

    return this.tx.run(async (tx) => {
      const stored = (await this.rollups.dayRows(tx, from, to)).filter((r) => !isZero(r));
      const computed = await this.rollups.recomputeFromFacts(tx, start, end);
      const diffs: RollupDifference[] = [];
      const byKey = new Map(computed.map((r) => [key(r), r]));
      const diff = (
        table: RollupDifference['table'],
        s: RollupRow | undefined,
        c: RollupRow | undefined,
      ) => {
        const base = (s ?? c)!;
        const d = {
          count: (s?.count ?? 0n) - (c?.count ?? 0n),
          amount: (s?.amountFils ?? 0n) - (c?.amountFils ?? 0n),
          fee: (s?.feeFils ?? 0n) - (c?.feeFils ?? 0n),
        };
        if (d.count === 0n && d.amount === 0n && d.fee === 0n) return;
        diffs.push({
          table,
          day: base.day,
          serviceCode: base.serviceCode,
          agencyCode: base.agencyCode,
          channel: base.channel,
          kind: base.kind,
          status: base.status,
          countDiff: d.count.toString(),
          amountFilsDiff: d.amount.toString(),
          feeFilsDiff: d.fee.toString(),
        });
      };
      for (const s of stored) {
        diff('payment_rollup_day', s, byKey.get(key(s)));
        byKey.delete(key(s));
      }
      for (const c of byKey.values()) diff('payment_rollup_day', undefined, c);
      for (const m of await this.rollups.monthMismatches(tx, from, to))
        diff('payment_rollup_month', m, undefined);
      diffs.sort((a, b) => (key(a as never) < key(b as never) ? -1 : 1));

      const repaired = Boolean(options.repair && diffs.length);
      if (repaired) await this.rollups.rebuildDays(tx, from, to, start, end);
      await this.audit.record(tx, {
        actor,
        action: 'payments.reconcile',
        objectType: 'payment_rollup_day',
        objectId: `${from}/${to}`,
        outcome: diffs.length ? 'failure' : 'success',
        details: { differences: diffs.length, repaired, checked: stored.length },
      });
      return { from, to, rollupRowsChecked: stored.length, differences: diffs, repaired };
    });
  }
}
