// What a notebook receives from a Glue session, end to end: text as stream messages, an
// image from %matplot as display_data, a Python exception as an `error` message with a status
// error reply, every output before its reply; and an interrupt that cancels the statement
// (CancelStatement) within seconds while the session and its variables survive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { need, runnerPython } from '../../helpers/tools';
import { assertError, assertOk, drive, requestOf, startE2E, stderr, stdout, type E2E } from './harness';

function runnerHasMatplotlib(): true | undefined {
  const probe = spawnSync(runnerPython(), ['-c', 'import matplotlib'], { stdio: 'ignore', timeout: 30_000 });
  return probe.status === 0 ? true : undefined;
}

describe('outputs and interrupt through jupyter_client', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.stop();
  });

  test('text, image and error outputs as Jupyter messages, each before its reply', async (t) => {
    if (!need(t, runnerHasMatplotlib(), `matplotlib for the runner Python (${runnerPython()})`)) return;
    const d = await drive(t, {
      kernelEnv: e2e.baseEnv(),
      steps: [
        { code: 'print("hello")\nprint("world")\n6 * 7' },
        { code: 'def f():\n    raise ValueError("bad value")\n\nprint("before the error")\nf()' },
        {
          code:
            'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\n' +
            'plt.figure()\nplt.plot([1, 4, 9])\nprint("plotted")\n%matplot plt',
        },
        { code: '%matplot plt' },
        { code: '%matplot not_defined_anywhere' },
      ],
    });
    if (!d) return;
    const [text, error, image, imageOnly, badImage] = d.results;

    assertOk(text, 'text');
    assert.ok(stdout(text).endsWith('hello\nworld\n42\n'), stdout(text));
    assert.equal(
      text.outputs!.at(-1)!.text,
      'hello\nworld\n42\n',
      'the statement output is one stream message',
    );
    // The first cell also starts the session: its live status lines (the session, then the
    // statement) are text/plain displays updated in place; everything else is stream text.
    const displays = text.outputs!.filter((o) => o.type !== 'stream');
    assert.ok(displays.length <= 2, JSON.stringify(displays));
    for (const d of displays) assert.deepEqual([d.type, d.mimes], ['display_data', ['text/plain']]);

    const err = assertError(error, 'ValueError', 'a Python exception');
    assert.equal(err.evalue, 'bad value');
    assert.ok(
      err.traceback!.some((l) => l.includes('raise ValueError("bad value")')),
      err.traceback!.join('\n'),
    );
    assert.ok(err.traceback!.at(-1)!.includes('ValueError: bad value'));
    assert.match(stdout(error), /before the error/, 'text printed before the exception is shown');
    assert.equal(error.outputs!.at(-1)!.type, 'error', 'the error comes after the text');

    for (const [cell, what] of [
      [image, 'code then %matplot'],
      [imageOnly, '%matplot alone'],
    ] as const) {
      assertOk(cell, what);
      // Status lines are text/plain displays too; the figure is the one with an image.
      const display = cell.outputs!.find((o) => o.type === 'display_data' && o.mimes?.includes('image/png'));
      assert.ok(display, `${what}: display_data`);
      assert.ok(display.mimes!.includes('image/png'), `${what}: image/png`);
      assert.equal(display.png_ok, true, `${what}: a real PNG`);
      assert.deepEqual(display.metadata, { 'image/png': { width: 640, height: 480 } });
    }
    assert.match(stdout(image), /plotted/);
    assertError(badImage, 'NameError', '%matplot of an undefined name');

    for (const cell of d.results)
      assert.equal(cell.output_before_reply, true, JSON.stringify(cell).slice(0, 300));
    // Each cell's code reached the session as one statement, %matplot included.
    const codes = e2e.calls('RunStatement').map((c) => requestOf([c]).Code as string);
    assert.ok(codes.some((c) => c.endsWith('print("plotted")\n%matplot plt')));
    assert.ok(codes.includes('%matplot plt'));
  });

  test('interrupt cancels the statement within seconds; the session and its variables survive', async (t) => {
    const since = e2e.lastSeq();
    const d = await drive(t, {
      kernelEnv: e2e.baseEnv(),
      steps: [
        { code: 'kept = 21' },
        { code: 'import time\nprint("sleeping")\ntime.sleep(60)\nprint("woke up")', interrupt_after: 2 },
        { code: 'print(kept * 2)' },
      ],
    });
    if (!d) return;
    const [set, sleeping, afterwards] = d.results;
    assertOk(set, 'set a variable');
    const interrupted = assertError(sleeping, 'KeyboardInterrupt', 'interrupted sleep');
    assert.equal(sleeping.interrupt_mode, 'message', 'km.interrupt_kernel() sent an interrupt_request');
    assert.ok(
      sleeping.after_interrupt! < 3,
      `the cell ended ${sleeping.after_interrupt} s after the interrupt`,
    );
    assert.match(interrupted.evalue ?? '', /Statement \d+ was cancelled\. Session .* is still running/);
    assert.doesNotMatch(stdout(sleeping), /woke up/);
    assert.equal(stderr(sleeping).includes('Traceback'), false);

    const calls = e2e.calls(undefined, since);
    const cancels = calls.filter((c) => c.operation === 'CancelStatement');
    assert.equal(cancels.length, 1);
    const runs = calls.filter((c) => c.operation === 'RunStatement');
    const sleepRun = runs.find((c) => String(c.request?.Code).includes('time.sleep(60)'));
    assert.ok(sleepRun);
    const sessionId = calls.find((c) => c.operation === 'CreateSession')?.request?.Id;
    assert.deepEqual(requestOf(cancels), { SessionId: sessionId, Id: 1 });
    assert.equal(calls.filter((c) => c.operation === 'CreateSession').length, 1, 'no new session');

    assertOk(afterwards, 'the next cell');
    assert.equal(stdout(afterwards), '42\n');
  });
});
