import { describe, expect, it } from '@jest/globals';
import { normalizeForSearch } from '../../../platform/text/arabic.js';
import { malformedFields, missingRequiredFields } from '../domain/edition-content.js';
import {
  DEMO_AGENCIES,
  DEMO_SERVICES,
  demoPublishedServices,
  demoServiceCode,
} from './demo-services.js';

describe('demo registry', () => {
  it('holds at least 35 services across at least 8 agencies', () => {
    expect(DEMO_SERVICES.length).toBeGreaterThanOrEqual(35);
    expect(new Set(DEMO_SERVICES.map((s) => s.agencyCode)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(DEMO_SERVICES.map((s) => [demoServiceCode(s), s] as const))(
    '%s is complete and well formed',
    (_code, s) => {
      expect(missingRequiredFields(s.content)).toEqual([]);
      expect(malformedFields(s.content)).toEqual([]);
    },
  );

  it('gives every service a unique code and a known agency', () => {
    const codes = DEMO_SERVICES.map(demoServiceCode);
    expect(new Set(codes).size).toBe(codes.length);
    const agencies = new Set(DEMO_AGENCIES.map((a) => a.code));
    expect(DEMO_SERVICES.every((s) => agencies.has(s.agencyCode))).toBe(true);
    expect(DEMO_AGENCIES.every((a) => !a.parentCode || agencies.has(a.parentCode))).toBe(true);
  });

  it('has the passport renewal service the search tests look for', () => {
    const hits = DEMO_SERVICES.filter((s) => s.content.title.ar === 'تجديد جوازات السفر');
    expect(hits).toHaveLength(1);
    expect(hits[0].content.title.en).toBe('Passport renewal');
  });

  it('has a hospital service found with the common misspelling مستشفي', () => {
    const hits = DEMO_SERVICES.filter((s) =>
      normalizeForSearch(`${s.content.title.ar} ${s.content.description.ar}`).includes(
        normalizeForSearch('مستشفي'),
      ),
    );
    expect(hits.length).toBeGreaterThan(0);
  });

  it('mixes free and paid, online and counter-only services, with life events', () => {
    expect(DEMO_SERVICES.filter((s) => s.content.costs.length === 0).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(DEMO_SERVICES.filter((s) => s.content.costs.length > 0).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(
      DEMO_SERVICES.filter((s) => s.content.channels.some((c) => c.type === 'online')).length,
    ).toBeGreaterThanOrEqual(5);
    const counterOnly = DEMO_SERVICES.filter((s) =>
      s.content.channels.every((c) => c.type === 'counter'),
    );
    expect(counterOnly.length).toBeGreaterThanOrEqual(3);
    expect(
      DEMO_SERVICES.filter((s) => s.content.lifeEvents.length > 0).length,
    ).toBeGreaterThanOrEqual(10);
  });

  it('publishes each service under its agency with a page on the portal', () => {
    const published = demoPublishedServices();
    expect(published.map((p) => p.code)).toEqual(DEMO_SERVICES.map(demoServiceCode));
    expect(published[0].pageUrl).toMatch(/^https:\/\/.+\/services\/IGA-0001$/);
  });
});
