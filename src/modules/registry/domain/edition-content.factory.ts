// Test factory: a complete, publishable edition content that each test bends as it needs.
import type { EditionContent } from './edition-content.js';

export function buildEditionContent(overrides: Partial<EditionContent> = {}): EditionContent {
  return {
    title: { ar: 'تجديد جوازات السفر', en: 'Passport renewal' },
    description: {
      ar: 'تجديد جواز السفر البحريني قبل انتهاء صلاحيته.',
      en: 'Renew a Bahraini passport before it expires.',
    },
    keywords: [{ ar: 'جواز', en: 'passport' }],
    audience: ['citizens'],
    requirements: [
      {
        name: { ar: 'جواز السفر الحالي', en: 'Current passport' },
        description: {
          ar: 'يُسلَّم الجواز الحالي عند الاستلام.',
          en: 'The current passport is handed in on collection.',
        },
        evidence: [
          {
            name: { ar: 'جواز السفر', en: 'Passport' },
            description: { ar: 'الأصل.', en: 'The original.' },
          },
        ],
      },
    ],
    steps: [
      {
        order: 1,
        title: { ar: 'تقديم الطلب', en: 'Apply' },
        description: { ar: 'قدّم الطلب إلكترونياً.', en: 'Apply online.' },
      },
    ],
    outputs: [
      {
        name: { ar: 'جواز سفر', en: 'Passport' },
        description: { ar: 'جواز سفر جديد.', en: 'A new passport.' },
        type: 'document',
      },
    ],
    processingTime: 'P3D',
    legalBasis: {
      rules: [],
      legalResources: [
        {
          title: { ar: 'قانون الجوازات', en: 'Passports Law' },
          url: 'https://www.legalaffairs.gov.bh/',
        },
      ],
    },
    redress: { ar: 'يجوز التظلم خلال ٣٠ يوماً.', en: 'An appeal may be filed within 30 days.' },
    contactPoint: { phone: '+973 17000000' },
    channels: [{ id: 'web', type: 'online', url: 'https://services.example.bh/passport' }],
    costs: [
      {
        id: 'fee',
        description: { ar: 'رسم الجواز', en: 'Passport fee' },
        amountFils: '12000',
        channelId: 'web',
      },
    ],
    lifeEvents: ['travelling_abroad'],
    businessEvents: [],
    thematicArea: 'travel_residence',
    spatial: 'BHR',
    reviewBy: '2026-12-31',
    ...overrides,
  };
}
