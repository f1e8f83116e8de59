import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import rdf from '@zazuko/env-node';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

describe('registry public API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.get(RegistryDemoSeeder).seed();
  });
  afterAll(() => t.close());

  it('searches without login, cacheable, with titles in the language asked for', async () => {
    const ar = await t.http().get('/v1/services').query({ q: 'تجديد جواز السفر' }).expect(200);
    expect(ar.headers['cache-control']).toMatch(/^public/);
    expect(ar.headers['content-language']).toBe('ar');
    expect(ar.body.items[0]).toMatchObject({ code: 'NPRA-0001', title: 'تجديد جوازات السفر' });
    const en = await t
      .http()
      .get('/v1/services')
      .query({ q: 'passport renewal' })
      .set('Accept-Language', 'en-GB,en;q=0.9,ar;q=0.5')
      .expect(200);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.items[0]).toMatchObject({ code: 'NPRA-0001', title: 'Passport renewal' });
  });

  it('lists each service with the fields of its page, in the language asked for', async () => {
    for (const lang of ['ar', 'en'] as const) {
      const list = await t
        .http()
        .get('/v1/services')
        .query({ q: 'passport' })
        .set('Accept-Language', lang)
        .expect(200);
      expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(list.headers.vary).toMatch(/Accept-Language/);
      const page = await t
        .http()
        .get('/v1/services/NPRA-0001')
        .set('Accept-Language', lang)
        .expect(200);
      const c = page.body.content;
      expect(list.body.items.find((i: { code: string }) => i.code === 'NPRA-0001')).toEqual({
        code: 'NPRA-0001',
        title: c.title[lang],
        description: c.description[lang],
        agency: {
          code: page.body.agency.code,
          name: lang === 'ar' ? page.body.agency.nameAr : page.body.agency.nameEn,
        },
        audience: [...new Set(c.audience)],
        channels: [...new Set(c.channels.map((ch: { type: string }) => ch.type))],
        lifeEvents: [...new Set(c.lifeEvents)],
        free: expect.any(Boolean),
        onlineOnly: expect.any(Boolean),
        version: page.body.version,
        publishedAt: page.body.publishedAt,
        url: page.body.schemaOrg.url,
      });
    }
  });

  it('returns facets with counts and pages through every service with cursors', async () => {
    const first = await t
      .http()
      .get('/v1/services')
      .query({ facets: 'true', limit: '10' })
      .expect(200);
    expect(first.body.items).toHaveLength(10);
    const total = first.body.facets.total as number;
    expect(total).toBeGreaterThanOrEqual(30);
    expect(first.body.facets.agency.NPRA).toBeGreaterThan(0);
    let next: string | null = first.body.next;
    const seen = first.body.items.map((i: { code: string }) => i.code);
    while (next) {
      const page = await t
        .http()
        .get('/v1/services')
        .query({ limit: '10', cursor: next })
        .expect(200);
      seen.push(...page.body.items.map((i: { code: string }) => i.code));
      next = page.body.next;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('pages through a text search across rank tiers in the same order as one long page', async () => {
    const q = 'شهادة';
    const all = await t.http().get('/v1/services').query({ q, limit: '100' }).expect(200);
    const expected = all.body.items.map((i: { code: string }) => i.code);
    expect(expected.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await t
        .http()
        .get('/v1/services')
        .query({ q, limit: '2', ...(next ? { cursor: next } : {}) })
        .expect(200);
      const body = page.body as { items: { code: string }[]; next: string | null };
      seen.push(...body.items.map((i) => i.code));
      next = body.next;
    } while (next);
    expect(seen).toEqual(expected);
    // A hand-made cursor below the last tier is an empty page, not an error.
    const below = Buffer.from(JSON.stringify([0, 0, 'NPRA-0001'])).toString('base64url');
    const empty = await t.http().get('/v1/services').query({ q, cursor: below }).expect(200);
    expect(empty.body).toMatchObject({ items: [], next: null });
  });

  it('filters, and refuses unknown filter values and parameters as problems', async () => {
    const res = await t
      .http()
      .get('/v1/services')
      .query({ lifeEvent: 'having_a_child', price: 'free' })
      .expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { free: boolean }) => i.free)).toBe(true);
    for (const query of [
      { channel: 'carrier_pigeon' },
      { limit: '1000' },
      { price: 'cheap' },
      { sort: 'x' },
    ]) {
      const bad = await t.http().get('/v1/services').query(query).expect(400);
      expect(bad.headers['content-type']).toMatch(PROBLEM);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    const cursor = await t.http().get('/v1/services').query({ cursor: 'garbage' }).expect(400);
    expect(cursor.body.code).toBe('REGISTRY_INVALID_CURSOR');
  });

  it('serves a service page with schema.org markup, an ETag and 304', async () => {
    const res = await t.http().get('/v1/services/NPRA-0001').expect(200);
    expect(res.body).toMatchObject({
      code: 'NPRA-0001',
      version: 1,
      status: 'published',
      language: 'ar',
    });
    expect(res.body.content.title).toEqual({ ar: 'تجديد جوازات السفر', en: 'Passport renewal' });
    expect(res.body.schemaOrg).toMatchObject({
      '@type': 'GovernmentService',
      identifier: 'NPRA-0001',
      name: 'تجديد جوازات السفر',
    });
    const etag = res.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    expect(res.headers['cache-control']).toMatch(/^public/);
    const again = await t
      .http()
      .get('/v1/services/NPRA-0001')
      .set('If-None-Match', etag)
      .expect(304);
    expect(again.text).toBe('');
    const en = await t
      .http()
      .get('/v1/services/NPRA-0001')
      .set('Accept-Language', 'en')
      .set('If-None-Match', etag)
      .expect(200);
    expect(en.body.schemaOrg.name).toBe('Passport renewal');
    expect(en.headers.etag).not.toBe(etag);
  });

  it('answers bad codes and versions with problems', async () => {
    const bad = await t.http().get('/v1/services/not a code').expect(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM);
    expect(bad.body.code).toBe('REGISTRY_INVALID_CODE');
    expect((await t.http().get('/v1/services/NPRA-9999').expect(404)).body.code).toBe(
      'REGISTRY_SERVICE_NOT_FOUND',
    );
    expect((await t.http().get('/v1/services/NPRA-0001?version=7').expect(404)).body.code).toBe(
      'REGISTRY_EDITION_NOT_FOUND',
    );
    expect((await t.http().get('/v1/services/NPRA-0001?version=abc').expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    const unknown = await t.http().get('/v1/services/NPRA-0001?versoin=1').expect(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'versoin', reason: 'unknown' }),
    ]);
    expect((await t.http().get('/v1/services/NPRA-0001?version=1').expect(200)).body.version).toBe(
      1,
    );
  });

  it('lists the versions with their change notes', async () => {
    const res = await t.http().get('/v1/services/NPRA-0001/versions').expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({ version: 1, status: 'published', changeNote: 'First publication' }),
    ]);
    await t.http().get('/v1/services/NPRA-9999/versions').expect(404);
  });

  it('feeds publications since a time, and refuses a bad time', async () => {
    const res = await t
      .http()
      .get('/v1/changes')
      .query({ since: '2025-01-01T00:00:00Z' })
      .expect(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(30);
    expect(res.body.items[0]).toMatchObject({ event: 'published', at: '2025-01-05T06:00:00.000Z' });
    const after = await t.http().get('/v1/changes').query({ since: res.body.next }).expect(200);
    expect(after.body.items).toEqual([]);
    expect(
      (await t.http().get('/v1/changes').query({ since: 'yesterday' }).expect(400)).body.code,
    ).toBe('VALIDATION_FAILED');
    await t.http().get('/v1/changes').expect(400);
  });

  it('lists life events with their service counts', async () => {
    const res = await t.http().get('/v1/life-events').set('Accept-Language', 'en').expect(200);
    const child = res.body.find((e: { code: string }) => e.code === 'having_a_child');
    expect(child).toMatchObject({ name: 'Having a child', nameAr: 'قدوم مولود' });
    expect(child.services).toBeGreaterThan(0);
  });

  describe('open data', () => {
    const shapesFile = new URL('../fixtures/cpsv-ap/cpsv-ap-SHACL.ttl', import.meta.url);
    const violations = async (data: ReturnType<typeof rdf.dataset>) => {
      const shapes = rdf.dataset(new Parser().parse(await readFile(shapesFile, 'utf8')));
      const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
      return report.results.map(
        (r) => `${r.focusNode?.value} ${r.path?.value} ${r.sourceConstraintComponent?.value}`,
      );
    };

    it('exports the seeded registry as CPSV-AP JSON-LD with zero SHACL violations', async () => {
      const res = await t.http().get('/v1/open-data/cpsv-ap.jsonld').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
      const doc = JSON.parse(res.text);
      const data = await rdf
        .dataset()
        .import(
          rdf.formats.parsers.import('application/ld+json', Readable.from([JSON.stringify(doc)]))!,
        );
      expect(data.size).toBeGreaterThan(1000);
      expect(await violations(data)).toEqual([]);
      const services = doc['@graph'].filter((n: { '@type'?: string[] | string }) =>
        [n['@type']].flat().includes('cpsv:PublicService'),
      );
      expect(services.length).toBeGreaterThanOrEqual(30);
    });

    it('exports the same as Turtle, also with zero violations', async () => {
      const res = await t.http().get('/v1/open-data/cpsv-ap.ttl').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/turtle/);
      const data = rdf.dataset(new Parser().parse(res.text));
      expect(data.size).toBeGreaterThan(1000);
      expect(await violations(data)).toEqual([]);
      expect(res.text).toContain('@ar');
      expect(res.text).toContain('@en');
    });
  });
});
