import { escapeHtml } from '../../../platform/text/html.js';
import { formatInteger, formatFilsAsBhd, formatPercent, type Lang } from '../domain/kpi-math.js';
import type { ReportGoal, ReportKpi, StrategyReport } from '../services/strategy-report.types.js';

/**
 * The committee report as one HTML document: the Arabic pages (right to left) first, then the
 * English ones, each goal with a target-vs-actual chart drawn as inline SVG. Chromium prints it.
 */
const T = {
  ar: {
    title: (y: string) => `تقرير مؤشرات الأداء للاستراتيجية الوطنية للحكومة الإلكترونية ${y}`,
    subtitle: 'مقدم إلى اللجنة العليا',
    kpisMet: 'المؤشرات التي حققت مستهدفها',
    kpi: 'المؤشر',
    target: 'المستهدف',
    actual: 'الفعلي',
    achievement: 'نسبة الإنجاز',
    status: 'الحالة',
    alignment: 'المواءمة',
    government_action_plan: 'برنامج عمل الحكومة',
    economic_vision_2030: 'الرؤية الاقتصادية ٢٠٣٠',
    approved: 'معتمد',
    provisional: 'مبدئي',
    live: 'محسوب آنياً',
    unavailable: 'غير متاح',
    missing: 'لا توجد قيمة',
    electronic: 'المعاملات الإلكترونية',
    of: 'من',
    bhd: 'د.ب',
    evidence: 'الدليل',
    generated: 'أُعد في',
    chartTarget: 'المستهدف',
    chartActual: 'الفعلي',
  },
  en: {
    title: (y: string) => `National e-Government Strategy KPI report ${y}`,
    subtitle: 'Presented to the Supreme Committee',
    kpisMet: 'KPIs that met their target',
    kpi: 'KPI',
    target: 'Target',
    actual: 'Actual',
    achievement: 'Achievement',
    status: 'Status',
    alignment: 'Alignment',
    government_action_plan: 'Government Action Plan',
    economic_vision_2030: 'Economic Vision 2030',
    approved: 'approved',
    provisional: 'provisional',
    live: 'computed now',
    unavailable: 'unavailable',
    missing: 'no value',
    electronic: 'Electronic transactions',
    of: 'of',
    bhd: 'BHD',
    evidence: 'Evidence',
    generated: 'Generated',
    chartTarget: 'Target',
    chartActual: 'Actual',
  },
} as const;

const e = escapeHtml;

function label(t: (typeof T)[Lang], key: string): string {
  return (t as unknown as Record<string, string>)[key] ?? key;
}

function paymentsLine(k: ReportKpi, lang: Lang): string {
  const d = k.details;
  if (!d?.totalCount) return '';
  const t = T[lang];
  const count = `${formatInteger(BigInt(d.electronicCount), lang)} ${t.of} ${formatInteger(BigInt(d.totalCount), lang)}`;
  const value = `${formatFilsAsBhd(BigInt(d.electronicFils), lang)} ${t.of} ${formatFilsAsBhd(BigInt(d.totalFils), lang)} ${t.bhd}`;
  return `<div class="detail">${e(t.electronic)}: ${e(count)} · ${e(value)}</div>`;
}

/** Target vs actual per KPI, as bars scaled to the larger of the two (target = 100 %). */
function chart(goal: ReportGoal, lang: Lang): string {
  const t = T[lang];
  const kpis = goal.kpis.filter((k) => k.achievementPercent !== null);
  if (!kpis.length) return '';
  const rtl = lang === 'ar';
  const rowH = 34;
  const width = 640;
  const labelW = 0;
  const barMax = width - 120;
  const maxPct = Math.max(100, ...kpis.map((k) => Number(k.achievementPercent)));
  const scale = barMax / maxPct;
  const h = kpis.length * rowH + 30;
  const x = (len: number) => (rtl ? width - labelW - len : labelW);
  const bars = kpis
    .map((k, i) => {
      const y = 24 + i * rowH;
      const tLen = 100 * scale;
      const aLen = Math.max(1, Number(k.achievementPercent) * scale);
      const name = lang === 'ar' ? k.nameAr : k.nameEn;
      const textX = rtl ? width - aLen - 6 : aLen + 6;
      return `<g><rect x="${x(tLen)}" y="${y}" width="${tLen}" height="10" fill="#c9ced6"/>
<rect x="${x(aLen)}" y="${y + 12}" width="${aLen}" height="10" fill="${k.met ? '#1b7f4b' : '#b3261e'}"/>
<text x="${textX}" y="${y + 21}" font-size="9" text-anchor="${rtl ? 'end' : 'start'}">${e(k.achievementText?.[lang] ?? '')}</text>
<title>${e(name)}</title></g>`;
    })
    .join('\n');
  const legendX = rtl ? width : 0;
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${e(t.chartTarget)} / ${e(t.chartActual)}">
<text x="${legendX}" y="12" font-size="9" text-anchor="${rtl ? 'end' : 'start'}" fill="#555">■ ${e(t.chartTarget)} (100${lang === 'ar' ? '٪' : '%'})  ■ ${e(t.chartActual)}</text>
${bars}
</svg>`;
}

function goalSection(goal: ReportGoal, lang: Lang): string {
  const t = T[lang];
  const rows = goal.kpis
    .map((k) => {
      const name = lang === 'ar' ? k.nameAr : k.nameEn;
      const evidence = k.evidenceRef
        ? `<div class="detail">${e(t.evidence)}: ${e(k.evidenceRef)}</div>`
        : '';
      return `<tr class="${k.met === true ? 'met' : k.met === false ? 'missed' : ''}">
<td>${e(name)}${paymentsLine(k, lang)}${evidence}</td>
<td class="num">${e(k.targetText?.[lang] ?? '—')}</td>
<td class="num">${e(k.valueText?.[lang] ?? '—')}</td>
<td class="num">${e(k.achievementText?.[lang] ?? '—')}</td>
<td>${e(label(t, k.status))}</td></tr>`;
    })
    .join('\n');
  const alignment = goal.alignment.map((a) => label(t, a)).join('، ');
  return `<section class="goal">
<h2>${e(lang === 'ar' ? goal.nameAr : goal.nameEn)}</h2>
<div class="meta">${e(t.alignment)}: ${e(lang === 'ar' ? alignment : alignment.replaceAll('، ', ', '))}</div>
<table><thead><tr><th>${e(t.kpi)}</th><th>${e(t.target)}</th><th>${e(t.actual)}</th><th>${e(t.achievement)}</th><th>${e(t.status)}</th></tr></thead>
<tbody>${rows}</tbody></table>
${chart(goal, lang)}
</section>`;
}

function page(report: StrategyReport, lang: Lang): string {
  const t = T[lang];
  const year =
    lang === 'ar' ? formatInteger(BigInt(report.year), 'ar').replace('٬', '') : String(report.year);
  const met =
    report.kpisAssessed > 0
      ? `${formatInteger(BigInt(report.kpisMet), lang)} ${t.of} ${formatInteger(BigInt(report.kpisAssessed), lang)} (${formatPercent({ num: BigInt(report.kpisMet), den: BigInt(report.kpisAssessed) }, lang)})`
      : '—';
  return `<article class="page" lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
<h1>${e(t.title(year))}</h1>
<div class="subtitle">${e(t.subtitle)} · ${e(t.generated)} ${e(report.generatedAt.slice(0, 10))}</div>
<p class="summary">${e(t.kpisMet)}: <b>${e(met)}</b></p>
${report.goals.map((g) => goalSection(g, lang)).join('\n')}
</article>`;
}

export function renderReportHtml(report: StrategyReport): string {
  return `<!doctype html>
<html lang="ar"><head><meta charset="utf-8"><title>Strategy ${report.year}</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: 'Noto Naskh Arabic', 'Noto Sans Arabic', 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 11px; color: #1d1d1d; }
article.page { break-after: page; }
article.page:last-child { break-after: auto; }
h1 { font-size: 18px; margin: 0 0 4px; color: #7a1f2b; }
h2 { font-size: 14px; margin: 14px 0 2px; }
.subtitle, .meta, .detail { color: #555; font-size: 10px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: start; vertical-align: top; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.met td:nth-child(4) { color: #1b7f4b; font-weight: bold; }
tr.missed td:nth-child(4) { color: #b3261e; font-weight: bold; }
section.goal { break-inside: avoid; }
svg.chart { display: block; margin: 4px 0 10px; }
</style></head><body>
${page(report, 'ar')}
${page(report, 'en')}
</body></html>`;
}
