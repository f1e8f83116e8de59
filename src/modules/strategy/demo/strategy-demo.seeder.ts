import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import type { KpiDirection, KpiSource, KpiUnit } from '../entities/kpi-definition.entity.js';
import { StrategyRepository } from '../repositories/strategy.repository.js';
import { StrategyService } from '../services/strategy.service.js';

interface DemoKpi {
  code: string;
  goal: string;
  nameAr: string;
  nameEn: string;
  unit: KpiUnit;
  direction: KpiDirection;
  source: KpiSource;
  /** 2017 target: count, or basis points for percent KPIs. */
  target2017: bigint;
}

export const DEMO_GOALS = [
  {
    code: 'USER_CENTRED_SERVICES',
    nameAr: 'خدمات إلكترونية متمحورة حول احتياجات المستخدمين',
    nameEn: "E-services built around users' needs",
    alignment: ['government_action_plan'],
  },
  {
    code: 'TRUSTED_DIGITAL_IDENTITY',
    nameAr: 'هوية رقمية موثوقة للجميع (المفتاح الإلكتروني)',
    nameEn: 'A trusted digital identity for everyone (eKey)',
    alignment: ['government_action_plan', 'economic_vision_2030'],
  },
  {
    code: 'ELECTRONIC_PAYMENTS',
    nameAr: 'التحول إلى المدفوعات الإلكترونية',
    nameEn: 'Shift to electronic payments',
    alignment: ['economic_vision_2030'],
  },
  {
    code: 'INTEGRATED_SYSTEMS',
    nameAr: 'أنظمة حكومية شاملة ومتكاملة',
    nameEn: 'Comprehensive, integrated government systems',
    alignment: ['government_action_plan'],
  },
  {
    code: 'STRATEGY_DELIVERY',
    nameAr: 'تحقيق أهداف الاستراتيجية',
    nameEn: 'Delivering the strategy',
    alignment: ['government_action_plan', 'economic_vision_2030'],
  },
];

export const DEMO_KPIS: DemoKpi[] = [
  {
    code: 'ESERVICES_ADDED',
    goal: 'USER_CENTRED_SERVICES',
    nameAr: 'الخدمات الإلكترونية المضافة خلال العام',
    nameEn: 'E-services added in the year',
    unit: 'count',
    direction: 'higher',
    source: 'computed:registry.online_services_added',
    target2017: 30n,
  },
  {
    code: 'PAPER_LETTERS_REPLACED',
    goal: 'USER_CENTRED_SERVICES',
    nameAr: 'الرسائل الورقية المستبدلة بإشعارات إلكترونية',
    nameEn: 'Paper letters replaced by notifications',
    unit: 'count',
    direction: 'higher',
    source: 'computed:notifications.paper_letters_replaced',
    target2017: 250_000n,
  },
  {
    code: 'EKEY_REGISTRATIONS',
    goal: 'TRUSTED_DIGITAL_IDENTITY',
    nameAr: 'المسجلون في المفتاح الإلكتروني خلال العام',
    nameEn: 'eKey registrations in the year',
    unit: 'count',
    direction: 'higher',
    source: 'computed:ekey.registrations',
    target2017: 50_000n,
  },
  {
    code: 'E_PAYMENT_SHARE_COUNT',
    goal: 'ELECTRONIC_PAYMENTS',
    nameAr: 'نسبة المعاملات المالية عبر القنوات الإلكترونية (بالعدد)',
    nameEn: 'Share of financial transactions through electronic channels (by count)',
    unit: 'percent',
    direction: 'higher',
    source: 'computed:payments.electronic_share_count',
    target2017: 3500n,
  },
  {
    code: 'E_PAYMENT_SHARE_VALUE',
    goal: 'ELECTRONIC_PAYMENTS',
    nameAr: 'نسبة قيمة المعاملات المالية عبر القنوات الإلكترونية',
    nameEn: 'Share of financial transaction value through electronic channels',
    unit: 'percent',
    direction: 'higher',
    source: 'computed:payments.electronic_share_value',
    target2017: 3500n,
  },
  {
    code: 'GOV_SYSTEMS_DELIVERED',
    goal: 'INTEGRATED_SYSTEMS',
    nameAr: 'الأنظمة الحكومية الشاملة المنجزة',
    nameEn: 'Comprehensive government systems delivered',
    unit: 'count',
    direction: 'higher',
    source: 'entered',
    target2017: 2n,
  },
  {
    code: 'GOALS_ACHIEVED',
    goal: 'STRATEGY_DELIVERY',
    nameAr: 'نسبة المؤشرات التي حققت مستهدفاتها',
    nameEn: 'Share of KPIs that met their target',
    unit: 'percent',
    direction: 'higher',
    source: 'computed:strategy.goals_achieved',
    target2017: 9000n,
  },
];

export const DEMO_SYSTEMS_EVIDENCE =
  'Supreme Committee minutes 2017/4, annex B: acceptance certificates of 4 government systems';

/**
 * The strategy's demo data: goals, KPI definitions, the 2017 targets and the 2017 entered value
 * (4 systems delivered against 2). Computed KPIs come from the other modules' demo data.
 * Idempotent: what exists is left as it is.
 */
@Injectable()
export class StrategyDemoSeeder {
  constructor(
    private readonly strategy: StrategyService,
    private readonly repo: StrategyRepository,
  ) {}

  async seed(): Promise<void> {
    const actor = SYSTEM_ACTOR;
    for (const [i, g] of DEMO_GOALS.entries())
      if (!(await this.repo.findGoalByCode(g.code)))
        await this.strategy.upsertGoal(actor, { ...g, priority: i + 1 });
    for (const [i, k] of DEMO_KPIS.entries()) {
      let kpi = await this.repo.findKpiByCode(k.code);
      kpi ??= await this.strategy.upsertKpi(actor, {
        code: k.code,
        nameAr: k.nameAr,
        nameEn: k.nameEn,
        unit: k.unit,
        direction: k.direction,
        source: k.source,
        goalCode: k.goal,
        position: i + 1,
      });
      if (!(await this.repo.findTarget(kpi.id, 2017)))
        await this.strategy.setTarget(actor, k.code, 2017, k.target2017);
    }
    const systems = await this.repo.findKpiByCode('GOV_SYSTEMS_DELIVERED');
    if (systems && !(await this.repo.findValue(systems.id, '2017')))
      await this.strategy.enterValue(actor, {
        kpiCode: 'GOV_SYSTEMS_DELIVERED',
        year: 2017,
        numerator: 4n,
        evidenceRef: DEMO_SYSTEMS_EVIDENCE,
      });
  }
}
