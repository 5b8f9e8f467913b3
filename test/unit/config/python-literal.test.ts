import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePythonLiteral, LiteralSyntaxError } from '../../../src/config';

function fails(text: string, pattern: RegExp, where?: { line: number; column: number }): LiteralSyntaxError {
  let caught: unknown;
  try {
    parsePythonLiteral(text);
  } catch (e) {
    caught = e;
  }
  assert.ok(
    caught instanceof LiteralSyntaxError,
    `expected a LiteralSyntaxError for ${JSON.stringify(text)}, got ${String(caught)}`,
  );
  assert.match(caught.message, pattern);
  if (where) {
    assert.equal(caught.line, where.line, `line of ${caught.message}`);
    assert.equal(caught.column, where.column, `column of ${caught.message}`);
  }
  return caught;
}

describe('python-literal: accepted syntax', () => {
  it('parses JSON', () => {
    assert.deepEqual(
      parsePythonLiteral(
        '{"a": [1, 2.5, -3e2], "b": {"c": null, "d": true, "e": false}, "f": "x\\u00e9\\/"}',
      ),
      {
        a: [1, 2.5, -300],
        b: { c: null, d: true, e: false },
        f: 'xé/',
      },
    );
  });

  it('parses Python dicts with True/False/None, single quotes, tuples and trailing commas', () => {
    assert.deepEqual(
      parsePythonLiteral("{'a': True, 'b': False, 'c': None, 't': (1, 'x',), 'l': [1, 2,],}"),
      {
        a: true,
        b: false,
        c: null,
        t: [1, 'x'],
        l: [1, 2],
      },
    );
  });

  it('parses tuples, grouping and empty containers', () => {
    assert.deepEqual(parsePythonLiteral('()'), []);
    assert.deepEqual(parsePythonLiteral('(1,)'), [1]);
    assert.equal(parsePythonLiteral('(1)'), 1);
    assert.equal(parsePythonLiteral('(("a"))'), 'a');
    assert.deepEqual(parsePythonLiteral('[[], {}, ()]'), [[], {}, []]);
  });

  it('parses every string form', () => {
    assert.equal(parsePythonLiteral(`'single'`), 'single');
    assert.equal(parsePythonLiteral(`"double"`), 'double');
    assert.equal(parsePythonLiteral(`'''tri\nple'''`), 'tri\nple');
    assert.equal(parsePythonLiteral(`"""it's "quoted" """`), `it's "quoted" `);
    assert.equal(parsePythonLiteral(`r'C:\\new\\table'`), 'C:\\new\\table');
    assert.equal(parsePythonLiteral(`R"a\\"b"`), 'a\\"b');
    assert.equal(parsePythonLiteral(`u'x'`), 'x');
    assert.equal(parsePythonLiteral(`'a' "b" r'\\c'`), 'ab\\c', 'adjacent strings concatenate');
    assert.equal(parsePythonLiteral(`''`), '');
  });

  it('decodes escapes like Python', () => {
    assert.equal(parsePythonLiteral(`'\\n\\t\\r\\\\\\'\\"\\a\\b\\f\\v'`), '\n\t\r\\\'"\x07\b\f\v');
    assert.equal(parsePythonLiteral(`'\\x41\\u00e9\\U0001F600'`), 'Aé😀');
    assert.equal(parsePythonLiteral(`'\\101\\0'`), 'A\0');
    assert.equal(parsePythonLiteral(`'\\d'`), '\\d', 'unknown escapes keep their backslash');
    assert.equal(parsePythonLiteral(`'a\\\nb'`), 'ab', 'backslash-newline is a continuation');
  });

  it('parses numbers', () => {
    assert.equal(parsePythonLiteral('0'), 0);
    assert.equal(parsePythonLiteral('-7'), -7);
    assert.equal(parsePythonLiteral('+ 7'), 7);
    assert.equal(parsePythonLiteral('1_000_000'), 1_000_000);
    assert.equal(parsePythonLiteral('0x1F'), 31);
    assert.equal(parsePythonLiteral('0o17'), 15);
    assert.equal(parsePythonLiteral('0b101'), 5);
    assert.equal(parsePythonLiteral('.5'), 0.5);
    assert.equal(parsePythonLiteral('5.'), 5);
    assert.equal(parsePythonLiteral('1E-2'), 0.01);
    assert.equal(parsePythonLiteral('-0'), 0);
    assert.ok(Object.is(parsePythonLiteral('-0.0'), 0), 'never -0');
    assert.equal(parsePythonLiteral(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    assert.equal(parsePythonLiteral(`-${Number.MAX_SAFE_INTEGER}`), -Number.MAX_SAFE_INTEGER);
  });

  it('accepts JSON keywords and comments, CRLF and a BOM', () => {
    assert.deepEqual(
      parsePythonLiteral('\uFEFF# leading comment\r\n{"a": true, # note\r\n "b": null}  # end'),
      { a: true, b: null },
    );
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const v = parsePythonLiteral('{"__proto__": {"polluted": "yes"}, "constructor": 1}') as Record<
      string,
      unknown
    >;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('python-literal: rejected input', () => {
  it('rejects code: imports, calls, names, attributes', () => {
    const e = fails(
      "__import__('os').system('x')",
      /unexpected name '__import__'.*function calls are not allowed/,
      { line: 1, column: 1 },
    );
    assert.ok(e.hint);
    fails('os.system("rm -rf /")', /unexpected name 'os'.*attribute access/);
    fails('{"a": open("/etc/passwd").read()}', /unexpected name 'open'.*calls/, { line: 1, column: 7 });
    fails('{"a": b}', /unexpected name 'b'.*put text in quotes/);
    fails('exec("1")', /calls/);
    fails('eval', /unexpected name 'eval'/);
    fails('lambda: 1', /unexpected name 'lambda'/);
    fails('{"a": __builtins__}', /__builtins__/);
    fails("''.join(['a'])", /unexpected '\.'.*attribute access/);
    fails("'abc'[0]", /subscripts are not allowed/);
    fails("{'a': 1}['a']", /subscripts are not allowed/);
  });

  it('rejects operators and expressions', () => {
    fails('1 + 2', /unexpected '\+'.*operators/, { line: 1, column: 3 });
    fails("{'a': 2 * 3}", /unexpected '\*'/);
    fails("'a' % 'b'", /operators/);
    fails('--1', /must be followed by a number/);
    fails('-True', /must be followed by a number/);
    fails('not True', /unexpected name 'not'/);
    fails('[x for x in y]', /unexpected name 'x'/);
    fails("[1 for x in 'ab']", /unexpected 'for'.*comprehensions/);
    fails('1 if True else 2', /unexpected 'if'/);
    fails('{**a}', /unpacking/);
    fails('[*a]', /unpacking/);
    fails('x := 1', /unexpected name 'x'/);
  });

  it('rejects f-strings, t-strings and bytes', () => {
    fails('f\'{__import__("os")}\'', /f-strings are not allowed/);
    fails("rf'x'", /f-strings/);
    fails("'a' f'{b}'", /f-strings/);
    fails("b'x'", /bytes literal/);
    fails("t'x'", /template strings/);
  });

  it('rejects other Python literals we do not return: sets, complex, nan/inf, non-string keys', () => {
    fails("{'a', 'b'}", /sets are not supported/);
    fails('1j', /complex numbers/);
    fails('1+2j', /operators|complex/);
    fails('nan', /not accepted/);
    fails('Infinity', /not accepted/);
    fails('{1: "a"}', /dict keys must be strings/);
    fails('{(1, 2): "a"}', /dict keys must be strings/);
    fails("{'a': 1, 'a': 2}", /duplicate dict key "a"/, { line: 1, column: 10 });
  });

  it('rejects malformed numbers', () => {
    fails('0123', /leading zeros/);
    fails('1__0', /invalid number/);
    fails('1_', /invalid number/);
    fails('1.2.3', /invalid number/);
    fails('1e', /invalid number/);
    fails('12abc', /invalid number/);
    fails('0x', /invalid number/);
  });

  it('rejects huge numbers instead of rounding them', () => {
    fails(String(Number.MAX_SAFE_INTEGER + 1), /too large/);
    fails('9'.repeat(5000), /too large/);
    fails('0x' + 'f'.repeat(200), /too large/);
    fails('1e400', /out of range/);
    fails('-1e400', /out of range/);
    // A megabyte of digits is rejected quickly (no quadratic BigInt parse).
    const started = Date.now();
    fails('1'.repeat(900_000), /too large/);
    assert.ok(Date.now() - started < 2000);
  });

  it('rejects broken strings with the position of the string', () => {
    fails("{'a': 'oops}", /unterminated string/, { line: 1, column: 7 });
    fails("'line\nbreak'", /line break inside a quoted string/);
    fails("'''never closed", /unterminated string/);
    fails("r'\\'", /unterminated string/);
    fails("'\\x4'", /\\x escape: expected 2 hex digits/);
    fails("'\\u12'", /\\u escape/);
    fails("'\\U00110000'", /beyond U\+10FFFF/);
    fails("'\\N{BULLET}'", /\\N\{\.\.\.\} escapes are not supported/);
    fails("'abc\\", /unterminated/);
  });

  it('rejects structural errors with line and column', () => {
    fails('', /empty input/);
    fails('   # only a comment\n', /empty input/);
    fails('{"a": 1', /unexpected end of input/);
    fails('[1, 2', /unexpected end of input/);
    fails('{\n  "a": 1\n  "b": 2\n}', /is a comma missing/, { line: 3, column: 3 });
    fails('{"a" 1}', /':' after a dict key/);
    fails('{"a":}', /unexpected '}'/);
    fails('[1,,2]', /unexpected ','/);
    fails('{"a": 1} {"b": 2}', /end of input/);
    fails('1 2', /comma missing/);
    fails('{"a": 1}\n\n  x', /unexpected 'x' where end of input/, { line: 3, column: 3 });
    fails('{a=1}', /write dicts as \{"a": value\}/);
    fails('TRUE', /write True\/False\/None/);
    fails('`x`', /use quotes/);
    fails('\x00', /control character U\+0000/);
    fails('{"a": 1,\\\n"b": 2}', /unexpected '\\'/);
  });

  it('limits nesting depth', () => {
    let v = parsePythonLiteral('['.repeat(64) + ']'.repeat(64));
    for (let i = 1; i < 64; i++) v = (v as unknown[])[0] as never;
    assert.deepEqual(v, []);
    fails('['.repeat(65) + ']'.repeat(65), /nesting is deeper than 64 levels/);
    fails('{"a":'.repeat(1000) + '1' + '}'.repeat(1000), /nesting is deeper/);
    fails('('.repeat(100_000), /nesting is deeper/);
    assert.throws(() => parsePythonLiteral('[[[1]]]', { maxDepth: 2 }), /deeper than 2/);
  });

  it('limits input length', () => {
    assert.throws(() => parsePythonLiteral(`"${'a'.repeat(100)}"`, { maxLength: 50 }), /input is too long/);
  });

  it('never evaluates anything while rejecting hostile input', () => {
    const g = globalThis as Record<string, unknown>;
    const hostile = [
      "__import__('os').system('touch /tmp/pwned')",
      "{'a': __import__('subprocess').run(['id'])}",
      '().__class__.__bases__[0].__subclasses__()',
      '${process.exit(1)}',
      "{'x': `rm -rf /`}",
      '"\\"); process.exit(1); ("',
      "{'constructor': {'prototype': {'polluted': 1}}}",
    ];
    for (const text of hostile) {
      try {
        parsePythonLiteral(text);
      } catch (e) {
        assert.ok(e instanceof LiteralSyntaxError, String(e));
      }
    }
    assert.equal(g.polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
