import type { ActionRequest, ResourceWithOptions } from 'adminjs';
import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  ExportJob,
} from '../../modules/strategy/entities/export-job.entity.js';
import type {
  ExportFormat,
  ExportKind,
} from '../../modules/strategy/entities/export-job.entity.js';
import {
  KPI_DIRECTIONS,
  KPI_SOURCES,
  KPI_UNITS,
  KpiDefinition,
  type KpiDirection,
  type KpiSource,
  type KpiUnit,
} from '../../modules/strategy/entities/kpi-definition.entity.js';
import { KpiTarget } from '../../modules/strategy/entities/kpi-target.entity.js';
import { KpiValue } from '../../modules/strategy/entities/kpi-value.entity.js';
import {
  GOAL_ALIGNMENTS,
  StrategicGoal,
} from '../../modules/strategy/entities/strategic-goal.entity.js';
import { ExportService } from '../../modules/strategy/services/export.service.js';
import { StrategyReportService } from '../../modules/strategy/services/strategy-report.service.js';
import { StrategyService } from '../../modules/strategy/services/strategy.service.js';
import { DomainException } from '../../platform/errors/domain-exception.js';
import { StrategyErrors } from '../../modules/strategy/errors/strategy.errors.js';
import { actorOf, roleIs } from '../admin-actor.js';
import { serviceEdit, serviceNew, serviceRecordAction } from '../service-actions.js';
import type { Resolve } from './resource-context.js';

const NAV = { name: 'Strategy', icon: 'TrendingUp' };
const office = roleIs('admin');
const readers = roleIs('admin', 'auditor');
const readFor = (check: ReturnType<typeof roleIs>) => ({
  list: { isAccessible: check, isVisible: check },
  show: { isAccessible: check },
  search: { isAccessible: check },
});
const noWrites = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
};
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string' && v
      ? v.split(',').map((s) => s.trim())
      : [];
function int(v: unknown, field: string): bigint {
  const s = str(v)?.trim() ?? '';
  if (!/^\d+$/.test(s))
    throw new DomainException(StrategyErrors.INVALID_VALUE, `${field} must be a whole number`, [
      { field, message: 'a whole number', reason: 'format' },
    ]);
  return BigInt(s);
}
const hidden = { isVisible: false };
const readOnlyProp = { isVisible: { list: false, edit: false, show: true, filter: true } };

/**
 * The strategy office's back office: goals (ordered by the committee), KPI definitions, yearly
 * targets and values (entered with evidence, approved by a second admin), and auditor exports.
 * Writes go through StrategyService / ExportService, so the same rules and audit apply.
 */
export function strategyResources(resolve: Resolve): ResourceWithOptions[] {
  const strategy = resolve(StrategyService);
  const exports = resolve(ExportService);
  const reports = resolve(StrategyReportService);
  const kpiCode = async (kpiId: unknown): Promise<string> => {
    const kpi = (await strategy.kpis()).find((k) => k.id === str(kpiId));
    if (!kpi)
      throw new DomainException(StrategyErrors.KPI_NOT_FOUND, undefined, [
        { field: 'kpiId', message: 'choose a KPI', reason: 'required' },
      ]);
    return kpi.code;
  };
  const goalCode = async (goalId: unknown): Promise<string> => {
    const goal = (await strategy.goals()).find((g) => g.id === str(goalId));
    if (!goal)
      throw new DomainException(StrategyErrors.GOAL_NOT_FOUND, undefined, [
        { field: 'goalId', message: 'choose a goal', reason: 'required' },
      ]);
    return goal.code;
  };
  return [
    {
      resource: StrategicGoal,
      options: {
        navigation: NAV,
        sort: { sortBy: 'priority', direction: 'asc' },
        titleProperty: 'nameEn',
        listProperties: ['priority', 'code', 'nameAr', 'nameEn', 'alignment'],
        properties: {
          version: hidden,
          createdAt: readOnlyProp,
          updatedAt: readOnlyProp,
          nameAr: { props: { dir: 'rtl' } },
          alignment: {
            isArray: true,
            availableValues: GOAL_ALIGNMENTS.map((a) => ({ value: a, label: a })),
          },
        },
        actions: {
          ...readFor(readers),
          new: {
            isAccessible: office,
            handler: serviceNew(async (actor, p) =>
              strategy.upsertGoal(actor, {
                code: str(p.code) ?? '',
                nameAr: str(p.nameAr) ?? '',
                nameEn: str(p.nameEn) ?? '',
                alignment: list(p.alignment),
                priority: p.priority ? Number(p.priority) : undefined,
              }),
            ),
          },
          edit: {
            isAccessible: office,
            handler: serviceEdit(async (actor, id, p) => {
              const goal = (await strategy.goals()).find((g) => g.id === id)!;
              return strategy.upsertGoal(actor, {
                code: goal.code,
                nameAr: str(p.nameAr) ?? goal.nameAr,
                nameEn: str(p.nameEn) ?? goal.nameEn,
                alignment: p.alignment === undefined ? goal.alignment : list(p.alignment),
              });
            }),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          // The committee dashboard's data: goals with their KPIs, target vs actual, approval
          // state. Staff reach it through the back office (their session is limited to /admin).
          committeeReport: {
            actionType: 'resource',
            icon: 'BarChart2',
            component: false,
            isAccessible: readers,
            handler: async (request: ActionRequest, _res: unknown, ctx) => {
              const raw = (request.query as Record<string, unknown> | undefined)?.year;
              const year =
                typeof raw === 'string' && /^\d{4}$/.test(raw)
                  ? Number(raw)
                  : new Date().getUTCFullYear() - 1;
              try {
                const report = await reports.json(
                  actorOf(ctx.currentAdmin, (request as unknown as { ip?: string }).ip),
                  year,
                );
                return { report };
              } catch (e) {
                return {
                  notice: {
                    message:
                      e instanceof DomainException
                        ? (e.detail ?? e.definition.title)
                        : 'The report failed',
                    type: 'error',
                  },
                };
              }
            },
          },
          moveUp: {
            actionType: 'record',
            icon: 'ArrowUp',
            component: false,
            isAccessible: office,
            handler: serviceRecordAction(async (actor, id) => {
              const ids = (await strategy.goals()).map((g) => g.id);
              const i = ids.indexOf(id);
              if (i <= 0) return 'Already the first priority';
              [ids[i - 1], ids[i]] = [ids[i], ids[i - 1]];
              const byId = new Map((await strategy.goals()).map((g) => [g.id, g.code]));
              await strategy.reorderGoals(
                actor,
                ids.map((g) => byId.get(g)!),
              );
              return `Now priority ${i}`;
            }),
          },
        },
      },
    },
    {
      resource: KpiDefinition,
      options: {
        navigation: NAV,
        titleProperty: 'nameEn',
        listProperties: [
          'code',
          'nameEn',
          'unit',
          'direction',
          'source',
          'goalId',
          'formulaVersion',
        ],
        properties: {
          version: hidden,
          createdAt: readOnlyProp,
          updatedAt: readOnlyProp,
          formulaVersion: { isVisible: { list: true, edit: false, show: true } },
          nameAr: { props: { dir: 'rtl' } },
          unit: { availableValues: KPI_UNITS.map((u) => ({ value: u, label: u })) },
          direction: { availableValues: KPI_DIRECTIONS.map((d) => ({ value: d, label: d })) },
          source: { availableValues: KPI_SOURCES.map((s) => ({ value: s, label: s })) },
          goalId: { reference: 'StrategicGoal' },
        },
        actions: {
          ...readFor(readers),
          new: {
            isAccessible: office,
            handler: serviceNew(async (actor, p) =>
              strategy.upsertKpi(actor, {
                code: str(p.code) ?? '',
                nameAr: str(p.nameAr) ?? '',
                nameEn: str(p.nameEn) ?? '',
                unit: (str(p.unit) ?? '') as KpiUnit,
                direction: (str(p.direction) ?? 'higher') as KpiDirection,
                source: (str(p.source) ?? '') as KpiSource,
                goalCode: await goalCode(p.goalId),
                position: p.position ? Number(p.position) : undefined,
              }),
            ),
          },
          edit: {
            isAccessible: office,
            handler: serviceEdit(async (actor, id, p) => {
              const kpi = (await strategy.kpis()).find((k) => k.id === id)!;
              return strategy.upsertKpi(actor, {
                code: kpi.code,
                nameAr: str(p.nameAr) ?? kpi.nameAr,
                nameEn: str(p.nameEn) ?? kpi.nameEn,
                unit: (str(p.unit) ?? kpi.unit) as KpiUnit,
                direction: (str(p.direction) ?? kpi.direction) as KpiDirection,
                source: (str(p.source) ?? kpi.source) as KpiSource,
                goalCode: await goalCode(p.goalId ?? kpi.goalId),
                position: p.position ? Number(p.position) : kpi.position,
              });
            }),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
    {
      resource: KpiTarget,
      options: {
        navigation: NAV,
        listProperties: ['kpiId', 'year', 'target', 'baseline'],
        properties: {
          version: hidden,
          createdAt: readOnlyProp,
          updatedAt: readOnlyProp,
          kpiId: { reference: 'KpiDefinition' },
          target: { description: 'count, fils, or basis points for percent KPIs (3500 = 35 %)' },
        },
        actions: {
          ...readFor(readers),
          new: {
            isAccessible: office,
            handler: serviceNew(async (actor, p) =>
              strategy.setTarget(
                actor,
                await kpiCode(p.kpiId),
                Number(int(p.year, 'year')),
                int(p.target, 'target'),
                str(p.baseline) ? int(p.baseline, 'baseline') : null,
              ),
            ),
          },
          edit: {
            isAccessible: office,
            handler: serviceEdit(async (actor, _id, p) =>
              strategy.setTarget(
                actor,
                await kpiCode(p.kpiId),
                Number(int(p.year, 'year')),
                int(p.target, 'target'),
                str(p.baseline) ? int(p.baseline, 'baseline') : null,
              ),
            ),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
        },
      },
    },
    {
      resource: KpiValue,
      options: {
        navigation: NAV,
        sort: { sortBy: 'period', direction: 'desc' },
        listProperties: [
          'kpiId',
          'period',
          'numerator',
          'denominator',
          'status',
          'coveragePercent',
          'recordedBy',
          'approvedBy',
        ],
        properties: {
          version: hidden,
          createdAt: readOnlyProp,
          updatedAt: readOnlyProp,
          kpiId: { reference: 'KpiDefinition' },
          details: { type: 'mixed', isVisible: { list: false, edit: false, show: true } },
          status: { isVisible: { list: true, edit: false, show: true, filter: true } },
          recordedBy: { isVisible: { list: true, edit: false, show: true, filter: true } },
          approvedBy: { isVisible: { list: true, edit: false, show: true, filter: true } },
          approvedAt: readOnlyProp,
          computedAt: readOnlyProp,
          formulaVersion: readOnlyProp,
          coveragePercent: { isVisible: { list: true, edit: false, show: true } },
        },
        actions: {
          ...readFor(readers),
          // Entered KPIs only (with evidence); computed ones come from "Compute year".
          new: {
            isAccessible: office,
            handler: serviceNew(async (actor, p) =>
              strategy.enterValue(actor, {
                kpiCode: await kpiCode(p.kpiId),
                year: Number(int(p.period, 'period')),
                numerator: int(p.numerator, 'numerator'),
                denominator: str(p.denominator) ? int(p.denominator, 'denominator') : null,
                evidenceRef: str(p.evidenceRef) ?? '',
                note: str(p.note) ?? null,
              }),
            ),
          },
          edit: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          approve: {
            actionType: 'record',
            icon: 'CheckCircle',
            guard: 'Approve this value? It becomes the figure the committee reports.',
            component: false,
            isAccessible: office,
            isVisible: ({ record }) => record?.params.status === 'provisional',
            handler: serviceRecordAction(async (actor, id) => {
              await strategy.approveValue(actor, id);
              return 'Approved (four eyes)';
            }),
          },
          computeLastYear: {
            actionType: 'resource',
            icon: 'RefreshCw',
            component: false,
            isAccessible: office,
            handler: async (request: ActionRequest, _res: unknown, ctx) => {
              const year = new Date().getUTCFullYear() - 1;
              try {
                const written = await strategy.computeYear(
                  actorOf(ctx.currentAdmin, (request as unknown as { ip?: string }).ip),
                  year,
                );
                return {
                  notice: {
                    message: `${written.length} provisional values computed for ${year}`,
                    type: 'success',
                  },
                };
              } catch (e) {
                return {
                  notice: {
                    message:
                      e instanceof DomainException
                        ? (e.detail ?? e.definition.title)
                        : 'The computation failed',
                    type: 'error',
                  },
                };
              }
            },
          },
        },
      },
    },
    {
      resource: ExportJob,
      options: {
        navigation: NAV,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: [
          'kind',
          'format',
          'status',
          'rowsWritten',
          'requestedByLabel',
          'createdAt',
          'finishedAt',
        ],
        properties: {
          kind: { availableValues: EXPORT_KINDS.map((k) => ({ value: k, label: k })) },
          format: { availableValues: EXPORT_FORMATS.map((f) => ({ value: f, label: f })) },
          filters: { type: 'mixed' },
          manifest: { type: 'mixed', isVisible: { list: false, edit: false, show: true } },
          fileName: hidden,
          status: { isVisible: { list: true, edit: false, show: true, filter: true } },
          rowsWritten: { isVisible: { list: true, edit: false, show: true } },
          requestedByType: readOnlyProp,
          requestedById: readOnlyProp,
          requestedByLabel: { isVisible: { list: true, edit: false, show: true, filter: true } },
          sha256: readOnlyProp,
          fileBytes: readOnlyProp,
          error: readOnlyProp,
          startedAt: readOnlyProp,
          finishedAt: { isVisible: { list: true, edit: false, show: true } },
          createdAt: { isVisible: { list: true, edit: false, show: true } },
          updatedAt: hidden,
        },
        actions: {
          ...readFor(readers),
          ...noWrites,
          // Auditors request exports here; files are downloaded on /admin/dashboards/exports (audited).
          new: {
            isAccessible: readers,
            handler: serviceNew(async (actor, p) => {
              const filters = (
                p.filters && typeof p.filters === 'object' ? p.filters : {}
              ) as Record<string, string>;
              const job = await exports.request(actor, {
                kind: (str(p.kind) ?? '') as ExportKind,
                format: (str(p.format) ?? 'csv') as ExportFormat,
                filters: Object.fromEntries(
                  Object.entries(filters).filter(([, v]) => typeof v === 'string' && v),
                ),
              });
              return { id: job.id, notice: 'Export queued; refresh to follow its progress' };
            }),
          },
        },
      },
    },
  ];
}
