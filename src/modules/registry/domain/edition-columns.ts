// The columns extracted from an edition's content for search and the public filters. The
// same normaliser runs here (stored text) and on queries (search-query.ts).
import { normalizeForSearch } from '../../../platform/text/arabic.js';
import type { EditionContentDraft, LocalizedText } from './edition-content.js';

export interface EditionColumns {
  titleAr: string;
  titleEn: string;
  descriptionAr: string;
  descriptionEn: string;
  searchTitle: string;
  searchTitleAr: string;
  searchBodyAr: string;
  searchExtraAr: string;
  searchExtraEn: string;
  audience: string[];
  channelTypes: string[];
  lifeEvents: string[];
  isFree: boolean;
  onlineOnly: boolean;
  hasOnlineChannel: boolean;
}

/** Channels that need no visit: a service offered only through these is "online only". */
const REMOTE_CHANNELS = new Set(['online', 'mobile_app']);

const join = (parts: (string | undefined)[]): string =>
  parts.filter((p): p is string => Boolean(p?.trim())).join(' ');

export function editionColumns(content: EditionContentDraft): EditionColumns {
  const t = (x: Partial<LocalizedText> | undefined, lang: 'ar' | 'en') => x?.[lang] ?? '';
  const extra = (lang: 'ar' | 'en') =>
    join([
      ...(content.keywords ?? []).map((k) => t(k, lang)),
      ...(content.requirements ?? []).flatMap((r) => [
        t(r?.name, lang),
        ...(r?.evidence ?? []).map((e) => t(e?.name, lang)),
      ]),
      ...(content.outputs ?? []).map((o) => t(o?.name, lang)),
    ]);
  const channelTypes = [
    ...new Set((content.channels ?? []).map((c) => c?.type).filter(Boolean)),
  ] as string[];
  const titleAr = t(content.title, 'ar');
  const titleEn = t(content.title, 'en');
  const fees = (content.costs ?? []).filter((c) => c?.amountFils && !/^0+$/.test(c.amountFils));
  return {
    titleAr,
    titleEn,
    descriptionAr: t(content.description, 'ar'),
    descriptionEn: t(content.description, 'en'),
    searchTitle: normalizeForSearch(join([titleAr, titleEn])),
    searchTitleAr: normalizeForSearch(titleAr),
    searchBodyAr: normalizeForSearch(t(content.description, 'ar')),
    searchExtraAr: normalizeForSearch(extra('ar')),
    searchExtraEn: extra('en'),
    audience: [...new Set((content.audience ?? []).filter(Boolean))] as string[],
    channelTypes,
    lifeEvents: [...new Set((content.lifeEvents ?? []).filter(Boolean))] as string[],
    isFree: fees.length === 0,
    onlineOnly: channelTypes.length > 0 && channelTypes.every((c) => REMOTE_CHANNELS.has(c)),
    hasOnlineChannel: channelTypes.includes('online'),
  };
}
