// A strict parser for the bodies of %%configure, %%tags and %%assume_role: JSON, and the
// Python literal syntax the reference kernel accepts through ast.literal_eval. It only ever
// *reads* text: names, calls, operators, attribute access, f-strings and the like are parse
// errors with a line, a column and a hint. Nothing is evaluated, nothing is imported.
//
// Accepted: dicts (string keys only), lists, tuples (→ arrays), parenthesised values,
// strings ('…', "…", '''…''', """…""", with r/u prefixes, escapes, and implicit
// concatenation of adjacent strings), ints (decimal, 0x, 0o, 0b, underscores), floats,
// one leading + or -, True/False/None and JSON's true/false/null, trailing commas,
// and # comments.
//
// Deliberate differences from ast.literal_eval, all towards strictness or JSON:
// - dict keys must be strings (the values we read are JSON-like objects);
// - a repeated dict key is an error (Python keeps the last one silently);
// - sets, bytes, complex numbers, \N{...} escapes, nan/inf are errors;
// - integers beyond ±(2^53−1) and floats that overflow are errors (never silently rounded);
// - "\/" means "/" as in JSON (Python would keep the backslash).

export type LiteralValue = string | number | boolean | null | LiteralValue[] | LiteralObject;
export interface LiteralObject {
  [key: string]: LiteralValue;
}

export interface LiteralParseOptions {
  /** Deepest nesting of containers accepted (default 64). */
  maxDepth?: number;
  /** Longest input accepted, in characters (default 1,000,000). */
  maxLength?: number;
  /** Filled with the 1-based line of each key of the top-level dict, for messages. */
  keyLines?: Map<string, number>;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_LENGTH = 1_000_000;

/** A syntax error at a 1-based line and column, with a short hint when one helps. */
export class LiteralSyntaxError extends Error {
  override readonly name = 'LiteralSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly hint?: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}${hint ? ` (${hint})` : ''}`);
  }
}

const LITERALS_ONLY =
  'only literals are accepted: strings, numbers, True/False/None, lists, tuples and dicts; nothing is evaluated';
const OPERATOR_HINT = 'operators and expressions are never evaluated: write the final value';

const KEYWORDS: ReadonlyMap<string, LiteralValue> = new Map<string, LiteralValue>([
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', true],
  ['false', false],
  ['null', null],
]);

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ['/', '/'],
]);

const IDENT_START = /[A-Za-z_\p{L}]/u;
const IDENT_PART = /[A-Za-z0-9_\p{L}\p{N}\p{Mn}\p{Mc}]/u;
const RADIX_INT = /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+/y;
const DECIMAL = /(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?/y;
const OPERATOR_CHARS = '+-*/%@&|^~<>=!';
const WHITESPACE = ' \t\n\r\f\v\uFEFF';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Parse `text` as one JSON or Python literal. Throws LiteralSyntaxError. */
export function parsePythonLiteral(text: string, options: LiteralParseOptions = {}): LiteralValue {
  return new Parser(text, options).parseDocument();
}

class Parser {
  private pos = 0;
  private readonly maxDepth: number;
  private readonly keyLines: Map<string, number> | undefined;

  private readonly src: string;

  constructor(text: string, options: LiteralParseOptions) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.keyLines = options.keyLines;
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    // Python reads \r\n and \r as \n; doing the same here keeps line numbers and columns right.
    this.src = text.replace(/\r\n?/g, '\n');
    if (this.src.length > maxLength) {
      throw new LiteralSyntaxError(
        `input is too long (${this.src.length} characters; the limit is ${maxLength})`,
        1,
        1,
      );
    }
  }

  // Keys are met in order, so counting lines forward from the last key keeps this linear.
  private countedTo = 0;
  private countedLine = 1;
  private lineAt(at: number): number {
    for (; this.countedTo < at; this.countedTo++) if (this.src[this.countedTo] === '\n') this.countedLine++;
    return this.countedLine;
  }

  parseDocument(): LiteralValue {
    this.skipBlank();
    if (this.pos >= this.src.length) this.fail('empty input: expected a value', this.pos, LITERALS_ONLY);
    const value = this.parseValue(0);
    this.skipBlank();
    if (this.pos < this.src.length) this.unexpectedAfterValue('end of input');
    return value;
  }

  // ---- errors ---------------------------------------------------------------------------

  private fail(reason: string, at: number = this.pos, hint?: string): never {
    const { line, column } = lineColumn(this.src, at);
    throw new LiteralSyntaxError(reason, line, column, hint);
  }

  /** After a complete value we wanted `expected` but found something else. */
  private unexpectedAfterValue(expected: string): never {
    const c = this.src[this.pos];
    if (c === '(')
      this.fail(`unexpected '(' where ${expected} was expected`, this.pos, 'function calls are not allowed');
    if (c === '.')
      this.fail(`unexpected '.' where ${expected} was expected`, this.pos, 'attribute access is not allowed');
    if (c === '[')
      this.fail(`unexpected '[' where ${expected} was expected`, this.pos, 'subscripts are not allowed');
    if (c === ':' && expected.includes(',')) {
      this.fail(
        `unexpected ':' where ${expected} was expected`,
        this.pos,
        'is a comma missing? Adjacent strings are joined into one',
      );
    }
    if (c !== undefined && OPERATOR_CHARS.includes(c)) {
      this.fail(`unexpected '${c}' where ${expected} was expected`, this.pos, OPERATOR_HINT);
    }
    if (c !== undefined && IDENT_START.test(c)) {
      const word = this.peekIdentifier();
      if (['for', 'if', 'else', 'and', 'or', 'not', 'in', 'is', 'lambda'].includes(word)) {
        this.fail(
          `unexpected '${word}' where ${expected} was expected`,
          this.pos,
          'expressions and comprehensions are not allowed',
        );
      }
      this.fail(`unexpected '${word}' where ${expected} was expected`, this.pos, 'is a comma missing?');
    }
    if (c === '"' || c === "'" || (c !== undefined && /[0-9]/.test(c))) {
      this.fail(
        `unexpected ${describeChar(c)} where ${expected} was expected`,
        this.pos,
        'is a comma missing?',
      );
    }
    if (c === undefined) this.fail(`unexpected end of input: expected ${expected}`);
    this.fail(`unexpected ${describeChar(c)} where ${expected} was expected`);
  }

  // ---- lexing helpers --------------------------------------------------------------------

  private skipBlank(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (WHITESPACE.includes(c)) this.pos++;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  private peekIdentifier(): string {
    let end = this.pos;
    while (end < this.src.length && IDENT_PART.test(this.src[end])) end++;
    return this.src.slice(this.pos, end);
  }

  // ---- values ----------------------------------------------------------------------------

  private parseValue(depth: number): LiteralValue {
    this.skipBlank();
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) this.fail('unexpected end of input: expected a value');
    if (c === '{') return this.parseDict(depth + 1);
    if (c === '[') return this.parseList(depth + 1);
    if (c === '(') return this.parseParen(depth + 1);
    if (c === '"' || c === "'") return this.parseStrings();
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[this.pos + 1] ?? '')))
      return this.parseNumber(1, this.pos);
    if (c === '-' || c === '+') {
      const signAt = this.pos;
      this.pos++;
      this.skipBlank();
      const d = s[this.pos];
      if (d !== undefined && (/[0-9]/.test(d) || (d === '.' && /[0-9]/.test(s[this.pos + 1] ?? '')))) {
        return this.parseNumber(c === '-' ? -1 : 1, signAt);
      }
      this.fail(`'${c}' must be followed by a number`, signAt, OPERATOR_HINT);
    }
    if (IDENT_START.test(c)) return this.parseName();
    if (c === '*') this.fail("unexpected '*'", this.pos, 'unpacking is not allowed');
    if (c === '`') this.fail("unexpected '`'", this.pos, 'use quotes for strings');
    if (c === '\\')
      this.fail("unexpected '\\'", this.pos, 'line continuations are not needed inside brackets');
    if (OPERATOR_CHARS.includes(c)) this.fail(`unexpected '${c}': expected a value`, this.pos, OPERATOR_HINT);
    this.fail(`unexpected ${describeChar(c)}: expected a value`, this.pos, LITERALS_ONLY);
  }

  private parseName(): LiteralValue {
    const start = this.pos;
    const word = this.peekIdentifier();
    const next = this.src[start + word.length];
    if (next === '"' || next === "'") {
      const prefix = word.toLowerCase();
      if (prefix === 'r' || prefix === 'u') return this.parseStrings();
      if (prefix === 'b' || prefix === 'br' || prefix === 'rb') {
        this.fail(`bytes literal ${word}${next}…${next} is not supported`, start, 'use a plain string');
      }
      if (['f', 'fr', 'rf', 't', 'tr', 'rt'].includes(prefix)) {
        this.fail(
          `${prefix.includes('f') ? 'f-strings' : 'template strings'} are not allowed`,
          start,
          'they evaluate code; use a plain string',
        );
      }
    }
    const value = KEYWORDS.get(word);
    if (value !== undefined) {
      this.pos += word.length;
      return value;
    }
    const lower = word.toLowerCase();
    if (lower === 'nan' || lower === 'inf' || lower === 'infinity') {
      this.fail(`'${word}' is not accepted`, start, 'not-a-number and infinity are not valid values here');
    }
    let after = start + word.length;
    while (after < this.src.length && ' \t'.includes(this.src[after])) after++;
    const following = this.src[after];
    if (following === '(')
      this.fail(`unexpected name '${word}'`, start, `function calls are not allowed; ${LITERALS_ONLY}`);
    if (following === '.')
      this.fail(`unexpected name '${word}'`, start, `attribute access is not allowed; ${LITERALS_ONLY}`);
    if (following === '=' && this.src[after + 1] !== '=') {
      this.fail(`unexpected name '${word}'`, start, `write dicts as {"${word}": value}, not ${word}=value`);
    }
    if (lower === 'true' || lower === 'false' || lower === 'none' || lower === 'null') {
      this.fail(
        `unexpected name '${word}'`,
        start,
        'write True/False/None (Python) or true/false/null (JSON)',
      );
    }
    this.fail(`unexpected name '${word}'`, start, `${LITERALS_ONLY}; put text in quotes: "${word}"`);
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) this.fail(`nesting is deeper than ${this.maxDepth} levels`);
  }

  private parseDict(depth: number): LiteralObject {
    this.checkDepth(depth);
    const open = this.pos;
    this.pos++; // {
    const out: LiteralObject = {};
    let first = true;
    for (;;) {
      this.skipBlank();
      if (this.src[this.pos] === '}') {
        this.pos++;
        return out;
      }
      if (this.pos >= this.src.length) this.fail(`unclosed '{' (opened at ${this.where(open)})`);
      if (this.src[this.pos] === '*') this.fail("unexpected '*'", this.pos, 'unpacking is not allowed');
      const keyAt = this.pos;
      const key = this.parseValue(depth);
      this.skipBlank();
      if (first && (this.src[this.pos] === ',' || this.src[this.pos] === '}')) {
        this.fail('sets are not supported', open, 'use a list [...] or a dict {key: value}');
      }
      if (this.src[this.pos] !== ':') this.unexpectedAfterValue("':' after a dict key");
      if (typeof key !== 'string') {
        this.fail(
          `dict keys must be strings, not ${describeValue(key)}`,
          keyAt,
          `quote the key: "${String(key)}"`,
        );
      }
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        this.fail(`duplicate dict key ${JSON.stringify(key)}`, keyAt, 'each key may appear once');
      }
      if (depth === 1 && this.keyLines) this.keyLines.set(key, this.lineAt(keyAt));
      this.pos++; // :
      const value = this.parseValue(depth);
      // defineProperty, not assignment: a "__proto__" key becomes an ordinary own property.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      first = false;
      this.skipBlank();
      const c = this.src[this.pos];
      if (c === ',') this.pos++;
      else if (c !== '}') this.unexpectedAfterValue("',' or '}' in a dict");
    }
  }

  private parseList(depth: number): LiteralValue[] {
    this.checkDepth(depth);
    const open = this.pos;
    this.pos++; // [
    const out: LiteralValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.src[this.pos] === ']') {
        this.pos++;
        return out;
      }
      if (this.pos >= this.src.length) this.fail(`unclosed '[' (opened at ${this.where(open)})`);
      out.push(this.parseValue(depth));
      this.skipBlank();
      const c = this.src[this.pos];
      if (c === ',') this.pos++;
      else if (c !== ']') this.unexpectedAfterValue("',' or ']' in a list");
    }
  }

  /** `( … )`: a tuple (→ array) when it is empty or has a comma, else just grouping. */
  private parseParen(depth: number): LiteralValue {
    this.checkDepth(depth);
    const open = this.pos;
    this.pos++; // (
    this.skipBlank();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return [];
    }
    const first = this.parseValue(depth);
    this.skipBlank();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return first;
    }
    const out: LiteralValue[] = [first];
    for (;;) {
      this.skipBlank();
      const c = this.src[this.pos];
      if (c === ')') {
        this.pos++;
        return out;
      }
      if (c !== ',') {
        if (c === undefined) this.fail(`unclosed '(' (opened at ${this.where(open)})`);
        this.unexpectedAfterValue("',' or ')' in a tuple");
      }
      this.pos++;
      this.skipBlank();
      if (this.src[this.pos] === ')') continue;
      if (this.pos >= this.src.length) this.fail(`unclosed '(' (opened at ${this.where(open)})`);
      out.push(this.parseValue(depth));
    }
  }

  private where(at: number): string {
    const { line, column } = lineColumn(this.src, at);
    return `line ${line}, column ${column}`;
  }

  // ---- numbers ---------------------------------------------------------------------------

  private parseNumber(sign: 1 | -1, startAt: number): number {
    const s = this.src;
    const start = this.pos;
    RADIX_INT.lastIndex = start;
    const radix = RADIX_INT.exec(s);
    let value: number;
    let end: number;
    if (radix) {
      end = start + radix[0].length;
      const digits = radix[0].slice(2).replace(/_/g, '');
      if (digits.replace(/^0+/, '').length > 64) this.tooLarge(startAt, end);
      const base = { x: 16, o: 8, b: 2 }[radix[0][1].toLowerCase() as 'x' | 'o' | 'b'];
      const big = BigInt(base === 16 ? `0x${digits}` : base === 8 ? `0o${digits}` : `0b${digits}`);
      if (big > MAX_SAFE) this.tooLarge(startAt, end);
      value = Number(big);
    } else {
      DECIMAL.lastIndex = start;
      const text = DECIMAL.exec(s)?.[0] ?? '';
      end = start + text.length;
      const clean = text.replace(/_/g, '');
      const isInt = !/[.eE]/.test(clean);
      if (isInt) {
        if (/^0+[1-9]/.test(clean)) {
          this.fail(
            `invalid number ${text}`,
            startAt,
            'leading zeros are not allowed in integers (use 0o… for octal)',
          );
        }
        // The length test first: BigInt() of a megabyte of digits is slow.
        if (clean.replace(/^0+/, '').length > 16 || BigInt(clean) > MAX_SAFE) this.tooLarge(startAt, end);
        value = Number(clean);
      } else {
        value = Number(clean);
        if (!Number.isFinite(value)) {
          this.fail(
            `number ${s.slice(startAt, end)} is out of range`,
            startAt,
            'the largest accepted float is about 1.8e308',
          );
        }
      }
    }
    const next = s[end];
    if (next === 'j' || next === 'J') this.fail('complex numbers are not supported', startAt);
    if (next !== undefined && (IDENT_PART.test(next) || next === '.')) {
      let stop = end;
      while (stop < s.length && (IDENT_PART.test(s[stop]) || s[stop] === '.')) stop++;
      this.fail(
        `invalid number ${s.slice(start, stop)}`,
        start,
        'numbers are digits with an optional . and exponent; quote text',
      );
    }
    this.pos = end;
    return sign * value || 0; // || 0: never return -0
  }

  private tooLarge(startAt: number, end: number): never {
    this.fail(
      `integer ${shorten(this.src.slice(startAt, end))} is too large`,
      startAt,
      `the limit is ±${Number.MAX_SAFE_INTEGER}; quote it if it is an identifier`,
    );
  }

  // ---- strings ---------------------------------------------------------------------------

  /** One or more adjacent string literals, concatenated (as Python does). */
  private parseStrings(): string {
    let out = this.parseOneString();
    for (;;) {
      const save = this.pos;
      this.skipBlank();
      const c = this.src[this.pos];
      if (c === '"' || c === "'") {
        out += this.parseOneString();
        continue;
      }
      if (c !== undefined && IDENT_START.test(c)) {
        const word = this.peekIdentifier();
        const q = this.src[this.pos + word.length];
        if ((q === '"' || q === "'") && word.length <= 2) {
          // Let parseName report f-strings/bytes, or read an r/u string.
          const lower = word.toLowerCase();
          if (lower === 'r' || lower === 'u') {
            out += this.parseOneString();
            continue;
          }
          this.parseName();
        }
      }
      this.pos = save;
      return out;
    }
  }

  private parseOneString(): string {
    const s = this.src;
    const start = this.pos;
    let raw = false;
    while (s[this.pos] !== '"' && s[this.pos] !== "'") {
      if (s[this.pos] === 'r' || s[this.pos] === 'R') raw = true;
      this.pos++;
    }
    const quote = s[this.pos];
    const triple = s.startsWith(quote.repeat(3), this.pos);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.pos += delimiter.length;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) {
        this.fail(
          `unterminated string (it starts at ${this.where(start)})`,
          start,
          `close it with ${delimiter}`,
        );
      }
      const c = s[this.pos];
      if (c === quote && s.startsWith(delimiter, this.pos)) {
        this.pos += delimiter.length;
        return out;
      }
      if (!triple && c === '\n') {
        this.fail(
          'unterminated string: a line break inside a quoted string',
          start,
          "use \\n, or triple quotes '''…'''",
        );
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      // A backslash.
      const e = s[this.pos + 1];
      if (e === undefined) {
        this.pos++; // reported as unterminated on the next turn
        continue;
      }
      if (raw) {
        // In raw strings a backslash never ends the string and is kept, with the next char.
        out += c + e;
        this.pos += 2;
        continue;
      }
      out += this.readEscape();
    }
  }

  /** Reads the escape at this.pos (a backslash) and returns the text it stands for. */
  private readEscape(): string {
    const s = this.src;
    const at = this.pos;
    const e = s[at + 1];
    this.pos += 2;
    if (e === '\n') return '';
    const simple = SIMPLE_ESCAPES.get(e);
    if (simple !== undefined) return simple;
    if (/[0-7]/.test(e)) {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(s[this.pos] ?? '')) digits += s[this.pos++];
      return String.fromCharCode(parseInt(digits, 8));
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength) {
      const hex = s.slice(this.pos, this.pos + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
        this.fail(`invalid \\${e} escape: expected ${hexLength} hex digits`, at);
      }
      this.pos += hexLength;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail(`invalid \\${e} escape: ${hex} is beyond U+10FFFF`, at);
      return e === 'U' ? String.fromCodePoint(code) : String.fromCharCode(code);
    }
    if (e === 'N') this.fail('\\N{...} escapes are not supported', at, 'use \\uXXXX instead');
    // Python keeps unknown escapes as written (backslash included).
    return `\\${e}`;
  }
}

function lineColumn(src: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f)
    return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}

function describeValue(v: LiteralValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'a list or tuple';
  if (typeof v === 'object') return 'a dict';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return `the ${typeof v} ${String(v)}`;
}

function shorten(text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}…(${text.length} digits)` : text;
}
