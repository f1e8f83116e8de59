import type { KpiDirection, KpiSource, KpiUnit } from '../entities/kpi-definition.entity.js';

export type ReportValueStatus = 'approved' | 'provisional' | 'live' | 'unavailable' | 'missing';

export interface Bilingual {
  ar: string;
  en: string;
}

export interface ReportKpi {
  code: string;
  nameAr: string;
  nameEn: string;
  unit: KpiUnit;
  direction: KpiDirection;
  source: KpiSource;
  /** In the target unit (count, fils, basis points); digits as a string. */
  target: string | null;
  targetText: Bilingual | null;
  baseline: string | null;
  numerator: string | null;
  denominator: string | null;
  valueText: Bilingual | null;
  coveragePercent: number;
  status: ReportValueStatus;
  computedAt: string | null;
  approvedBy: string | null;
  evidenceRef: string | null;
  /** actual ÷ target in percent, rounded to one decimal (`150.0`). */
  achievementPercent: string | null;
  achievementText: Bilingual | null;
  met: boolean | null;
  unavailableReason: string | null;
  details: Record<string, string> | null;
}

export interface ReportGoal {
  code: string;
  nameAr: string;
  nameEn: string;
  alignment: string[];
  priority: number;
  kpis: ReportKpi[];
}

export interface StrategyReport {
  year: number;
  generatedAt: string;
  goals: ReportGoal[];
  /** KPIs that met their target among those with a target and a value. */
  kpisMet: number;
  kpisAssessed: number;
  /** Approved values / all KPIs. */
  approvedCount: number;
  kpiCount: number;
}

export interface KpiTrendPoint {
  year: number;
  numerator: string | null;
  denominator: string | null;
  /** The year's target in the target unit (basis points for percent KPIs). */
  target: string | null;
  valueText: Bilingual | null;
  status: ReportValueStatus;
}

/** The committee dashboard: a year's report and each KPI over the years ending with it. */
export interface CommitteeDashboard {
  report: StrategyReport;
  years: number[];
  trend: {
    code: string;
    nameAr: string;
    nameEn: string;
    unit: KpiUnit;
    points: KpiTrendPoint[];
  }[];
}
