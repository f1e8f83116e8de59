// schema.org GovernmentService markup for a service page, so search engines show the
// service, its provider, channels and fee. One language per object: a page embeds the
// markup in the language it is written in.

import { formatBhd, parseFils } from '../../../platform/money/fils.js';
import { CHANNEL_TYPES, COUNTRIES, THEMATIC_AREAS, codeEntry } from '../domain/code-lists.js';
import type { ServiceChannel } from '../domain/edition-content.js';
import type { PublishedService } from './published-service.js';

export type PageLanguage = 'ar' | 'en';

/** Phone and email channels reach the agency's contact point rather than a web address. */
function serviceChannel(channel: ServiceChannel, service: PublishedService, lang: PageLanguage) {
  const contact = service.content.contactPoint;
  return {
    '@type': 'ServiceChannel',
    name: codeEntry(CHANNEL_TYPES, channel.type)[lang],
    ...(channel.url ? { serviceUrl: channel.url } : {}),
    ...(channel.type === 'phone' && contact.phone ? { servicePhone: contact.phone } : {}),
    ...(channel.address
      ? { serviceLocation: { '@type': 'Place', address: channel.address[lang] } }
      : {}),
    ...(channel.processingTime ? { processingTime: channel.processingTime } : {}),
  };
}

export function toSchemaOrgGovernmentService(service: PublishedService, lang: PageLanguage) {
  const c = service.content;
  // A free service still gets an offer at 0.000 so it is shown as free, not as "price unknown".
  const costs = c.costs.length
    ? c.costs
    : [{ id: 'free', description: { ar: 'خدمة مجانية', en: 'Free service' }, amountFils: '0' }];
  return {
    '@context': 'https://schema.org',
    '@type': 'GovernmentService',
    '@id': service.pageUrl,
    identifier: service.code,
    name: c.title[lang],
    description: c.description[lang],
    url: service.pageUrl,
    serviceType: codeEntry(THEMATIC_AREAS, c.thematicArea)[lang],
    provider: {
      '@type': 'GovernmentOrganization',
      name: lang === 'ar' ? service.agency.nameAr : service.agency.nameEn,
      ...(service.agency.website ? { url: service.agency.website } : {}),
    },
    areaServed: { '@type': 'Country', name: codeEntry(COUNTRIES, c.spatial)[lang] },
    availableChannel: c.channels.map((ch) => serviceChannel(ch, service, lang)),
    offers: costs.map((cost) => ({
      '@type': 'Offer',
      name: cost.description[lang],
      // Decimal text computed from integer fils: BHD has three decimals and must never round.
      price: formatBhd(parseFils(cost.amountFils)),
      priceCurrency: 'BHD',
    })),
  };
}

export type SchemaOrgGovernmentService = ReturnType<typeof toSchemaOrgGovernmentService>;
