import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type {
  ExportFormat,
  ExportKind,
} from '../../modules/strategy/entities/export-job.entity.js';
import { ExportService } from '../../modules/strategy/services/export.service.js';
import { PaymentStatsService } from '../../modules/payments/services/payment-stats.service.js';
import { StrategyReportService } from '../../modules/strategy/services/strategy-report.service.js';
import { StrategyService } from '../../modules/strategy/services/strategy.service.js';
import type { Actor, StaffRole } from '../../platform/auth/roles.js';
import { DomainException } from '../../platform/errors/domain-exception.js';
import { actorOf, type StaffSession } from '../admin-actor.js';
import type { Resolve } from '../resources/resource-context.js';
import { committeeTitle, renderCommitteeBody } from './committee-dashboard.js';
import {
  DASHBOARD_LINKS,
  type Lang,
  langOf,
  dashboardLinksFor,
  renderMessage,
  renderPage,
} from './dashboard-page.js';
import { exportsTitle, renderExportsBody } from './exports-page.js';
import { loadPaymentsDashboard, paymentsTitle, renderPaymentsBody } from './payments-dashboard.js';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const TEXT = {
  ar: {
    forbidden: 'غير مسموح',
    forbiddenDetail: 'هذه الصفحة ليست من صلاحيات دورك.',
    badYear: 'سنة غير صحيحة',
    badYearDetail: 'year: سنة من أربعة أرقام بين ٢٠٠٠ و٢١٠٠',
    failed: 'تعذر تنفيذ الطلب',
    queued: 'أضيف طلب التصدير إلى قائمة الانتظار؛ حدّث الصفحة لمتابعة تقدمه.',
    computed: (n: string) => `حُسبت ${n} قيم مبدئية؛ تبقى مبدئية حتى يعتمدها مسؤول آخر.`,
  },
  en: {
    forbidden: 'Not allowed',
    forbiddenDetail: 'This page is not part of your role.',
    badYear: 'Invalid year',
    badYearDetail: 'year: a four-digit year between 2000 and 2100',
    failed: 'The request failed',
    queued: 'The export is queued; refresh the page to follow its progress.',
    computed: (n: string) =>
      `${n} provisional values computed; they stay provisional until another admin approves them.`,
  },
} as const;

const rolesOf = (path: string): readonly StaffRole[] =>
  DASHBOARD_LINKS.find((l) => l.path === path)?.roles ?? [];

interface Signed {
  staff: StaffSession;
  actor: Actor;
  lang: Lang;
}

/**
 * Server-rendered dashboards behind the AdminJS session (mounted on the router that
 * buildAuthenticatedRouter returns, after its sign-in check): the committee's KPI dashboard,
 * the payments charts, and the auditors' export page with audited downloads. HTML and inline
 * SVG only, so start-up bundles nothing and the pages work without a CDN.
 */
export function mountDashboards(router: Router, resolve: Resolve, logger: Logger): void {
  const reports = resolve(StrategyReportService);
  const strategy = resolve(StrategyService);
  const exports = resolve(ExportService);
  const stats = resolve(PaymentStatsService);

  /** Runs a page handler for the allowed roles; domain refusals become pages with their status. */
  const page =
    (path: string, handle: (s: Signed, req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const lang = langOf(req.query);
      const staff = (req.session as unknown as { adminUser?: StaffSession } | undefined)?.adminUser;
      if (!staff?.id) return res.redirect('/admin/login');
      res.setHeader('Cache-Control', 'no-store');
      if (!rolesOf(path).includes(staff.role))
        return res
          .status(403)
          .type('html')
          .send(renderMessage(lang, TEXT[lang].forbidden, TEXT[lang].forbiddenDetail));
      try {
        await handle({ staff, actor: actorOf(staff, req.ip), lang }, req, res);
      } catch (err) {
        if (err instanceof DomainException) {
          const fields = err.errors.map((f) => `${f.field}: ${f.message}`).join('; ');
          return res
            .status(err.status)
            .type('html')
            .send(
              renderMessage(
                lang,
                err.definition.title,
                [err.detail, fields].filter(Boolean).join(' — '),
              ),
            );
        }
        logger.error({ err, path }, 'back-office dashboard failed');
        next(err);
      }
    };

  const send = (res: Response, s: Signed, path: string, title: string, body: string, q = '') =>
    res.type('html').send(
      renderPage({
        lang: s.lang,
        title,
        currentPath: path,
        role: s.staff.role,
        who: s.staff.title ?? s.staff.email,
        body,
        query: q,
      }),
    );

  const yearOf = (req: Request, res: Response, lang: Lang, fallback: number): number | null => {
    const raw = (req.query as Record<string, unknown>).year;
    if (raw === undefined || raw === '') return fallback;
    const year = typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (year >= 2000 && year <= 2100) return year;
    res
      .status(400)
      .type('html')
      .send(renderMessage(lang, TEXT[lang].badYear, TEXT[lang].badYearDetail));
    return null;
  };

  // The links of the bar that NAVIGATION_SCRIPT draws on every back-office page, for this role.
  router.get('/dashboards/links.json', (req: Request, res: Response) => {
    const staff = (req.session as unknown as { adminUser?: StaffSession } | undefined)?.adminUser;
    res.setHeader('Cache-Control', 'no-store').json(dashboardLinksFor(staff?.role ?? null));
  });

  const COMMITTEE = '/admin/dashboards/committee';
  router.get(
    '/dashboards/committee',
    page(COMMITTEE, async (s, req, res) => {
      const year = yearOf(req, res, s.lang, new Date().getUTCFullYear() - 1);
      if (year === null) return;
      const q = req.query as Record<string, unknown>;
      const computed = typeof q.computed === 'string' ? q.computed : undefined;
      const dashboard = await reports.dashboard(s.actor, year);
      send(
        res,
        s,
        COMMITTEE,
        committeeTitle(s.lang, year),
        renderCommitteeBody(dashboard, s.lang, {
          canCompute: s.staff.role === 'admin',
          notice: computed ? { text: TEXT[s.lang].computed(computed), error: false } : undefined,
        }),
        `year=${year}`,
      );
    }),
  );

  // On demand: the strategy office recomputes a year's computed KPIs (provisional, audited).
  router.post(
    '/dashboards/committee/compute',
    page(COMMITTEE, async (s, req, res) => {
      const fields = (req as unknown as { fields?: Record<string, unknown> }).fields ?? {};
      const raw = typeof fields.year === 'string' ? fields.year : '';
      const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
      const written = await strategy.computeYear(s.actor, year);
      res.redirect(303, `${COMMITTEE}?year=${year}&lang=${s.lang}&computed=${written.length}`);
    }),
  );

  const PAYMENTS = '/admin/dashboards/payments';
  router.get(
    '/dashboards/payments',
    page(PAYMENTS, async (s, req, res) => {
      const year = yearOf(req, res, s.lang, new Date().getUTCFullYear());
      if (year === null) return;
      const d = await loadPaymentsDashboard(stats, s.actor, year);
      send(
        res,
        s,
        PAYMENTS,
        paymentsTitle(s.lang, year),
        renderPaymentsBody(d, s.lang),
        `year=${year}`,
      );
    }),
  );

  const EXPORTS = '/admin/dashboards/exports';
  router.get(
    '/dashboards/exports',
    page(EXPORTS, async (s, req, res) => {
      const queued = typeof req.query.queued === 'string';
      const jobs = await exports.recent(s.actor);
      send(
        res,
        s,
        EXPORTS,
        exportsTitle(s.lang),
        renderExportsBody(
          jobs,
          s.lang,
          queued ? { text: TEXT[s.lang].queued, error: false } : undefined,
        ),
      );
    }),
  );

  router.post(
    '/dashboards/exports',
    page(EXPORTS, async (s, req, res) => {
      const fields = (req as unknown as { fields?: Record<string, unknown> }).fields ?? {};
      const str = (k: string) => {
        const v = fields[k];
        return typeof v === 'string' ? v.trim() : '';
      };
      const filters = Object.fromEntries(
        ['from', 'to', 'period', 'serviceCode', 'agencyCode']
          .map((k) => [k, str(k)] as const)
          .filter(([, v]) => v !== ''),
      );
      try {
        await exports.request(s.actor, {
          kind: str('kind') as ExportKind,
          format: (str('format') || 'csv') as ExportFormat,
          filters,
        });
      } catch (err) {
        if (!(err instanceof DomainException)) throw err;
        const fieldsText = err.errors.map((f) => `${f.field}: ${f.message}`).join('; ');
        const jobs = await exports.recent(s.actor);
        res.status(err.status);
        return void send(
          res,
          s,
          EXPORTS,
          exportsTitle(s.lang),
          renderExportsBody(jobs, s.lang, {
            text: [err.detail ?? err.definition.title, fieldsText].filter(Boolean).join(' — '),
            error: true,
          }),
        );
      }
      res.redirect(303, `${EXPORTS}?lang=${s.lang}&queued=1`);
    }),
  );

  // Downloads go through ExportService.download, which records export.download in the audit log.
  router.get(
    '/dashboards/exports/:id/file',
    page(EXPORTS, async (s, req, res) => {
      const { job, stream } = await exports.download(s.actor, String(req.params.id));
      res.setHeader('Content-Type', CONTENT_TYPES[job.format]);
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="diwan-${job.kind}-${job.id.slice(0, 8)}.${job.format}"`,
      );
      if (job.fileBytes) res.setHeader('Content-Length', job.fileBytes);
      await new Promise<void>((ok, fail) => {
        stream.on('error', fail);
        res.on('finish', () => ok());
        res.on('close', () => ok());
        stream.pipe(res);
      });
    }),
  );

  router.get(
    '/dashboards/exports/:id/manifest',
    page(EXPORTS, async (s, req, res) => {
      const job = await exports.get(s.actor, String(req.params.id));
      if (!job.manifest)
        return void res
          .status(404)
          .type('html')
          .send(renderMessage(s.lang, TEXT[s.lang].failed, `status ${job.status}`));
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="diwan-export-${job.id}.manifest.json"`,
      );
      res.json(job.manifest);
    }),
  );
}
