// The call budget and throttling against the emulator, at the backend's level (the end-to-end
// versions through jupyter_client are in test/integration/e2e/faults.test.ts).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NO_PYTHON, rig, textOf, type Rig } from './harness';

let rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});
async function make(...args: Parameters<typeof rig>): Promise<Rig> {
  const r = await rig(...args);
  rigs.push(r);
  return r;
}

describe('GlueBackend: call budget and throttling', { skip: NO_PYTHON }, () => {
  it('an interrupt while half of all calls are throttled is answered within 2 s', async () => {
    const r = await make();
    assert.equal(textOf((await r.run('print("ready")')).result).trim(), 'ready');
    await r.fault({ operation: '*', kind: 'throttle', every: 2, count: 1_000_000 });
    // A few cells first, so the budget has come down to what the throttling allows.
    for (const n of [1, 2, 3]) assert.equal(textOf((await r.run(`print(${n})`)).result).trim(), String(n));
    const ac = new AbortController();
    const running = r.run('import time\ntime.sleep(60)', ac.signal);
    await new Promise((res) => setTimeout(res, 3000));
    const t0 = Date.now();
    ac.abort();
    const { result, notes } = await running;
    const ms = Date.now() - t0;
    assert.equal(result.kind, 'cancelled', JSON.stringify(result));
    assert.ok(ms < 2000, `answered after ${ms} ms: ${notes.text()}`);
  });

  it('GetStatement throttled 8 times in a row: the statement is not abandoned, its output is shown once', async () => {
    // Regression: polling used to give up after 5 throttled tries and abandon a running statement.
    const r = await make({ backend: { apiRate: 50 } });
    assert.equal(textOf((await r.run('print("ready")')).result).trim(), 'ready');
    await r.fault({ operation: 'GetStatement', kind: 'throttle', count: 8 });
    const { result, notes } = await r.run('import time\ntime.sleep(0.5)\nprint("survived")');
    assert.equal(textOf(result).trim(), 'survived');
    assert.equal(r.glueCalls('RunStatement').filter((c) => c.status === 200).length, 2, 'run once');
    assert.ok(
      notes.lines.some((l) => l.kind === 'progress:statement' && /Glue is throttling API calls/.test(l.text)),
      notes.text(),
    );
  });

  it('when checking keeps failing, the cell gives up naming the statement, and %statement shows it later', async () => {
    const r = await make({ backend: { apiRate: 50, pollGiveUpMs: 1500 } });
    assert.equal(textOf((await r.run('print("ready")')).result).trim(), 'ready');
    await r.fault({ operation: 'GetStatement', kind: 'error500', count: 1_000_000 });
    const { result } = await r.run('import time\ntime.sleep(0.2)\nprint("kept by Glue")');
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'StatementResultUnknown');
    assert.match(result.message, /Gave up waiting for statement 1: checking on it kept failing for \d+ s /);
    assert.match(
      result.message,
      /run %statement 1 to show it once it has finished\. Running this cell again would run it a second time\./,
    );
    await r.admin('DELETE', 'faults');
    const later = await r.backend.statement(1, AbortSignal.timeout(10_000));
    assert.equal(textOf(later).trim(), 'kept by Glue');
    const missing = await r.backend.statement(7, AbortSignal.timeout(10_000));
    assert.deepEqual(missing, {
      kind: 'failed',
      ename: 'StatementNotFound',
      message: `Session ${r.backend.sessionId} has no statement 7.`,
    });
  });

  it('every call waits in the budget: no 1 s window with more than 5 calls', async () => {
    const r = await make();
    for (const n of [1, 2, 3, 4, 5, 6])
      assert.equal(textOf((await r.run(`print(${n})`)).result).trim(), String(n));
    await r.backend.describe(AbortSignal.timeout(10_000));
    await r.backend.listSessions(AbortSignal.timeout(10_000));
    const times = r.emulator.admin
      .calls()
      .filter((c) => c.service === 'glue')
      .map((c) => Date.parse(c.time));
    for (let i = 5; i < times.length; i++)
      assert.ok(
        times[i] - times[i - 5] >= 1000,
        `6 calls within 1 s: ${times.slice(i - 5, i + 1).join(', ')}`,
      );
  });
});
