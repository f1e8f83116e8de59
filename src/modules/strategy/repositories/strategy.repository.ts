import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import { KpiDefinition } from '../entities/kpi-definition.entity.js';
import { KpiTarget } from '../entities/kpi-target.entity.js';
import { KpiValue } from '../entities/kpi-value.entity.js';
import { StrategicGoal } from '../entities/strategic-goal.entity.js';

/** Goals, KPI definitions, targets and values. */
@Injectable()
export class StrategyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  goalsByPriority(tx?: Tx): Promise<StrategicGoal[]> {
    return managerOf(this.dataSource, tx).find(StrategicGoal, {
      order: { priority: 'ASC', code: 'ASC' },
    });
  }

  findGoalByCode(code: string, tx?: Tx): Promise<StrategicGoal | null> {
    return managerOf(this.dataSource, tx).findOneBy(StrategicGoal, { code });
  }

  kpisInOrder(tx?: Tx): Promise<KpiDefinition[]> {
    return managerOf(this.dataSource, tx).find(KpiDefinition, {
      order: { position: 'ASC', code: 'ASC' },
    });
  }

  findKpiByCode(code: string, tx?: Tx): Promise<KpiDefinition | null> {
    return managerOf(this.dataSource, tx).findOneBy(KpiDefinition, { code });
  }

  findKpiById(id: string, tx?: Tx): Promise<KpiDefinition | null> {
    return managerOf(this.dataSource, tx).findOneBy(KpiDefinition, { id });
  }

  targetsOfYear(year: number, tx?: Tx): Promise<KpiTarget[]> {
    return managerOf(this.dataSource, tx).findBy(KpiTarget, { year });
  }

  findTarget(kpiId: string, year: number, tx?: Tx): Promise<KpiTarget | null> {
    return managerOf(this.dataSource, tx).findOneBy(KpiTarget, { kpiId, year });
  }

  valuesOfPeriod(period: string, tx?: Tx): Promise<KpiValue[]> {
    return managerOf(this.dataSource, tx).findBy(KpiValue, { period });
  }

  findValue(kpiId: string, period: string, tx?: Tx): Promise<KpiValue | null> {
    return managerOf(this.dataSource, tx).findOneBy(KpiValue, { kpiId, period });
  }

  /** Locks the row, so two approvers cannot both approve (or race an edit). */
  findValueForUpdate(tx: Tx, id: string): Promise<KpiValue | null> {
    return tx.manager
      .getRepository(KpiValue)
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .where('v.id = :id', { id })
      .getOne();
  }

  save<T extends StrategicGoal | KpiDefinition | KpiTarget | KpiValue>(tx: Tx, row: T): Promise<T> {
    return tx.manager.save(row);
  }

  /** KPI values with their definitions, for exports: plain rows, in a stable order. */
  async *kpiValueRows(filters: { period?: string }): AsyncGenerator<KpiValueRow[]> {
    const rows = await this.dataSource.query<KpiValueRow[]>(
      `SELECT d.code AS kpi_code, d.name_en, d.unit, v.period, v.numerator::text AS numerator,
              v.denominator::text AS denominator, v.coverage_percent, v.status, v.recorded_by,
              v.approved_by, v.computed_at, v.evidence_ref, t.target::text AS target
         FROM kpi_value v
         JOIN kpi_definition d ON d.id = v.kpi_id
         LEFT JOIN kpi_target t ON t.kpi_id = v.kpi_id AND t.year::text = v.period
        WHERE ($1::text IS NULL OR v.period = $1)
        ORDER BY v.period, d.code`,
      [filters.period ?? null],
    );
    yield rows;
  }
}

export interface KpiValueRow {
  kpi_code: string;
  name_en: string;
  unit: string;
  period: string;
  numerator: string;
  denominator: string | null;
  coverage_percent: number;
  status: string;
  recorded_by: string;
  approved_by: string | null;
  computed_at: Date;
  evidence_ref: string | null;
  target: string | null;
}
