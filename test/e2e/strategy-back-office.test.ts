import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { StrategyDemoSeeder } from '../../src/modules/strategy/demo/strategy-demo.seeder.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

describe('strategy back office', () => {
  let t: TestApp;
  let systemsValueId: string;
  let kpiId: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.get(StrategyDemoSeeder).seed();
    const staff = t.get(StaffService);
    for (const role of ['auditor', 'operator'] as const)
      await staff.create(t.admin, {
        email: `${role}@strategy.gov.bh`,
        name: role,
        role,
        password: `${role} passphrase 123`,
      });
    const [row] = await t.db.query<{ id: string; kpi_id: string }>(
      "SELECT v.id, v.kpi_id FROM kpi_value v JOIN kpi_definition d ON d.id = v.kpi_id WHERE d.code = 'GOV_SYSTEMS_DELIVERED'",
    );
    systemsValueId = row.id;
    kpiId = row.kpi_id;
  });
  afterAll(() => t.close());

  async function signIn(email: string, password: string): Promise<TestAgent> {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', password).expect(302);
    return agent;
  }

  it('lets an admin approve the demo value entered by Diwan, and audits it', async () => {
    const admin = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    const res = await admin
      .post(`/admin/api/resources/KpiValue/records/${systemsValueId}/approve`)
      .expect(200);
    expect(res.body.notice.type).toBe('success');
    expect(res.body.record.params.status).toBe('approved');
    const audit = await t.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_event WHERE action = 'strategy.value.approve' AND object_id = $1 AND outcome = 'success'",
      [systemsValueId],
    );
    expect(audit).toEqual([{ actor_label: TEST_ADMIN.email }]);
  });

  it('refuses an admin approving a value they entered themselves', async () => {
    const admin = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    const created = await admin
      .post('/admin/api/resources/KpiValue/actions/new')
      .field('kpiId', kpiId)
      .field('period', '2018')
      .field('numerator', '3')
      .field('evidenceRef', 'Committee minutes 2018/3')
      .expect(200);
    const id = created.body.record.id as string;
    expect(created.body.record.params.status).toBe('provisional');
    const res = await admin.post(`/admin/api/resources/KpiValue/records/${id}/approve`).expect(200);
    expect(res.body.notice).toMatchObject({ type: 'error' });
    expect(res.body.notice.message).toMatch(/someone other than/);
    const noEvidence = await admin
      .post('/admin/api/resources/KpiValue/actions/new')
      .field('kpiId', kpiId)
      .field('period', '2019')
      .field('numerator', '3');
    expect(JSON.stringify(noEvidence.body)).toContain('STRATEGY_EVIDENCE_REQUIRED');
  });

  it('lets an auditor read KPIs and request an export, but not approve', async () => {
    const auditor = await signIn('auditor@strategy.gov.bh', 'auditor passphrase 123');
    const list = await auditor.get('/admin/api/resources/KpiDefinition/actions/list').expect(200);
    expect(list.body.records.length).toBe(7);
    const [row] = await t.db.query<{ id: string }>(
      "SELECT id FROM kpi_value WHERE status = 'provisional' LIMIT 1",
    );
    const approve = await auditor.post(`/admin/api/resources/KpiValue/records/${row.id}/approve`);
    expect(approve.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
    const exported = await auditor
      .post('/admin/api/resources/ExportJob/actions/new')
      .field('kind', 'kpi_values')
      .field('format', 'csv')
      .expect(200);
    expect(exported.body.notice.type).toBe('success');
    const jobId = exported.body.record.id as string;
    const deadline = Date.now() + 30_000;
    let status = '';
    while (Date.now() < deadline) {
      [{ status }] = await t.db.query<{ status: string }>(
        'SELECT status FROM export_job WHERE id = $1',
        [jobId],
      );
      if (status === 'succeeded' || status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('succeeded');
    const [audit] = await t.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_event WHERE action = 'export.request' AND object_id = $1",
      [jobId],
    );
    expect(audit.actor_label).toBe('auditor@strategy.gov.bh');
  });

  it('gives auditors the committee dashboard data: goals, target vs actual, approval state', async () => {
    const auditor = await signIn('auditor@strategy.gov.bh', 'auditor passphrase 123');
    const res = await auditor
      .get('/admin/api/resources/StrategicGoal/actions/committeeReport?year=2017')
      .expect(200);
    const report = res.body.report as {
      year: number;
      goals: {
        code: string;
        kpis: { code: string; status: string; achievementPercent: string }[];
      }[];
    };
    expect(report.year).toBe(2017);
    expect(report.goals.map((g) => g.code)[0]).toBe('USER_CENTRED_SERVICES');
    const systems = report.goals
      .flatMap((g) => g.kpis)
      .find((k) => k.code === 'GOV_SYSTEMS_DELIVERED');
    expect(systems).toMatchObject({ status: 'approved', achievementPercent: '200.0' });
    const [read] = await t.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_event WHERE action = 'strategy.report.read' ORDER BY seq DESC LIMIT 1",
    );
    expect(read.actor_label).toBe('auditor@strategy.gov.bh');
  });

  it('keeps KPIs and exports away from other roles', async () => {
    const operator = await signIn('operator@strategy.gov.bh', 'operator passphrase 123');
    const list = await operator.get('/admin/api/resources/KpiValue/actions/list');
    expect(list.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
    const exported = await operator
      .post('/admin/api/resources/ExportJob/actions/new')
      .field('kind', 'audit_log')
      .field('format', 'csv');
    expect(exported.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
    const dashboard = await operator.get(
      '/admin/api/resources/StrategicGoal/actions/committeeReport?year=2017',
    );
    expect(dashboard.body.report).toBeUndefined();
  });
});
