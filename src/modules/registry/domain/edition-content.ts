// The content of one immutable edition of a public service, modelled on CPSV-AP 3.2.0
// (PublicService and the classes around it) so the open-data export is a plain mapping.
// Every text a citizen reads is bilingual; an edition is published only when both
// languages are complete (see missingRequiredFields).

import { tryParseFils } from '../../../platform/money/fils.js';
import {
  AUDIENCES,
  BUSINESS_EVENTS,
  CHANNEL_TYPES,
  COUNTRIES,
  LIFE_EVENTS,
  OUTPUT_TYPES,
  THEMATIC_AREAS,
  isCode,
  type AudienceCode,
  type BusinessEventCode,
  type ChannelTypeCode,
  type CodeListEntry,
  type CountryCode,
  type LifeEventCode,
  type OutputTypeCode,
  type ThematicAreaCode,
} from './code-lists.js';

export interface LocalizedText {
  ar: string;
  en: string;
}

/** cv:Evidence: a document the applicant supplies. */
export interface Evidence {
  name: LocalizedText;
  description: LocalizedText;
}

/** cv:Requirement (CPSV-AP 3 merged Criterion into it), with the evidence that proves it. */
export interface Requirement {
  name: LocalizedText;
  description: LocalizedText;
  evidence: Evidence[];
}

/** A step of the procedure as shown to citizens (CPSV-AP has no class for it). */
export interface ProcedureStep {
  order: number;
  title: LocalizedText;
  description: LocalizedText;
}

/** cv:Output */
export interface ServiceOutput {
  name: LocalizedText;
  description: LocalizedText;
  type: OutputTypeCode;
}

/** cpsv:Rule: the rule of the agency that the service follows. */
export interface ServiceRule {
  title: LocalizedText;
  description: LocalizedText;
}

/** eli:LegalResource: the law or decree the service rests on. */
export interface LegalResource {
  title: LocalizedText;
  url?: string;
}

export interface LegalBasis {
  rules: ServiceRule[];
  legalResources: LegalResource[];
}

/** cv:ContactPoint; at least one way to reach the agency is required. */
export interface ContactPoint {
  email?: string;
  phone?: string;
  url?: string;
  openingHours?: LocalizedText;
}

/** cv:Channel. `id` is stable within the edition so costs can point at it. */
export interface ServiceChannel {
  id: string;
  type: ChannelTypeCode;
  url?: string;
  address?: LocalizedText;
  openingHours?: LocalizedText;
  /** ISO 8601 duration when this channel differs from the service's. */
  processingTime?: string;
}

/** cv:Cost. Money is integer fils as a string of digits (1 BHD = 1000 fils), never a float. */
export interface ServiceCost {
  id: string;
  description: LocalizedText;
  amountFils: string;
  /** The channel this fee applies to; absent when it applies to every channel. */
  channelId?: string;
}

export interface EditionContent {
  title: LocalizedText;
  description: LocalizedText;
  keywords?: LocalizedText[];
  audience: AudienceCode[];
  requirements: Requirement[];
  steps: ProcedureStep[];
  outputs: ServiceOutput[];
  /** ISO 8601 duration in the xsd:duration subset (no weeks), e.g. `P3D`, `PT30M`. */
  processingTime: string;
  legalBasis: LegalBasis;
  /** How to appeal a decision. */
  redress: LocalizedText;
  contactPoint: ContactPoint;
  channels: ServiceChannel[];
  /** Empty for a free service. */
  costs: ServiceCost[];
  lifeEvents: LifeEventCode[];
  businessEvents: BusinessEventCode[];
  thematicArea: ThematicAreaCode;
  spatial: CountryCode;
  /** ISO date (YYYY-MM-DD) by which the agency must review the content. */
  reviewBy: string;
}

/** What a draft may look like while it is edited: anything can still be missing. */
export type EditionContentDraft = DeepPartial<EditionContent>;
type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Channels people visit in person, which therefore need an address. */
const PHYSICAL_CHANNELS: readonly ChannelTypeCode[] = ['service_centre', 'counter', 'kiosk'];
/** Channels that are a web address. */
const WEB_CHANNELS: readonly ChannelTypeCode[] = ['online', 'mobile_app'];

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/**
 * Paths of the required fields that are missing or blank in either language, e.g.
 * `title.ar`, `requirements[0].evidence[1].name.en`, `channels` (none). Empty means the
 * edition may be published. Works on drafts, whose fields may all be absent.
 */
export function missingRequiredFields(content: EditionContentDraft): string[] {
  const missing: string[] = [];
  const text = (path: string, value: Partial<LocalizedText> | undefined): void => {
    if (blank(value?.ar)) missing.push(`${path}.ar`);
    if (blank(value?.en)) missing.push(`${path}.en`);
  };
  const scalar = (path: string, value: string | undefined): void => {
    if (blank(value)) missing.push(path);
  };
  const list = <T>(
    path: string,
    items: T[] | undefined,
    each?: (item: T, at: string) => void,
  ): void => {
    if (!items?.length) missing.push(path);
    else if (each) items.forEach((item, i) => each(item, `${path}[${i}]`));
  };
  const optionalList = <T>(
    path: string,
    items: T[] | undefined,
    each: (item: T, at: string) => void,
  ): void => {
    items?.forEach((item, i) => each(item, `${path}[${i}]`));
  };

  text('title', content.title);
  text('description', content.description);
  optionalList('keywords', content.keywords, (k, at) => text(at, k));
  list('audience', content.audience);
  optionalList('requirements', content.requirements, (r, at) => {
    text(`${at}.name`, r.name);
    text(`${at}.description`, r.description);
    optionalList(`${at}.evidence`, r.evidence, (e, eAt) => {
      text(`${eAt}.name`, e.name);
      text(`${eAt}.description`, e.description);
    });
  });
  list('steps', content.steps, (s, at) => {
    text(`${at}.title`, s.title);
    text(`${at}.description`, s.description);
  });
  list('outputs', content.outputs, (o, at) => {
    text(`${at}.name`, o.name);
    text(`${at}.description`, o.description);
    scalar(`${at}.type`, o.type);
  });
  scalar('processingTime', content.processingTime);
  optionalList('legalBasis.rules', content.legalBasis?.rules, (r, at) => {
    text(`${at}.title`, r.title);
    text(`${at}.description`, r.description);
  });
  list('legalBasis.legalResources', content.legalBasis?.legalResources, (l, at) =>
    text(`${at}.title`, l.title),
  );
  text('redress', content.redress);
  const cp = content.contactPoint;
  if (blank(cp?.email) && blank(cp?.phone) && blank(cp?.url)) missing.push('contactPoint');
  if (cp?.openingHours) text('contactPoint.openingHours', cp.openingHours);
  list('channels', content.channels, (c, at) => {
    scalar(`${at}.id`, c.id);
    scalar(`${at}.type`, c.type);
    if (c.type && WEB_CHANNELS.includes(c.type)) scalar(`${at}.url`, c.url);
    if (c.type && PHYSICAL_CHANNELS.includes(c.type)) text(`${at}.address`, c.address);
    else if (c.address) text(`${at}.address`, c.address);
    if (c.openingHours) text(`${at}.openingHours`, c.openingHours);
  });
  optionalList('costs', content.costs, (c, at) => {
    scalar(`${at}.id`, c.id);
    text(`${at}.description`, c.description);
    scalar(`${at}.amountFils`, c.amountFils);
  });
  scalar('thematicArea', content.thematicArea);
  scalar('spatial', content.spatial);
  scalar('reviewBy', content.reviewBy);
  return missing;
}

/** xsd:duration, which the open-data export declares; ISO 8601 weeks (`P2W`) are not part of it. */
const XSD_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isXsdDuration(value: string): boolean {
  return XSD_DURATION.test(value);
}

function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Paths of fields that are present but malformed (bad code, duration, date, URL, amount,
 * dangling channel id). Complements missingRequiredFields: both must be empty to publish,
 * because the export would otherwise emit invalid open data.
 */
export function malformedFields(content: EditionContentDraft): string[] {
  const bad: string[] = [];
  const check = (path: string, value: string | undefined, ok: (v: string) => boolean): void => {
    if (!blank(value) && !ok(value as string)) bad.push(path);
  };
  const code =
    <C extends string>(list: readonly CodeListEntry<C>[]) =>
    (v: string) =>
      isCode(list, v);

  content.audience?.forEach((a, i) => check(`audience[${i}]`, a, code(AUDIENCES)));
  content.outputs?.forEach((o, i) => check(`outputs[${i}].type`, o.type, code(OUTPUT_TYPES)));
  content.lifeEvents?.forEach((e, i) => check(`lifeEvents[${i}]`, e, code(LIFE_EVENTS)));
  content.businessEvents?.forEach((e, i) =>
    check(`businessEvents[${i}]`, e, code(BUSINESS_EVENTS)),
  );
  check('thematicArea', content.thematicArea, code(THEMATIC_AREAS));
  check('spatial', content.spatial, code(COUNTRIES));
  check('processingTime', content.processingTime, isXsdDuration);
  check('reviewBy', content.reviewBy, isIsoDate);
  content.legalBasis?.legalResources?.forEach((l, i) =>
    check(`legalBasis.legalResources[${i}].url`, l.url, isHttpUrl),
  );
  check('contactPoint.email', content.contactPoint?.email, (v) => EMAIL.test(v));
  check('contactPoint.url', content.contactPoint?.url, isHttpUrl);

  const channelIds = new Set<string>();
  content.channels?.forEach((c, i) => {
    check(`channels[${i}].type`, c.type, code(CHANNEL_TYPES));
    check(`channels[${i}].url`, c.url, isHttpUrl);
    check(`channels[${i}].processingTime`, c.processingTime, isXsdDuration);
    if (c.id !== undefined) {
      if (channelIds.has(c.id)) bad.push(`channels[${i}].id`);
      channelIds.add(c.id);
    }
  });
  const costIds = new Set<string>();
  content.costs?.forEach((c, i) => {
    check(`costs[${i}].amountFils`, c.amountFils, (v) => tryParseFils(v).ok);
    check(`costs[${i}].channelId`, c.channelId, (v) => channelIds.has(v));
    if (c.id !== undefined) {
      if (costIds.has(c.id)) bad.push(`costs[${i}].id`);
      costIds.add(c.id);
    }
  });
  const orders = content.steps?.map((s) => s.order) ?? [];
  orders.forEach((o, i) => {
    if (o !== i + 1) bad.push(`steps[${i}].order`);
  });
  return bad;
}
