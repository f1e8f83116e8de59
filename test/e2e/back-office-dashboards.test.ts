import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { EkeyDemoSeeder } from '../../src/modules/ekey/services/ekey-demo-seeder.js';
import { PaymentsDemoSeeder } from '../../src/modules/payments/demo/payments-demo.seeder.js';
import { PaymentStatsService } from '../../src/modules/payments/services/payment-stats.service.js';
import { StrategyDemoSeeder } from '../../src/modules/strategy/demo/strategy-demo.seeder.js';
import { formatFilsAsBhd, formatInteger } from '../../src/modules/strategy/domain/kpi-math.js';
import { KpiComputationSchedule } from '../../src/modules/strategy/services/kpi-computation-schedule.js';
import type { StaffRole } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { makeAgency, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

const PASSWORD = 'dashboard staff passphrase 1';

describe('back-office dashboards', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '200' });
    // The agency first (the editor is bound to it), then the demo figures the pages show.
    const npra = await makeAgency(t, { code: 'NPRA' });
    for (const seeder of [PaymentsDemoSeeder, EkeyDemoSeeder, StrategyDemoSeeder])
      await t.get<{ seed(): Promise<void> }>(seeder).seed();
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole, agencyId: string | null = null) =>
      staff.create(t.admin, { email, name: email, role, agencyId, password: PASSWORD });
    await add('auditor@nao.gov.bh', 'auditor');
    await add('operator@iga.gov.bh', 'operator');
    await add('editor@npra.gov.bh', 'agency_editor', npra.id);
  }, 180_000);
  afterAll(() => t.close());

  async function signIn(email: string, password = PASSWORD): Promise<TestAgent> {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', password).expect(302);
    return agent;
  }

  async function waitForExport(id: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ status }] = await t.db.query<{ status: string }>(
        'SELECT status FROM export_job WHERE id = $1',
        [id],
      );
      if (status === 'succeeded' || status === 'failed' || Date.now() > deadline) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('sends anyone without a back-office session to the sign-in page', async () => {
    for (const path of [
      '/admin/dashboards/committee',
      '/admin/dashboards/payments?year=2017',
      '/admin/dashboards/exports',
      '/admin/dashboards/exports/00000000-0000-0000-0000-000000000000/file',
    ]) {
      const res = await t.http().get(path).expect(302);
      expect(res.headers.location).toBe('/admin/login');
    }
    const post = await t.http().post('/admin/dashboards/committee/compute').field('year', '2017');
    expect(post.status).toBe(302);
    expect(post.headers.location).toBe('/admin/login');
  });

  it('shows the committee the 2017 figures in Arabic first, target vs actual and approval state', async () => {
    const auditor = await signIn('auditor@nao.gov.bh');
    const ar = (await auditor.get('/admin/dashboards/committee?year=2017').expect(200)).text;
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    const ekeyRow = ar.match(/<tr data-kpi="EKEY_REGISTRATIONS">[\s\S]*?<\/tr>/)![0];
    expect(ekeyRow).toContain('٥٠٬٠٠٠');
    expect(ekeyRow).toContain('٧٥٬٠٠٠');
    expect(ekeyRow).toContain('١٥٠٪');
    expect(ar).toContain('<svg');

    const en = (await auditor.get('/admin/dashboards/committee?year=2017&lang=en').expect(200))
      .text;
    const row = (code: string) =>
      en.match(new RegExp(`<tr data-kpi="${code}">[\\s\\S]*?</tr>`))![0];
    expect(row('EKEY_REGISTRATIONS')).toMatch(/50,000[\s\S]*75,000[\s\S]*150%/);
    expect(row('GOV_SYSTEMS_DELIVERED')).toMatch(/2[\s\S]*4[\s\S]*200%/);
    // The entered demo value waits for approval; a computed one not yet stored is live.
    expect(row('GOV_SYSTEMS_DELIVERED')).toContain('provisional, awaiting approval');
    expect(row('EKEY_REGISTRATIONS')).toContain('computed now (not stored)');
    // A trend line per KPI over five years, and the chart's figures as text.
    expect(en.match(/<div data-trend="/g)).toHaveLength(7);
    expect(en).toContain('2013');
    expect(en).toMatch(/<title>Actual 2017: 75,000<\/title>/);
    // Auditors do not compute; only the strategy office gets the button.
    expect(en).not.toContain('/admin/dashboards/committee/compute');
    const [read] = await t.db.query<{ actor_label: string; details: { format: string } }>(
      "SELECT actor_label, details FROM audit_event WHERE action = 'strategy.report.read' ORDER BY seq DESC LIMIT 1",
    );
    expect(read).toEqual({ actor_label: 'auditor@nao.gov.bh', details: { format: 'dashboard' } });
  });

  it('shows an approved value as approved on the dashboard', async () => {
    const admin = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    const [value] = await t.db.query<{ id: string }>(
      "SELECT v.id FROM kpi_value v JOIN kpi_definition d ON d.id = v.kpi_id WHERE d.code = 'GOV_SYSTEMS_DELIVERED' AND v.period = '2017'",
    );
    await admin.post(`/admin/api/resources/KpiValue/records/${value.id}/approve`).expect(200);
    const en = (await admin.get('/admin/dashboards/committee?year=2017&lang=en').expect(200)).text;
    const row = en.match(/<tr data-kpi="GOV_SYSTEMS_DELIVERED">[\s\S]*?<\/tr>/)![0];
    expect(row).toContain('<span class="status approved">approved</span>');
  });

  it('refuses the committee dashboard and exports to roles outside them, and rejects a bad year', async () => {
    const operator = await signIn('operator@iga.gov.bh');
    expect(
      (await operator.get('/admin/dashboards/committee?year=2017').expect(403)).text,
    ).toContain('غير مسموح');
    await operator.get('/admin/dashboards/exports').expect(403);
    const auditor = await signIn('auditor@nao.gov.bh');
    const bad = await auditor.get('/admin/dashboards/committee?year=17&lang=en').expect(400);
    expect(bad.text).toContain('year: a four-digit year');
    await auditor.get('/admin/dashboards/payments?year=abcd').expect(400);
  });

  it('shows national roles the 2017 payments: 41 % electronic, top services and channel mix', async () => {
    const operator = await signIn('operator@iga.gov.bh');
    const en = (await operator.get('/admin/dashboards/payments?year=2017&lang=en').expect(200))
      .text;
    expect(en).toContain('data-scope="all"');
    expect(en).toMatch(/data-figure="share-count">41\.0%</);
    expect(en).toMatch(/data-figure="share-value">41\.0%</);
    expect(en).toContain('1,025,000 of 2,500,000');
    expect(en).toContain('74,000,000.000 BHD of 180,487,804.878 BHD');
    for (const service of ['NPRA-0001', 'GDT-0001', 'EWA-0001', 'LMRA-0001', 'MOIC-0001'])
      expect(en).toContain(service);
    expect(en).toContain('data-channel="counter"');
    expect(en.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4);
    const ar = (await operator.get('/admin/dashboards/payments?year=2017').expect(200)).text;
    expect(ar).toMatch(/data-figure="share-count">٤١٫٠٪</);
  });

  it('shows an agency editor only their agency’s payment figures', async () => {
    const editor = await signIn('editor@npra.gov.bh');
    const en = (await editor.get('/admin/dashboards/payments?year=2017&lang=en').expect(200)).text;
    expect(en).toContain('data-scope="NPRA"');
    expect(en).toContain('NPRA-0001');
    for (const other of ['GDT-0001', 'EWA-0001', 'LMRA-0001', 'MOIC-0001'])
      expect(en).not.toContain(other);
    const npra = await t
      .get(PaymentStatsService)
      .electronicShare({ from: '2017-01-01', to: '2017-12-31', agencyCode: 'NPRA' });
    expect(npra.count.total).toBeLessThan(2_500_000);
    expect(en).toContain(
      `${formatInteger(BigInt(npra.count.electronic), 'en')} of ${formatInteger(BigInt(npra.count.total), 'en')}`,
    );
    expect(en).toContain(`${formatFilsAsBhd(npra.valueFils.total, 'en')} BHD`);
    expect(en).not.toContain('2,500,000');
    // The committee and export pages are not theirs.
    await editor.get('/admin/dashboards/committee').expect(403);
  });

  it('lets an auditor request an export in the back office and download it, audited', async () => {
    const auditor = await signIn('auditor@nao.gov.bh');
    const page = (await auditor.get('/admin/dashboards/exports?lang=en').expect(200)).text;
    expect(page).toContain('name="kind"');
    const bad = await auditor
      .post('/admin/dashboards/exports?lang=en')
      .field('kind', 'everything')
      .field('format', 'csv')
      .expect(400);
    expect(bad.text).toContain('class="notice error"');
    const posted = await auditor
      .post('/admin/dashboards/exports?lang=en')
      .field('kind', 'kpi_values')
      .field('format', 'csv')
      .field('period', '2017')
      .expect(303);
    expect(posted.headers.location).toBe('/admin/dashboards/exports?lang=en&queued=1');
    const [job] = await t.db.query<{ id: string }>(
      "SELECT id FROM export_job WHERE requested_by_label = 'auditor@nao.gov.bh' ORDER BY created_at DESC LIMIT 1",
    );
    expect(await waitForExport(job.id)).toBe('succeeded');
    const listed = (await auditor.get('/admin/dashboards/exports?lang=en').expect(200)).text;
    expect(listed).toContain(`href="/admin/dashboards/exports/${job.id}/file"`);

    const file = await auditor.get(`/admin/dashboards/exports/${job.id}/file`).expect(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toContain(
      'attachment; filename="diwan-kpi_values-',
    );
    expect(file.text).toContain('GOV_SYSTEMS_DELIVERED');
    const manifest = await auditor.get(`/admin/dashboards/exports/${job.id}/manifest`).expect(200);
    expect(manifest.body).toMatchObject({ exportId: job.id, kind: 'kpi_values' });

    const downloads = await t.db.query<{ actor_label: string; outcome: string }>(
      "SELECT actor_label, outcome FROM audit_event WHERE action = 'export.download' AND object_id = $1",
      [job.id],
    );
    expect(downloads).toEqual([{ actor_label: 'auditor@nao.gov.bh', outcome: 'success' }]);
  });

  it('refuses to download an export that is not ready, and one that does not exist', async () => {
    const auditor = await signIn('auditor@nao.gov.bh');
    const [queued] = await t.db.query<{ id: string }>(
      `INSERT INTO export_job (kind, format, filters, status, requested_by_type, requested_by_id, requested_by_label)
       VALUES ('audit_log', 'csv', '{}', 'running', 'staff', 'x', 'someone') RETURNING id`,
    );
    const notReady = await auditor.get(`/admin/dashboards/exports/${queued.id}/file?lang=en`);
    expect(notReady.status).toBe(409);
    await auditor
      .get('/admin/dashboards/exports/00000000-0000-0000-0000-000000000000/file')
      .expect(404);
    const [{ n }] = await t.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM audit_event WHERE action = 'export.download' AND object_id = $1",
      [queued.id],
    );
    expect(n).toBe('0');
  });

  it('recomputes on demand for the strategy office: provisional values, audited', async () => {
    const admin = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    const res = await admin
      .post('/admin/dashboards/committee/compute?lang=en')
      .field('year', '2017')
      .expect(303);
    expect(res.headers.location).toMatch(
      /^\/admin\/dashboards\/committee\?year=2017&lang=en&computed=\d+$/,
    );
    const rows = await t.db.query<{ code: string; status: string }>(
      "SELECT d.code, v.status FROM kpi_value v JOIN kpi_definition d ON d.id = v.kpi_id WHERE v.period = '2017' ORDER BY d.code",
    );
    expect(rows.find((r) => r.code === 'EKEY_REGISTRATIONS')).toEqual({
      code: 'EKEY_REGISTRATIONS',
      status: 'provisional',
    });
    // The value approved earlier stays approved.
    expect(rows.find((r) => r.code === 'GOV_SYSTEMS_DELIVERED')?.status).toBe('approved');
    const page = (await admin.get(res.headers.location).expect(200)).text;
    expect(page).toContain('provisional values computed');
    const auditor = await signIn('auditor@nao.gov.bh');
    await auditor.post('/admin/dashboards/committee/compute').field('year', '2017').expect(403);
  });

  it('runs the scheduled computation under its lease and writes provisional values', async () => {
    const schedule = t.get(KpiComputationSchedule);
    const year = new Date().getUTCFullYear();
    await t.db.query(
      `INSERT INTO scheduled_task (name, leased_until) VALUES ('strategy.compute', now() + interval '1 hour')
       ON CONFLICT (name) DO UPDATE SET leased_until = EXCLUDED.leased_until`,
    );
    expect(await schedule.runNow()).toBe(false);
    await t.db.query(
      "UPDATE scheduled_task SET leased_until = NULL WHERE name = 'strategy.compute'",
    );
    expect(await schedule.runNow()).toBe(true);
    const rows = await t.db.query<{ period: string; status: string; recorded_by: string }>(
      `SELECT v.period, v.status, v.recorded_by FROM kpi_value v JOIN kpi_definition d ON d.id = v.kpi_id
        WHERE d.code = 'EKEY_REGISTRATIONS' AND v.period IN ($1, $2) ORDER BY v.period`,
      [String(year - 1), String(year)],
    );
    expect(rows).toEqual([
      { period: String(year - 1), status: 'provisional', recorded_by: 'diwan' },
      { period: String(year), status: 'provisional', recorded_by: 'diwan' },
    ]);
    const [task] = await t.db.query<{ last_outcome: string; leased_until: Date | null }>(
      "SELECT last_outcome, leased_until FROM scheduled_task WHERE name = 'strategy.compute'",
    );
    expect(task).toEqual({ last_outcome: 'success', leased_until: null });
    const [audit] = await t.db.query<{ actor_type: string }>(
      "SELECT actor_type FROM audit_event WHERE action = 'strategy.value.compute' ORDER BY seq DESC LIMIT 1",
    );
    expect(audit.actor_type).toBe('system');
  });

  it('gives AdminJS a link bar with only the dashboards of the signed-in role', async () => {
    const editor = await signIn('editor@npra.gov.bh');
    const links = (await editor.get('/admin/dashboards/links.json').expect(200)).body as {
      href: string;
    }[];
    expect(links.map((l) => l.href)).toEqual(['/admin/dashboards/payments']);
    const auditor = await signIn('auditor@nao.gov.bh');
    const all = (await auditor.get('/admin/dashboards/links.json').expect(200)).text;
    expect(all).toContain('/admin/dashboards/committee');
    expect(all).toContain('/admin/dashboards/exports');
    // The script itself loads on the sign-in page too, so it needs no session; the links do.
    const script = await t.http().get('/admin/dashboards/nav.js').expect(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.text).toContain('/admin/dashboards/links.json');
    const anonymous = await t.http().get('/admin/dashboards/links.json');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toContain('/admin/login');
    const home = (await auditor.get('/admin').expect(200)).text;
    expect(home).toContain('<script src="/admin/dashboards/nav.js"></script>');
  });
});
