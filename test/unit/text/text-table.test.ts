import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textTable } from '../../../src/text/text-table';

test('columns are aligned, with a rule under the header unless asked not to', () => {
  const rows = [
    ['a', 'READY'],
    ['longer-id', 'STOPPED'],
  ];
  assert.equal(
    textTable(['Id', 'Status'], rows),
    'Id         Status\n---------  -------\na          READY\nlonger-id  STOPPED',
  );
  assert.equal(textTable(['Id', 'Status'], rows, { rule: false }).split('\n').length, 3);
});
