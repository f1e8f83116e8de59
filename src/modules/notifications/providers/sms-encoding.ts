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

/** Septets of one character in GSM-7, or undefined when the GSM alphabet lacks it. */
function gsmSeptets(char: string): number[] | undefined {
  const basic = GSM_BASIC_SEPTETS.get(char);
  if (basic !== undefined) return [basic];
  const extension = GSM_EXTENSION.get(char);
  return extension === undefined ? undefined : [ESCAPE, extension];
}

function isGsm7(text: string): boolean {
  for (const char of text) if (!gsmSeptets(char)) return false;
  return true;
}

/** Bytes of one character (a whole code point, so a surrogate pair or escape pair stays together). */
function encodeChar(char: string, encoding: SmsEncoding): Buffer {
  return encoding === 'gsm7'
    ? Buffer.from(gsmSeptets(char)!)
    : Buffer.from(char, 'utf16le').swap16();
}

/** Units a character costs: bytes in GSM-7 (1 or 2 with escape), code units in UCS-2 (2 bytes each). */
function unitsOf(bytes: Buffer, encoding: SmsEncoding): number {
  return encoding === 'gsm7' ? bytes.length : bytes.length / 2;
}

/**
 * Chooses the alphabet, counts units and cuts the text into parts. Characters are never
 * split: an escape pair (GSM-7) or a surrogate pair (UCS-2) moves whole to the next part.
 * Throws `SmsTooLongError` when more than `maxParts` parts are needed.
 */
export function planSms(text: string, { maxParts }: { maxParts: number }): SmsPlan {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const chars = [...text].map((char) => encodeChar(char, encoding));
  const units = chars.reduce((sum, bytes) => sum + unitsOf(bytes, encoding), 0);
  const limits = LIMITS[encoding];
  const parts =
    units <= limits.single ? [Buffer.concat(chars)] : cut(chars, limits.multipart, encoding);
  if (parts.length > maxParts) throw new SmsTooLongError(parts.length, maxParts);
  return {
    encoding,
    dataCoding: encoding === 'gsm7' ? 0 : 8,
    units,
    segments: parts.length,
    parts,
  };
}

function cut(chars: Buffer[], unitsPerPart: number, encoding: SmsEncoding): Buffer[] {
  const parts: Buffer[] = [];
  let current: Buffer[] = [];
  let used = 0;
  for (const bytes of chars) {
    const cost = unitsOf(bytes, encoding);
    if (used + cost > unitsPerPart) {
      parts.push(Buffer.concat(current));
      current = [];
      used = 0;
    }
    current.push(bytes);
    used += cost;
  }
  parts.push(Buffer.concat(current));
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
