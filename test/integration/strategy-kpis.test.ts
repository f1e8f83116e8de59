import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModulesContainer } from '@nestjs/core';
import type { Actor, StaffRole } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { DomainException } from '../../src/platform/errors/domain-exception.js';
import { StrategyDemoSeeder } from '../../src/modules/strategy/demo/strategy-demo.seeder.js';
import { StrategyService } from '../../src/modules/strategy/services/strategy.service.js';
import type { ReportKpi } from '../../src/modules/strategy/services/strategy-report.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as DomainException).code ?? String(e);
  }
  return 'no error';
};

/** Binds a stand-in for another module's service inside StrategyModule (it wins over others). */
function bindSource(t: TestApp, token: abstract new () => object, instance: object) {
  const container = t.diwan.app.get(ModulesContainer);
  const mod = [...container.values()].find((m) => m.metatype?.name === 'StrategyModule')!;
  mod.addProvider({ provide: token, useValue: instance });
}

class EkeyStatsService {}
class RegistryService {}
class PaymentStatsService {}
class NotificationStatsService {}

let staffSeq = 0;
async function makeStaff(t: TestApp, role: StaffRole): Promise<Actor> {
  staffSeq += 1;
  const s = await t.get(StaffService).create(t.admin, {
    email: `strategy-${role}-${staffSeq}@gov.bh`,
    name: `${role} ${staffSeq}`,
    role,
    password: 'a long enough passphrase',
  });
  return { type: 'staff', id: s.id, label: s.email, role, agencyId: null };
}

const kpi = (r: { goals: { kpis: ReportKpi[] }[] }, c: string) =>
  r.goals.flatMap((g) => g.kpis).find((k) => k.code === c)!;

describe('strategy KPIs', () => {
  let t: TestApp;
  let sut: StrategyService;
  let officer: Actor;
  let approver: Actor;
  let auditor: Actor;
  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(StrategyService);
    officer = await makeStaff(t, 'admin');
    approver = await makeStaff(t, 'admin');
    auditor = await makeStaff(t, 'auditor');
    bindSource(t, EkeyStatsService, {
      registrations: async (r: { from: string }) => (r.from.startsWith('2017') ? 75_000 : 0),
    });
    bindSource(t, RegistryService, {
      countOnlineServicesFirstPublishedIn: async (y: number) => (y === 2017 ? 40 : 0),
    });
    bindSource(t, PaymentStatsService, {
      electronicShare: async () => ({
        count: { electronic: 1_050_000, total: 2_560_976 },
        valueFils: { electronic: 74_000_000_000n, total: 180_487_805_000n },
      }),
    });
    bindSource(t, NotificationStatsService, {
      paperLettersReplaced: async (r: { from: string }) => {
        if (r.from.startsWith('2019')) throw new Error('connection refused');
        return 300_000;
      },
    });
    await t.get(StrategyDemoSeeder).seed();
  });
  afterAll(() => t.close());

  it('seeds the demo strategy once, however often it runs', async () => {
    const count = async () =>
      (
        await t.db.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM audit_event WHERE action LIKE 'strategy.%'",
        )
      )[0].n;
    const before = await count();
    await t.get(StrategyDemoSeeder).seed();
    expect(await count()).toBe(before);
    expect((await sut.goals()).map((g) => g.priority)).toEqual([1, 2, 3, 4, 5]);
    expect((await sut.kpis()).length).toBe(7);
  });

  it('states the 2017 figures from the sources: 75,000 vs 50,000 = 150 %, 4 vs 2 = 200 %', async () => {
    const r = await sut.report(2017);
    const ekey = kpi(r, 'EKEY_REGISTRATIONS');
    expect(ekey).toMatchObject({
      numerator: '75000',
      target: '50000',
      achievementPercent: '150.0',
      met: true,
      status: 'live',
      coveragePercent: 100,
    });
    expect(ekey.valueText).toEqual({ ar: '٧٥٬٠٠٠', en: '75,000' });
    const systems = kpi(r, 'GOV_SYSTEMS_DELIVERED');
    expect(systems).toMatchObject({
      numerator: '4',
      target: '2',
      achievementPercent: '200.0',
      met: true,
      status: 'provisional',
    });
    expect(systems.evidenceRef).toMatch(/acceptance certificates/);
    const share = kpi(r, 'E_PAYMENT_SHARE_VALUE');
    expect(share).toMatchObject({
      numerator: '74000000000',
      denominator: '180487805000',
      met: true,
    });
    expect(share.valueText?.en).toBe('41.0%');
    expect(share.details).toEqual({
      electronicCount: '1050000',
      totalCount: '2560976',
      electronicFils: '74000000000',
      totalFils: '180487805000',
    });
    expect(kpi(r, 'ESERVICES_ADDED')).toMatchObject({ numerator: '40', met: true });
    // Six KPIs with a target and a value, all met: goals achieved 6 of 6.
    expect(r.kpisAssessed).toBe(6);
    expect(r.kpisMet).toBe(6);
    expect(kpi(r, 'GOALS_ACHIEVED')).toMatchObject({ numerator: '6', denominator: '6', met: true });
  });

  it('reports a failing source as unavailable with coverage 0, and still renders', async () => {
    const r = await sut.report(2019);
    const letters = kpi(r, 'PAPER_LETTERS_REPLACED');
    expect(letters.status).toBe('unavailable');
    expect(letters.coveragePercent).toBe(0);
    expect(letters.unavailableReason).toMatch(/connection refused/);
    expect(kpi(r, 'EKEY_REGISTRATIONS').status).toBe('live');
  });

  it('refuses an entered value without evidence, a value for a computed KPI, and a bad share', async () => {
    expect(
      await code(
        sut.enterValue(officer, {
          kpiCode: 'GOV_SYSTEMS_DELIVERED',
          year: 2018,
          numerator: 3n,
          evidenceRef: '  ',
        }),
      ),
    ).toBe('STRATEGY_EVIDENCE_REQUIRED');
    expect(
      await code(
        sut.enterValue(officer, {
          kpiCode: 'EKEY_REGISTRATIONS',
          year: 2018,
          numerator: 3n,
          evidenceRef: 'x',
        }),
      ),
    ).toBe('STRATEGY_KPI_NOT_ENTERED');
    expect(
      await code(
        sut.enterValue(officer, {
          kpiCode: 'GOV_SYSTEMS_DELIVERED',
          year: 2018,
          numerator: -1n,
          evidenceRef: 'x',
        }),
      ),
    ).toBe('STRATEGY_INVALID_VALUE');
    expect(
      await code(
        sut.enterValue(officer, {
          kpiCode: 'GOV_SYSTEMS_DELIVERED',
          year: 1999,
          numerator: 1n,
          evidenceRef: 'x',
        }),
      ),
    ).toBe('STRATEGY_INVALID_YEAR');
    expect(
      await code(
        sut.enterValue(auditor, {
          kpiCode: 'GOV_SYSTEMS_DELIVERED',
          year: 2018,
          numerator: 1n,
          evidenceRef: 'x',
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('needs a second pair of eyes to approve, never an auditor, and only once', async () => {
    const v = await sut.enterValue(officer, {
      kpiCode: 'GOV_SYSTEMS_DELIVERED',
      year: 2018,
      numerator: 3n,
      evidenceRef: 'Committee minutes 2018/2',
    });
    expect(await code(sut.approveValue(officer, v.id))).toBe('STRATEGY_FOUR_EYES');
    expect(await code(sut.approveValue(auditor, v.id))).toBe('FORBIDDEN');
    const approved = await sut.approveValue(approver, v.id);
    expect(approved).toMatchObject({
      status: 'approved',
      approvedBy: approver.id,
      recordedBy: officer.id,
    });
    expect(await code(sut.approveValue(approver, v.id))).toBe('STRATEGY_VALUE_ALREADY_APPROVED');
    expect(
      await code(
        sut.enterValue(officer, {
          kpiCode: 'GOV_SYSTEMS_DELIVERED',
          year: 2018,
          numerator: 9n,
          evidenceRef: 'x',
        }),
      ),
    ).toBe('STRATEGY_VALUE_ALREADY_APPROVED');
    const audit = await t.db.query<{ action: string; outcome: string; actor_id: string }>(
      'SELECT action, outcome, actor_id FROM audit_event WHERE object_id = $1 ORDER BY seq',
      [v.id],
    );
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'strategy.value.enter:success',
      'strategy.value.approve:denied',
      'strategy.value.approve:success',
    ]);
  });

  it('lets exactly one of two concurrent approvers approve', async () => {
    const v = await sut.enterValue(officer, {
      kpiCode: 'GOV_SYSTEMS_DELIVERED',
      year: 2020,
      numerator: 5n,
      evidenceRef: 'Committee minutes 2020/1',
    });
    const other = await makeStaff(t, 'admin');
    const results = await Promise.allSettled([
      sut.approveValue(approver, v.id),
      sut.approveValue(other, v.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as DomainException).code).toBe('STRATEGY_VALUE_ALREADY_APPROVED');
  });

  it('stores computed values as provisional and leaves approved ones alone on recompute', async () => {
    expect(await code(sut.computeYear(auditor, 2017))).toBe('FORBIDDEN');
    const written = await sut.computeYear(officer, 2017);
    expect(written.map((w) => w.status)).not.toContain('approved');
    const r = await sut.report(2017);
    const ekey = kpi(r, 'EKEY_REGISTRATIONS');
    expect(ekey).toMatchObject({ status: 'provisional', numerator: '75000' });
    expect(kpi(r, 'E_PAYMENT_SHARE_COUNT').details?.totalCount).toBe('2560976');
    const [row] = await t.db.query<{ id: string }>(
      "SELECT v.id FROM kpi_value v JOIN kpi_definition d ON d.id = v.kpi_id WHERE d.code = 'EKEY_REGISTRATIONS' AND v.period = '2017'",
    );
    // The officer computed it, so the officer may not approve it.
    expect(await code(sut.approveValue(officer, row.id))).toBe('STRATEGY_FOUR_EYES');
    await sut.approveValue(approver, row.id);
    await sut.computeYear(officer, 2017);
    const after = kpi(await sut.report(2017), 'EKEY_REGISTRATIONS');
    expect(after).toMatchObject({ status: 'approved', approvedBy: approver.id });
  });

  it('lets the committee reorder goals, listing each exactly once', async () => {
    const codes = (await sut.goals()).map((g) => g.code);
    const reversed = [...codes].reverse();
    expect((await sut.reorderGoals(officer, reversed)).map((g) => g.code)).toEqual(reversed);
    expect(await code(sut.reorderGoals(officer, reversed.slice(1)))).toBe('STRATEGY_INVALID_VALUE');
    expect(await code(sut.reorderGoals(officer, [...reversed.slice(1), 'NOPE']))).toBe(
      'STRATEGY_INVALID_VALUE',
    );
    expect(await code(sut.reorderGoals(auditor, codes))).toBe('FORBIDDEN');
    expect((await sut.report(2017)).goals[0].code).toBe(reversed[0]);
    await sut.reorderGoals(officer, codes);
  });
});
