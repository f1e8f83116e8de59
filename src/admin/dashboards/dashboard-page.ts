import type { StaffRole } from '../../platform/auth/roles.js';
import { escapeHtml } from '../../platform/text/html.js';

export type Lang = 'ar' | 'en';

export const e = escapeHtml;

/** Digits without grouping (years, months): `2017` / `٢٠١٧`. */
export function digits(n: number, lang: Lang): string {
  const text = String(n);
  return lang === 'ar' ? text.replace(/[0-9]/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]) : text;
}

/** `?lang=en` for English; Arabic otherwise (Arabic first). */
export function langOf(query: unknown): Lang {
  const q = (query ?? {}) as Record<string, unknown>;
  return q.lang === 'en' ? 'en' : 'ar';
}

export interface DashboardLink {
  path: string;
  ar: string;
  en: string;
  roles: readonly StaffRole[];
}

/** The back office's dashboard pages, and who may open each. */
export const DASHBOARD_LINKS: readonly DashboardLink[] = [
  {
    path: '/admin/dashboards/committee',
    ar: 'لوحة اللجنة العليا',
    en: 'Committee dashboard',
    roles: ['admin', 'auditor'],
  },
  {
    path: '/admin/dashboards/payments',
    ar: 'المدفوعات الحكومية',
    en: 'Payments dashboard',
    roles: ['admin', 'operator', 'auditor', 'agency_editor', 'agency_approver'],
  },
  {
    path: '/admin/dashboards/exports',
    ar: 'تصدير بيانات التدقيق',
    en: 'Auditor exports',
    roles: ['admin', 'auditor'],
  },
];

const CSS = `
body{margin:0;font-family:"Noto Naskh Arabic","Noto Sans Arabic","Noto Sans",Tahoma,Arial,sans-serif;color:#1c2430;background:#f4f6f8}
header{background:#0b3d2e;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;opacity:.85}header a.current{opacity:1;font-weight:bold;border-bottom:2px solid #fff}
header .who{margin-inline-start:auto;font-size:13px;opacity:.8}
main{padding:16px 24px;max-width:1100px}
h1{font-size:22px;margin:8px 0 16px}h2{font-size:18px;margin:0 0 8px}
section.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:16px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e6e9ee;text-align:start;vertical-align:top}
th{background:#f0f3f6}
.figure{font-size:28px;font-weight:bold}.muted{color:#5b6673;font-size:12px}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e6e9ee}
.status.approved{background:#d7f0e2;color:#0b5a36}.status.provisional{background:#fff1c7;color:#6d5200}
.status.live{background:#dde9f7;color:#1e4f87}.status.unavailable,.status.missing,.status.failed{background:#f6dada;color:#8a1d17}
.status.succeeded{background:#d7f0e2;color:#0b5a36}
.met{color:#1b7f4b}.notmet{color:#b3261e}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
form.inline{display:flex;gap:8px;flex-wrap:wrap;align-items:end}label{display:flex;flex-direction:column;font-size:12px;gap:2px}
input,select,button{font:inherit;padding:4px 6px}button{background:#0b3d2e;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
.notice{padding:8px 12px;border-radius:4px;background:#d7f0e2;margin-bottom:12px}.notice.error{background:#f6dada}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}
.ltr{direction:ltr;unicode-bidi:isolate}
`;

/** One whole page: a bar of dashboard links (those the staff member may open), then the body. */
export function renderPage(opts: {
  lang: Lang;
  title: string;
  currentPath: string;
  role: StaffRole;
  who: string;
  body: string;
  /** Query string (without lang) kept when switching language. */
  query?: string;
}): string {
  const { lang } = opts;
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const links = DASHBOARD_LINKS.filter((l) => l.roles.includes(opts.role))
    .map(
      (l) =>
        `<a href="${l.path}?lang=${lang}"${l.path === opts.currentPath ? ' class="current"' : ''}>${e(l[lang])}</a>`,
    )
    .join('');
  const other: Lang = lang === 'ar' ? 'en' : 'ar';
  const switchHref = `${opts.currentPath}?${opts.query ? `${opts.query}&` : ''}lang=${other}`;
  return `<!doctype html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(opts.title)} · Diwan ديوان</title><style>${CSS}</style></head>
<body><header><a href="/admin">${lang === 'ar' ? 'ديوان · الإدارة' : 'Diwan · back office'}</a>${links}
<span class="who">${e(opts.who)}</span><a href="${e(switchHref)}" lang="${other}">${other === 'ar' ? 'العربية' : 'English'}</a></header>
<main><h1>${e(opts.title)}</h1>
${opts.body}
</main></body></html>`;
}

/** A page for a refusal or a bad request, in the staff member's language. */
export function renderMessage(lang: Lang, title: string, detail: string): string {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${e(title)}</title><style>${CSS}</style></head>
<body><header><a href="/admin">${lang === 'ar' ? 'ديوان · الإدارة' : 'Diwan · back office'}</a></header><main><h1>${e(title)}</h1><p>${e(detail)}</p></main></body></html>`;
}

/** The dashboards a role may open, for the link bar (served as JSON behind the session). */
export function dashboardLinksFor(
  role: StaffRole | null,
): { href: string; ar: string; en: string }[] {
  return DASHBOARD_LINKS.filter((l) => role !== null && l.roles.includes(role)).map((l) => ({
    href: l.path,
    ar: l.ar,
    en: l.en,
  }));
}

/**
 * The small script AdminJS loads on every page (assets.scripts), the sign-in page included, so
 * it is served without a session: it asks for the signed-in role's links and draws nothing when
 * there is no session (the links request is then redirected to the sign-in page, which
 * `redirect: 'error'` turns into a quiet no-op).
 */
export const NAVIGATION_SCRIPT = `(function(){
function draw(links){if(!links.length||document.getElementById('diwan-dashboards'))return;var bar=document.createElement('nav');bar.id='diwan-dashboards';
bar.setAttribute('style','position:fixed;bottom:12px;inset-inline-end:12px;z-index:1000;background:#0b3d2e;padding:6px 10px;border-radius:6px;display:flex;gap:12px;font:13px sans-serif');
links.forEach(function(l){var a=document.createElement('a');a.href=l.href;a.textContent=l.ar+' · '+l.en;a.setAttribute('style','color:#fff;text-decoration:none');bar.appendChild(a);});
document.body.appendChild(bar);}
function load(){fetch('/admin/dashboards/links.json',{credentials:'same-origin',redirect:'error',headers:{accept:'application/json'}})
.then(function(r){return r.ok?r.json():[];}).then(draw,function(){});}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',load);else load();})();`;
