import { formatInteger, formatTarget } from '../../modules/strategy/domain/kpi-math.js';
import type {
  CommitteeDashboard,
  ReportKpi,
  ReportValueStatus,
} from '../../modules/strategy/services/strategy-report.types.js';
import { digits, e, type Lang } from './dashboard-page.js';
import { lineChart, targetVsActualChart } from './svg-charts.js';

const T = {
  ar: {
    title: (y: number) => `لوحة متابعة مؤشرات الاستراتيجية ${digits(y, 'ar')}`,
    kpisMet: 'المؤشرات التي حققت مستهدفها',
    approved: 'القيم المعتمدة',
    year: 'السنة',
    show: 'عرض',
    kpi: 'المؤشر',
    target: 'المستهدف',
    actual: 'الفعلي',
    achievement: 'نسبة الإنجاز',
    state: 'حالة الاعتماد',
    computedAt: 'وقت الحساب',
    alignment: 'المواءمة',
    trend: 'الاتجاه عبر السنوات',
    of: 'من',
    compute: 'إعادة حساب المؤشرات المحسوبة (قيم مبدئية)',
    unavailable: 'غير متاح',
    statuses: {
      approved: 'معتمد',
      provisional: 'مبدئي بانتظار الاعتماد',
      live: 'محسوب آنياً (غير مخزن)',
      unavailable: 'غير متاح',
      missing: 'لا توجد قيمة',
    } satisfies Record<ReportValueStatus, string>,
    government_action_plan: 'برنامج عمل الحكومة',
    economic_vision_2030: 'الرؤية الاقتصادية ٢٠٣٠',
  },
  en: {
    title: (y: number) => `Strategy KPI dashboard ${y}`,
    kpisMet: 'KPIs that met their target',
    approved: 'Approved values',
    year: 'Year',
    show: 'Show',
    kpi: 'KPI',
    target: 'Target',
    actual: 'Actual',
    achievement: 'Achievement',
    state: 'Approval state',
    computedAt: 'Computed at',
    alignment: 'Alignment',
    trend: 'Trend over the years',
    of: 'of',
    compute: 'Recompute the computed KPIs (provisional values)',
    unavailable: 'unavailable',
    statuses: {
      approved: 'approved',
      provisional: 'provisional, awaiting approval',
      live: 'computed now (not stored)',
      unavailable: 'unavailable',
      missing: 'no value',
    } satisfies Record<ReportValueStatus, string>,
    government_action_plan: 'Government Action Plan',
    economic_vision_2030: 'Economic Vision 2030',
  },
} as const;

export const committeeTitle = (lang: Lang, year: number) => T[lang].title(year);

/** A KPI figure as a plain number for charts, in its target unit (percent KPIs: basis points). */
function chartValue(
  unit: ReportKpi['unit'],
  num: string | null,
  den: string | null,
): number | null {
  if (num === null) return null;
  if (unit === 'percent') {
    if (den === null || BigInt(den) <= 0n) return null;
    return Number((BigInt(num) * 10000n) / BigInt(den));
  }
  return unit === 'fils' ? Number(BigInt(num) / 1000n) : Number(num);
}

function tickText(unit: ReportKpi['unit'], v: number, lang: Lang): string {
  const n = BigInt(Math.round(v));
  if (unit === 'percent') return formatTarget('percent', (n / 100n) * 100n, lang);
  // fils KPIs are charted in whole dinars.
  return formatInteger(n, lang);
}

export function renderCommitteeBody(
  d: CommitteeDashboard,
  lang: Lang,
  opts: { canCompute: boolean; notice?: { text: string; error: boolean } },
): string {
  const t = T[lang];
  const r = d.report;
  const name = (x: { nameAr: string; nameEn: string }) => (lang === 'ar' ? x.nameAr : x.nameEn);
  const yearOptions = Array.from({ length: 12 }, (_, i) => r.year + 2 - i)
    .map(
      (y) => `<option value="${y}"${y === r.year ? ' selected' : ''}>${digits(y, lang)}</option>`,
    )
    .join('');
  const notice = opts.notice
    ? `<div class="notice${opts.notice.error ? ' error' : ''}">${e(opts.notice.text)}</div>`
    : '';
  const summary = `<section class="card grid">
<div><div class="muted">${e(t.kpisMet)}</div><div class="figure">${e(formatInteger(BigInt(r.kpisMet), lang))} ${e(t.of)} ${e(formatInteger(BigInt(r.kpisAssessed), lang))}</div></div>
<div><div class="muted">${e(t.approved)}</div><div class="figure">${e(formatInteger(BigInt(r.approvedCount), lang))} ${e(t.of)} ${e(formatInteger(BigInt(r.kpiCount), lang))}</div></div>
<form class="inline" method="get" action="/admin/dashboards/committee"><input type="hidden" name="lang" value="${lang}">
<label>${e(t.year)}<select name="year">${yearOptions}</select></label><button type="submit">${e(t.show)}</button></form>
${
  opts.canCompute
    ? `<form class="inline" method="post" action="/admin/dashboards/committee/compute?lang=${lang}"><input type="hidden" name="year" value="${r.year}"><button type="submit">${e(t.compute)}</button></form>`
    : ''
}
</section>`;
  const goals = r.goals
    .map((g) => {
      const rows = g.kpis
        .map(
          (k) => `<tr data-kpi="${e(k.code)}"><td>${e(name(k))}</td>
<td>${e(k.targetText?.[lang] ?? '—')}</td>
<td>${e(k.valueText?.[lang] ?? '—')}</td>
<td class="${k.met === null ? '' : k.met ? 'met' : 'notmet'}">${e(k.achievementText?.[lang] ?? '—')}</td>
<td><span class="status ${k.status}">${e(t.statuses[k.status])}</span>${k.unavailableReason ? `<div class="muted">${e(k.unavailableReason)}</div>` : ''}</td>
<td class="muted ltr">${e(k.computedAt ? k.computedAt.slice(0, 16).replace('T', ' ') : '')}</td></tr>`,
        )
        .join('\n');
      const chart = targetVsActualChart(
        g.kpis
          .filter((k) => k.achievementPercent !== null)
          .map((k) => ({
            label: name(k),
            achievementPercent: Number(k.achievementPercent),
            met: k.met,
            text: k.achievementText?.[lang] ?? '',
          })),
        lang === 'ar' ? 'rtl' : 'ltr',
        { target: t.target, actual: t.actual },
      );
      const alignment = g.alignment
        .map((a) => (T[lang] as unknown as Record<string, string>)[a] ?? a)
        .join(lang === 'ar' ? '، ' : ', ');
      return `<section class="card" data-goal="${e(g.code)}"><h2>${e(name(g))}</h2>
<div class="muted">${e(t.alignment)}: ${e(alignment)}</div>
<table><thead><tr><th>${e(t.kpi)}</th><th>${e(t.target)}</th><th>${e(t.actual)}</th><th>${e(t.achievement)}</th><th>${e(t.state)}</th><th>${e(t.computedAt)}</th></tr></thead>
<tbody>${rows}</tbody></table>
${chart}</section>`;
    })
    .join('\n');
  const years = d.years.map((y) => digits(y, lang));
  const trends = d.trend
    .map((k) => {
      const actual = k.points.map((p) => chartValue(k.unit, p.numerator, p.denominator));
      const target = k.points.map((p) =>
        p.target === null
          ? null
          : chartValue(k.unit, p.target, k.unit === 'percent' ? '10000' : null),
      );
      const max = Math.max(1, ...[...actual, ...target].filter((v): v is number => v !== null));
      const yMax = max * 1.15;
      return `<div data-trend="${e(k.code)}"><h3>${e(name(k))}</h3>${lineChart(
        years,
        [
          {
            name: t.actual,
            colour: '#0b6e4f',
            values: actual,
            texts: k.points.map((p) => p.valueText?.[lang] ?? null),
          },
          {
            name: t.target,
            colour: '#8a94a1',
            values: target,
            texts: k.points.map((p) =>
              p.target === null ? null : formatTarget(k.unit, BigInt(p.target), lang),
            ),
            dashed: true,
          },
        ],
        lang === 'ar' ? 'rtl' : 'ltr',
        {
          title: `${name(k)} · ${t.trend}`,
          yMax,
          yTicks: [0, 0.5, 1].map((f) => ({
            value: max * f,
            text: tickText(k.unit, max * f, lang),
          })),
        },
      )}</div>`;
    })
    .join('\n');
  return `${notice}${summary}
${goals}
<section class="card"><h2>${e(t.trend)}</h2>${trends}</section>`;
}
