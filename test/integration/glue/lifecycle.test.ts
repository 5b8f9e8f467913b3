import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simulatePolls, STATEMENT_SCHEDULE } from '../../../src/session/glue/poll';
import { NO_PYTHON, needModules, recorder, rig, textOf, type Rig } from './harness';

describe('GlueBackend against the emulator: lifecycle', { skip: NO_PYTHON }, () => {
  let r: Rig;
  before(async () => {
    r = await rig({
      settings: { idle_timeout: 30, number_of_workers: 2, worker_type: 'G.1X' },
      backend: { progressAfterMs: 1000 },
    });
  });
  after(async () => r?.close());

  it('creates the session lazily on the first cell and runs it', async () => {
    assert.equal(r.backend.hasSession(), false);
    assert.equal(r.glueCalls().length, 0, 'nothing is called before the first cell');
    const { result, notes } = await r.run('x = 41\nprint(x + 1)');
    assert.equal(textOf(result).trim(), '42');
    const text = notes.text();
    assert.match(text, /Trying to create a Glue session for the kernel\./);
    assert.match(text, /Session Type: etl/);
    assert.match(text, /Worker Type: G\.1X/);
    assert.match(text, /Number of Workers: 2/);
    assert.match(text, /Idle Timeout: 30/);
    assert.match(text, /Session ID: [0-9a-f-]{36}/);
    assert.match(text, /Applying the following default arguments:\n--glue_kernel_version 0\.0\.0-test/);
    assert.match(text, /has been created/);
    assert.doesNotMatch(text, new RegExp(r.emulator.credentials[0].secretAccessKey.replace(/[+/]/g, '.')));
    assert.doesNotMatch(text, new RegExp(r.emulator.credentials[0].accessKeyId));
    assert.ok(r.backend.hasSession());
    assert.ok(r.backend.sessionId);
  });

  it('keeps variables between cells and does not call GetSession per cell', async () => {
    const before = r.glueCalls('GetSession').length;
    const { result } = await r.run('x + 1');
    assert.equal(textOf(result).trim(), '42');
    assert.equal(r.glueCalls('GetSession').length, before, 'no GetSession before running a statement');
  });

  it('tracebacks name the cell as the user sees it (In [n]), also for a function from an earlier cell', async () => {
    const signal = AbortSignal.timeout(30_000);
    const define = await r.backend.run('def boom():\n    return 1 / 0', {
      signal,
      notify: recorder(),
      executionCount: 7,
    });
    assert.equal(define.kind, 'output');
    const result = await r.backend.run('boom()', { signal, notify: recorder(), executionCount: 8 });
    assert.equal(result.kind, 'output');
    if (result.kind !== 'output') return;
    const tb = (result.output.Traceback ?? []).join('');
    assert.match(tb, /File "<cell In\[8\]>", line 1/, tb);
    assert.match(tb, /File "<cell In\[7\]>", line 2, in boom/, tb);
  });

  it('a Python error comes back as output with the error fields', async () => {
    const { result } = await r.run('1/0');
    assert.equal(result.kind, 'output');
    if (result.kind !== 'output') return;
    assert.equal(result.output.Status, 'error');
    assert.equal(result.output.ErrorName, 'ZeroDivisionError');
    assert.match(result.output.ErrorValue ?? '', /division by zero/);
    assert.ok((result.output.Traceback ?? []).length > 0);
  });

  it('%matplot output keeps MimeType and Result (read from the raw response)', async (t) => {
    if (!needModules(t, ['matplotlib'])) return;
    const code = [
      'import matplotlib',
      "matplotlib.use('Agg')",
      'import matplotlib.pyplot as plt',
      'plt.plot([1, 2, 3])',
      '%matplot plt',
    ].join('\n');
    const { result } = await r.run(code);
    assert.equal(result.kind, 'output', JSON.stringify(result));
    if (result.kind !== 'output') return;
    assert.match(result.output.Data?.MimeType ?? '', /^image\/png/);
    const png = Buffer.from(result.output.Data?.Result ?? '', 'base64');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  });

  it('a short statement is seen within a few polls', async (t) => {
    const before = r.glueCalls('GetStatement').length;
    const t0 = Date.now();
    const { result } = await r.run('1 + 1');
    const ms = Date.now() - t0;
    const polls = r.glueCalls('GetStatement').length - before;
    t.diagnostic(`1 + 1: ${ms} ms end to end, ${polls} GetStatement calls`);
    assert.equal(textOf(result).trim(), '2');
    assert.ok(polls <= 6, `${polls} polls`);
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('a 3 s statement costs few calls and shows progress', async (t) => {
    const before = r.glueCalls('GetStatement').length;
    const t0 = Date.now();
    const { result, notes } = await r.run('import time\ntime.sleep(3)\nprint("slept")');
    const ms = Date.now() - t0;
    const polls = r.glueCalls('GetStatement').length - before;
    t.diagnostic(
      `sleep(3): ${ms} ms end to end (+${ms - 3000} ms), ${polls} GetStatement calls (reference: 4)`,
    );
    assert.equal(textOf(result).trim(), 'slept');
    // The adaptive schedule's own count for 3 s, plus slack for the first cell's timing.
    const scheduled = simulatePolls(3000, STATEMENT_SCHEDULE).calls;
    assert.ok(polls <= scheduled + 3, `${polls} polls, schedule says ${scheduled}`);
    assert.ok(
      notes.lines.some((l) => l.kind === 'progress:statement' && /Statement \d+: RUNNING/.test(l.text)),
      notes.text(),
    );
  });

  it('%status describes the session without side effects', async () => {
    const tagged = await r.backend.tagSession({ team: 'data' }, AbortSignal.timeout(10_000));
    assert.equal(tagged, true);
    const calls = r.glueCalls().length;
    const summary = await r.backend.describe(AbortSignal.timeout(10_000));
    assert.ok(summary);
    const rows = new Map(summary.rows);
    assert.equal(rows.get('Session ID'), r.backend.sessionId);
    assert.equal(rows.get('Status'), 'READY');
    assert.equal(rows.get('Role'), 'arn:aws:iam::123456789012:role/GlueRole');
    assert.equal(rows.get('Session Type'), 'etl');
    assert.equal(rows.get('Idle Timeout'), '30 min');
    assert.equal(rows.get('Worker Type'), 'G.1X');
    assert.equal(rows.get('Number of Workers'), '2');
    assert.equal(rows.get('Region'), 'us-east-1');
    assert.match(rows.get('Tags') ?? '', /team=data/);
    assert.match(rows.get('Tags') ?? '', /owner=/);
    assert.match(rows.get('Arguments Passed') ?? '', /--enable-glue-datacatalog true/);
    const ops = r
      .glueCalls()
      .slice(calls)
      .map((c) => c.operation);
    assert.deepEqual([...new Set(ops)].sort(), ['GetSession', 'GetTags']);
  });

  it('stopSession stops it and the next cell starts a new one', async () => {
    const old = r.backend.sessionId!;
    const notes = recorder();
    assert.equal(await r.backend.stopSession(notes), true);
    assert.match(notes.text(), new RegExp(`Stopping session: ${old}`));
    assert.match(notes.text(), /Stopped session/);
    assert.equal(r.backend.hasSession(), false);
    assert.equal(r.glueCalls('StopSession').length, 1);
    assert.equal(await r.backend.stopSession(notes), false, 'nothing to stop');
    const { result } = await r.run('print("again")');
    assert.equal(textOf(result).trim(), 'again');
    assert.notEqual(r.backend.sessionId, old);
  });
});
