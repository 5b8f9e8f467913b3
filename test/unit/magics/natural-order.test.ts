import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORKER_TYPES } from '../../../src/config';
import { createRegistry } from '../../../src/magics';
import { naturalCompare } from '../../../src/magics/natural-order';

test('digit runs compare as numbers; a leading zero starts a fraction', () => {
  assert.deepEqual(['G.12X', 'G.2X', 'G.1X', 'G.025X', 'G.16X', 'G.4X'].sort(naturalCompare), [
    'G.025X',
    'G.1X',
    'G.2X',
    'G.4X',
    'G.12X',
    'G.16X',
  ]);
  assert.deepEqual(['5.0', '10.0', '4.0', '3.0'].sort(naturalCompare), ['3.0', '4.0', '5.0', '10.0']);
  assert.ok(naturalCompare('a', 'B') < 0);
});

// Issue 7.9: completion values sort naturally (G.1X before G.12X).
test('completion of magic arguments is in natural order', () => {
  const registry = createRegistry('pyspark');
  assert.deepEqual(registry.complete('%worker_type G.1').matches, ['G.1X', 'G.12X', 'G.16X']);
  const all = registry.complete('%worker_type ').matches;
  assert.equal(all.length, WORKER_TYPES.length);
  assert.ok(all.indexOf('G.2X') < all.indexOf('G.12X'), all.join(' '));
  assert.deepEqual(registry.complete('%glue_version ').matches, ['3.0', '4.0', '5.0']);
});
