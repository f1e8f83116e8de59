import { TRANSACTION_FIELDS } from './transaction-input.js';

/**
 * The CSV import's fast path reads a file with PostgreSQL's `COPY … (FORMAT csv)` instead of
 * parsing it in JavaScript. That is only safe when both parsers must read the file the same way
 * and every value is one `validateTransaction` accepts unchanged, so the file is first scanned
 * byte by byte (no string, no object per row) for that "plain" shape:
 *
 * - the first line is exactly the canonical header (`TRANSACTION_FIELDS`, no BOM, no spaces);
 * - every byte is printable ASCII, a line feed, or a carriage return right before one; no quote
 *   and no backslash anywhere (so no quoting rules apply, and `\.` cannot end a COPY early);
 * - every line has the 11 fields; references are 1 to 100 characters (originalRef may be empty),
 *   without surrounding spaces; occurredAt is exactly `YYYY-MM-DDTHH:MM:SS` then `Z` or a
 *   `±HH:MM` offset of at most 14 hours (no fraction: our parser truncates one that the database
 *   would round); amountFils is `[1-9][0-9]{0,17}` and feeFils `0` or the same, so both fit
 *   `bigint` and the database's integer reader (which also takes `+1`, `01`) sees only canonical
 *   digits.
 *
 * What the scan leaves to the database, set-wise: impossible dates (31 April fails the cast),
 * the time range, and, on the distinct values, the codes, the enums, the currency and whether an
 * original is given exactly for refunds and reversals (checked in JavaScript by the import with
 * the same rules). Anything not plain takes the diagnosing path, which names every error by line.
 */
export class PlainCsvScanner {
  private plain = true;
  private line = 0;
  private field = 0;
  private pos = 0;
  private prev = -1;
  /** Two-digit numbers of occurredAt being read: hour, minute, second, offset hours, offset minutes. */
  private hour = 0;
  private minute = 0;
  private second = 0;
  private offsetHour = 0;
  private offsetMinute = 0;
  private lastByte = -1;
  /** A CR was read: the next byte must be its LF. */
  private pendingCr = false;
  private dataLines = 0;

  /** Data rows when the file is plain, else null. Call after the last `push`. */
  finish(): number | null {
    if (!this.plain || this.pendingCr) return null;
    // The last line may lack its line feed.
    if (this.lastByte !== LF && this.lastByte !== -1) {
      if (this.line === 0 || !this.endLine()) return null;
      this.line++;
    }
    return this.line === 0 ? null : this.dataLines;
  }

  get isPlain(): boolean {
    return this.plain;
  }

  push(buf: Uint8Array): void {
    if (!this.plain || buf.length === 0) return;
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      // Most bytes are in text fields (references, codes): skip them in a tight loop.
      if (this.line !== 0 && !this.pendingCr && TEXT_FIELD[this.field] === 1) {
        const start = i;
        while (i < n && TEXT_BYTE[buf[i]] === 1) i++;
        if (i > start) {
          if (this.field === 0 || this.field === 10) {
            // References: no leading space (a trailing one is caught at the end), at most 100.
            if (this.pos === 0 && buf[start] === SPACE) return this.fail();
            if (this.pos + (i - start) > 100) return this.fail();
          }
          this.pos += i - start;
          this.prev = buf[i - 1];
        }
        if (i === n) break;
      }
      const b = buf[i];
      if (this.line === 0) {
        if (b === LF) {
          const end = this.pos > 0 && this.prev === CR ? this.pos - 1 : this.pos;
          if (end !== HEADER.length) return this.fail();
          this.line = 1;
          this.pos = 0;
          this.prev = b;
          continue;
        }
        if (
          this.pos < HEADER.length
            ? b !== HEADER[this.pos]
            : !(b === CR && this.pos === HEADER.length)
        )
          return this.fail();
        this.pos++;
        this.prev = b;
        continue;
      }
      if (this.pendingCr) {
        if (b !== LF) return this.fail();
        this.pendingCr = false;
      }
      if (b === COMMA) {
        if (!this.endField()) return this.fail();
        this.field++;
        this.pos = 0;
      } else if (b === LF) {
        if (!this.endLine()) return this.fail();
        this.line++;
      } else if (b === CR) {
        // Only as the first half of CRLF (checked with the next byte); `prev` stays the byte before.
        this.pendingCr = true;
        continue;
      } else if (b < 0x20 || b > 0x7e || b === QUOTE || b === BACKSLASH) {
        return this.fail();
      } else if (!this.byte(b)) {
        return this.fail();
      } else {
        this.pos++;
      }
      this.prev = b;
    }
    this.lastByte = buf[n - 1];
  }

  private fail(): void {
    this.plain = false;
  }

  /** One byte of field `this.field` at position `this.pos` (printable ASCII, not quote or backslash). */
  private byte(b: number): boolean {
    switch (this.field) {
      case 0: // externalRef
      case 10: // originalRef
        // No leading space (a trailing one is caught at the field's end); at most 100.
        return this.pos < 100 && !(b === SPACE && this.pos === 0);
      case 1:
        return this.timeByte(b);
      case 7: // amountFils
        return isDigit(b) && this.pos < 18 && !(this.pos === 0 && b === ZERO);
      case 8: // feeFils: "0" alone or no leading zero
        return isDigit(b) && this.pos < 18 && !(this.pos === 1 && this.prev === ZERO);
      default:
        // Codes, enums, currency: compared exactly on their distinct values afterwards.
        return this.field < 11;
    }
  }

  /** `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`. */
  private timeByte(b: number): boolean {
    const p = this.pos;
    if (p === 4 || p === 7) return b === DASH;
    if (p === 10) return b === T;
    if (p === 13 || p === 16 || p === 22) return b === COLON;
    if (p === 19) return b === Z || b === PLUS || b === DASH;
    if (p > 24 || !isDigit(b)) return false;
    // Only the offset form has positions 20 to 24.
    if (p >= 20 && this.prev === Z && p === 20) return false;
    const d = b - ZERO;
    if (p === 11 || p === 12) this.hour = p === 11 ? d * 10 : this.hour + d;
    else if (p === 14 || p === 15) this.minute = p === 14 ? d * 10 : this.minute + d;
    else if (p === 17 || p === 18) this.second = p === 17 ? d * 10 : this.second + d;
    else if (p === 20 || p === 21) this.offsetHour = p === 20 ? d * 10 : this.offsetHour + d;
    else if (p === 23 || p === 24) this.offsetMinute = p === 23 ? d * 10 : this.offsetMinute + d;
    return true;
  }

  private endField(): boolean {
    const p = this.pos;
    switch (this.field) {
      case 0:
        return p > 0 && this.prev !== SPACE;
      case 10:
        return false; // an 12th field
      case 1: {
        if (this.hour > 23 || this.minute > 59 || this.second > 59) return false;
        if (p === 20) return this.prev === Z;
        return (
          p === 25 &&
          this.offsetMinute <= 59 &&
          (this.offsetHour < 14 || (this.offsetHour === 14 && this.offsetMinute === 0))
        );
      }
      case 7:
      case 8:
        return p > 0;
      default:
        return true;
    }
  }

  private endLine(): boolean {
    if (this.field !== 10) return false;
    // originalRef: empty, or a reference without a trailing space.
    const ok = this.pos === 0 || this.prev !== SPACE;
    this.field = 0;
    this.pos = 0;
    if (ok) this.dataLines++;
    return ok;
  }
}

const HEADER = new TextEncoder().encode(TRANSACTION_FIELDS.join(','));
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const DASH = 0x2d;
const ZERO = 0x30;
const COLON = 0x3a;
const T = 0x54;
const Z = 0x5a;
const BACKSLASH = 0x5c;
const isDigit = (b: number) => b >= ZERO && b <= 0x39;
/** Fields read as text: references, codes, enums, currency (not the time and the amounts). */
const TEXT_FIELD = Uint8Array.from({ length: 11 }, (_, f) =>
  f === 1 || f === 7 || f === 8 ? 0 : 1,
);
/** Bytes a text field may hold: printable ASCII but the comma, the quote and the backslash. */
const TEXT_BYTE = Uint8Array.from({ length: 256 }, (_, b) =>
  b >= 0x20 && b <= 0x7e && b !== COMMA && b !== QUOTE && b !== BACKSLASH ? 1 : 0,
);
