// The result table as HTML and text: escaped, bounded, and read back by a real HTML parser
// (Python's html.parser) to prove hostile values make no markup of their own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { ResultTable } from '../../../src/kernel/result-table';
import { renderTable } from '../../../src/kernel/table-render';
import { DEBIAN_PYTHON, hasExecutable, need } from '../../helpers/tools';

const HOSTILE: ResultTable = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: '<b>name</b>', type: 'string' },
    { name: 'amount', type: 'decimal(10,2)' },
  ],
  rows: [
    [1, '<script>alert("x")</script>', '1.50'],
    [2, `Tom & Jerry's "show"`, null],
    [3, 'nul\u0000byte\u001bescape', '-3.00'],
    [4, { text: 'y'.repeat(1000), length: 10_000 }, '0.00'],
    [5, 'z'.repeat(10_000), '9.99'],
    [6, 'line\nbreak', '1.00'],
  ],
};

/** Tags, attributes and text of an HTML document, as Python's html.parser reads them. */
function parseHtml(html: string): { tags: string[]; attrs: string[]; cells: string[] } {
  const program = `
import html.parser, json, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.cells, self.cell = [], [], [], None
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend("%s=%s" % a for a in attrs)
        if tag in ("td", "th"): self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.cells.append(self.cell); self.cell = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
p = P(); p.feed(sys.stdin.read()); p.close()
print(json.dumps({"tags": p.tags, "attrs": p.attrs, "cells": p.cells}))
`;
  const result = spawnSync(DEBIAN_PYTHON, ['-c', program], { input: html, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { tags: string[]; attrs: string[]; cells: string[] };
}

test('hostile values are escaped: the parser sees only the table’s own markup and the exact text', (t) => {
  if (!need(t, hasExecutable(DEBIAN_PYTHON) || undefined, 'python3')) return;
  const bundle = renderTable(HOSTILE, { limit: 20 });
  const html = String(bundle['text/html']);
  const parsed = parseHtml(html);
  assert.deepEqual(
    new Set(parsed.tags),
    new Set(['table', 'thead', 'tr', 'th', 'br', 'span', 'tbody', 'td', 'em', 'p']),
  );
  for (const attr of parsed.attrs)
    assert.match(attr, /^(style=(text-align:(left|right)|font-weight:normal)|class=glue-kernel-table)$/);
  assert.deepEqual(parsed.cells.slice(0, 3), ['idinteger', '<b>name</b>string', 'amountdecimal(10,2)']);
  const body = parsed.cells.slice(3);
  assert.equal(body[1], '<script>alert("x")</script>');
  assert.equal(body[4], `Tom & Jerry's "show"`);
  assert.equal(body[5], 'NULL');
  assert.equal(body[7], 'nul\u2400byte\u241bescape', 'controls are shown as symbols, never sent raw');
  assert.equal(body[10], `${'y'.repeat(1000)}… (10,000 characters)`, 'a value cut in the session says so');
  assert.equal(body[13], `${'z'.repeat(1000)}… (10,000 characters)`, 'long values are cut here too');
  assert.doesNotMatch(html, /\u0000/);
  assert.ok(html.length < 5000, `bounded: ${html.length}`);
});

test('NULL is marked in HTML, numbers are right-aligned, the header has names and types', () => {
  const html = String(renderTable(HOSTILE, { limit: 20 })['text/html']);
  assert.ok(html.includes('<td style="text-align:left"><em>NULL</em></td>') === false);
  assert.ok(html.includes('<td style="text-align:right"><em>NULL</em></td>'), 'NULL of a number column');
  assert.ok(html.includes('<td style="text-align:right">1</td><td style="text-align:left">&lt;script&gt;'));
  assert.ok(
    html.includes(
      '<th style="text-align:left">&lt;b&gt;name&lt;/b&gt;<br><span style="font-weight:normal">string</span></th>',
    ),
  );
  assert.ok(html.endsWith('<p>6 rows.</p>'));
});

test('text/plain: aligned columns, cut wide values, one line per row, and the row count', () => {
  const text = String(renderTable(HOSTILE, { limit: 20 })['text/plain']);
  const lines = text.split('\n');
  assert.equal(lines.length, 3 + 6 + 1);
  const row = (id: string, name: string, amount: string): string =>
    `${id.padStart(7)}  ${name.padEnd(40)}  ${amount.padStart(13)}`;
  assert.equal(lines[0], row('id', '<b>name</b>', 'amount'));
  assert.equal(lines[1], row('integer', 'string', 'decimal(10,2)'));
  assert.equal(lines[2], row('-'.repeat(7), '-'.repeat(40), '-'.repeat(13)));
  assert.equal(lines[4], row('2', `Tom & Jerry's "show"`, 'NULL'));
  assert.equal(lines[8], row('6', 'line↵break', '1.00'));
  assert.ok(lines[6].includes(`${'y'.repeat(39)}…`));
  assert.equal(lines.at(-1), '6 rows.');
});

test('the row line says whether more rows exist', () => {
  const table: ResultTable = { columns: [{ name: 'n', type: 'bigint' }], rows: [[1], [2], [3]] };
  assert.match(
    String(renderTable(table, { limit: 2 })['text/plain']),
    /\nShowing the first 2 rows; more exist\.$/,
  );
  assert.match(String(renderTable(table, { limit: 3 })['text/plain']), /\n3 rows\.$/);
  assert.match(String(renderTable({ ...table, rows: [] }, { limit: 3 })['text/plain']), /\nNo rows\.$/);
  assert.equal(
    renderTable({ columns: [], rows: [] }, { limit: 3 })['text/plain'],
    'The statement returned no columns.',
  );
});

test('rows stop at the byte budget, and the line says so', () => {
  // Quotes grow 6× in HTML, backslashes 2× in JSON: the worst values for the message size.
  const rows = Array.from({ length: 5000 }, (_v, i) => [i, '"&<>\\'.repeat(200)]);
  const table: ResultTable = {
    columns: [
      { name: 'i', type: 'int' },
      { name: 's', type: 'string' },
    ],
    rows,
  };
  const bundle = renderTable(table, { limit: 5000 });
  const html = String(bundle['text/html']);
  const text = String(bundle['text/plain']);
  const message = Buffer.byteLength(JSON.stringify({ data: bundle }));
  assert.ok(message < 5_000_000, `message ${message}`);
  assert.ok(Buffer.byteLength(JSON.stringify(html)) <= 3_200_000, `html ${html.length}`);
  assert.ok(Buffer.byteLength(JSON.stringify(text)) <= 1_500_000, `text ${text.length}`);
  const shown = html.split('<tr>').length - 2;
  assert.ok(shown > 100 && shown < 5000, `${shown} rows`);
  assert.ok(
    html.endsWith(
      `<p>Showing the first ${shown.toLocaleString('en-US')} rows (the output size limit); 5,000 were fetched.</p>`,
    ),
  );
});
