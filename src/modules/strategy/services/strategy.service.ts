import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { requireRole } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { TransactionRunner, type Tx } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import {
  achievement,
  formatKpiFigure,
  formatPercent,
  formatTarget,
  isReportYear,
  metTarget,
  roundScaled,
} from '../domain/kpi-math.js';
import {
  type KpiDefinition,
  type KpiDirection,
  KPI_DIRECTIONS,
  KPI_SOURCES,
  KPI_UNITS,
  type KpiSource,
  type KpiUnit,
} from '../entities/kpi-definition.entity.js';
import { KpiDefinition as KpiDefinitionEntity } from '../entities/kpi-definition.entity.js';
import { KpiTarget } from '../entities/kpi-target.entity.js';
import { KpiValue } from '../entities/kpi-value.entity.js';
import { GOAL_ALIGNMENTS, StrategicGoal } from '../entities/strategic-goal.entity.js';
import { StrategyErrors } from '../errors/strategy.errors.js';
import { StrategyRepository } from '../repositories/strategy.repository.js';
import { type Computed, KpiCalculator } from './kpi-calculator.js';
import type { ReportKpi, StrategyReport } from './strategy-report.types.js';

export interface GoalInput {
  code: string;
  nameAr: string;
  nameEn: string;
  alignment: string[];
  priority?: number;
}

export interface KpiInput {
  code: string;
  nameAr: string;
  nameEn: string;
  unit: KpiUnit;
  direction: KpiDirection;
  source: KpiSource;
  goalCode: string;
  position?: number;
}

export interface EnteredValueInput {
  kpiCode: string;
  year: number;
  numerator: bigint;
  denominator?: bigint | null;
  evidenceRef: string;
  note?: string | null;
}

/**
 * The strategy office's KPIs. Who does what (documented in docs/strategy.md):
 * - `admin` (the strategy office) defines goals, KPIs and targets, enters values and runs the
 *   computation; an `admin` other than the one who entered or computed a value approves it
 *   (four eyes). Auditors only read. The system actor may compute (scheduled), never approve.
 */
@Injectable()
export class StrategyService {
  constructor(
    private readonly repo: StrategyRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly calculator: KpiCalculator,
  ) {}

  goals(): Promise<StrategicGoal[]> {
    return this.repo.goalsByPriority();
  }

  kpis(): Promise<KpiDefinition[]> {
    return this.repo.kpisInOrder();
  }

  async upsertGoal(actor: Actor, input: GoalInput): Promise<StrategicGoal> {
    this.requireOffice(actor);
    const bad = input.alignment.filter((a) => !(GOAL_ALIGNMENTS as readonly string[]).includes(a));
    if (!input.code || !input.nameAr || !input.nameEn || bad.length)
      throw new DomainException(
        StrategyErrors.INVALID_VALUE,
        'A goal needs a code, both names and known alignments',
        bad.map((a) => ({ field: 'alignment', message: `unknown alignment ${a}`, reason: 'enum' })),
      );
    return this.tx.run(async (tx) => {
      const existing = await this.repo.findGoalByCode(input.code, tx);
      const all = await this.repo.goalsByPriority(tx);
      const goal = existing ?? new StrategicGoal();
      Object.assign(goal, {
        code: input.code,
        nameAr: input.nameAr,
        nameEn: input.nameEn,
        alignment: input.alignment,
        priority: input.priority ?? existing?.priority ?? all.length + 1,
      });
      const saved = await this.repo.save(tx, goal);
      await this.audit.record(tx, {
        actor,
        action: existing ? 'strategy.goal.update' : 'strategy.goal.create',
        objectType: 'strategic_goal',
        objectId: saved.id,
        details: { code: saved.code, priority: saved.priority, alignment: saved.alignment },
      });
      return saved;
    });
  }

  /** The committee's order: the listed goal codes get priorities 1, 2, 3… */
  async reorderGoals(actor: Actor, codes: string[]): Promise<StrategicGoal[]> {
    this.requireOffice(actor);
    return this.tx.run(async (tx) => {
      const goals = await this.repo.goalsByPriority(tx);
      const byCode = new Map(goals.map((g) => [g.code, g]));
      const unknown = codes.filter((c) => !byCode.has(c));
      if (unknown.length || new Set(codes).size !== codes.length || codes.length !== goals.length)
        throw new DomainException(
          StrategyErrors.INVALID_VALUE,
          'List every goal code exactly once',
          unknown.map((c) => ({ field: 'codes', message: `unknown goal ${c}`, reason: 'unknown' })),
        );
      const before = goals.map((g) => g.code);
      for (const [i, code] of codes.entries()) {
        const g = byCode.get(code)!;
        if (g.priority !== i + 1) {
          g.priority = i + 1;
          await this.repo.save(tx, g);
        }
      }
      await this.audit.record(tx, {
        actor,
        action: 'strategy.goal.reorder',
        objectType: 'strategic_goal',
        details: { before, after: codes },
      });
      return this.repo.goalsByPriority(tx);
    });
  }

  async upsertKpi(actor: Actor, input: KpiInput): Promise<KpiDefinition> {
    this.requireOffice(actor);
    if (
      !input.code ||
      !input.nameAr ||
      !input.nameEn ||
      !KPI_UNITS.includes(input.unit) ||
      !KPI_DIRECTIONS.includes(input.direction) ||
      !KPI_SOURCES.includes(input.source)
    )
      throw new DomainException(StrategyErrors.INVALID_VALUE, 'The KPI definition is incomplete');
    return this.tx.run(async (tx) => {
      const goal = await this.repo.findGoalByCode(input.goalCode, tx);
      if (!goal) throw new DomainException(StrategyErrors.GOAL_NOT_FOUND, input.goalCode);
      const existing = await this.repo.findKpiByCode(input.code, tx);
      const kpi = existing ?? new KpiDefinitionEntity();
      const formulaChanged =
        existing !== null && (existing.source !== input.source || existing.unit !== input.unit);
      Object.assign(kpi, {
        code: input.code,
        nameAr: input.nameAr,
        nameEn: input.nameEn,
        unit: input.unit,
        direction: input.direction,
        source: input.source,
        goalId: goal.id,
        position: input.position ?? existing?.position ?? 1,
        formulaVersion: (existing?.formulaVersion ?? 0) + (existing && !formulaChanged ? 0 : 1),
      });
      const saved = await this.repo.save(tx, kpi);
      await this.audit.record(tx, {
        actor,
        action: existing ? 'strategy.kpi.update' : 'strategy.kpi.create',
        objectType: 'kpi_definition',
        objectId: saved.id,
        details: { code: saved.code, source: saved.source, formulaVersion: saved.formulaVersion },
      });
      return saved;
    });
  }

  async setTarget(
    actor: Actor,
    kpiCode: string,
    year: number,
    target: bigint,
    baseline: bigint | null = null,
  ): Promise<KpiTarget> {
    this.requireOffice(actor);
    this.checkYear(year);
    if (target < 0n || (baseline !== null && baseline < 0n))
      throw new DomainException(
        StrategyErrors.INVALID_VALUE,
        'Targets and baselines are not negative',
      );
    return this.tx.run(async (tx) => {
      const kpi = await this.repo.findKpiByCode(kpiCode, tx);
      if (!kpi) throw new DomainException(StrategyErrors.KPI_NOT_FOUND, kpiCode);
      const existing = await this.repo.findTarget(kpi.id, year, tx);
      const row = existing ?? Object.assign(new KpiTarget(), { kpiId: kpi.id, year });
      const before = existing ? { target: existing.target, baseline: existing.baseline } : null;
      row.target = target.toString();
      row.baseline = baseline?.toString() ?? null;
      const saved = await this.repo.save(tx, row);
      await this.audit.record(tx, {
        actor,
        action: 'strategy.target.set',
        objectType: 'kpi_target',
        objectId: saved.id,
        details: { kpi: kpi.code, year, before, target: saved.target, baseline: saved.baseline },
      });
      return saved;
    });
  }

  /** An entered KPI's value with its evidence; provisional until someone else approves it. */
  async enterValue(actor: Actor, input: EnteredValueInput): Promise<KpiValue> {
    this.requireOffice(actor);
    this.checkYear(input.year);
    const evidence = input.evidenceRef?.trim();
    if (!evidence)
      throw new DomainException(StrategyErrors.EVIDENCE_REQUIRED, undefined, [
        { field: 'evidenceRef', message: 'required', reason: 'required' },
      ]);
    return this.tx.run(async (tx) => {
      const kpi = await this.repo.findKpiByCode(input.kpiCode, tx);
      if (!kpi) throw new DomainException(StrategyErrors.KPI_NOT_FOUND, input.kpiCode);
      if (kpi.source !== 'entered')
        throw new DomainException(StrategyErrors.KPI_NOT_ENTERED, kpi.code);
      const denominator = input.denominator ?? null;
      if (
        input.numerator < 0n ||
        (kpi.unit === 'percent') !== (denominator !== null) ||
        (denominator !== null && denominator <= 0n)
      )
        throw new DomainException(
          StrategyErrors.INVALID_VALUE,
          kpi.unit === 'percent'
            ? 'A percent KPI needs a non-negative numerator and a positive denominator'
            : 'A count or fils KPI takes a non-negative numerator and no denominator',
        );
      const period = String(input.year);
      const existing = await this.repo.findValue(kpi.id, period, tx);
      if (existing?.status === 'approved')
        throw new DomainException(StrategyErrors.VALUE_ALREADY_APPROVED, `${kpi.code} ${period}`);
      const row = existing ?? Object.assign(new KpiValue(), { kpiId: kpi.id, period });
      Object.assign(row, {
        numerator: input.numerator.toString(),
        denominator: denominator?.toString() ?? null,
        coveragePercent: 100,
        formulaVersion: kpi.formulaVersion,
        computedAt: this.clock.now(),
        status: 'provisional',
        recordedBy: this.actorId(actor),
        evidenceRef: evidence,
        note: input.note ?? null,
      });
      const saved = await this.repo.save(tx, row);
      await this.audit.record(tx, {
        actor,
        action: 'strategy.value.enter',
        objectType: 'kpi_value',
        objectId: saved.id,
        details: {
          kpi: kpi.code,
          period,
          numerator: saved.numerator,
          denominator: saved.denominator,
          evidenceRef: evidence,
          replaced: existing
            ? { numerator: existing.numerator, denominator: existing.denominator }
            : null,
        },
      });
      return saved;
    });
  }

  /**
   * Computes every computed KPI of the year from the modules and stores them as provisional
   * values; approved values are kept as they are. Returns the values it wrote.
   */
  async computeYear(actor: Actor, year: number): Promise<KpiValue[]> {
    this.requireOffice(actor);
    this.checkYear(year);
    const period = String(year);
    const kpis = await this.repo.kpisInOrder();
    const computed = new Map<string, Computed>();
    for (const kpi of kpis) {
      const c = await this.calculator.compute(kpi, year);
      if (c) computed.set(kpi.id, c);
    }
    return this.tx.run(async (tx) => {
      const written: KpiValue[] = [];
      const write = async (
        kpi: KpiDefinition,
        num: bigint,
        den: bigint | null,
        coverage: number,
        details: Record<string, string> | null = null,
      ) => {
        const existing = await this.repo.findValue(kpi.id, period, tx);
        if (existing?.status === 'approved') return;
        const row = existing ?? Object.assign(new KpiValue(), { kpiId: kpi.id, period });
        Object.assign(row, {
          numerator: num.toString(),
          denominator: den?.toString() ?? null,
          coveragePercent: coverage,
          formulaVersion: kpi.formulaVersion,
          computedAt: this.clock.now(),
          status: 'provisional',
          recordedBy: this.actorId(actor),
          evidenceRef: null,
          details,
        });
        written.push(await this.repo.save(tx, row));
      };
      for (const kpi of kpis) {
        const c = computed.get(kpi.id);
        if (c?.available)
          await write(kpi, c.numerator, c.denominator, c.coveragePercent, c.details ?? null);
      }
      // Goals achieved comes last: it counts the others as they now stand.
      const goalsKpi = kpis.find((k) => k.source === 'computed:strategy.goals_achieved');
      if (goalsKpi) {
        const report = await this.buildReport(year, tx, computed);
        await write(
          goalsKpi,
          BigInt(report.kpisMet),
          BigInt(report.kpisAssessed),
          report.kpisAssessed ? 100 : 0,
        );
      }
      await this.audit.record(tx, {
        actor,
        action: 'strategy.value.compute',
        objectType: 'kpi_value',
        details: {
          period,
          written: written.length,
          unavailable: [...computed.entries()]
            .filter(([, c]) => !c.available)
            .map(([id]) => kpis.find((k) => k.id === id)?.code),
        },
      });
      return written;
    });
  }

  /** Four eyes: an admin other than the one who entered or computed the value approves it. */
  async approveValue(actor: Actor, valueId: string): Promise<KpiValue> {
    requireRole(actor, 'admin');
    const outcome = await this.tx.run(async (tx) => {
      const value = await this.repo.findValueForUpdate(tx, valueId);
      if (!value) throw new DomainException(StrategyErrors.KPI_VALUE_NOT_FOUND, valueId);
      if (value.status === 'approved')
        throw new DomainException(StrategyErrors.VALUE_ALREADY_APPROVED);
      if (value.recordedBy === this.actorId(actor)) return 'four_eyes' as const;
      value.status = 'approved';
      value.approvedBy = this.actorId(actor);
      value.approvedAt = this.clock.now();
      const saved = await this.repo.save(tx, value);
      const kpi = await this.repo.findKpiById(value.kpiId, tx);
      await this.audit.record(tx, {
        actor,
        action: 'strategy.value.approve',
        objectType: 'kpi_value',
        objectId: value.id,
        details: {
          kpi: kpi?.code,
          period: value.period,
          numerator: value.numerator,
          denominator: value.denominator,
          recordedBy: value.recordedBy,
        },
      });
      return saved;
    });
    if (outcome === 'four_eyes') {
      // The refusal is worth a line in the audit log too (outside the rolled-back work).
      await this.audit.recordAlone({
        actor,
        action: 'strategy.value.approve',
        objectType: 'kpi_value',
        objectId: valueId,
        outcome: 'denied',
        details: { reason: 'four_eyes' },
      });
      throw new DomainException(StrategyErrors.FOUR_EYES);
    }
    return outcome;
  }

  /** The committee's yearly report: stored values where there are, live figures otherwise. */
  report(year: number): Promise<StrategyReport> {
    this.checkYear(year);
    return this.buildReport(year);
  }

  /**
   * `precomputed` gives the sources' figures already fetched, so that inside a transaction no
   * other connection is used (PGlite would wait forever).
   */
  private async buildReport(
    year: number,
    tx?: Tx,
    precomputed?: Map<string, Computed>,
  ): Promise<StrategyReport> {
    const period = String(year);
    // One query at a time: inside a transaction only its manager may be used.
    const goals = await this.repo.goalsByPriority(tx);
    const kpis = await this.repo.kpisInOrder(tx);
    const targets = await this.repo.targetsOfYear(year, tx);
    const values = await this.repo.valuesOfPeriod(period, tx);
    const targetOf = new Map(targets.map((t) => [t.kpiId, t]));
    const valueOf = new Map(values.map((v) => [v.kpiId, v]));
    const rows = new Map<string, ReportKpi>();
    const goalKpis: KpiDefinition[] = [];
    for (const kpi of kpis) {
      const stored = valueOf.get(kpi.id) ?? null;
      if (kpi.source === 'computed:strategy.goals_achieved') {
        goalKpis.push(kpi);
        continue;
      }
      const computed =
        stored || kpi.source === 'entered'
          ? null
          : precomputed
            ? (precomputed.get(kpi.id) ?? null)
            : await this.calculator.compute(kpi, year);
      rows.set(kpi.id, this.reportKpi(kpi, targetOf.get(kpi.id) ?? null, stored, computed));
    }
    const assessed = [...rows.values()].filter((r) => r.met !== null);
    const met = assessed.filter((r) => r.met).length;
    for (const kpi of goalKpis) {
      // Counts the other KPIs as they stand, unless the committee approved a figure already.
      const stored = valueOf.get(kpi.id);
      const live: Computed = assessed.length
        ? {
            available: true,
            numerator: BigInt(met),
            denominator: BigInt(assessed.length),
            coveragePercent: 100,
          }
        : { available: false, coveragePercent: 0, reason: 'no KPI has both a target and a value' };
      rows.set(
        kpi.id,
        this.reportKpi(
          kpi,
          targetOf.get(kpi.id) ?? null,
          stored?.status === 'approved' ? stored : null,
          live,
        ),
      );
    }
    const all = [...rows.values()];
    return {
      year,
      generatedAt: this.clock.now().toISOString(),
      goals: goals.map((g) => ({
        code: g.code,
        nameAr: g.nameAr,
        nameEn: g.nameEn,
        alignment: g.alignment,
        priority: g.priority,
        kpis: kpis.filter((k) => k.goalId === g.id).map((k) => rows.get(k.id)!),
      })),
      kpisMet: met,
      kpisAssessed: assessed.length,
      approvedCount: all.filter((r) => r.status === 'approved').length,
      kpiCount: all.length,
    };
  }

  private reportKpi(
    kpi: KpiDefinition,
    target: KpiTarget | null,
    stored: KpiValue | null,
    computed: Computed | null,
  ): ReportKpi {
    let numerator: bigint | null = null;
    let denominator: bigint | null = null;
    let status: ReportKpi['status'] = 'missing';
    let coverage = 0;
    let reason: string | null = null;
    if (stored) {
      numerator = BigInt(stored.numerator);
      denominator = stored.denominator === null ? null : BigInt(stored.denominator);
      status = stored.status;
      coverage = stored.coveragePercent;
    } else if (computed?.available) {
      numerator = computed.numerator;
      denominator = computed.denominator;
      status = 'live';
      coverage = computed.coveragePercent;
    } else if (computed && !computed.available) {
      status = 'unavailable';
      reason = computed.reason;
    }
    const t = target ? BigInt(target.target) : null;
    const actual = numerator === null ? null : { numerator, denominator };
    const ratio = actual && t !== null ? achievement(kpi.unit, actual, t) : null;
    return {
      code: kpi.code,
      nameAr: kpi.nameAr,
      nameEn: kpi.nameEn,
      unit: kpi.unit,
      direction: kpi.direction,
      source: kpi.source,
      target: target?.target ?? null,
      targetText:
        t === null
          ? null
          : { ar: formatTarget(kpi.unit, t, 'ar'), en: formatTarget(kpi.unit, t, 'en') },
      baseline: target?.baseline ?? null,
      numerator: numerator?.toString() ?? null,
      denominator: denominator?.toString() ?? null,
      valueText: actual
        ? {
            ar: formatKpiFigure(kpi.unit, actual, 'ar'),
            en: formatKpiFigure(kpi.unit, actual, 'en'),
          }
        : null,
      coveragePercent: coverage,
      status,
      computedAt: stored ? stored.computedAt.toISOString() : null,
      approvedBy: stored ? stored.approvedBy : null,
      evidenceRef: stored ? stored.evidenceRef : null,
      achievementPercent: ratio
        ? formatScaled(roundScaled({ num: ratio.num * 100n, den: ratio.den }, 1))
        : null,
      achievementText: ratio
        ? { ar: formatPercent(ratio, 'ar'), en: formatPercent(ratio, 'en') }
        : null,
      met: actual && t !== null ? metTarget(kpi.unit, kpi.direction, actual, t) : null,
      unavailableReason: reason,
      details: stored ? stored.details : computed?.available ? (computed.details ?? null) : null,
    };
  }

  /** The strategy office: admins, and Diwan itself (demo data, scheduled computation). */
  private requireOffice(actor: Actor): void {
    if (actor.type !== 'system') requireRole(actor, 'admin');
  }

  private checkYear(year: number): void {
    if (!isReportYear(year))
      throw new DomainException(
        StrategyErrors.INVALID_YEAR,
        `${String(year)} is not a year between 2000 and 2100`,
      );
  }

  private actorId(actor: Actor): string {
    return actor.id ?? actor.type;
  }
}

function formatScaled(tenths: bigint): string {
  const neg = tenths < 0n;
  const abs = neg ? -tenths : tenths;
  return `${neg ? '-' : ''}${(abs / 10n).toString()}.${(abs % 10n).toString()}`;
}
