import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkComplete } from '../../../src/kernel/completeness';

const py = (code: string): string => checkComplete(code, 'pyspark').status;

test('Python: complete, incomplete and invalid cells', () => {
  for (const code of [
    '1+1',
    'x = [1,\n 2]',
    'print("a # b")',
    "s = '''a\nb'''",
    '',
    '%help',
    'def f(x):\n    return x\n\n',
  ]) {
    assert.equal(py(code), 'complete', code);
  }
  for (const code of [
    'def f(x):',
    'x = [1,',
    "s = '''abc",
    'for i in range(3):\n    print(i)',
    'x = 1 + \\',
    'if x:  # comment',
  ]) {
    assert.equal(py(code), 'incomplete', code);
  }
  for (const code of [')', 'x = (1]', "s = 'abc", 'a = }']) assert.equal(py(code), 'invalid', code);
});

test('Python: incomplete cells suggest the next indent', () => {
  assert.deepEqual(checkComplete('def f(x):', 'pyspark'), { status: 'incomplete', indent: '    ' });
  assert.deepEqual(checkComplete('if a:\n    if b:', 'pyspark'), {
    status: 'incomplete',
    indent: '        ',
  });
});

test('strings hide brackets and comment markers', () => {
  assert.equal(py('x = ")"'), 'complete');
  assert.equal(py("x = '# ('"), 'complete');
  assert.equal(py('x = "a\\"("'), 'complete');
});

test('cell magics need a blank line to end', () => {
  assert.equal(py('%%sql\nselect 1'), 'incomplete');
  assert.equal(py('%%sql\nselect 1\n'), 'complete');
});

test('Scala: braces, strings and comments', () => {
  const sc = (code: string): string => checkComplete(code, 'spark').status;
  assert.equal(sc('val x = 1'), 'complete');
  assert.equal(sc('def f(x: Int) = {'), 'incomplete');
  assert.equal(sc('/* open comment'), 'incomplete');
  assert.equal(sc('val s = "}"'), 'complete');
  assert.equal(sc('val x = (1]'), 'invalid');
});
