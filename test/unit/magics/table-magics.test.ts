import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { parseDisplayArguments, parseSqlOptions } from '../../../src/magics/table-args';
import {
  extractMarked,
  newMarker,
  pythonTableCode,
  quietCode,
  scalaTableCode,
} from '../../../src/magics/table-query';
import { localFrameCode, tableMagics } from '../../../src/magics/table-magics';
import { MagicUsageError } from '../../../src/magics/types';
import { parseTableDocument } from '../../../src/kernel/result-table';
import { pythonStringLiteral, scalaStringLiteral } from '../../../src/magics/literals';
import { need, runnerPython } from '../../helpers/tools';

function pythonHas(python: string, modules: string[]): boolean {
  return (
    spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' }).status === 0
  );
}

const usage = (pattern: RegExp) => (e: unknown) => e instanceof MagicUsageError && pattern.test(e.message);

test('%%sql options: -n, -o, -q in sparkmagic spellings', () => {
  assert.deepEqual(parseSqlOptions(''), { quiet: false });
  assert.deepEqual(parseSqlOptions('-n 5 -o r -q'), { rows: 5, output: 'r', quiet: true });
  assert.deepEqual(parseSqlOptions('--maxrows=7 --output=df_1'), { rows: 7, output: 'df_1', quiet: false });
  assert.deepEqual(parseSqlOptions('-n10000'), { rows: 10000, quiet: false });
});

test('%%sql rejects unknown options, bad row counts and bad names', () => {
  assert.throws(() => parseSqlOptions('--bogus'), usage(/Unknown option --bogus/));
  assert.throws(() => parseSqlOptions('-m take'), usage(/Unknown option -m/));
  assert.throws(() => parseSqlOptions('SELECT'), usage(/Unexpected argument "SELECT"/));
  assert.throws(() => parseSqlOptions('-n'), usage(/-n needs a number/));
  for (const bad of ['0', '-1', '10001', '2.5', 'all'])
    assert.throws(() => parseSqlOptions(`-n ${bad}`), usage(/1 to 10,000/), bad);
  for (const bad of ['1x', 'class', 'a-b', 'é'])
    assert.throws(() => parseSqlOptions(`-o ${bad}`), usage(/Python variable name/), bad);
  assert.throws(() => parseSqlOptions('-o'), usage(/-o needs a variable name/));
});

test('%display: the expression, then options; a stray option is an error', () => {
  assert.deepEqual(parseDisplayArguments('df'), { expression: 'df', options: { quiet: false } });
  assert.deepEqual(parseDisplayArguments('df.filter("a -b") -n 5 -o r'), {
    expression: 'df.filter("a -b")',
    options: { rows: 5, output: 'r', quiet: false },
  });
  assert.deepEqual(parseDisplayArguments('df.limit(3) - 1').expression, 'df.limit(3) - 1');
  assert.throws(() => parseDisplayArguments('df --bogus'), usage(/Unknown option --bogus/));
  assert.throws(() => parseDisplayArguments('df -n 5 extra'), usage(/Unexpected argument "extra"/));
  assert.throws(() => parseDisplayArguments('-n 5'), usage(/Missing the DataFrame expression/));
  assert.throws(() => parseDisplayArguments('df -q'), usage(/-q without -o/));
});

test('%%sql keeps the body exactly, except surrounding blank lines; an empty body is an error', () => {
  const sql = tableMagics.find((m) => m.name === 'sql');
  assert.ok(sql);
  const parsed = sql.parse('-n 3', '\n\n  SELECT "a\\\\b"  -- keep\n  FROM t\n\n') as {
    source: { sql: string };
  };
  assert.equal(parsed.source.sql, '  SELECT "a\\\\b"  -- keep\n  FROM t');
  assert.throws(() => sql.parse('', ' \n \n'), usage(/needs a SQL query/));
  const local = tableMagics.find((m) => m.name === 'local');
  assert.throws(() => local?.parse('-x', 'print(1)'), usage(/takes no argument/));
});

test('the Python code carries the SQL as a literal and fetches limit + 1 rows', () => {
  const marker = newMarker();
  const sql = 'SELECT 1 AS "x" -- \\ """';
  const code = pythonTableCode({ source: { kind: 'sql', sql }, limit: 20, cellChars: 1000, marker });
  assert.ok(code.includes(`spark.sql(${pythonStringLiteral(sql)})`));
  assert.ok(code.includes(`, 20, 1000, ${pythonStringLiteral(marker)})`));
  assert.match(code, /frame\.limit\(limit \+ 1\)/);
  assert.match(code, /del _glue_kernel_table\n$/);
  const display = pythonTableCode({
    source: { kind: 'expression', expression: 'df' },
    limit: 5,
    cellChars: 9,
    marker,
  });
  assert.ok(display.includes('eval("df", globals())'));
  assert.equal(
    quietCode('pyspark', { kind: 'sql', sql: 'DROP TABLE t' }),
    '_glue_kernel_quiet = spark.sql("DROP TABLE t")\ndel _glue_kernel_quiet\n',
  );
});

test('the Scala code: the SQL as a Scala literal, strings by position, limit + 1, marked JSON', () => {
  const marker = newMarker();
  const sql = 'SELECT "\\u0022" AS `a.b`, 1 AS `a.b`\n';
  const code = scalaTableCode({ source: { kind: 'sql', sql }, limit: 5, cellChars: 1000, marker });
  const lines = code.split('\n');
  assert.equal(lines[0], '{');
  assert.equal(lines[1], `  val glueKernelFrame = spark.sql(${scalaStringLiteral(sql)})`);
  assert.ok(lines[1].includes('\\\\u0022'), 'the typed backslash is doubled');
  assert.match(code, /glueKernelFrame\.toDF\(glueKernelFrame\.columns\.indices\.map\(i => "c" \+ i\): _\*\)/);
  assert.match(code, /\.col\(c\)\.cast\("string"\)\): _\*\)/);
  assert.match(code, /\n {4}\.limit\(6\)\n {4}\.toJSON\n {4}\.collect\(\)\n/);
  const literal = scalaStringLiteral(marker);
  assert.ok(
    code.includes(
      `println(${literal} + "{\\"schema\\":" + glueKernelFrame.schema.json + ",\\"rows\\":[" + glueKernelRows.mkString(",") + "]}" + ${literal})`,
    ),
  );
  assert.equal(lines.at(-1), '}');
  // Braces and parentheses balance outside string literals.
  const bare = code.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [open, close] of [
    ['{', '}'],
    ['(', ')'],
    ['[', ']'],
  ])
    assert.equal(bare.split(open).length, bare.split(close).length, `${open}${close} balance`);
  assert.equal(quietCode('spark', { kind: 'sql', sql: 'DROP TABLE t' }), '{ spark.sql("DROP TABLE t"); () }');
});

test('what the Scala code prints reads as a table: nulls left out, names and types from the schema', () => {
  const schema = {
    type: 'struct',
    fields: [
      { name: 'a.b', type: 'integer', nullable: true, metadata: {} },
      { name: 'a.b', type: 'decimal(38,2)', nullable: true, metadata: {} },
      {
        name: 'tags',
        type: { type: 'array', elementType: 'string', containsNull: true },
        nullable: true,
        metadata: {},
      },
    ],
  };
  const json = `{"schema":${JSON.stringify(schema)},"rows":[{"c0":"1","c1":"12345678901234567890.12","c2":"[x, y]"},{"c1":"0.50"}]}`;
  assert.deepEqual(parseTableDocument(json), {
    columns: [
      { name: 'a.b', type: 'integer' },
      { name: 'a.b', type: 'decimal(38,2)' },
      { name: 'tags', type: 'array' },
    ],
    rows: [
      ['1', '12345678901234567890.12', '[x, y]'],
      [null, '0.50', null],
    ],
  });
});

test('a malformed result document is a clear error', () => {
  assert.throws(() => parseTableDocument('{'), /not valid JSON/);
  assert.throws(
    () => parseTableDocument('{"columns":[{"name":"a","type":"int"}],"rows":[[1,2]]}'),
    /does not have 1 values/,
  );
  assert.throws(() => parseTableDocument('[1]'), /unexpected shape/);
});

test('the marked document is found among user prints, and removed from them', () => {
  const marker = newMarker();
  assert.notEqual(marker, newMarker());
  const text = `before\n${marker}{"a":1}${marker}\nafter\n`;
  assert.deepEqual(extractMarked(text, marker), { json: '{"a":1}', rest: 'before\nafter\n' });
  assert.equal(extractMarked(`${marker}{"a":1}`, marker), undefined);
  assert.equal(extractMarked('nothing here', marker), undefined);
});

function runPython(t: TestContext, program: string): string | undefined {
  const python = runnerPython();
  if (
    !need(t, pythonHas(python, ['duckdb', 'pandas']) || undefined, 'a Python with duckdb and pandas (.venv)')
  )
    return undefined;
  const result = spawnSync(python, ['-c', program], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('the Python code, run by DuckDB’s Spark API: types, NULL, cut values, more rows', (t) => {
  const marker = newMarker();
  const sql =
    "SELECT i, 'v' || i AS s, DATE '2020-01-02' + i::INT AS d, 1.5::DECIMAL(10,2) AS dec, NULL::INT AS n, " +
    "'\\x00ab'::BLOB AS b, [i, 2] AS arr, repeat('x', 50) AS long, 9007199254740993 AS big, 'inf'::DOUBLE AS f " +
    'FROM range(3) t(i)';
  const code = pythonTableCode({ source: { kind: 'sql', sql }, limit: 2, cellChars: 20, marker });
  const out = runPython(
    t,
    'from duckdb.experimental.spark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\n' +
      'print("user output")\n' +
      code +
      'print("_glue_kernel_table" in globals())\n',
  );
  if (out === undefined) return;
  const found = extractMarked(out, marker);
  assert.ok(found, out);
  assert.equal(found.rest, 'user output\nFalse\n', 'the helper is gone afterwards');
  const table = parseTableDocument(found.json);
  assert.deepEqual(
    table.columns.map((c) => `${c.name}:${c.type}`),
    [
      'i:bigint',
      's:string',
      'd:date',
      'dec:decimal(10,2)',
      'n:integer',
      'b:binary',
      'arr:array<bigint>',
      'long:string',
      'big:bigint',
      'f:double',
    ],
  );
  assert.equal(table.rows.length, 3, 'limit + 1 rows');
  assert.deepEqual(table.rows[0], [
    0,
    'v0',
    '2020-01-02',
    '1.50',
    null,
    '0x006162',
    '[0, 2]',
    { text: 'x'.repeat(20), length: 50 },
    '9007199254740993',
    'inf',
  ]);
});

test('-o code builds a typed pandas DataFrame', (t) => {
  const code = localFrameCode('r', {
    columns: [
      { name: 'n', type: 'bigint' },
      { name: 'd', type: 'date' },
      { name: 's', type: 'string' },
      { name: 'ok', type: 'boolean' },
      { name: 'n', type: 'decimal(38,2)' },
    ],
    rows: [
      [1, '2020-01-01', { text: 'abc', length: 100 }, 'true', '12.50'],
      [null, null, null, 'false', null],
    ],
  });
  const out = runPython(
    t,
    code +
      'print(r.dtypes.astype(str).tolist())\nprint([str(v) for v in r.iloc[0].tolist()])\nprint(len(r))\n',
  );
  if (out === undefined) return;
  const [dtypes, first, length] = out.trim().split('\n');
  assert.match(dtypes, /^\['float64', 'datetime64\[[a-z]+\]', '(object|str)', 'bool', 'float64'\]$/);
  assert.match(first, /^\['1\.0', '2020-01-01 00:00:00', 'abc', 'True', '12\.5'\]$/);
  assert.equal(length, '2');
});
