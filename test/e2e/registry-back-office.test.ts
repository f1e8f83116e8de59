import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import type { StaffRole } from '../../src/platform/auth/roles.js';
import { buildEditionContent } from '../../src/modules/registry/domain/edition-content.factory.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

const PASSWORD = 'registry staff passphrase 1';

describe('registry back office', () => {
  let t: TestApp;
  let npraId: string;
  let gdtId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    await t.get(RegistryDemoSeeder).seed();
    const agencies = t.get(AgencyService);
    npraId = (await agencies.findByCode('NPRA'))!.id;
    gdtId = (await agencies.findByCode('GDT'))!.id;
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole, agencyId: string | null) =>
      staff.create(t.admin, { email, name: email, role, agencyId, password: PASSWORD });
    await add('editor@npra.gov.bh', 'agency_editor', npraId);
    await add('approver@npra.gov.bh', 'agency_approver', npraId);
    await add('approver2@npra.gov.bh', 'agency_approver', npraId);
    await add('editor@gdt.gov.bh', 'agency_editor', gdtId);
    await add('operator@iga.gov.bh', 'operator', null);
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', PASSWORD).expect(302);
    return agent;
  };
  type Listed = { params: Record<string, string> };

  it('shows editors only their own agency’s services and editions, even when they ask for another', async () => {
    const agent = await signIn('editor@npra.gov.bh');
    const services = await agent
      .get('/admin/api/resources/Service/actions/list?perPage=500')
      .expect(200);
    const rows: Listed[] = services.body.records;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.params.agencyId === npraId)).toBe(true);
    const sneaky = await agent
      .get(`/admin/api/resources/ServiceEdition/actions/list?perPage=500&filters.agencyId=${gdtId}`)
      .expect(200);
    const editions: Listed[] = sneaky.body.records;
    expect(editions.length).toBeGreaterThan(0);
    expect(editions.every((r) => r.params.agencyId === npraId)).toBe(true);
    const [gdtEdition] = await t.db.query<{ id: string }>(
      'SELECT id FROM service_edition WHERE agency_id = $1 LIMIT 1',
      [gdtId],
    );
    const show = await agent.get(
      `/admin/api/resources/ServiceEdition/records/${gdtEdition.id}/show`,
    );
    expect(show.body.record?.params?.id).toBeUndefined();
  });

  it('keeps the registry away from operators', async () => {
    const agent = await signIn('operator@iga.gov.bh');
    const res = await agent.get('/admin/api/resources/Service/actions/list');
    expect(res.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
    expect(res.body.records).toEqual([]);
  });

  it('runs the workflow through the service: submit, four eyes, approve, audited as the staff member', async () => {
    const editor = await signIn('editor@npra.gov.bh');
    const created = await editor
      .post('/admin/api/resources/Service/actions/new')
      .field('titleAr', 'خدمة تجريبية')
      .field('titleEn', 'Trial service')
      .expect(200);
    const code = created.body.record.params.code as string;
    expect(code).toMatch(/^NPRA-\d{4}$/);
    const [edition] = await t.db.query<{ id: string; version: number }>(
      'SELECT e.id, e.version FROM service_edition e JOIN service s ON s.id = e.service_id WHERE s.code = $1',
      [code],
    );
    // Fill the draft through the edit action, with the version the form was loaded at.
    await editor
      .post(`/admin/api/resources/ServiceEdition/records/${edition.id}/edit`)
      .field('content', JSON.stringify(buildEditionContent()))
      .field('version', String(edition.version))
      .expect(200);
    const stale = await editor
      .post(`/admin/api/resources/ServiceEdition/records/${edition.id}/edit`)
      .field('content', JSON.stringify(buildEditionContent()))
      .field('version', String(edition.version));
    expect(JSON.stringify(stale.body)).toContain('VERSION_CONFLICT');
    const submitted = await editor
      .post(`/admin/api/resources/ServiceEdition/records/${edition.id}/submit`)
      .expect(200);
    expect(submitted.body.notice.type).toBe('success');
    // The editor is no approver.
    const refused = await editor.post(
      `/admin/api/resources/ServiceEdition/records/${edition.id}/approve`,
    );
    expect(refused.body.notice?.type).not.toBe('success');
    const approver = await signIn('approver@npra.gov.bh');
    const approved = await approver
      .post(`/admin/api/resources/ServiceEdition/records/${edition.id}/approve`)
      .expect(200);
    expect(approved.body.notice).toMatchObject({ type: 'success' });
    await t.http().get(`/v1/services/${code}`).expect(200);
    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_event WHERE object_id IN ($1, $2) ORDER BY seq`,
      [edition.id, code],
    );
    expect(audit).toEqual([
      { action: 'registry.service.create', actor_label: 'editor@npra.gov.bh' },
      { action: 'registry.edition.update', actor_label: 'editor@npra.gov.bh' },
      { action: 'registry.edition.submit', actor_label: 'editor@npra.gov.bh' },
      { action: 'registry.edition.publish', actor_label: 'approver@npra.gov.bh' },
    ]);
  });

  it('lets an approver archive a published edition, and keeps another agency’s editor off it', async () => {
    const approver = await signIn('approver2@npra.gov.bh');
    const [published] = await t.db.query<{ id: string }>(
      `SELECT e.id FROM service_edition e WHERE e.agency_id = $1 AND e.status = 'published' LIMIT 1`,
      [npraId],
    );
    // Archive is an approver's action on a published edition.
    const archived = await approver
      .post(`/admin/api/resources/ServiceEdition/records/${published.id}/archive`)
      .expect(200);
    expect(archived.body.notice.type).toBe('success');
    const gdtEditor = await signIn('editor@gdt.gov.bh');
    const res = await gdtEditor.post(
      `/admin/api/resources/ServiceEdition/records/${published.id}/submit`,
    );
    expect(res.body.notice?.type).not.toBe('success');
  });

  it('lets only admins maintain search synonyms, which search then uses', async () => {
    const editor = await signIn('editor@npra.gov.bh');
    const refused = await editor
      .post('/admin/api/resources/SearchSynonym/actions/new')
      .field('term', 'مرور')
      .field('alternatives.0', 'رخصة');
    expect(refused.body.notice?.type).not.toBe('success');
    const admin = t.http();
    await admin
      .post('/admin/login')
      .field('email', TEST_ADMIN.email)
      .field('password', TEST_ADMIN.password)
      .expect(302);
    await admin
      .post('/admin/api/resources/SearchSynonym/actions/new')
      .field('term', 'ليسن')
      .field('alternatives.0', 'رخصة السياقة')
      .expect(200);
    const found = await t.http().get('/v1/services').query({ q: 'ليسن' }).expect(200);
    expect(found.body.items.map((i: { title: string }) => i.title)).toContain('تجديد رخصة السياقة');
  });

  it('shows completeness per agency, limited to the staff member’s agency', async () => {
    const admin = await signIn('approver@npra.gov.bh');
    const res = await admin.get('/admin/api/resources/Service/actions/completeness').expect(200);
    expect(res.body.completeness.map((r: { agencyCode: string }) => r.agencyCode)).toEqual([
      'NPRA',
    ]);
    const [npra] = res.body.completeness;
    expect(npra.services).toBeGreaterThan(0);
    expect(npra.complete).toBeLessThanOrEqual(npra.services);
    expect(res.body.notice.message).toMatch(/^NPRA: \d+\/\d+ complete/);
  });
});
