// runner.py's own logic (REPL split, tracebacks, magics parsing, output capture), exercised
// through the real driver on the plain engine so no pytest is needed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PythonRunner } from '../../../src/runner/python-runner';
import type { StatementOutput } from '../../../src/runner/statement-output';
import { runnerPython } from '../../helpers/tools';

let runner: PythonRunner;

before(async () => {
  runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
});

after(async () => {
  await runner?.stop();
});

const run = (code: string): Promise<StatementOutput> => runner.execute(code);

function traceText(out: StatementOutput): string {
  return (out.Traceback ?? []).join('');
}

function assertOk(out: StatementOutput): void {
  assert.equal(out.Status, 'ok', `expected ok, got ${out.ErrorName}: ${out.ErrorValue}\n${traceText(out)}`);
}

describe('REPL semantics', () => {
  it('keeps variables and functions between statements', async () => {
    assertOk(await run('x = 40\ndef add(a, b):\n    return a + b'));
    const out = await run('add(x, 2)');
    assertOk(out);
    assert.equal(out.Data?.TextPlain, '42');
  });

  it('shows stdout first, then the repr of a final expression (not of earlier ones)', async () => {
    assert.equal((await run('print("a"); 1+1')).Data?.TextPlain, 'a\n2');
    assert.equal((await run('"not shown"\nprint("b")')).Data?.TextPlain, 'b');
    assert.equal((await run('[1, "x"]')).Data?.TextPlain, "[1, 'x']");
    assert.equal((await run('None')).Data?.TextPlain, '');
    assert.equal((await run('y = 1')).Data?.TextPlain, '');
  });

  it('sends stderr to Data.StdErr', async () => {
    const out = await run('import sys\nprint("to err", file=sys.stderr)\nprint("to out")');
    assert.deepEqual(out.Data, { TextPlain: 'to out', StdErr: 'to err' });
  });

  it('counts executions, errors included', async () => {
    const a = await run('1');
    const b = await run('1/0');
    const c = await run('2');
    assert.equal(b.ExecutionCount, (a.ExecutionCount ?? 0) + 1);
    assert.equal(c.ExecutionCount, (a.ExecutionCount ?? 0) + 2);
  });

  it('runs user code as __main__ (pickling user classes works)', async () => {
    const out = await run(
      'import pickle\nclass P:\n    pass\n(__name__, type(pickle.loads(pickle.dumps(P()))).__name__)',
    );
    assertOk(out);
    assert.equal(out.Data?.TextPlain, "('__main__', 'P')");
  });

  it('supports from __future__ imports in a cell', async () => {
    assertOk(
      await run('from __future__ import annotations\ndef f(a: Undefined) -> int:\n    return 1\nf(0)'),
    );
  });

  it('has no Spark on the plain engine: spark is a stand-in that says so', async () => {
    assert.match((await run('spark')).Data?.TextPlain ?? '', /^<no Spark engine: /);
    const out = await run('spark.range(3)');
    assert.equal(out.ErrorName, 'NoSparkEngineError');
  });
});

describe('errors', () => {
  it('reports an exception with only the user frames, with source lines', async () => {
    assertOk(await run('def inner():\n    return 1 / 0\n'));
    const out = await run('x = 1\ninner()');
    assert.equal(out.Status, 'error');
    assert.equal(out.ErrorName, 'ZeroDivisionError');
    assert.equal(out.ErrorValue, 'division by zero');
    const tb = out.Traceback ?? [];
    assert.equal(tb[0], 'Traceback (most recent call last):\n');
    assert.equal(tb[tb.length - 1], 'ZeroDivisionError: division by zero\n');
    const text = traceText(out);
    assert.doesNotMatch(text, /runner\.py/);
    const frames = text.match(/File "([^"]+)"/g) ?? [];
    assert.equal(frames.length, 2, text);
    assert.ok(
      frames.every((f) => /<cell \d+>/.test(f)),
      text,
    );
    assert.match(text, /line 2, in <module>\n {4}inner\(\)/);
    assert.match(text, /line 2, in inner\n {4}return 1 \/ 0/, "the earlier cell's source is shown");
  });

  it('keeps library frames the user code called into', async () => {
    const out = await run('import json\njson.loads("{bad")');
    assert.equal(out.ErrorName, 'JSONDecodeError');
    const text = traceText(out);
    assert.match(text, /json/);
    assert.doesNotMatch(text, /runner\.py/);
  });

  it('formats chained exceptions without runner frames', async () => {
    const out = await run('try:\n    {}["k"]\nexcept KeyError as e:\n    raise ValueError("wrapped") from e');
    assert.equal(out.ErrorName, 'ValueError');
    const text = traceText(out);
    assert.match(text, /KeyError: 'k'/);
    assert.match(text, /direct cause/);
    assert.doesNotMatch(text, /runner\.py/);
  });

  it('reports a syntax error with the cell name and line', async () => {
    const out = await run('a = 1\nb = = 2');
    assert.equal(out.Status, 'error');
    assert.equal(out.ErrorName, 'SyntaxError');
    const text = traceText(out);
    assert.match(text, /File "<cell \d+>", line 2/);
    assert.match(text, /b = = 2/);
    assert.doesNotMatch(text, /Traceback \(most recent call last\)/);
    assert.doesNotMatch(text, /runner\.py/);
  });

  it('does not run any of a cell with a syntax error', async () => {
    await run('z = 0');
    await run('z = 1\n)');
    assert.equal((await run('z')).Data?.TextPlain, '0');
  });

  it('survives sys.exit() and input()', async () => {
    const exit = await run('import sys\nsys.exit(3)');
    assert.equal(exit.ErrorName, 'SystemExit');
    assert.equal(exit.ErrorValue, '3');
    const input = await run('input("name? ")');
    assert.equal(input.ErrorName, 'EOFError');
    assert.ok(runner.alive);
    assert.equal((await run('"still here"')).Data?.TextPlain, "'still here'");
  });

  it('reports an exception raised by repr() of the final value', async () => {
    const out = await run(
      'class Bad:\n    def __repr__(self):\n        raise RuntimeError("no repr")\nBad()',
    );
    assert.equal(out.ErrorName, 'RuntimeError');
    assert.match(traceText(out), /in __repr__/);
  });
});

describe('magic lines', () => {
  it('rejects an unknown magic clearly', async () => {
    const out = await run('x = 1\n%table x');
    assert.equal(out.ErrorName, 'UnknownMagic');
    assert.match(out.ErrorValue ?? '', /%table/);
    assert.match(out.ErrorValue ?? '', /%matplot/);
  });

  it('does not treat % lines inside strings or brackets as magics', async () => {
    assert.equal((await run('s = """\n%matplot x\n"""\ns')).Data?.TextPlain, "'\\n%matplot x\\n'");
    assert.equal((await run('(10\n% 3)')).Data?.TextPlain, '1');
  });

  it('needs magics at the top level, on their own line, with an argument', async () => {
    const nested = await run('if True:\n    pass\n%matplot x\n    y = 2');
    assert.equal(nested.Status, 'error');
    const missing = await run('%matplot');
    assert.equal(missing.ErrorName, 'MagicError');
    assert.match(missing.ErrorValue ?? '', /usage: %matplot <variable>/);
  });

  it('runs the code before the magic, then reports a non-figure clearly', async () => {
    const out = await run('print("before")\nnotfig = 3\n%matplot notfig');
    assert.equal(out.Status, 'error');
    assert.equal(out.ErrorName, 'MagicError');
    // Without matplotlib the message names the missing module; with it, the wrong type.
    assert.match(
      out.ErrorValue ?? '',
      /matplotlib, which is not installed|expects a matplotlib Figure.*got int/,
    );
    assert.equal(out.Data?.TextPlain, 'before');
    assert.equal((await run('notfig')).Data?.TextPlain, '3');
  });

  it('reports a NameError in the magic argument at the magic line', async () => {
    const out = await run('a = 1\n%plotly no_such_figure');
    assert.equal(out.ErrorName, 'NameError');
    assert.match(traceText(out), /line 2, in <module>\n {4}%plotly no_such_figure/);
  });
});

describe('output capture', () => {
  it('captures C-level writes to fd 1/2 and subprocess output', async () => {
    const out = await run(
      'import os, subprocess, sys\n' +
        'os.write(1, b"raw-out\\n")\n' +
        'os.write(2, b"raw-err\\n")\n' +
        'subprocess.run([sys.executable, "-c", "print(\'child\')"], check=True)\n' +
        'print("python")',
    );
    assertOk(out);
    const lines = (out.Data?.TextPlain ?? '').split('\n').sort();
    assert.deepEqual(lines, ['child', 'python', 'raw-out']);
    assert.equal(out.Data?.StdErr, 'raw-err');
  });

  it('supports sys.stdout.buffer, isatty() and fileno()', async () => {
    const out = await run(
      'import sys\nsys.stdout.buffer.write("bytes é\\n".encode())\n(sys.stdout.isatty(), sys.stdout.fileno(), sys.stderr.fileno())',
    );
    assert.equal(out.Data?.TextPlain, 'bytes é\n(False, 1, 2)');
  });

  it('round-trips unicode and control characters', async () => {
    const out = await run('print("héllo ✓ \\u2028 \\x00 \\x1e end")');
    assert.equal(out.Data?.TextPlain, 'héllo ✓ \u2028 \x00 \x1e end');
  });

  it('handles large output', async () => {
    const out = await run('for i in range(50000):\n    print("line", i)');
    const lines = (out.Data?.TextPlain ?? '').split('\n');
    assert.equal(lines.length, 50000);
    assert.equal(lines[49999], 'line 49999');
  });

  it('streams through onStream without repeating the text in the result', async () => {
    const got: [string, string][] = [];
    const out = await runner.execute('import sys\nprint("one")\nprint("two", file=sys.stderr)\n7', {
      onStream: (name, text) => got.push([name, text]),
    });
    assert.deepEqual(out.Data, { TextPlain: '7' });
    assert.deepEqual(got, [
      ['stdout', 'one\n'],
      ['stderr', 'two\n'],
    ]);
    const quiet = await runner.execute('print("x")', { onStream: () => undefined });
    assert.deepEqual(quiet.Data, {}, 'no TextPlain when there is no final value');
  });
});
