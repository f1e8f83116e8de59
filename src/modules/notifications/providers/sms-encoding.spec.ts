import { describe, expect, it } from '@jest/globals';
import { SmsTooLongError } from '../errors/notifications.errors.js';
import { decodeSmsPayload, planSms, withConcatenationHeaders } from './sms-encoding.js';

const ARABIC = 'تم استلام طلبكم رقم 2024-118 بنجاح. سيتم إشعاركم عند صدور القرار. ';
const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};
const decodeUcs2 = (parts: Buffer[]) => Buffer.concat(parts).swap16().toString('utf16le');

describe('planSms', () => {
  it.each([
    ['160 GSM characters', 'a'.repeat(160), 'gsm7', 160, 1],
    ['161 GSM characters', 'a'.repeat(161), 'gsm7', 161, 2],
    ['306 GSM characters', 'a'.repeat(306), 'gsm7', 306, 2],
    ['307 GSM characters', 'a'.repeat(307), 'gsm7', 307, 3],
    ['70 Arabic letters', 'ب'.repeat(70), 'ucs2', 70, 1],
    ['71 Arabic letters', 'ب'.repeat(71), 'ucs2', 71, 2],
    ['134 Arabic letters', 'ب'.repeat(134), 'ucs2', 134, 2],
    ['135 Arabic letters', 'ب'.repeat(135), 'ucs2', 135, 3],
    ['a euro sign', '€', 'gsm7', 2, 1],
    ['all extension characters', '^{}\\[~]|€\f', 'gsm7', 20, 1],
    ['80 euro signs', '€'.repeat(80), 'gsm7', 160, 1],
    ['an emoji', '😀', 'ucs2', 2, 1],
    ['Latin text with one Arabic letter', `Hello ${'x'.repeat(100)} س`, 'ucs2', 108, 2],
  ])('counts %s', (_name, text, encoding, units, segments) => {
    const sut = planSms(text, { maxParts: 10 });
    expect(sut).toMatchObject({
      encoding,
      units,
      segments,
      dataCoding: encoding === 'gsm7' ? 0 : 8,
    });
    expect(sut.parts).toHaveLength(segments);
  });

  it('never substitutes "?" for characters outside GSM 03.38', () => {
    const sut = planSms('Café ç 😀', { maxParts: 1 });
    expect(sut.encoding).toBe('ucs2');
    expect(decodeUcs2(sut.parts)).toBe('Café ç 😀');
  });

  it('treats the escape character itself as outside the GSM alphabet', () => {
    expect(planSms('a\u001bb', { maxParts: 1 }).encoding).toBe('ucs2');
  });

  it('encodes GSM-7 as unpacked septets with 0x1B before extension characters', () => {
    const sut = planSms('@A€{', { maxParts: 1 });
    expect([...sut.parts[0]]).toEqual([0x00, 0x41, 0x1b, 0x65, 0x1b, 0x28]);
  });

  it('never splits an escape pair across parts', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const sut = planSms(text, { maxParts: 3 });
    expect(sut.units).toBe(164);
    expect(sut.parts.map((p) => p.length)).toEqual([152, 12]);
    expect(sut.parts[1][0]).toBe(0x1b);
    expect(sut.parts.map((p) => decodeSmsPayload(p, 0)).join('')).toBe(text);
  });

  it('never splits a surrogate pair across parts', () => {
    const text = `${'ب'.repeat(66)}😀${'ب'.repeat(10)}`;
    const sut = planSms(text, { maxParts: 3 });
    expect(sut.units).toBe(78);
    expect(sut.parts.map((p) => p.length / 2)).toEqual([66, 12]);
    const lastUnits = sut.parts.map((p) => p.readUInt16BE(p.length - 2));
    for (const unit of lastUnits) expect(unit >= 0xd800 && unit <= 0xdbff).toBe(false);
  });

  it('cuts a long Arabic message into parts that reassemble byte-exact', () => {
    const text = ARABIC.repeat(4);
    const sut = planSms(text, { maxParts: 6 });
    expect(sut.encoding).toBe('ucs2');
    expect(sut.segments).toBe(Math.ceil([...text].length / 67));
    for (const part of sut.parts) expect(part.length).toBeLessThanOrEqual(134);
    expect(Buffer.concat(sut.parts).equals(Buffer.from(text, 'utf16le').swap16())).toBe(true);
    expect(decodeUcs2(sut.parts)).toBe(text);
  });

  it('round-trips every GSM character', () => {
    const text =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà^{}\\[~]|€\f';
    const sut = planSms(text, { maxParts: 1 });
    expect(sut.encoding).toBe('gsm7');
    expect(decodeSmsPayload(sut.parts[0], 0)).toBe(text);
  });

  it('cuts any mix of characters like a character-by-character greedy cut', () => {
    const NOT_GSM = ['ب', 'ة', '😀'];
    // The reference: walk whole characters, start a new part when the next one does not fit.
    const reference = (text: string) => {
      const gsm = ![...text].some((c) => NOT_GSM.includes(c));
      const cost = (c: string) => (gsm ? ('^{}\\[~]|€\f'.includes(c) ? 2 : 1) : c.length);
      const total = [...text].reduce((n, c) => n + cost(c), 0);
      const [single, multi] = gsm ? [160, 153] : [70, 67];
      if (total <= single) return { gsm, total, sizes: [total] };
      const sizes = [0];
      for (const c of text.match(/[\s\S]/gu) ?? []) {
        if (sizes[sizes.length - 1] + cost(c) > multi) sizes.push(0);
        sizes[sizes.length - 1] += cost(c);
      }
      return { gsm, total, sizes };
    };
    const alphabet = ['a', 'Z', '7', ' ', '€', '{', '\f', 'é', 'ب', 'ة', '😀', '\n'];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round++) {
      const latinOnly = round % 2 === 0;
      const pool = latinOnly ? alphabet.filter((c) => !NOT_GSM.includes(c)) : alphabet;
      const text = Array.from(
        { length: Math.floor(random() * 400) },
        () => pool[Math.floor(random() * pool.length)],
      ).join('');
      const expected = reference(text);
      const sut = planSms(text, { maxParts: 255 });
      expect(sut.encoding).toBe(expected.gsm ? 'gsm7' : 'ucs2');
      expect(sut.units).toBe(expected.total);
      expect(sut.parts.map((p) => (expected.gsm ? p.length : p.length / 2))).toEqual(
        expected.sizes,
      );
      const decoded = expected.gsm
        ? sut.parts.map((p) => decodeSmsPayload(p, 0)).join('')
        : decodeUcs2(sut.parts);
      expect(decoded).toBe(text);
    }
  });

  it('refuses a text that needs more parts than allowed', () => {
    expect(() => planSms('a'.repeat(307), { maxParts: 2 })).toThrow(SmsTooLongError);
    const error = thrownBy(() => planSms('ب'.repeat(135), { maxParts: 2 }));
    expect(error).toMatchObject({ code: 'NOTIFICATIONS_SMS_TOO_LONG', segments: 3, maxParts: 2 });
  });
});

describe('withConcatenationHeaders', () => {
  it('prefixes each part with IEI 0x00, the reference, the count and the sequence', () => {
    const sut = withConcatenationHeaders([Buffer.from('ab'), Buffer.from('c')], 0x1a7);
    expect([...sut[0]]).toEqual([0x05, 0x00, 0x03, 0xa7, 2, 1, 0x61, 0x62]);
    expect([...sut[1]]).toEqual([0x05, 0x00, 0x03, 0xa7, 2, 2, 0x63]);
  });

  it('leaves a single part without header', () => {
    const part = Buffer.from('x');
    expect(withConcatenationHeaders([part], 7)).toEqual([part]);
  });
});
