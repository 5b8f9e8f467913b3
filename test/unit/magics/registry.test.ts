import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreMagics } from '../../../src/magics/core';
import { tableMagics } from '../../../src/magics/table-magics';
import { editDistance } from '../../../src/config/configure';
import { helpMarkdown, MagicRegistry, nearest } from '../../../src/magics/registry';
import { MagicUsageError } from '../../../src/magics/types';

const registry = new MagicRegistry([...coreMagics, ...tableMagics]);

test('edit distance and nearest name', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('%stop_sesion', registry.names()), '%stop_session');
  assert.equal(nearest('%completely_different', registry.names()), undefined);
});

test('an unknown magic is an error that suggests the nearest name', () => {
  assert.throws(
    () => registry.resolve('stats', 'line'),
    (e: unknown) => e instanceof MagicUsageError && /Did you mean %status\?/.test(e.message),
  );
  assert.throws(() => registry.resolve('sql', 'line'), /is a cell magic: write it as %%sql/);
});

test('completion of magic names keeps the typed prefix position', () => {
  assert.deepEqual(registry.complete('%st'), { matches: ['%status', '%stop_session'], replaceFrom: 0 });
  assert.deepEqual(registry.complete('  %%s').matches, ['%%sql']);
});

test('inspection returns the help of the magic', () => {
  const help = registry.inspect('%status');
  assert.ok(help);
  assert.match(help.plain, /^%status/);
  assert.equal(registry.inspect('print(1)'), undefined);
});

test('%help lists every magic, grouped', () => {
  const md = helpMarkdown(registry);
  for (const magic of coreMagics) assert.ok(md.includes(magic.usage), magic.usage);
  assert.match(md, /## Sessions/);
});

test('a magic cannot be defined twice', () => {
  assert.throws(() => new MagicRegistry([...coreMagics, coreMagics[0]]), /defined twice/);
});
