// %%sql, %display and %%local through jupyter_client, on the emulator (whose sessions run
// statements with DuckDB's PySpark-compatible engine): the query reaches the engine exactly as
// typed, the result comes back as a table, errors show the engine's message and the SQL, and
// -o results land in the local Python.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  assertOk,
  drive,
  startE2E,
  stdout,
  type E2E,
  type Output,
  type StepResult,
} from './harness';

function table(cell: StepResult): Output {
  const shown = cell.outputs?.filter((o) => o.type === 'display_data' && o.mimes?.includes('text/html'));
  assert.equal(shown?.length, 1, JSON.stringify(cell.outputs));
  const [output] = shown;
  assert.deepEqual(output.mimes, ['text/html', 'text/plain']);
  return output;
}

/** The body rows of the text/plain table (after names, types and the rule), cells one space apart. */
function textRows(output: Output): string[] {
  const lines = (output.plain ?? '').split('\n');
  return lines.slice(3, -1).map((l) => l.trim().split(/ +/).join(' '));
}

describe('%%sql, %display and %%local against the emulator', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.stop();
  });

  test('queries as typed, tables, errors, -o into %%local', async (t) => {
    const labelled: [string, string][] = [
      ['quote', '%%sql\nSELECT 1 AS "x"'],
      ['backslash', "%%sql\nSELECT length('a\\\\b') AS n"],
      ['regex', "%%sql\nSELECT regexp_replace('a.b.c', '\\.', '-', 'g') AS r"],
      ['thirty', '%%sql -n 5\nSELECT i, i * i AS sq, NULL AS nothing FROM range(30) t(i)'],
      ['error', '%%sql\nSELECT * FROM no_such_table'],
      ['bogus', '%%sql --bogus\nSELECT 1'],
      ['output', "%%sql -o r -q\nSELECT i, DATE '2024-01-01' + i::INT AS day FROM range(3000) t(i)"],
      ['local', '%%local\nprint(len(r))\nprint(str(r["day"].dtype).startswith("datetime64"))'],
      ['frame', 'df = spark.sql("SELECT 42 AS answer, \'<b>\' AS tag")\nprint("defined")'],
      ['display', '%display df'],
      ['display error', '%display no_such_frame'],
      ['display -o', '%display df -o answer -n 1'],
      ['local answer', '%%local\nprint(answer.to_dict("records"))'],
    ];
    const d = await drive(t, {
      kernelEnv: e2e.baseEnv(),
      steps: labelled.map(([, code]) => ({ code })),
    });
    if (!d) return;
    const results = new Map(labelled.map(([label], i) => [label, d.results[i]]));
    const cell = (label: string): StepResult => {
      const c = results.get(label);
      assert.ok(c, label);
      return c;
    };

    assertOk(cell('quote'), 'a query ending in a double quote');
    assert.deepEqual(textRows(table(cell('quote'))), ['1']);
    assert.match(table(cell('quote')).plain ?? '', /^ +x\n/);

    assertOk(cell('backslash'), 'backslashes');
    assert.deepEqual(textRows(table(cell('backslash'))), ['4'], 'DuckDB saw a\\\\b: four characters');
    assertOk(cell('regex'), 'a regex');
    assert.deepEqual(textRows(table(cell('regex'))), ['a-b-c'], 'the regex \\. reached the engine');

    assertOk(cell('thirty'), '-n 5');
    const thirty = table(cell('thirty'));
    assert.deepEqual(textRows(thirty), ['0 0 NULL', '1 1 NULL', '2 4 NULL', '3 9 NULL', '4 16 NULL']);
    assert.equal((thirty.html?.match(/<tr>/g) ?? []).length, 1 + 5, 'a header row and 5 rows');
    assert.match(thirty.html ?? '', /<p>Showing the first 5 rows; more exist\.<\/p>$/);

    const error = assertError(cell('error'), /CatalogException/, 'a SQL error');
    assert.match(error.evalue ?? '', /no_such_table/);
    assert.deepEqual(error.traceback?.slice(-2), ['In the query:', '    SELECT * FROM no_such_table']);
    const shown = JSON.stringify(cell('error').outputs);
    for (const wrapper of ['_glue_kernel_table', 'spark.sql(', 'Traceback', 'File "'])
      assert.ok(!shown.includes(wrapper), `no ${wrapper} in ${shown}`);

    assertError(cell('bogus'), 'UsageError', '%%sql --bogus');
    assert.match(cell('bogus').evalue ?? '', /Unknown option --bogus/);

    assertOk(cell('output'), '-o with -q');
    assert.equal(
      cell('output').outputs?.some((o) => o.type === 'display_data'),
      false,
      '-q shows no table',
    );
    assertOk(cell('local'), '%%local');
    assert.equal(stdout(cell('local')), '2500\nTrue\n', '-o keeps 2,500 rows by default, dates as datetimes');

    assertOk(cell('display'), '%display');
    const display = table(cell('display'));
    assert.deepEqual(textRows(display), ['42 <b>']);
    assert.ok(display.html?.includes('<td style="text-align:left">&lt;b&gt;</td>'));
    const displayError = assertError(cell('display error'), 'NameError', '%display of a missing name');
    assert.deepEqual(displayError.traceback?.slice(-2), ['In the expression:', '    no_such_frame']);
    assertOk(cell('display -o'), '%display -o');
    assertOk(cell('local answer'), 'the %display -o frame');
    assert.equal(stdout(cell('local answer')), "[{'answer': 42, 'tag': '<b>'}]\n");

    // What the emulator ran: the SQL inside a literal, never spliced into triple quotes.
    const codes = e2e.calls('RunStatement').map((c) => String(c.request?.Code));
    assert.ok(
      codes.some((c) => c.includes('spark.sql("SELECT 1 AS \\"x\\"")')),
      codes[0],
    );
    assert.ok(codes.every((c) => !c.includes('"""')));
  });
});
