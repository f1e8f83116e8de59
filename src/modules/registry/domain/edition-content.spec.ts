import { describe, expect, it } from '@jest/globals';
import {
  isXsdDuration,
  malformedFields,
  missingRequiredFields,
  type EditionContentDraft,
} from './edition-content.js';
import { buildEditionContent } from './edition-content.factory.js';

describe('missingRequiredFields', () => {
  it('finds nothing missing in a complete edition', () => {
    expect(missingRequiredFields(buildEditionContent())).toEqual([]);
  });

  it('names the language that is missing', () => {
    const sut = buildEditionContent({ title: { ar: 'تجديد جوازات السفر', en: '  ' } });
    expect(missingRequiredFields(sut)).toEqual(['title.en']);
  });

  it('points into nested lists', () => {
    const content = buildEditionContent();
    content.requirements[0].evidence.push({
      name: { ar: 'صورة', en: '' },
      description: { ar: 'صورة حديثة', en: 'A recent photo' },
    });
    expect(missingRequiredFields(content)).toEqual(['requirements[0].evidence[1].name.en']);
  });

  it('refuses an edition without channels, steps, outputs, audience or legal resource', () => {
    const sut = buildEditionContent({
      channels: [],
      steps: [],
      outputs: [],
      audience: [],
      legalBasis: { rules: [], legalResources: [] },
    });
    expect(missingRequiredFields(sut)).toEqual(
      expect.arrayContaining([
        'channels',
        'steps',
        'outputs',
        'audience',
        'legalBasis.legalResources',
      ]),
    );
  });

  it('requires a URL for online channels and an address for counters', () => {
    const sut = buildEditionContent({
      channels: [
        { id: 'web', type: 'online' },
        { id: 'desk', type: 'counter', address: { ar: 'مدينة عيسى', en: '' } },
      ],
    });
    expect(missingRequiredFields(sut)).toEqual(['channels[0].url', 'channels[1].address.en']);
  });

  it('requires at least one way to reach the contact point', () => {
    expect(missingRequiredFields(buildEditionContent({ contactPoint: {} }))).toEqual([
      'contactPoint',
    ]);
  });

  it('accepts a free service (no costs) but not a cost without an amount', () => {
    expect(missingRequiredFields(buildEditionContent({ costs: [] }))).toEqual([]);
    const sut = buildEditionContent({
      costs: [{ id: 'fee', description: { ar: 'رسم', en: 'Fee' }, amountFils: '' }],
    });
    expect(missingRequiredFields(sut)).toEqual(['costs[0].amountFils']);
  });

  it('lists every required field of an empty draft without throwing', () => {
    const draft: EditionContentDraft = {};
    expect(missingRequiredFields(draft)).toEqual([
      'title.ar',
      'title.en',
      'description.ar',
      'description.en',
      'audience',
      'steps',
      'outputs',
      'processingTime',
      'legalBasis.legalResources',
      'redress.ar',
      'redress.en',
      'contactPoint',
      'channels',
      'thematicArea',
      'spatial',
      'reviewBy',
    ]);
  });
});

describe('malformedFields', () => {
  it('finds nothing wrong in a complete edition', () => {
    expect(malformedFields(buildEditionContent())).toEqual([]);
  });

  it('refuses amounts that are not whole fils', () => {
    for (const amountFils of ['12.5', '-1', '1e3', '007']) {
      const sut = buildEditionContent({
        costs: [{ id: 'fee', description: { ar: 'رسم', en: 'Fee' }, amountFils }],
      });
      expect(malformedFields(sut)).toEqual(['costs[0].amountFils']);
    }
  });

  it('refuses a cost pointing at a channel the edition does not have', () => {
    const sut = buildEditionContent({
      costs: [
        { id: 'fee', description: { ar: 'رسم', en: 'Fee' }, amountFils: '500', channelId: 'kiosk' },
      ],
    });
    expect(malformedFields(sut)).toEqual(['costs[0].channelId']);
  });

  it('refuses unknown codes, bad durations, impossible dates and non-web URLs', () => {
    const sut = buildEditionContent({
      audience: ['aliens' as never],
      processingTime: 'P2W',
      reviewBy: '2026-02-30',
      channels: [{ id: 'web', type: 'online', url: 'javascript:alert(1)' }],
    });
    expect(malformedFields(sut)).toEqual([
      'audience[0]',
      'processingTime',
      'reviewBy',
      'channels[0].url',
    ]);
  });

  it('refuses duplicate channel ids and steps out of order', () => {
    const content = buildEditionContent({
      channels: [
        { id: 'web', type: 'online', url: 'https://a.bh' },
        { id: 'web', type: 'mobile_app', url: 'https://b.bh' },
      ],
    });
    content.steps.push({
      order: 3,
      title: { ar: 'استلام', en: 'Collect' },
      description: { ar: 'استلم.', en: 'Collect.' },
    });
    expect(malformedFields(content)).toEqual(['channels[1].id', 'steps[1].order']);
  });
});

describe('isXsdDuration', () => {
  it.each(['P3D', 'PT30M', 'P1Y2M', 'PT1.5S', 'P1DT12H'])('accepts %s', (v) =>
    expect(isXsdDuration(v)).toBe(true),
  );
  it.each(['P', 'PT', 'P2W', '3 days', 'P1DT', '-P1D'])('refuses %s', (v) =>
    expect(isXsdDuration(v)).toBe(false),
  );
});
