import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { buildEditionContent } from '../../src/modules/registry/domain/edition-content.factory.js';
import { RegistryWorkflowService } from '../../src/modules/registry/services/registry-workflow.service.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

describe('registry API for agencies’ systems', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let readOnlyKey: string;
  let agencyId: string;
  const auth = (k: string) => ({ Authorization: `Bearer ${k}` });

  beforeAll(async () => {
    t = await startTestApp();
    const agency = await makeAgency(t, { code: 'MOH' });
    const other = await makeAgency(t, { code: 'MOE' });
    agencyId = agency.id;
    key = (await makeApiClient(t, agency.id, ['registry:write'])).apiKey;
    otherKey = (await makeApiClient(t, other.id, ['registry:write'])).apiKey;
    readOnlyKey = (await makeApiClient(t, agency.id, ['payments:read'])).apiKey;
  });
  afterAll(() => t.close());

  const create = (k = key, content: object = buildEditionContent()) =>
    t
      .http()
      .post('/v1/registry/services')
      .set(auth(k))
      .send({ content, changeNote: 'new service' });

  it('creates a service of the client’s agency with a first draft, listing what is still missing', async () => {
    const res = await create(key, { title: { ar: 'خدمة', en: 'Service' } }).expect(201);
    expect(res.body).toMatchObject({
      code: 'MOH-0001',
      editionNumber: 1,
      status: 'draft',
      version: 1,
    });
    expect(res.body.missing).toEqual(
      expect.arrayContaining(['description.ar', 'channels', 'audience']),
    );
    expect(res.headers.etag).toBe('"1"');
    const [audit] = await t.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_event WHERE action = 'registry.service.create' AND object_id = 'MOH-0001'`,
    );
    expect(audit.actor_type).toBe('api_client');
  });

  it('requires a key with registry:write', async () => {
    expect(
      (await t.http().post('/v1/registry/services').send({ content: {} }).expect(401)).body.code,
    ).toBe('UNAUTHENTICATED');
    const res = await create(readOnlyKey).expect(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('refuses content of the wrong shape with the fields named', async () => {
    const res = await create(key, {
      title: 'just text',
      audience: 'citizens',
      costs: [{ amountFils: 1.5 }],
      colour: 'red',
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([
        'content.title',
        'content.audience',
        'content.costs[0].amountFils',
        'content.colour',
      ]),
    );
  });

  it('updates the draft with If-Match, and answers 409 to a stale version and 428 to none', async () => {
    const { body } = await create().expect(201);
    const url = `/v1/registry/services/${body.code}/draft`;
    const content = buildEditionContent({ processingTime: 'P10D' });
    const ok = await t
      .http()
      .put(url)
      .set(auth(key))
      .set('If-Match', '"1"')
      .send({ content })
      .expect(200);
    expect(ok.body).toMatchObject({ version: 2, missing: [], malformed: [] });
    expect(ok.body.content.processingTime).toBe('P10D');
    const stale = await t
      .http()
      .put(url)
      .set(auth(key))
      .set('If-Match', '"1"')
      .send({ content })
      .expect(409);
    expect(stale.headers['content-type']).toMatch(PROBLEM);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await t.http().put(url).set(auth(key)).send({ content }).expect(428)).body.code).toBe(
      'REGISTRY_EXPECTED_VERSION_REQUIRED',
    );
    await t.http().put(url).set(auth(key)).send({ content, expectedVersion: 2 }).expect(200);
    expect(
      (await t.http().put(url).set(auth(key)).set('If-Match', 'soon').send({ content }).expect(400))
        .body.code,
    ).toBe('INVALID_PARAMETER');
  });

  it('keeps one agency’s client away from another agency’s services', async () => {
    const { body } = await create().expect(201);
    const url = `/v1/registry/services/${body.code}/draft`;
    expect((await t.http().get(url).set(auth(otherKey)).expect(403)).body.code).toBe(
      'OTHER_AGENCY',
    );
    await t
      .http()
      .put(url)
      .set(auth(otherKey))
      .set('If-Match', '"1"')
      .send({ content: {} })
      .expect(403);
    await t.http().post(`${url}/submit`).set(auth(otherKey)).send({}).expect(403);
    expect((await t.http().get(url).set(auth(key)).expect(200)).body.status).toBe('draft');
  });

  it('submits the draft; an approver publishes it; then a new draft starts from the published content', async () => {
    const { body } = await create().expect(201);
    const url = `/v1/registry/services/${body.code}/draft`;
    const submitted = await t
      .http()
      .post(`${url}/submit`)
      .set(auth(key))
      .set('If-Match', '"1"')
      .send({})
      .expect(200);
    expect(submitted.body.status).toBe('in_review');
    expect(
      (await t.http().post(`${url}/submit`).set(auth(key)).send({}).expect(409)).body.code,
    ).toBe('REGISTRY_EDITION_NOT_DRAFT');
    const approver = {
      type: 'staff' as const,
      id: randomUUID(),
      label: 'approver',
      role: 'agency_approver' as const,
      agencyId,
    };
    await t.get(RegistryWorkflowService).approve(approver, submitted.body.id);
    await t.http().get(`/v1/services/${body.code}`).expect(200);
    expect((await t.http().get(url).set(auth(key)).expect(404)).body.code).toBe(
      'REGISTRY_NO_DRAFT',
    );
    const next = await t
      .http()
      .post(url)
      .set(auth(key))
      .send({ changeNote: 'new fee' })
      .expect(201);
    expect(next.body).toMatchObject({ editionNumber: 2, status: 'draft', changeNote: 'new fee' });
    expect(next.body.content.title).toEqual(buildEditionContent().title);
    expect((await t.http().post(url).set(auth(key)).send({}).expect(409)).body.code).toBe(
      'REGISTRY_DRAFT_EXISTS',
    );
  });

  it('answers unknown and malformed codes with problems', async () => {
    expect(
      (await t.http().get('/v1/registry/services/MOH-9999/draft').set(auth(key)).expect(404)).body
        .code,
    ).toBe('REGISTRY_SERVICE_NOT_FOUND');
    expect(
      (await t.http().get('/v1/registry/services/moh1/draft').set(auth(key)).expect(400)).body.code,
    ).toBe('REGISTRY_INVALID_CODE');
  });
});
