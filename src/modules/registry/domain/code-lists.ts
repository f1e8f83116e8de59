// Controlled vocabularies of the registry. Each value is exported to open data as a
// skos:Concept (CPSV-AP requires concepts, not free text), so codes are stable:
// add new ones, never rename.

export interface CodeListEntry<C extends string = string> {
  readonly code: C;
  readonly ar: string;
  readonly en: string;
}

export const AUDIENCES = [
  { code: 'citizens', ar: 'المواطنون', en: 'Citizens' },
  { code: 'residents', ar: 'المقيمون', en: 'Residents' },
  { code: 'businesses', ar: 'الشركات والمؤسسات', en: 'Businesses' },
  { code: 'visitors', ar: 'الزوار', en: 'Visitors' },
  { code: 'government', ar: 'الجهات الحكومية', en: 'Government entities' },
] as const;
export type AudienceCode = (typeof AUDIENCES)[number]['code'];

export const OUTPUT_TYPES = [
  { code: 'permit', ar: 'تصريح', en: 'Permit' },
  { code: 'certificate', ar: 'شهادة', en: 'Certificate' },
  { code: 'licence', ar: 'رخصة', en: 'Licence' },
  { code: 'card', ar: 'بطاقة', en: 'Card' },
  { code: 'document', ar: 'وثيقة', en: 'Document' },
  { code: 'decision', ar: 'قرار', en: 'Decision' },
  { code: 'other', ar: 'أخرى', en: 'Other' },
] as const;
export type OutputTypeCode = (typeof OUTPUT_TYPES)[number]['code'];

export const CHANNEL_TYPES = [
  { code: 'online', ar: 'الموقع الإلكتروني', en: 'Online' },
  { code: 'mobile_app', ar: 'تطبيق الهاتف', en: 'Mobile app' },
  { code: 'kiosk', ar: 'الأكشاك الإلكترونية', en: 'Kiosk' },
  { code: 'service_centre', ar: 'مركز الخدمات', en: 'Service centre' },
  { code: 'phone', ar: 'الهاتف', en: 'Phone' },
  { code: 'email', ar: 'البريد الإلكتروني', en: 'Email' },
  { code: 'post', ar: 'البريد', en: 'Post' },
  { code: 'counter', ar: 'مكتب الخدمة', en: 'Service counter' },
] as const;
export type ChannelTypeCode = (typeof CHANNEL_TYPES)[number]['code'];

export const LIFE_EVENTS = [
  { code: 'having_a_child', ar: 'قدوم مولود', en: 'Having a child' },
  { code: 'getting_married', ar: 'الزواج', en: 'Getting married' },
  { code: 'moving', ar: 'تغيير السكن', en: 'Moving home' },
  { code: 'education', ar: 'التعليم', en: 'Education' },
  { code: 'employment', ar: 'العمل والتوظيف', en: 'Employment' },
  { code: 'health', ar: 'الصحة', en: 'Health' },
  { code: 'driving', ar: 'القيادة والمركبات', en: 'Driving and vehicles' },
  { code: 'travelling_abroad', ar: 'السفر إلى الخارج', en: 'Travelling abroad' },
  { code: 'housing', ar: 'السكن', en: 'Housing' },
  { code: 'retiring', ar: 'التقاعد', en: 'Retiring' },
  { code: 'death_of_relative', ar: 'وفاة قريب', en: 'Death of a relative' },
  { code: 'legal_matters', ar: 'الشؤون القانونية', en: 'Legal matters' },
] as const;
export type LifeEventCode = (typeof LIFE_EVENTS)[number]['code'];

export const BUSINESS_EVENTS = [
  { code: 'starting_business', ar: 'تأسيس نشاط تجاري', en: 'Starting a business' },
  { code: 'running_business', ar: 'إدارة النشاط التجاري', en: 'Running a business' },
  { code: 'hiring_employees', ar: 'توظيف العمالة', en: 'Hiring employees' },
  { code: 'building_premises', ar: 'إنشاء المباني والمرافق', en: 'Building premises' },
  { code: 'closing_business', ar: 'إغلاق النشاط التجاري', en: 'Closing a business' },
] as const;
export type BusinessEventCode = (typeof BUSINESS_EVENTS)[number]['code'];

export const THEMATIC_AREAS = [
  { code: 'identity_civil_status', ar: 'الهوية والأحوال المدنية', en: 'Identity and civil status' },
  { code: 'travel_residence', ar: 'السفر والإقامة', en: 'Travel and residence' },
  { code: 'traffic_transport', ar: 'المرور والنقل', en: 'Traffic and transport' },
  { code: 'health', ar: 'الصحة', en: 'Health' },
  { code: 'education', ar: 'التعليم', en: 'Education' },
  { code: 'business_commerce', ar: 'التجارة والأعمال', en: 'Business and commerce' },
  { code: 'labour', ar: 'العمل', en: 'Labour' },
  { code: 'utilities', ar: 'الكهرباء والماء', en: 'Electricity and water' },
  { code: 'justice', ar: 'العدل والشؤون القانونية', en: 'Justice and legal affairs' },
  { code: 'housing', ar: 'الإسكان', en: 'Housing' },
  { code: 'municipal', ar: 'الخدمات البلدية', en: 'Municipal services' },
] as const;
export type ThematicAreaCode = (typeof THEMATIC_AREAS)[number]['code'];

/** ISO 3166-1 alpha-3, the form the EU country authority table uses in its IRIs. */
export const COUNTRIES = [
  { code: 'BHR', ar: 'مملكة البحرين', en: 'Kingdom of Bahrain' },
  { code: 'SAU', ar: 'المملكة العربية السعودية', en: 'Kingdom of Saudi Arabia' },
  { code: 'ARE', ar: 'الإمارات العربية المتحدة', en: 'United Arab Emirates' },
  { code: 'KWT', ar: 'دولة الكويت', en: 'State of Kuwait' },
  { code: 'QAT', ar: 'دولة قطر', en: 'State of Qatar' },
  { code: 'OMN', ar: 'سلطنة عُمان', en: 'Sultanate of Oman' },
] as const;
export type CountryCode = (typeof COUNTRIES)[number]['code'];

/** The entry for a code; throws on a code outside the list (a programming error). */
export function codeEntry<C extends string>(
  list: readonly CodeListEntry<C>[],
  code: C,
): CodeListEntry<C> {
  const entry = list.find((e) => e.code === code);
  if (!entry) throw new RangeError(`unknown code "${code}"`);
  return entry;
}

export function isCode<C extends string>(
  list: readonly CodeListEntry<C>[],
  value: string,
): value is C {
  return list.some((e) => e.code === value);
}
