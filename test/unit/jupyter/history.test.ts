import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ExecutionHistory, globMatch } from '../../../src/jupyter';
import { globMatchCounted } from '../../../src/jupyter/history';

function filled(): ExecutionHistory {
  const history = new ExecutionHistory(1);
  const inputs = ['x = 1', 'print(x)', 'x = 1', 'y = 2', 'print(y)'];
  inputs.forEach((input, i) => history.record(i + 1, input));
  history.recordOutput(4, '2');
  return history;
}

describe('ExecutionHistory', () => {
  it('tail returns the last n entries oldest first', () => {
    const h = filled();
    assert.deepEqual(h.tail(2), [
      [1, 4, 'y = 2'],
      [1, 5, 'print(y)'],
    ]);
    assert.equal(h.tail(undefined).length, 5);
    assert.deepEqual(h.tail(0), []);
    assert.deepEqual(h.tail(99).length, 5);
  });

  it('tail with output pairs input and text output (or null)', () => {
    assert.deepEqual(filled().tail(2, true), [
      [1, 4, ['y = 2', '2']],
      [1, 5, ['print(y)', null]],
    ]);
  });

  it('range selects start <= line < stop of the current session', () => {
    const h = filled();
    assert.deepEqual(h.range(1, 2, 4), [
      [1, 2, 'print(x)'],
      [1, 3, 'x = 1'],
    ]);
    assert.deepEqual(h.range(0, 4, 5), [[1, 4, 'y = 2']]);
    assert.equal(h.range(0, 1, null).length, 5);
    assert.equal(h.range(undefined, undefined, undefined).length, 5);
    assert.deepEqual(h.range(0, -2, null), [
      [1, 4, 'y = 2'],
      [1, 5, 'print(y)'],
    ]);
    assert.deepEqual(h.range(0, 1, -3), [
      [1, 1, 'x = 1'],
      [1, 2, 'print(x)'],
    ]);
    assert.deepEqual(h.range(0, 5, 99), [[1, 5, 'print(y)']]);
  });

  it('range of other sessions is empty', () => {
    const h = filled();
    assert.deepEqual(h.range(2, 1, null), []);
    assert.deepEqual(h.range(-1, 1, null), []);
  });

  it('search matches globs over whole inputs', () => {
    const h = filled();
    assert.deepEqual(
      h.search('print(*)').map((e) => e[1]),
      [2, 5],
    );
    assert.deepEqual(
      h.search('? = 1').map((e) => e[1]),
      [1, 3],
    );
    assert.deepEqual(h.search('print'), []);
    assert.equal(h.search(undefined).length, 5);
    assert.equal(h.search('*').length, 5);
  });

  it('search unique keeps the latest occurrence and n keeps the last matches', () => {
    const h = filled();
    assert.deepEqual(h.search('x = 1', { unique: true }), [[1, 3, 'x = 1']]);
    assert.deepEqual(
      h.search('*', { unique: true }).map((e) => e[1]),
      [2, 3, 4, 5],
    );
    assert.deepEqual(
      h.search('*', { n: 2 }).map((e) => e[1]),
      [4, 5],
    );
    assert.deepEqual(h.search('y*', { output: true }), [[1, 4, ['y = 2', '2']]]);
  });

  it('query dispatches on hist_access_type', () => {
    const h = filled();
    assert.equal(h.query({ hist_access_type: 'tail', n: 1 }).length, 1);
    assert.equal(h.query({ hist_access_type: 'range', session: 0, start: 1, stop: 3 }).length, 2);
    assert.equal(h.query({ hist_access_type: 'search', pattern: 'print*', n: 1 }).length, 1);
    assert.deepEqual(h.query({ hist_access_type: 'nonsense' }), []);
  });

  it('globs treat regex characters literally and * spans lines', () => {
    assert.ok(globMatch('a.b', 'a.b'));
    assert.ok(!globMatch('a.b', 'axb'));
    assert.ok(globMatch('(x)+[1]', '(x)+[1]'));
    assert.ok(globMatch('a*z', 'a\nb\nz'));
    assert.ok(!globMatch('A*', 'abc'));
    assert.ok(globMatch('?', '😀'));
    assert.ok(globMatch('', ''));
    assert.ok(!globMatch('', 'a'));
    assert.ok(globMatch('**', ''));
    assert.ok(globMatch('*a?c*', 'xxabcyy'));
    assert.ok(!globMatch('*a?c', 'xxabcyy'));
  });

  it('matches a pathological glob in at most (|text|+1)·(|pattern|+1) steps (a regex backtracked for seconds)', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*b'; // 22 characters
    const text = 'a'.repeat(5000);
    const { matched, steps } = globMatchCounted(pattern, text);
    assert.equal(matched, false);
    assert.ok(steps <= (text.length + 1) * (pattern.length + 1), `${steps} steps`);
    const h = new ExecutionHistory();
    for (let i = 1; i <= 20; i++) h.record(i, text);
    assert.deepEqual(h.search(pattern), []);
  });

  it('agrees with a regular-expression reference on small inputs', () => {
    const reference = (pattern: string, text: string): boolean => {
      let source = '';
      for (const char of pattern) {
        if (char === '*') source += '[\\s\\S]*';
        else if (char === '?') source += '[\\s\\S]';
        else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
      return new RegExp(`^${source}$`, 'u').test(text);
    };
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '.', '\n', '😀');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(alphabet, { maxLength: 12 }), (p, t) => {
        const pattern = p.join('');
        const text = t.join('');
        return globMatch(pattern, text) === reference(pattern, text);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });
});
