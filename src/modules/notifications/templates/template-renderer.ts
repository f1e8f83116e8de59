import { PersonalisationMissingError } from '../errors/notifications.errors.js';

/**
 * Notification templates with GOV.UK Notify placeholders: `((name))` is replaced by a value,
 * `((name??text))` shows `text` only when the value is yes/true. As in Notify, names match
 * ignoring case and spaces (`((First name))` takes `first name` or `FirstName`), and every
 * value is required, so a notice never goes out half-filled. Templates and values are plain
 * text; the HTML of an email is built from them, escaped.
 */
export type Personalisation = Readonly<
  Record<string, string | number | boolean | null | undefined>
>;

export interface EmailTemplate {
  subject: string;
  body: string;
  lang: 'ar' | 'en';
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const PLACEHOLDER = /\(\(([^()?]+?)(?:\?\?([^()]*))?\)\)/g;

const normalise = (name: string) => name.replace(/\s+/g, '').toLowerCase();

/** Placeholder names in order of first appearance, as written in the template. */
export function placeholdersOf(text: string): string[] {
  const seen = new Map<string, string>();
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    const key = normalise(name);
    if (!seen.has(key)) seen.set(key, name.trim());
  }
  return [...seen.values()];
}

/** Which placeholders have no value, and which values match no placeholder. */
export function checkPersonalisation(
  template: string | { subject?: string; body: string },
  values: Personalisation,
): { missing: string[]; extra: string[] } {
  const text =
    typeof template === 'string' ? template : `${template.subject ?? ''}\n${template.body}`;
  const names = placeholdersOf(text);
  const wanted = new Set(names.map(normalise));
  const given = new Map(Object.entries(values).map(([name, value]) => [normalise(name), value]));
  return {
    missing: names.filter((name) => isBlank(given.get(normalise(name)))),
    extra: Object.keys(values).filter((name) => !wanted.has(normalise(name))),
  };
}

export function renderSms(body: string, values: Personalisation): string {
  return substitute(body, lookup(body, values)).trim();
}

export function renderEmail(template: EmailTemplate, values: Personalisation): RenderedEmail {
  const valueOf = lookup(`${template.subject}\n${template.body}`, values);
  const subject = substitute(template.subject, valueOf).replace(/\s+/g, ' ').trim();
  const text = substitute(template.body, valueOf).trim();
  return { subject, text, html: htmlDocument(template.lang, escapeHtml(subject), toHtml(text)) };
}

type ValueOf = (name: string) => string | number | boolean;

/** Resolves values by normalised name; throws when one is missing, so nothing half-filled goes out. */
function lookup(text: string, values: Personalisation): ValueOf {
  const { missing } = checkPersonalisation(text, values);
  if (missing.length > 0) throw new PersonalisationMissingError(missing);
  const byName = new Map(Object.entries(values).map(([name, value]) => [normalise(name), value]));
  return (name) => byName.get(normalise(name)) as string | number | boolean;
}

function substitute(text: string, valueOf: ValueOf): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, name, conditional] = match;
    const value = valueOf(name);
    out += text.slice(last, match.index);
    out += conditional === undefined ? String(value) : isYes(value) ? conditional : '';
    last = match.index + whole.length;
  }
  return out + text.slice(last);
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';
const isYes = (value: unknown) => value === true || /^(yes|true)$/i.test(String(value).trim());

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Blank lines make paragraphs, single line breaks `<br>`, and http(s) URLs become links. */
function toHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map(
      (paragraph) =>
        `<p style="margin:0 0 16px">${paragraph.trim().split(/\r?\n/).map(linkified).join('<br>')}</p>`,
    )
    .join('\n');
}

/** A URL; trailing punctuation (Latin or Arabic) ends the sentence, not the URL. */
const URL_PATTERN = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)'\]،؛؟]/g;

function linkified(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const url = escapeHtml(match[0]);
    out += `${escapeHtml(line.slice(last, match.index))}<a href="${url}" style="color:#1d70b8">${url}</a>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(line.slice(last));
}

const HEADER = { ar: 'الخدمات الحكومية', en: 'Government services' } as const;

function htmlDocument(lang: 'ar' | 'en', title: string, body: string): string {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const align = lang === 'ar' ? 'right' : 'left';
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f3f2f1;font-family:Tahoma,Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">
<div style="background:#0b0c0c;color:#ffffff;padding:12px 20px;font-size:20px;font-weight:bold;text-align:${align}">${HEADER[lang]}</div>
<div dir="${dir}" style="max-width:580px;margin:0 auto;padding:20px;background:#ffffff;text-align:${align}">
${body}
</div>
</body>
</html>
`;
}
