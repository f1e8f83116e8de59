import { describe, expect, it } from '@jest/globals';
import { buildEditionContent } from '../domain/edition-content.factory.js';
import type { PublishedService } from './published-service.js';
import { toSchemaOrgGovernmentService } from './schema-org.js';

const published = (overrides: Partial<PublishedService['content']> = {}): PublishedService => ({
  code: 'NPRA-001',
  version: 3,
  publishedAt: new Date('2025-01-05T06:00:00Z'),
  agency: {
    code: 'NPRA',
    nameAr: 'شؤون الجنسية والجوازات والإقامة',
    nameEn: 'Nationality, Passports & Residence Affairs',
    website: 'https://www.npra.gov.bh',
  },
  content: buildEditionContent(overrides),
  pageUrl: 'https://portal.example.bh/services/NPRA-001',
});

describe('toSchemaOrgGovernmentService', () => {
  it('describes the service in the page language', () => {
    const sut = toSchemaOrgGovernmentService(published(), 'ar');
    expect(sut).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'GovernmentService',
      name: 'تجديد جوازات السفر',
      serviceType: 'السفر والإقامة',
      provider: { '@type': 'GovernmentOrganization', name: 'شؤون الجنسية والجوازات والإقامة' },
      areaServed: { '@type': 'Country', name: 'مملكة البحرين' },
    });
    expect(toSchemaOrgGovernmentService(published(), 'en').name).toBe('Passport renewal');
  });

  it('prices the offer in BHD with three decimals computed from fils', () => {
    const costs = [
      { id: 'a', description: { ar: 'رسم', en: 'Fee' }, amountFils: '12000' },
      { id: 'b', description: { ar: 'رسم', en: 'Fee' }, amountFils: '500' },
      { id: 'c', description: { ar: 'رسم', en: 'Fee' }, amountFils: '9007199254740993' },
    ];
    const sut = toSchemaOrgGovernmentService(published({ costs }), 'en');
    expect(sut.offers.map((o) => [o.price, o.priceCurrency])).toEqual([
      ['12.000', 'BHD'],
      ['0.500', 'BHD'],
      ['9007199254740.993', 'BHD'],
    ]);
  });

  it('shows a free service as an offer at 0.000', () => {
    const sut = toSchemaOrgGovernmentService(published({ costs: [] }), 'en');
    expect(sut.offers).toEqual([
      { '@type': 'Offer', name: 'Free service', price: '0.000', priceCurrency: 'BHD' },
    ]);
  });

  it('lists each channel with its URL, phone or address', () => {
    const sut = toSchemaOrgGovernmentService(
      published({
        contactPoint: { phone: '+973 80008001' },
        channels: [
          { id: 'web', type: 'online', url: 'https://portal.example.bh/apply' },
          { id: 'tel', type: 'phone' },
          { id: 'desk', type: 'counter', address: { ar: 'المنامة', en: 'Manama' } },
        ],
      }),
      'en',
    );
    expect(sut.availableChannel).toEqual([
      { '@type': 'ServiceChannel', name: 'Online', serviceUrl: 'https://portal.example.bh/apply' },
      { '@type': 'ServiceChannel', name: 'Phone', servicePhone: '+973 80008001' },
      {
        '@type': 'ServiceChannel',
        name: 'Service counter',
        serviceLocation: { '@type': 'Place', address: 'Manama' },
      },
    ]);
  });
});
