import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { renderReportHtml } from '../report/report-html.js';
import { PdfRenderer } from '../report/pdf-renderer.js';
import { canExport } from './export.service.js';
import type { CommitteeDashboard, StrategyReport } from './strategy-report.types.js';
import { StrategyService } from './strategy.service.js';

/** The committee's report for readers: auditors, admins, API clients with `reports:read`. */
@Injectable()
export class StrategyReportService {
  constructor(
    private readonly strategy: StrategyService,
    private readonly pdf: PdfRenderer,
    private readonly audit: AuditService,
  ) {}

  async json(actor: Actor, year: number): Promise<StrategyReport> {
    this.requireReader(actor);
    const report = await this.strategy.report(year);
    await this.recordRead(actor, year, 'json');
    return report;
  }

  /**
   * The committee dashboard: the year's report and each KPI's trend over the `span` years
   * ending with it (stored values where there are, live figures otherwise). One audited read.
   */
  async dashboard(actor: Actor, year: number, span = 5): Promise<CommitteeDashboard> {
    this.requireReader(actor);
    const report = await this.strategy.report(year);
    const years = Array.from({ length: span }, (_, i) => year - span + 1 + i);
    const earlier: StrategyReport[] = [];
    for (const y of years.slice(0, -1)) earlier.push(await this.strategy.report(y));
    const all = [...earlier, report];
    const kpis = report.goals.flatMap((g) => g.kpis);
    const trend = kpis.map((k) => ({
      code: k.code,
      nameAr: k.nameAr,
      nameEn: k.nameEn,
      unit: k.unit,
      points: all.map((r) => {
        const p = r.goals.flatMap((g) => g.kpis).find((x) => x.code === k.code);
        return {
          year: r.year,
          numerator: p?.numerator ?? null,
          denominator: p?.denominator ?? null,
          target: p?.target ?? null,
          valueText: p?.valueText ?? null,
          status: p?.status ?? 'missing',
        };
      }),
    }));
    await this.recordRead(actor, year, 'dashboard');
    return { report, years, trend };
  }

  async pdfDocument(actor: Actor, year: number): Promise<Buffer> {
    this.requireReader(actor);
    const report = await this.strategy.report(year);
    const pdf = await this.pdf.render(renderReportHtml(report));
    await this.recordRead(actor, year, 'pdf');
    return pdf;
  }

  private requireReader(actor: Actor): void {
    if (!canExport(actor))
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        'The strategy report is for auditors, admins and API clients with reports:read',
      );
  }

  private recordRead(actor: Actor, year: number, format: string): Promise<void> {
    return this.audit.recordAlone({
      actor,
      action: 'strategy.report.read',
      objectType: 'strategy_report',
      objectId: String(year),
      details: { format },
    });
  }
}
