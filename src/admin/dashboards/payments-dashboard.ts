import type {
  PaymentStatsService,
  StatsReport,
} from '../../modules/payments/services/payment-stats.service.js';
import {
  formatFilsAsBhd,
  formatInteger,
  formatPercent,
} from '../../modules/strategy/domain/kpi-math.js';
import type { Actor } from '../../platform/auth/roles.js';
import { digits, e, type Lang } from './dashboard-page.js';
import { barChart, lineChart, stackedBar } from './svg-charts.js';

/** What the payments page shows, read through PaymentsModule's exported PaymentStatsService. */
export interface PaymentsDashboard {
  year: number;
  /** null = every agency; otherwise the staff member's own agency. */
  agency: string | null;
  totals: StatsReport['totals'];
  months: { label: string; totals: StatsReport['totals'] }[];
  years: { label: string; totals: StatsReport['totals'] }[];
  services: StatsReport['groups'];
  channels: StatsReport['groups'];
}

/**
 * A year's payment figures by month, by service and by channel: what the payments page and the
 * payment resource's `statistics` action both show. Agency staff get their agency's figures
 * only: PaymentStatsService.report limits a staff actor bound to an agency to that agency (and
 * refuses another).
 */
export async function loadPaymentsYear(
  stats: PaymentStatsService,
  actor: Actor,
  year: number,
): Promise<{ months: StatsReport[]; services: StatsReport; channels: StatsReport }> {
  const [months, services, channels] = await Promise.all([
    Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        stats.report(actor, { period: 'month', date: `${year}-${String(i + 1).padStart(2, '0')}` }),
      ),
    ),
    stats.report(actor, { period: 'year', date: String(year), groupBy: 'service' }),
    stats.report(actor, { period: 'year', date: String(year), groupBy: 'channel' }),
  ]);
  return { months, services, channels };
}

/** The payments page: the year's figures and the five years ending with it. */
export async function loadPaymentsDashboard(
  stats: PaymentStatsService,
  actor: Actor,
  year: number,
): Promise<PaymentsDashboard> {
  const [{ months, services, channels }, years] = await Promise.all([
    loadPaymentsYear(stats, actor, year),
    Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        stats.report(actor, { period: 'year', date: String(year - 4 + i) }),
      ),
    ),
  ]);
  return {
    year,
    agency: services.filters.agency,
    totals: services.totals,
    months: months.map((m) => ({ label: m.period.label, totals: m.totals })),
    years: years.map((y) => ({ label: y.period.label, totals: y.totals })),
    services: services.groups,
    channels: channels.groups,
  };
}

const T = {
  ar: {
    title: (y: number) => `المدفوعات الحكومية ${digits(y, 'ar')}`,
    scopeAll: 'جميع الجهات',
    scopeAgency: 'الجهة',
    byCount: 'الحصة الإلكترونية حسب العدد',
    byValue: 'الحصة الإلكترونية حسب القيمة',
    count: 'المعاملات الإلكترونية',
    value: 'قيمة المعاملات الإلكترونية',
    of: 'من',
    bhd: 'د.ب',
    monthly: 'الحصة الإلكترونية شهرياً',
    yearly: 'الحصة الإلكترونية عبر السنوات',
    topServices: 'أعلى الخدمات قيمة (صافي)',
    channelMix: 'توزيع القنوات حسب عدد المعاملات',
    channel: 'القناة',
    transactions: 'المعاملات (صافي)',
    net: 'القيمة الصافية',
    year: 'السنة',
    show: 'عرض',
    none: 'لا توجد معاملات في هذه الفترة.',
  },
  en: {
    title: (y: number) => `Government payments ${y}`,
    scopeAll: 'All agencies',
    scopeAgency: 'Agency',
    byCount: 'Electronic share by count',
    byValue: 'Electronic share by value',
    count: 'Electronic transactions',
    value: 'Electronic value',
    of: 'of',
    bhd: 'BHD',
    monthly: 'Electronic share by month',
    yearly: 'Electronic share over the years',
    topServices: 'Top services by net value',
    channelMix: 'Channel mix by number of transactions',
    channel: 'Channel',
    transactions: 'Transactions (net)',
    net: 'Net value',
    year: 'Year',
    show: 'Show',
    none: 'No transactions in this period.',
  },
} as const;

export const paymentsTitle = (lang: Lang, year: number) => T[lang].title(year);

/** A 4-decimal share (0.41) as `41.0%` / `٤١٫٠٪`. */
export function sharePercent(share: number, lang: Lang): string {
  return formatPercent({ num: BigInt(Math.round(share * 10000)), den: 10000n }, lang, 1);
}

export function renderPaymentsBody(d: PaymentsDashboard, lang: Lang): string {
  const t = T[lang];
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const y = d.totals;
  const bhd = (fils: string) => `${formatFilsAsBhd(BigInt(fils), lang)} ${t.bhd}`;
  const yearOptions = Array.from({ length: 12 }, (_, i) => d.year + 2 - i)
    .map(
      (v) => `<option value="${v}"${v === d.year ? ' selected' : ''}>${digits(v, lang)}</option>`,
    )
    .join('');
  const scope = d.agency ? `${t.scopeAgency}: ${d.agency}` : t.scopeAll;
  const summary = `<section class="card grid" data-scope="${e(d.agency ?? 'all')}">
<div><div class="muted">${e(t.byCount)}</div><div class="figure" data-figure="share-count">${e(sharePercent(y.electronicShareByCount, lang))}</div></div>
<div><div class="muted">${e(t.byValue)}</div><div class="figure" data-figure="share-value">${e(sharePercent(y.electronicShareByValue, lang))}</div></div>
<div><div class="muted">${e(t.count)}</div><div>${e(formatInteger(BigInt(y.electronic.netCount), lang))} ${e(t.of)} ${e(formatInteger(BigInt(y.count.net), lang))}</div></div>
<div><div class="muted">${e(t.value)}</div><div>${e(bhd(y.electronic.netFils))} ${e(t.of)} ${e(bhd(y.netFils))}</div></div>
<div><div class="muted">${e(scope)}</div>
<form class="inline" method="get" action="/admin/dashboards/payments"><input type="hidden" name="lang" value="${lang}">
<label>${e(t.year)}<select name="year">${yearOptions}</select></label><button type="submit">${e(t.show)}</button></form></div>
</section>`;
  const shareSeries = (rows: { totals: StatsReport['totals'] }[]) => {
    const has = rows.map((r) => r.totals.count.net !== '0');
    return [
      {
        name: t.byCount,
        colour: '#0b6e4f',
        values: rows.map((r, i) => (has[i] ? r.totals.electronicShareByCount * 100 : null)),
        texts: rows.map((r, i) =>
          has[i] ? sharePercent(r.totals.electronicShareByCount, lang) : null,
        ),
      },
      {
        name: t.byValue,
        colour: '#2d6a9f',
        values: rows.map((r, i) => (has[i] ? r.totals.electronicShareByValue * 100 : null)),
        texts: rows.map((r, i) =>
          has[i] ? sharePercent(r.totals.electronicShareByValue, lang) : null,
        ),
        dashed: true,
      },
    ];
  };
  const pctTicks = [0, 25, 50, 75, 100].map((v) => ({
    value: v,
    text: formatPercent({ num: BigInt(v), den: 100n }, lang),
  }));
  const monthly = lineChart(
    d.months.map((m) => digits(Number(m.label.slice(5)), lang)),
    shareSeries(d.months),
    dir,
    { title: t.monthly, yMax: 100, yTicks: pctTicks },
  );
  const yearly = lineChart(
    d.years.map((r) => digits(Number(r.label), lang)),
    shareSeries(d.years),
    dir,
    { title: t.yearly, yMax: 100, yTicks: pctTicks },
  );
  const top = d.services.slice(0, 10);
  const services = barChart(
    top.map((g) => ({
      label: g.key,
      value: Number(BigInt(g.netFils) / 1000n),
      text: bhd(g.netFils),
    })),
    dir,
    t.topServices,
  );
  const channelLabel = (g: StatsReport['groups'][number]) =>
    lang === 'ar' ? g.labelAr : g.labelEn;
  const mix = stackedBar(
    d.channels.map((g) => ({
      label: channelLabel(g),
      value: Number(g.count.net),
      text: `${formatInteger(BigInt(g.count.net), lang)} (${sharePercent(share(g.count.net, y.count.net), lang)})`,
    })),
    dir,
    t.channelMix,
  );
  const channelRows = d.channels
    .map(
      (g) =>
        `<tr data-channel="${e(g.key)}"><td>${e(channelLabel(g))}</td><td>${e(formatInteger(BigInt(g.count.net), lang))}</td><td>${e(bhd(g.netFils))}</td></tr>`,
    )
    .join('');
  const empty = y.count.net === '0' ? `<p class="muted">${e(t.none)}</p>` : '';
  return `${summary}${empty}
<section class="card"><h2>${e(t.monthly)}</h2>${monthly}</section>
<section class="card"><h2>${e(t.yearly)}</h2>${yearly}</section>
<section class="card"><h2>${e(t.topServices)}</h2>${services}</section>
<section class="card"><h2>${e(t.channelMix)}</h2>${mix}
<table><thead><tr><th>${e(t.channel)}</th><th>${e(t.transactions)}</th><th>${e(t.net)}</th></tr></thead><tbody>${channelRows}</tbody></table></section>`;
}

function share(part: string, whole: string): number {
  const w = BigInt(whole);
  if (w <= 0n) return 0;
  return Number((BigInt(part) * 20000n + w) / (2n * w)) / 10000;
}
