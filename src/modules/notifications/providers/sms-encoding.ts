import { SmsTooLongError } from '../errors/notifications.errors.js';

/**
 * How an SMS is cut and encoded before it goes to an SMSC. Operators bill per part, and a
 * message that silently falls back to '?' is unreadable, so the choice of alphabet and the
 * count of parts are exact and tested here rather than left to the smpp package.
 */
export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsPlan {
  encoding: SmsEncoding;
  /** SMPP `data_coding`: 0 (SMSC default alphabet, GSM 03.38) or 8 (UCS-2). */
  dataCoding: 0 | 8;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  segments: number;
  /** Payload of each part, without UDH: unpacked septets (GSM-7) or UTF-16BE (UCS-2). */
  parts: Buffer[];
}

/** GSM 03.38 basic table; the index is the septet. 0x1B is the escape, never a character. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: character → septet that follows the escape. */
const GSM_EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);
const ESCAPE = 0x1b;
const GSM_BASIC_SEPTETS: ReadonlyMap<string, number> = new Map(
  [...GSM_BASIC].flatMap((char, septet) => (septet === ESCAPE ? [] : [[char, septet] as const])),
);

const LIMITS = {
  gsm7: { single: 160, multipart: 153 },
  ucs2: { single: 70, multipart: 67 },
} as const;

/**
 * GSM-7 cost of each UTF-16 code unit, looked up once per character: the septet of a basic
 * character, `EXTENDED | septet` for an extension character (escape + septet), `NOT_GSM`
 * otherwise. Every GSM character is in the BMP, so a surrogate is never GSM.
 */
const NOT_GSM = -1;
const EXTENDED = 0x100;
const GSM_SEPTET = new Int16Array(0x10000).fill(NOT_GSM);
for (const [char, septet] of GSM_BASIC_SEPTETS) GSM_SEPTET[char.charCodeAt(0)] = septet;
for (const [char, septet] of GSM_EXTENSION) GSM_SEPTET[char.charCodeAt(0)] = EXTENDED | septet;

/** Septets of the text in GSM-7, or -1 when the GSM alphabet lacks one of its characters. */
function gsmUnits(text: string): number {
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const septet = GSM_SEPTET[text.charCodeAt(i)];
    if (septet === NOT_GSM) return -1;
    units += septet & EXTENDED ? 2 : 1;
  }
  return units;
}

/**
 * Chooses the alphabet, counts units and cuts the text into parts. Characters are never
 * split: an escape pair (GSM-7) or a surrogate pair (UCS-2) moves whole to the next part.
 * Throws `SmsTooLongError` when more than `maxParts` parts are needed. The text is encoded
 * once into one buffer; the parts are views of it (this runs at acceptance and at sending).
 */
export function planSms(text: string, { maxParts }: { maxParts: number }): SmsPlan {
  const septets = gsmUnits(text);
  const encoding: SmsEncoding = septets >= 0 ? 'gsm7' : 'ucs2';
  const units = septets >= 0 ? septets : text.length;
  const bytes = encoding === 'gsm7' ? encodeGsm7(text, units) : encodeUcs2(text);
  const limits = LIMITS[encoding];
  const parts = units <= limits.single ? [bytes] : cut(bytes, encoding, limits.multipart);
  if (parts.length > maxParts) throw new SmsTooLongError(parts.length, maxParts);
  return {
    encoding,
    dataCoding: encoding === 'gsm7' ? 0 : 8,
    units,
    segments: parts.length,
    parts,
  };
}

/** Unpacked septets, 0x1B before each extension character. */
function encodeGsm7(text: string, units: number): Buffer {
  const out = Buffer.allocUnsafe(units);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const septet = GSM_SEPTET[text.charCodeAt(i)];
    if (septet & EXTENDED) out[at++] = ESCAPE;
    out[at++] = septet & 0x7f;
  }
  return out;
}

function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * Where the next part ends, in units from `start`: at most `unitsPerPart`, one less when
 * that would separate an escape from its character (GSM-7: 0x1B is never a character
 * itself, so it always starts a pair) or a high surrogate from its low one (UCS-2).
 */
function partEnd(
  bytes: Buffer,
  encoding: SmsEncoding,
  start: number,
  unitsPerPart: number,
): number {
  const width = encoding === 'gsm7' ? 1 : 2;
  const total = bytes.length / width;
  let end = Math.min(total, start + unitsPerPart);
  if (end < total) {
    const last = width === 1 ? bytes[end - 1] : bytes.readUInt16BE((end - 1) * 2);
    if (width === 1 ? last === ESCAPE : last >= 0xd800 && last <= 0xdbff) end--;
  }
  return end;
}

function cut(bytes: Buffer, encoding: SmsEncoding, unitsPerPart: number): Buffer[] {
  const width = encoding === 'gsm7' ? 1 : 2;
  const parts: Buffer[] = [];
  for (let start = 0, total = bytes.length / width; start < total;) {
    const end = partEnd(bytes, encoding, start, unitsPerPart);
    parts.push(bytes.subarray(start * width, end * width));
    start = end;
  }
  return parts;
}

/**
 * Prefixes each part with a concatenation UDH (IEI 0x00, 8-bit reference), so the handset
 * joins them. A single part is returned unchanged: it needs no header.
 */
export function withConcatenationHeaders(parts: Buffer[], reference: number): Buffer[] {
  if (parts.length === 1) return parts;
  if (parts.length > 255) throw new RangeError('A concatenated SMS has at most 255 parts');
  return parts.map((payload, i) =>
    Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, reference & 0xff, parts.length, i + 1]),
      payload,
    ]),
  );
}

/** Reads a payload back into text (for tests and for an SMSC stand-in). */
export function decodeSmsPayload(payload: Buffer, dataCoding: number): string {
  if (dataCoding === 8) return Buffer.from(payload).swap16().toString('utf16le');
  let text = '';
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] === ESCAPE && i + 1 < payload.length) {
      const septet = payload[++i];
      text += [...GSM_EXTENSION].find(([, code]) => code === septet)?.[0] ?? ' ';
    } else {
      text += GSM_BASIC[payload[i]] ?? ' ';
    }
  }
  return text;
}
