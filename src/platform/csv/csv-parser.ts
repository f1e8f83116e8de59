/**
 * Streaming RFC 4180 reader. Bytes go through a fatal UTF-8 decoder (a Windows-1256 export is
 * refused, not turned into mojibake) that also drops a leading BOM; a char-code state machine
 * then cuts records without a regex per char and without holding more than one record.
 *
 * Lenient where real exports differ from the RFC: LF or CRLF (or a lone CR) ends a line, the
 * last line may lack one, and blank lines are skipped. Strict where guessing would corrupt data:
 * a quote inside an unquoted field, text after a closing quote and an unclosed quote are errors.
 */

export interface CsvRecord {
  /** 1-based physical line where the record starts (what an editor shows). */
  line: number;
  fields: string[];
}

export type CsvErrorReason =
  'unclosed_quote' | 'stray_quote' | 'text_after_quote' | 'too_long' | 'encoding';

export class CsvParseError extends Error {
  constructor(
    readonly reason: CsvErrorReason,
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvParseError';
  }
}

export interface CsvParserOptions {
  /** Longest record in characters; stops an unclosed quote from buffering a whole file. Default 1 MiB. */
  maxRecordLength?: number;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** Just saw a quote inside a quoted field: either `""` or the closing quote. */
  QuoteInQuoted,
}

/** Push-style parser: feed decoded text in any chunks, get the completed records back. */
export class CsvParser {
  private state = State.FieldStart;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private prev = -1;
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  private recordLength = 0;
  private readonly maxRecordLength: number;

  constructor(options: CsvParserOptions = {}) {
    this.maxRecordLength = options.maxRecordLength ?? 1 << 20;
  }

  get currentLine(): number {
    return this.line;
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let state = this.state;
    let segment = 0; // start of the not-yet-copied part of the current field
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      // CRLF is one line break; a lone CR or LF is one too.
      if (c === LF) {
        if (this.prev !== CR) this.line++;
      } else if (c === CR) this.line++;
      const prev = this.prev;
      this.prev = c;

      switch (state) {
        case State.FieldStart:
          if (c === QUOTE) {
            state = State.Quoted;
            this.quoted = true;
            this.quoteLine = this.line;
            segment = i + 1;
          } else if (c === COMMA) {
            this.fields.push('');
          } else if (c === CR || c === LF) {
            // The LF of a CRLF whose CR already ended the record.
            if (c === LF && prev === CR && this.fields.length === 0 && !this.quoted) continue;
            this.endRecord(out, '');
          } else {
            state = State.Unquoted;
            segment = i;
          }
          break;
        case State.Unquoted:
          if (c === COMMA || c === CR || c === LF) {
            const value = this.field + text.slice(segment, i);
            this.field = '';
            if (c === COMMA) {
              this.fields.push(value);
              state = State.FieldStart;
            } else {
              this.endRecord(out, value);
              state = State.FieldStart;
            }
          } else if (c === QUOTE) {
            throw new CsvParseError(
              'stray_quote',
              this.line,
              'a quote inside an unquoted field; quote the whole field and double the quote ("")',
            );
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.field += text.slice(segment, i);
            state = State.QuoteInQuoted;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            // "" is an escaped quote: keep this one, carry on inside the field.
            state = State.Quoted;
            segment = i;
          } else if (c === COMMA) {
            this.fields.push(this.field);
            this.field = '';
            state = State.FieldStart;
          } else if (c === CR || c === LF) {
            const value = this.field;
            this.field = '';
            this.endRecord(out, value);
            state = State.FieldStart;
          } else {
            throw new CsvParseError(
              'text_after_quote',
              this.line,
              'text after the closing quote of a field; double quotes inside a quoted field ("")',
            );
          }
          break;
      }
      if (++this.recordLength > this.maxRecordLength) {
        throw new CsvParseError(
          'too_long',
          this.recordLine,
          `record longer than ${this.maxRecordLength} characters (unclosed quote?)`,
        );
      }
    }
    // Keep the tail of a field that continues in the next chunk.
    if (state === State.Unquoted || state === State.Quoted) this.field += text.slice(segment);
    this.state = state;
    return out;
  }

  /** Call once after the last chunk: flushes a last line without a newline, reports an open quote. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    switch (this.state) {
      case State.Quoted:
        throw new CsvParseError('unclosed_quote', this.quoteLine, 'a quoted field is never closed');
      case State.Unquoted:
      case State.QuoteInQuoted:
        this.endRecord(out, this.field);
        break;
      case State.FieldStart:
        if (this.fields.length > 0) this.endRecord(out, '');
        break;
    }
    this.field = '';
    this.state = State.FieldStart;
    return out;
  }

  private endRecord(out: CsvRecord[], last: string): void {
    const fields = this.fields;
    fields.push(last);
    // A blank line: one empty field that was never quoted. `""` alone stays a record.
    if (!(fields.length === 1 && last === '' && !this.quoted))
      out.push({ line: this.recordLine, fields });
    this.fields = [];
    this.quoted = false;
    this.recordLength = 0;
    this.recordLine = this.line;
  }
}

/**
 * Records of a CSV byte stream (a Readable, a file stream, an upload), a batch per input chunk:
 * the cheap way to read millions of rows, since each await costs more than parsing a record.
 * Strings are accepted too, for tests and small inputs.
 */
export async function* parseCsvBatches(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: CsvParserOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(options);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      // Line of the last complete character seen, close enough to find the bad bytes.
      throw new CsvParseError(
        'encoding',
        parser.currentLine,
        'the file is not valid UTF-8; save it as "CSV UTF-8"',
      );
    }
  };
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decode(chunk);
    // TextDecoder already drops a BOM from bytes; a string source may still carry one.
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const records = parser.push(text);
    if (records.length > 0) yield records;
  }
  const last = [...parser.push(decode()), ...parser.end()];
  if (last.length > 0) yield last;
}

/** Records one by one: `for await (const r of parseCsv(stream))`. */
export async function* parseCsv(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: CsvParserOptions = {},
): AsyncGenerator<CsvRecord> {
  for await (const batch of parseCsvBatches(source, options)) yield* batch;
}

/**
 * One data record as an object keyed by the header, empty cells left out (so an optional column
 * may be blank). A record with the wrong number of fields is an error, not a guess.
 */
export function csvRecordToObject(
  header: readonly string[],
  record: CsvRecord,
): { value: Record<string, string> } | { error: string } {
  if (record.fields.length !== header.length) {
    return {
      error: `line ${record.line}: ${record.fields.length} fields where the header has ${header.length}`,
    };
  }
  // No prototype: a `__proto__` column becomes an ordinary (and then unknown) field.
  const value = Object.create(null) as Record<string, string>;
  for (let i = 0; i < header.length; i++) {
    if (record.fields[i] !== '') value[header[i]] = record.fields[i];
  }
  return { value };
}
