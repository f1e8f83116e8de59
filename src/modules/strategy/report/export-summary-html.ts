import { formatInteger, formatFilsAsBhd } from '../domain/kpi-math.js';
import type { ControlTotals } from '../exports/control-totals.js';
import { escapeHtml as e } from '../../../platform/text/html.js';

export interface ExportSummary {
  titleEn: string;
  titleAr: string;
  filters: Record<string, string>;
  rowCount: number;
  totals: ControlTotals;
  requestedBy: string;
  generatedAt: string;
}

/** The PDF summary of an export: filters, row count and control totals, Arabic then English. */
export function renderExportSummaryHtml(s: ExportSummary): string {
  const filters =
    Object.entries(s.filters)
      .map(([k, v]) => `${e(k)} = ${e(v)}`)
      .join(' · ') || '—';
  const table = (lang: 'ar' | 'en') =>
    Object.entries(s.totals)
      .map(
        ([dim, cells]) =>
          `<h3>${e(dim)}</h3><table>${Object.entries(cells)
            .map(
              ([k, c]) =>
                `<tr><td>${e(k)}</td><td class="num">${e(formatInteger(BigInt(c.count), lang))}</td><td class="num">${e(formatFilsAsBhd(BigInt(c.fils), lang))}</td></tr>`,
            )
            .join('')}</table>`,
      )
      .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { font-family: 'Noto Naskh Arabic', 'Noto Sans Arabic', 'Noto Sans', sans-serif; font-size: 11px; }
article { break-after: page; } article:last-child { break-after: auto; }
table { border-collapse: collapse; } td { border-bottom: 1px solid #ddd; padding: 2px 8px; }
td.num { text-align: end; }
</style></head><body>
<article dir="rtl" lang="ar"><h1>${e(s.titleAr)}</h1>
<p>عدد السجلات: <b>${e(formatInteger(BigInt(s.rowCount), 'ar'))}</b></p>
<p>المرشحات: ${filters}</p><p>طلبه: ${e(s.requestedBy)} · ${e(s.generatedAt)}</p>${table('ar')}</article>
<article dir="ltr" lang="en"><h1>${e(s.titleEn)}</h1>
<p>Rows: <b>${e(formatInteger(BigInt(s.rowCount), 'en'))}</b></p>
<p>Filters: ${filters}</p><p>Requested by ${e(s.requestedBy)} · ${e(s.generatedAt)}</p>${table('en')}</article>
</body></html>`;
}
