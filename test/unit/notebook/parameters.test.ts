import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Notebook } from '../../../src/notebook/nbformat';
import {
  injectParameters,
  ParameterError,
  parseParameterArg,
  pythonRepr,
  PythonFloat,
} from '../../../src/notebook/parameters';

test('-p values are Python literals when they parse as one, else strings', () => {
  const value = (arg: string) => parseParameterArg(arg).value;
  assert.equal(value('n=3'), 3);
  assert.deepEqual(value('x=3.0'), new PythonFloat(3));
  assert.equal(value('flag=True'), true);
  assert.equal(value('none=None'), null);
  assert.equal(value("s='quoted'"), 'quoted');
  assert.equal(value('path=s3://bucket/key'), 's3://bucket/key');
  assert.equal(value('expr=1+1'), '1+1', 'an expression is not evaluated: it stays text');
  assert.equal(value('empty='), '');
  assert.equal(value('eq=a=b'), 'a=b', 'only the first = separates the name');
  assert.deepEqual(value('xs=[1, "a", None]'), [1, 'a', null]);
  assert.equal(parseParameterArg('  spaced =1').name, 'spaced');
});

test('bad names and shapes are refused with a message saying what is wrong', () => {
  assert.throws(() => parseParameterArg('novalue'), /-p takes NAME=VALUE \(got "novalue"\)/);
  assert.throws(() => parseParameterArg('=3'), ParameterError);
  assert.throws(() => parseParameterArg('1x=3'), /"1x" is not a valid Python variable name/);
  assert.throws(() => parseParameterArg('class=3'), /"class" is not a valid Python variable name.*keyword/);
  assert.throws(() => parseParameterArg('a.b=3'), ParameterError);
});

test('values render as Python source', () => {
  assert.equal(pythonRepr(null), 'None');
  assert.equal(pythonRepr(true), 'True');
  assert.equal(pythonRepr(false), 'False');
  assert.equal(pythonRepr(42), '42');
  assert.equal(pythonRepr(-1.5), '-1.5');
  assert.equal(pythonRepr(new PythonFloat(3)), '3.0');
  assert.equal(pythonRepr(new PythonFloat(1e21)), '1e+21');
  assert.equal(pythonRepr('it\'s "x"\n\\'), '"it\'s \\"x\\"\\n\\\\"');
  assert.equal(pythonRepr({ a: [1, { b: null }], 'k"': 'v' }), '{"a": [1, {"b": None}], "k\\"": "v"}');
  assert.throws(() => pythonRepr(Infinity), ParameterError);
});

function notebook(...tags: (string[] | undefined)[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: tags.map((t, i) => ({
      cell_type: 'code' as const,
      id: `c${i}`,
      source: `cell ${i}`,
      metadata: t ? { tags: t } : {},
      outputs: [],
      execution_count: null,
    })),
  };
}

test('the injected cell goes right after the cell tagged parameters, with papermill tags', () => {
  const nb = notebook(undefined, ['parameters'], undefined);
  const placed = injectParameters(nb, { n: 3, name: 'x' });
  assert.deepEqual(placed, { index: 2, afterParametersCell: true });
  assert.equal(nb.cells.length, 4);
  const cell = nb.cells[2];
  assert.deepEqual(cell.metadata, { tags: ['injected-parameters'] });
  assert.deepEqual(cell.source, ['# Parameters\n', 'n = 3\n', 'name = "x"']);
  assert.equal(nb.cells[3].source, 'cell 2');
});

test('a second run replaces the injected cell; without a parameters cell it goes first', () => {
  const nb = notebook(['parameters']);
  injectParameters(nb, { n: 1 });
  injectParameters(nb, { n: 2 });
  assert.equal(nb.cells.length, 2);
  assert.deepEqual(nb.cells[1].source, ['# Parameters\n', 'n = 2']);

  const untagged = notebook(undefined, undefined);
  assert.deepEqual(injectParameters(untagged, { n: 1 }), { index: 0, afterParametersCell: false });
  assert.deepEqual(untagged.cells[0].metadata, { tags: ['injected-parameters'] });
});
