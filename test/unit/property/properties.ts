// Property definitions for hostile input: the wire codec, the cell splitter, every magic's
// argument parser (through the magic registry) and the %%configure / Python-literal parsers.
// The unit tests beside this file run each with a few thousand cases; `npm run bench` runs
// each with 100,000 or more (bench/property-bench.ts). Every property asserts, for each case:
// no exception other than the documented error types, no case slower than CASE_LIMIT_MS, and
// a round trip where there is one.
import fc from 'fast-check';
import { ConfigError } from '../../../src/config/errors';
import { parseAssumeRoleCell, parseConfigureCell, parseTagsCell } from '../../../src/config/configure';
import { LiteralSyntaxError, parsePythonLiteral } from '../../../src/config/python-literal';
import {
  DELIMITER,
  MessageFactory,
  Signer,
  WireError,
  decodeMessage,
  encodeMessage,
} from '../../../src/jupyter';
import type { JsonObject } from '../../../src/jupyter/interpreter';
import { createRegistry, splitCell } from '../../../src/magics';
import { MagicUsageError } from '../../../src/magics/types';

/**
 * Most CPU time a single case may use: far above normal (microseconds), far below a hang. CPU
 * time, not wall time, so a busy machine that starves the process does not fail a case.
 */
export const CASE_LIMIT_MS = 1000;

export interface PropertyOutcome {
  failed: boolean;
  numRuns: number;
  /** fast-check's report: the seed, the path and the shrunk counterexample. */
  report: string;
}

export interface PropertyTarget {
  name: string;
  check(params: { numRuns: number; seed?: number }): PropertyOutcome;
}

function target<Ts>(name: string, property: fc.IProperty<Ts>): PropertyTarget {
  return {
    name,
    check: (params) => {
      const details = fc.check(property, params);
      return {
        failed: details.failed,
        numRuns: details.numRuns,
        report: details.failed
          ? `${fc.defaultReportMessage(details) ?? 'failed'}\nError: ${String(details.errorInstance)}`
          : '',
      };
    },
  };
}

/** Documented error types of the parsers; anything else thrown is a bug. */
function isDocumentedError(error: unknown): boolean {
  return (
    error instanceof MagicUsageError || error instanceof ConfigError || error instanceof LiteralSyntaxError
  );
}

/** Runs fn within the time bound; true when it returned or threw a documented error. */
function bounded(fn: () => void): boolean {
  const started = process.cpuUsage();
  try {
    fn();
  } catch (error) {
    if (!isDocumentedError(error)) throw error;
  }
  const used = process.cpuUsage(started);
  const elapsedMs = (used.user + used.system) / 1000;
  if (elapsedMs > CASE_LIMIT_MS) throw new Error(`one case took ${elapsedMs.toFixed(0)} ms of CPU`);
  return true;
}

// ---- text generators ----------------------------------------------------------------------

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

/** Text made of the pieces parsers care about, so cases reach deep into the grammar. */
function tokenSoup(pieces: readonly string[], maxLength = 40): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pieces) }, fc.string({ maxLength: 3 })), {
      maxLength,
    })
    .map((parts) => parts.join(''));
}

const LITERAL_PIECES = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  ' ',
  '\n',
  '#',
  '"',
  "'",
  '"""',
  "'''",
  '\\',
  '\\u00e9',
  '\\x41',
  '\\N{DASH}',
  '\\U0001F600',
  'r"',
  "u'",
  'b"',
  'f"',
  'True',
  'False',
  'None',
  'true',
  'null',
  '0x1F',
  '0o7',
  '0b1',
  '1_000',
  '1e308',
  '1e309',
  '-',
  '+',
  '.5',
  '9007199254740993',
  'nan',
  'inf',
  '"k"',
  '"v"',
  '__proto__',
  'constructor',
  'é',
  '😀',
  '\uD800',
  'lambda',
  '__import__("os")',
];

const ARG_PIECES = [
  ' ',
  '-',
  '--',
  '=',
  ',',
  '"',
  "'",
  '0',
  '1',
  '-1',
  '2.5',
  '1e3',
  '60',
  '99999999999999999999',
  'x',
  'us-east-1',
  'G.1X',
  'glueetl',
  'true',
  'false',
  'None',
  '--name',
  '--verbose',
  '-n',
  'arn:aws:iam::1:role/r',
  's3://bucket/key',
  'a,b',
  '%',
  '😀',
  'é',
  '\t',
  '__proto__',
  'constructor',
  'toString',
];

const CELL_LINES = [
  '',
  '   ',
  '# comment',
  '%region us-east-1',
  '%number_of_workers 3',
  '%%configure',
  '%%sql',
  '%%tags',
  '%matplot plt',
  '%plotly fig',
  '!ls',
  '%',
  '%%',
  '%1x',
  ' %idle_timeout 10',
  'print(1)',
  '{"a": 1}',
  '%%configure -f',
  '%help',
  '%%assume_role',
  'x = 1  # %region',
  '\t%session_id',
];

// ---- the wire codec -----------------------------------------------------------------------

const json = fc.jsonValue({ maxDepth: 3 });
const jsonObject = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), json, { maxKeys: 5 });
const header = fc.record({
  msg_id: fc.string({ minLength: 1, maxLength: 36 }),
  msg_type: fc.string({ minLength: 1, maxLength: 20 }),
  session: fc.string({ maxLength: 36 }),
  username: fc.string({ maxLength: 10 }),
  date: fc.string({ maxLength: 30 }),
  version: fc.constant('5.3'),
});
const frames = fc.array(
  fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
  { maxLength: 3 },
);

/** JSON's view of a value (-0 → 0, key order kept), for comparing round trips. */
const viaJson = (value: unknown): string => JSON.stringify(value);

function wireRoundTrip(): PropertyTarget {
  const signer = new Signer('property-test-key');
  return target(
    'wire codec: encode → decode round trip, any tampered byte is refused',
    fc.property(
      header,
      fc.oneof(fc.constant({}), header),
      jsonObject,
      jsonObject,
      frames,
      frames,
      fc.nat(),
      (h, parent, metadata, content, identities, buffers, flip) =>
        bounded(() => {
          const message = { header: h, parent_header: parent, metadata, content, identities, buffers };
          const encoded = encodeMessage(message as never, signer);
          const decoded = decodeMessage(encoded, signer);
          if (!decoded.ok) throw new Error(`round trip failed: ${decoded.error.kind}`);
          const m = decoded.message;
          for (const [a, b] of [
            [m.header, h],
            [m.parent_header, parent],
            [m.metadata, metadata],
            [m.content as JsonObject, content],
          ] as const)
            if (viaJson(a) !== viaJson(JSON.parse(viaJson(b))))
              throw new Error('a frame changed in the round trip');
          if (m.identities.length !== identities.length || m.buffers.length !== buffers.length)
            throw new Error('identities or buffers changed');
          // Flip one bit in one of the four signed frames: the signature must no longer match.
          const at = encoded.findIndex((f) => f.toString() === DELIMITER);
          const frame = at + 2 + (flip % 4);
          const tampered = encoded.map((f) => Buffer.from(f));
          if (tampered[frame].length === 0) return;
          tampered[frame][flip % tampered[frame].length] ^= 1 << (flip % 8);
          if (decodeMessage(tampered, signer).ok) throw new Error('a tampered message was accepted');
        }),
    ),
  );
}

function wireHostileFrames(): PropertyTarget {
  const signer = new Signer('property-test-key');
  const unsigned = new Signer('');
  const factory = new MessageFactory();
  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    fc
      .constantFrom(DELIMITER, '{}', '[]', 'null', '{"msg_id":"x","msg_type":"y"}', '', '0')
      .map((s) => Buffer.from(s)),
    anyText.map((s) => Buffer.from(s)),
    json.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  );
  return target(
    'wire codec: arbitrary frames decode to a message or a WireError, never a throw',
    fc.property(fc.array(frame, { maxLength: 10 }), fc.boolean(), (fs, withValid) =>
      bounded(() => {
        const input = withValid
          ? [...fs, ...encodeMessage(factory.message('execute_request', { code: 'x' }), unsigned)]
          : fs;
        const signed = decodeMessage(input, signer);
        // With a key, nothing but a correctly signed message gets through.
        if (signed.ok) throw new Error('an unsigned or garbage message was accepted with a key set');
        const open = decodeMessage(input, unsigned);
        if (!open.ok && !(open.error instanceof WireError)) throw new Error('not a WireError');
      }),
    ),
  );
}

// ---- the cell splitter --------------------------------------------------------------------

function cellSplitter(): PropertyTarget {
  const line = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CELL_LINES) }, anyText);
  const cell = fc
    .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
    .map(([lines, eol]) => lines.join(eol));
  return target(
    'cell splitter: any cell splits without a throw; code and body are the cell’s tail',
    fc.property(cell, (text) =>
      bounded(() => {
        const split = splitCell(text);
        const normalized = text.split(/\r?\n/).join('\n');
        if (!normalized.endsWith(split.code)) throw new Error('code is not the tail of the cell');
        if (split.cellMagic && !normalized.endsWith(split.cellMagic.body))
          throw new Error('the cell magic body is not the tail of the cell');
        for (const m of [...split.lineMagics, ...(split.cellMagic ? [split.cellMagic] : [])])
          if (!/^[A-Za-z_][\w-]*$/.test(m.name)) throw new Error(`bad magic name ${JSON.stringify(m.name)}`);
      }),
    ),
  );
}

// ---- every magic's argument parser --------------------------------------------------------

function magicParsers(): PropertyTarget {
  const magics = createRegistry('pyspark').all();
  const args = fc.oneof({ weight: 3, arbitrary: tokenSoup(ARG_PIECES, 12) }, anyText).map((s) =>
    // The splitter hands a magic one trimmed line.
    s.split(/\r?\n/)[0].trim(),
  );
  const body = fc.oneof(tokenSoup(LITERAL_PIECES), anyText, literalText());
  return target(
    `magic argument parsers (${magics.length} magics): a value or a usage error, never a throw`,
    fc.property(fc.constantFrom(...magics), args, body, (magic, argText, cellBody) =>
      bounded(() => {
        magic.parse(argText, magic.kind === 'cell' ? cellBody : '');
      }),
    ),
  );
}

// ---- %%configure and the Python-literal parser -------------------------------------------

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

const literalValue: fc.Arbitrary<Literal> = fc.letrec<{
  value: Literal;
  leaf: Literal;
  list: Literal[];
  dict: Record<string, Literal>;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, tie('leaf'), tie('list'), tie('dict')),
  leaf: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  ),
  list: fc.array(tie('value'), { maxLength: 4 }),
  dict: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), tie('value'), { maxKeys: 4 }),
})).value;

/** Python source for a literal value, with Python's own spellings (True, None, tuples, …). */
function toPython(value: Literal, style: number): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toExponential();
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  const comma = style % 2 === 0 ? ', ' : ',\n  ';
  const trailing = style % 3 === 0 ? ',' : '';
  if (Array.isArray(value)) {
    const items = value.map((v) => toPython(v, style + 1));
    if (style % 5 === 0 && items.length > 0)
      return `(${items.join(comma)}${items.length === 1 ? ',' : trailing})`;
    return `[${items.join(comma)}${items.length > 0 ? trailing : ''}]`;
  }
  const items = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${toPython(v, style + 1)}`);
  return `{${items.join(comma)}${items.length > 0 ? trailing : ''}}`;
}

function literalText(): fc.Arbitrary<string> {
  return fc.tuple(literalValue, fc.nat(100)).map(([v, style]) => pythonSource(v, style));
}

/** toPython, sometimes with a trailing comment. */
function pythonSource(value: Literal, style: number): string {
  return toPython(value, style) + (style % 7 === 0 ? '  # a comment' : '');
}

function pythonLiteralRoundTrip(): PropertyTarget {
  return target(
    'Python-literal parser: written values parse back to themselves',
    fc.property(literalValue, fc.nat(100), (value, style) =>
      bounded(() => {
        const text = pythonSource(value, style);
        const parsed = parsePythonLiteral(text);
        if (viaJson(parsed) !== viaJson(value))
          throw new Error(`${text} parsed as ${viaJson(parsed)}, expected ${viaJson(value)}`);
      }),
    ),
  );
}

function pythonLiteralHostile(): PropertyTarget {
  const text = fc.oneof(
    { weight: 4, arbitrary: tokenSoup(LITERAL_PIECES) },
    anyText,
    fc.tuple(fc.constantFrom('[', '{"a":', '(', '[('), fc.nat(3000)).map(([open, n]) => open.repeat(n)),
  );
  return target(
    'Python-literal, %%configure, %%tags, %%assume_role parsers: a value or a syntax/config error',
    fc.property(text, (t) =>
      bounded(() => {
        for (const parse of [parsePythonLiteral, parseConfigureCell, parseTagsCell, parseAssumeRoleCell]) {
          try {
            parse(t);
          } catch (error) {
            if (!isDocumentedError(error)) throw error;
          }
        }
      }),
    ),
  );
}

function configureCell(): PropertyTarget {
  const keys = fc.constantFrom(
    'region',
    'iam_role',
    'glue_version',
    'number_of_workers',
    'worker_type',
    'idle_timeout',
    'timeout',
    'tags',
    'spark_conf',
    '--enable-glue-datacatalog',
    '--conf',
    'additional_python_modules',
    '__proto__',
    'constructor',
    'toString',
    'nonsense',
    '--',
    'default_arguments',
  );
  const body = fc.dictionary(keys, literalValue, { maxKeys: 5 }).map((o) => toPython(o, 1));
  return target(
    '%%configure on generated dicts of real and hostile keys: changes or a ConfigError',
    fc.property(body, (b) =>
      bounded(() => {
        parseConfigureCell(b);
      }),
    ),
  );
}

/** Every property, fresh (generators hold no state between runs). */
export function propertyTargets(): PropertyTarget[] {
  return [
    wireRoundTrip(),
    wireHostileFrames(),
    cellSplitter(),
    magicParsers(),
    pythonLiteralRoundTrip(),
    pythonLiteralHostile(),
    configureCell(),
  ];
}
