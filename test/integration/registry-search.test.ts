import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/platform/auth/roles.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { DEMO_SERVICES } from '../../src/modules/registry/demo/demo-services.js';
import { buildEditionContent } from '../../src/modules/registry/domain/edition-content.factory.js';
import {
  CatalogueService,
  type SearchRequest,
} from '../../src/modules/registry/services/catalogue.service.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { RegistryWorkflowService } from '../../src/modules/registry/services/registry-workflow.service.js';
import { RegistryService } from '../../src/modules/registry/services/registry.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('registry search', () => {
  let t: TestApp;
  let sut: CatalogueService;
  const find = (q: string, more: Partial<SearchRequest> = {}) =>
    sut.search({ q, lang: 'ar', limit: 20, ...more });
  const codes = async (q: string, more: Partial<SearchRequest> = {}) =>
    (await find(q, more)).items.map((i) => i.code);
  let passportCode: string;
  let hospitalCode: string;

  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(CatalogueService);
    await t.get(RegistryDemoSeeder).seed();
    const npra = (await t.get(AgencyService).findByCode('NPRA'))!;
    const editor: Actor = {
      type: 'staff',
      id: randomUUID(),
      label: 'e',
      role: 'agency_editor',
      agencyId: npra.id,
    };
    const approver: Actor = {
      type: 'staff',
      id: randomUUID(),
      label: 'a',
      role: 'agency_approver',
      agencyId: npra.id,
    };
    const wf = t.get(RegistryWorkflowService);
    const publish = async (content: ReturnType<typeof buildEditionContent>) => {
      const { edition, service } = await wf.createService(editor, { content });
      await wf.submit(editor, edition.id);
      await wf.approve(approver, edition.id);
      return service.code;
    };
    await publish(
      buildEditionContent({
        title: { ar: 'تسجيل مسئول الاتصال للمنشأة', en: 'Registering a liaison officer' },
        description: { ar: 'تعيين الشخص المسئول عن المعاملات.', en: 'Name the person in charge.' },
        keywords: [],
      }),
    );
    // "جواز" only in the description: must rank below every title match.
    await publish(
      buildEditionContent({
        title: { ar: 'خدمة السفر المبكر', en: 'Early travel service' },
        description: {
          ar: 'خدمة لحاملي جوازات السفر الدبلوماسية.',
          en: 'For diplomatic travel documents.',
        },
        keywords: [],
        requirements: [],
        outputs: [
          {
            name: { ar: 'إذن', en: 'Permission' },
            description: { ar: 'إذن.', en: 'A permission.' },
            type: 'permit',
          },
        ],
      }),
    );
    passportCode = (await codes('تجديد جوازات السفر'))[0];
    hospitalCode = (await codes('حجز موعد في مستشفى حكومي'))[0];
  });
  afterAll(() => t.close());

  it('seeds at least 30 bilingual services across several agencies, once', async () => {
    const before = await t.get(RegistryService).listPublishedCodes();
    await t.get(RegistryDemoSeeder).seed();
    const after = await t.get(RegistryService).listPublishedCodes();
    expect(after).toEqual(before);
    expect(DEMO_SERVICES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_SERVICES.map((s) => s.agencyCode)).size).toBeGreaterThan(5);
    expect((await find('', { limit: 100 })).items.length).toBeGreaterThanOrEqual(32);
  });

  it('finds "تجديد جوازات السفر" from "تجديد جواز السفر" (prefixes)', async () => {
    const page = await find('تجديد جواز السفر');
    expect(page.items[0].title).toBe('تجديد جوازات السفر');
    expect(page.items[0].code).toBe(passportCode);
    expect(await codes('جواز')).toContain(passportCode);
  });

  it('matches مستشفى and مستشفي alike', async () => {
    expect(await codes('مستشفى')).toContain(hospitalCode);
    expect(await codes('مستشفي')).toContain(hospitalCode);
  });

  it('matches مسؤول and مسئول alike', async () => {
    const a = await find('مسؤول');
    const b = await find('مسئول');
    expect(a.items.map((i) => i.title)).toContain('تسجيل مسئول الاتصال للمنشأة');
    expect(b.items.map((i) => i.code)).toEqual(a.items.map((i) => i.code));
  });

  it('ignores diacritics on the query as on the stored text', async () => {
    expect(await codes('جَوَازَات')).toContain(passportCode);
  });

  it('still finds a service when one letter is wrong', async () => {
    const page = await find('جوزات السفر');
    expect(page.items.map((i) => i.code)).toContain(passportCode);
    expect(page.approximate).toBe(true);
    expect((await find('pasport renewal')).items.map((i) => i.code)).toContain(passportCode);
  });

  it('finds it in English, and answers with English titles when asked', async () => {
    const page = await find('passport renewal', { lang: 'en' });
    expect(page.items[0]).toMatchObject({ code: passportCode, title: 'Passport renewal' });
    expect(await codes('renewing passports')).toContain(passportCode);
  });

  it('ranks title matches above description matches, then by popularity', async () => {
    const titles = (await find('جواز')).items.map((i) => i.title);
    const popularity = new Map(DEMO_SERVICES.map((s) => [s.content.title.ar, s.popularity]));
    // Three demo titles have the word; their order is their popularity.
    const titleHits = titles.slice(0, 3);
    expect(titleHits.every((x) => x.includes('جواز'))).toBe(true);
    const demand = titleHits.map((x) => popularity.get(x)!);
    expect(demand).toEqual([...demand].sort((x, y) => y - x));
    // Then description matches, then matches in requirements only (a work permit needs a passport).
    const inDescription = titles.indexOf('خدمة السفر المبكر');
    const inRequirements = titles.indexOf('تصريح عمل لعامل منزلي');
    expect(inDescription).toBeGreaterThanOrEqual(3);
    expect(inRequirements).toBeGreaterThan(inDescription);
    expect(titles.slice(3).some((x) => x.includes('جواز'))).toBe(false);
  });

  it('expands synonyms on queries', async () => {
    expect(await codes('باسبور')).toContain(passportCode);
    await t.get(RegistryWorkflowService).setSynonym(t.admin, 'مستوصف', ['مستشفى']);
    expect(await codes('مستوصف')).toContain(hospitalCode);
  });

  it('filters by agency, audience, channel, life event, price and online-only', async () => {
    const all = await find('', { limit: 100 });
    const npra = await find('', { agency: 'NPRA', limit: 100 });
    expect(npra.items.length).toBeGreaterThan(0);
    expect(npra.items.every((i) => i.agency.code === 'NPRA')).toBe(true);
    const business = await find('', { audience: 'businesses', limit: 100 });
    expect(business.items.every((i) => i.audience.includes('businesses'))).toBe(true);
    const kiosk = await find('', { channel: 'kiosk', limit: 100 });
    expect(kiosk.items.every((i) => i.channels.includes('kiosk'))).toBe(true);
    const baby = await find('', { lifeEvent: 'having_a_child', limit: 100 });
    expect(baby.items.length).toBeGreaterThan(1);
    expect(baby.items.every((i) => i.lifeEvents.includes('having_a_child'))).toBe(true);
    const free = await find('', { free: true, limit: 100 });
    const paid = await find('', { free: false, limit: 100 });
    expect(free.items.length + paid.items.length).toBe(all.items.length);
    expect(free.items.every((i) => i.free)).toBe(true);
    const online = await find('', { onlineOnly: true, limit: 100 });
    expect(
      online.items.every((i) => i.channels.every((c) => c === 'online' || c === 'mobile_app')),
    ).toBe(true);
  });

  it('counts facets over everything that matches, not just the page', async () => {
    const page = await find('', { facets: true, limit: 2 });
    const all = await find('', { limit: 100 });
    expect(page.facets!.total).toBe(all.items.length);
    const byAgency = Object.values(page.facets!.agency).reduce((a, b) => a + b, 0);
    expect(byAgency).toBe(all.items.length);
    expect(page.facets!.price.free + page.facets!.price.paid).toBe(all.items.length);
  });

  it('pages with cursors without repeating or losing a service', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await find('', { limit: 7, cursor });
      seen.push(...page.items.map((x) => x.code));
      if (!page.next) break;
      cursor = page.next;
    }
    const all = (await find('', { limit: 100 })).items.map((x) => x.code);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a forged cursor', async () => {
    await expect(find('', { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID_CURSOR',
    });
  });

  it('follows publication: a new edition, a new popularity and archiving show in search at once', async () => {
    const npra = (await t.get(AgencyService).findByCode('NPRA'))!;
    const staff = (role: 'agency_editor' | 'agency_approver' | 'admin'): Actor => ({
      type: 'staff',
      id: randomUUID(),
      label: role,
      role,
      agencyId: role === 'admin' ? null : npra.id,
    });
    const [editor, approver, admin] = [
      staff('agency_editor'),
      staff('agency_approver'),
      staff('admin'),
    ];
    const wf = t.get(RegistryWorkflowService);
    const titled = (en: string) =>
      buildEditionContent({
        title: { ar: 'خدمة تجريبية للبحث', en },
        description: { ar: 'وصف.', en: 'A description.' },
        keywords: [],
      });
    const { edition, service } = await wf.createService(editor, {
      content: titled('Zebrafinch permit'),
    });
    expect(await codes('zebrafinch')).toEqual([]);
    await wf.submit(editor, edition.id);
    await wf.approve(approver, edition.id);
    expect(await codes('zebrafinch')).toEqual([service.code]);
    // A second edition replaces the first in search: its title, not the old one.
    const second = await wf.startDraft(editor, service.code, { changeNote: 'renamed' });
    await wf.updateDraft(
      editor,
      second.edition.id,
      { content: titled('Quokka permit') },
      second.edition.version,
    );
    expect(await codes('quokka')).toEqual([]);
    await wf.submit(editor, second.edition.id);
    await wf.approve(approver, second.edition.id);
    expect(await codes('quokka')).toEqual([service.code]);
    expect(await codes('zebrafinch')).toEqual([]);
    // Popularity orders the title matches, and a change shows at once.
    const permits = async () =>
      (await find('permit', { lang: 'en', limit: 100 })).items.map((i) => i.code);
    await wf.setPopularity(admin, service.code, 0);
    expect((await permits()).indexOf(service.code)).toBeGreaterThan(0);
    await wf.setPopularity(admin, service.code, 1_000_000);
    expect((await permits())[0]).toBe(service.code);
    await wf.archive(approver, second.edition.id);
    expect(await codes('quokka')).toEqual([]);
    expect(await permits()).not.toContain(service.code);
  });

  it('cannot be steered by tsquery operators in the query', async () => {
    const page = await find("جواز & ! | ( ) :* '");
    expect(page.items.map((i) => i.code)).toContain(passportCode);
  });
});
