import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCell } from '../../../src/magics/cell-splitter';

test('leading line magics, comments and blank lines are taken; the rest is code', () => {
  const split = splitCell(
    '# setup\n%region us-east-1\n\n%number_of_workers 2\nx = 1\n%region eu-west-1\nprint(x)',
  );
  assert.deepEqual(
    split.lineMagics.map((m) => [m.name, m.argText, m.line]),
    [
      ['region', 'us-east-1', 1],
      ['number_of_workers', '2', 3],
    ],
  );
  assert.equal(split.code, 'x = 1\n%region eu-west-1\nprint(x)');
  assert.equal(split.cellMagic, undefined);
});

test('a cell magic takes the rest of the cell as its body', () => {
  const split = splitCell('%region us-east-1\n%%configure -f\n{"a": 1}\n%region x');
  assert.equal(split.lineMagics.length, 1);
  assert.deepEqual(split.cellMagic, {
    name: 'configure',
    argText: '-f',
    line: 1,
    body: '{"a": 1}\n%region x',
  });
  assert.equal(split.code, '');
});

test('%matplot and %plotly start the code: they belong to the session', () => {
  const split = splitCell('%matplot plt');
  assert.equal(split.lineMagics.length, 0);
  assert.equal(split.code, '%matplot plt');
});

test('shell escapes in the magic block are reported, not run', () => {
  const split = splitCell('!pip install x\nprint(1)');
  assert.deepEqual(
    split.shellEscapes.map((s) => s.argText),
    ['pip install x'],
  );
  assert.equal(split.code, 'print(1)');
});

test('a magic-only or empty cell has no code', () => {
  assert.equal(splitCell('%help').code, '');
  assert.equal(splitCell('\n  \n# only a comment\n').code, '');
});

// Issue 8.5: a "#" after whitespace ends a magic's argument, as in Python, for every magic.
test('a trailing # comment is not part of a magic argument; a # inside a value is', () => {
  const split = splitCell(
    [
      '%worker_type G.2X  # bigger workers',
      '%session_id_prefix team#1',
      '%region\tus-east-1\t# tab-separated',
      '%iam_role "arn:aws:iam::1:role/a # b"  # quoted # stays',
      "%spark_conf it's=ok # the apostrophe is not a quote",
      '%number_of_workers # nothing',
      '%%configure {"session_id_prefix": "a # b"}  # one-line body',
    ].join('\n'),
  );
  assert.deepEqual(
    split.lineMagics.map((m) => m.argText),
    ['G.2X', 'team#1', 'us-east-1', '"arn:aws:iam::1:role/a # b"', "it's=ok", ''],
  );
  assert.equal(split.cellMagic?.argText, '{"session_id_prefix": "a # b"}');
});
