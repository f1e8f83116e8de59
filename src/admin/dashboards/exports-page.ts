import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportJob,
  type ExportKind,
} from '../../modules/strategy/entities/export-job.entity.js';
import { formatInteger } from '../../modules/strategy/domain/kpi-math.js';
import { e, type Lang } from './dashboard-page.js';

const KIND_TITLES: Record<ExportKind, { ar: string; en: string }> = {
  audit_log: { ar: 'سجل التدقيق', en: 'Audit log' },
  registry_changes: { ar: 'التغييرات في سجل الخدمات', en: 'Registry changes' },
  kpi_values: { ar: 'قيم مؤشرات الأداء', en: 'KPI values' },
  payment_transactions: { ar: 'المعاملات المالية', en: 'Payment transactions' },
  payment_statistics: { ar: 'إحصاءات المدفوعات', en: 'Payment statistics' },
};

const T = {
  ar: {
    title: 'تصدير بيانات التدقيق',
    request: 'طلب تصدير جديد',
    kind: 'النوع',
    format: 'الصيغة',
    from: 'من يوم',
    to: 'إلى يوم',
    period: 'الفترة (مؤشرات الأداء)',
    service: 'رمز الخدمة',
    agency: 'رمز الجهة',
    submit: 'اطلب التصدير',
    recent: 'أحدث عمليات التصدير',
    status: 'الحالة',
    rows: 'الصفوف',
    requestedBy: 'طلبه',
    createdAt: 'وقت الطلب',
    files: 'الملفات',
    file: 'الملف',
    manifest: 'البيان الموقع',
    none: 'لا توجد عمليات تصدير بعد.',
    note: 'كل تنزيل يسجل في سجل التدقيق. يتحقق من الملف بالبيان الموقع عبر POST /v1/exports/verify.',
    statuses: { queued: 'في الانتظار', running: 'قيد التنفيذ', succeeded: 'جاهز', failed: 'فشل' },
  },
  en: {
    title: 'Auditor exports',
    request: 'Request an export',
    kind: 'Kind',
    format: 'Format',
    from: 'From day',
    to: 'To day',
    period: 'Period (KPI values)',
    service: 'Service code',
    agency: 'Agency code',
    submit: 'Request export',
    recent: 'Recent exports',
    status: 'Status',
    rows: 'Rows',
    requestedBy: 'Requested by',
    createdAt: 'Requested at',
    files: 'Files',
    file: 'File',
    manifest: 'Signed manifest',
    none: 'No exports yet.',
    note: 'Every download is recorded in the audit log. Check a file against its signed manifest with POST /v1/exports/verify.',
    statuses: { queued: 'queued', running: 'running', succeeded: 'ready', failed: 'failed' },
  },
} as const;

export const exportsTitle = (lang: Lang) => T[lang].title;

export function renderExportsBody(
  jobs: ExportJob[],
  lang: Lang,
  notice?: { text: string; error: boolean },
): string {
  const t = T[lang];
  const kinds = EXPORT_KINDS.map(
    (k) => `<option value="${k}">${e(KIND_TITLES[k][lang])}</option>`,
  ).join('');
  const formats = EXPORT_FORMATS.map(
    (f) => `<option value="${f}">${f.toUpperCase()}</option>`,
  ).join('');
  const form = `<section class="card"><h2>${e(t.request)}</h2>
<form class="inline" method="post" action="/admin/dashboards/exports?lang=${lang}">
<label>${e(t.kind)}<select name="kind">${kinds}</select></label>
<label>${e(t.format)}<select name="format">${formats}</select></label>
<label>${e(t.from)}<input name="from" type="date"></label>
<label>${e(t.to)}<input name="to" type="date"></label>
<label>${e(t.period)}<input name="period" inputmode="numeric" size="6"></label>
<label>${e(t.service)}<input name="serviceCode" size="12"></label>
<label>${e(t.agency)}<input name="agencyCode" size="8"></label>
<button type="submit">${e(t.submit)}</button></form><p class="muted">${e(t.note)}</p></section>`;
  const rows = jobs
    .map((j) => {
      const base = `/admin/dashboards/exports/${j.id}`;
      const files =
        j.status === 'succeeded'
          ? `<a href="${base}/file">${e(t.file)} (${j.format.toUpperCase()})</a> · <a href="${base}/manifest">${e(t.manifest)}</a>`
          : j.status === 'failed'
            ? `<span class="muted">${e(j.error ?? '')}</span>`
            : '';
      const filters = Object.entries(j.filters ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `<tr data-export="${j.id}"><td>${e(KIND_TITLES[j.kind]?.[lang] ?? j.kind)}<div class="muted ltr">${e(filters)}</div></td>
<td>${j.format.toUpperCase()}</td><td><span class="status ${j.status}">${e(t.statuses[j.status])}</span></td>
<td>${e(formatInteger(BigInt(j.rowsWritten), lang))}</td><td>${e(j.requestedByLabel)}</td>
<td class="ltr muted">${e(j.createdAt.toISOString().slice(0, 16).replace('T', ' '))}</td><td>${files}</td></tr>`;
    })
    .join('\n');
  const table = jobs.length
    ? `<table><thead><tr><th>${e(t.kind)}</th><th>${e(t.format)}</th><th>${e(t.status)}</th><th>${e(t.rows)}</th><th>${e(t.requestedBy)}</th><th>${e(t.createdAt)}</th><th>${e(t.files)}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="muted">${e(t.none)}</p>`;
  const box = notice
    ? `<div class="notice${notice.error ? ' error' : ''}">${e(notice.text)}</div>`
    : '';
  return `${box}${form}<section class="card"><h2>${e(t.recent)}</h2>${table}</section>`;
}
