// Faults end to end: a real Jupyter client (jupyter_client) → the kernel → the emulator, with
// faults injected through the emulator's admin path. Every cell must end within a stated bound
// with a clear outcome, no statement may run twice (the cells count a variable up, so a
// statement run twice shows a wrong number), no output may be lost or shown twice, and the
// cell after the fault must work.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { runnerPython } from '../../helpers/tools';
import { assertError, assertOk, drive, startE2E, stdout, type E2E, type StepResult } from './harness';

/**
 * The statements the emulator holds for the kernel's (only) session, read in-process: by the
 * time a test reads them the session is stopped (at shutdown, or by the watchdog once the
 * driver kills the kernel), and the API no longer lists a stopped session's statements.
 */
function sessionStatements(e2e: E2E, sessionId: string): { Code: string }[] {
  return e2e.emulator.admin.statements(sessionId);
}

const SLEEP_CELL = 'import time\ntime.sleep(60)';

function createdSessionIds(e2e: E2E): string[] {
  return e2e
    .calls('CreateSession')
    .filter((c) => c.status === 200)
    .map((c) => String(c.request?.Id));
}

function displayText(cell: StepResult): string {
  return (cell.outputs ?? [])
    .filter((o) => o.type === 'display_data')
    .map((o) => o.plain ?? '')
    .join('\n');
}

/** Each counting cell's line appears exactly once in its own output. */
function assertShownOnce(cell: StepResult | undefined, line: string, what: string): void {
  assertOk(cell, what);
  const text = stdout(cell);
  const count = text.split('\n').filter((l) => l === line).length;
  assert.equal(count, 1, `${what}: "${line}" shown ${count} times in ${JSON.stringify(text)}`);
}

const COUNTING_CELLS = [
  { code: 'n = 1\nprint(f"cell {n}")', line: 'cell 1' },
  { code: 'n += 1\nprint(f"cell {n}")', line: 'cell 2' },
  {
    code: 'import time\nn += 1\nfor i in range(3):\n    print(f"cell {n} tick {i}")\n    time.sleep(0.4)',
    line: 'cell 3 tick 2',
  },
  { code: 'n += 1\nprint(f"cell {n}")', line: 'cell 4' },
];

describe('faults through jupyter_client, the kernel and the emulator', () => {
  test('half of all calls throttled: every output shown once, no cell fails; interrupt within 2 s, shutdown within 3 s', async (t) => {
    const e2e = await startE2E();
    try {
      e2e.emulator.admin.addFault({ operation: '*', kind: 'throttle', every: 2, count: 1_000_000 });
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          ...COUNTING_CELLS.map((c) => ({ code: c.code, timeout: 90 })),
          { code: SLEEP_CELL, interrupt_after: 3, timeout: 90 },
          { code: 'print(f"after the interrupt {n}")', timeout: 60 },
          { shutdown: true },
        ],
      });
      if (!d) return;
      const [c1, c2, c3, c4, interrupted, after, shutdown] = d.results;
      assertShownOnce(c1, 'cell 1', 'first cell');
      assertShownOnce(c2, 'cell 2', 'second cell');
      for (const i of [0, 1, 2]) assertShownOnce(c3, `cell 3 tick ${i}`, 'third cell');
      assertShownOnce(c4, 'cell 4', 'fourth cell');
      for (const c of [c2, c3, c4]) assert.ok((c.elapsed ?? 99) < 20, `a cell took ${c.elapsed} s`);
      assert.ok(
        [c1, c2, c3, c4].some((c) => /Glue is throttling API calls/.test(displayText(c))),
        'the status line says, once, that Glue is throttling',
      );
      for (const c of [c1, c2, c3, c4])
        assert.equal((c.outputs ?? []).filter((o) => o.type === 'error').length, 0, 'no error shown');

      assert.equal(interrupted.status, 'error', JSON.stringify(interrupted));
      assert.ok(
        (interrupted.after_interrupt ?? 99) < 2,
        `interrupt answered after ${interrupted.after_interrupt} s: ${JSON.stringify(interrupted)}`,
      );
      assertShownOnce(after, 'after the interrupt 4', 'the cell after the interrupt');
      assert.ok(shutdown.shutdown, JSON.stringify(shutdown));
      // The kernel gives StopSession 2 s at shutdown (throttled here), then the process exits.
      assert.ok((shutdown.elapsed ?? 99) < 3, `shutdown took ${shutdown.elapsed} s`);

      const throttled = e2e.calls().filter((c) => c.throttled === 'fault');
      const glue = e2e.calls().filter((c) => c.service === 'glue');
      t.diagnostic(`${glue.length} Glue calls, ${throttled.length} throttled`);
      assert.ok(throttled.length >= glue.length / 3, 'about half of all calls were throttled');
      const [id] = createdSessionIds(e2e);
      const statements = sessionStatements(e2e, id);
      // Under sustained throttling the budget may space calls so far apart that the interrupt
      // comes before the sleeping cell's RunStatement: then it never ran, which is right too.
      const codes = statements.map((s) => s.Code);
      assert.deepEqual(
        codes.filter((c) => c !== SLEEP_CELL),
        [...COUNTING_CELLS.map((c) => c.code), 'print(f"after the interrupt {n}")'],
        `one statement per cell: ${codes.join(' | ')}`,
      );
      assert.ok(codes.filter((c) => c === SLEEP_CELL).length <= 1, 'the interrupted cell ran at most once');
    } finally {
      await e2e.stop();
    }
  });

  test('RunStatement accepted but its answer lost (reset, 500), 500s and resets on GetStatement: each statement runs once', async (t) => {
    const e2e = await startE2E();
    try {
      const admin = e2e.emulator.admin;
      admin.addFault({ operation: 'RunStatement', kind: 'reset', after: true }); // cell 1: accepted, answer lost
      admin.addFault({ operation: 'RunStatement', kind: 'error500', after: true }); // cell 2: accepted, then 500
      // Cell 3: refused with a 500, then the connection reset before it was handled: sent 3 times.
      admin.addFault({ operation: 'RunStatement', kind: 'error500' });
      admin.addFault({ operation: 'RunStatement', kind: 'reset' });
      admin.addFault({ operation: 'GetStatement', kind: 'reset', count: 2 });
      admin.addFault({ operation: 'GetStatement', kind: 'error500', count: 2 });
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          ...COUNTING_CELLS.map((c) => ({ code: c.code, timeout: 60 })),
          { code: 'print(f"next {n}")', timeout: 30 },
        ],
      });
      if (!d) return;
      const [c1, c2, c3, c4, next] = d.results;
      assertShownOnce(c1, 'cell 1', 'answer lost after a reset');
      assertShownOnce(c2, 'cell 2', 'answer lost to a 500');
      for (const i of [0, 1, 2]) assertShownOnce(c3, `cell 3 tick ${i}`, 'RunStatement refused, then reset');
      assertShownOnce(c4, 'cell 4', 'the cell after');
      assertShownOnce(next, 'next 4', 'the cell after');
      for (const c of [c1, c2, c3, c4]) assert.ok((c.elapsed ?? 99) < 20, `a cell took ${c.elapsed} s`);
      assert.match(
        stdout(c1),
        /The answer to RunStatement was lost .* but Glue had accepted the statement: following statement 0\./,
      );
      assert.match(stdout(c2), /Glue had accepted the statement: following statement 1\./);
      assert.equal(
        stdout(c3).split('Glue has no record of the statement; sending it again.').length - 1,
        2,
        stdout(c3),
      );

      const [id] = createdSessionIds(e2e);
      const statements = sessionStatements(e2e, id);
      assert.deepEqual(
        statements.map((s) => s.Code),
        [...COUNTING_CELLS.map((c) => c.code), 'print(f"next {n}")'],
        'each cell ran exactly once',
      );
      assert.ok(e2e.calls('ListStatements').length >= 4, 'each ambiguous failure looked for the statement');
    } finally {
      await e2e.stop();
    }
  });

  test('5 s latency on RunStatement and GetStatement: the cell waits it out, the next one is quick', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'print("warm")', timeout: 60 },
          {
            admin: 'POST',
            path: 'faults',
            body: { operation: 'RunStatement', kind: 'delay', delayMs: 5000 },
          },
          {
            admin: 'POST',
            path: 'faults',
            body: { operation: 'GetStatement', kind: 'delay', delayMs: 5000 },
          },
          { code: 'print("slow")', timeout: 60 },
          { code: 'print("quick again")', timeout: 30 },
        ],
      });
      if (!d) return;
      const [, , , slow, quick] = d.results;
      assertShownOnce(slow, 'slow', 'the slow cell');
      assert.ok((slow.elapsed ?? 0) >= 10 && (slow.elapsed ?? 99) < 25, `slow cell: ${slow.elapsed} s`);
      assertShownOnce(quick, 'quick again', 'the next cell');
      assert.ok((quick.elapsed ?? 99) < 3, `next cell: ${quick.elapsed} s`);
    } finally {
      await e2e.stop();
    }
  });

  test('a session going FAILED or TIMEOUT mid-statement and between cells: a clear error within seconds, then a new session', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'print("first")', timeout: 60 },
          {
            code: 'import time\ntime.sleep(30)',
            timeout: 60,
            admin_after: { after: 2, admin: 'POST', path: 'sessions/{ready}/fail' },
          },
          { code: 'print("second session")', timeout: 60 },
          {
            code: 'import time\ntime.sleep(30)',
            timeout: 60,
            admin_after: { after: 2, admin: 'POST', path: 'sessions/{ready}/timeout' },
          },
          { code: 'print("third session")', timeout: 60 },
          { admin: 'POST', path: 'sessions/{ready}/fail' },
          { code: 'print("on a failed session")', timeout: 60 },
          { code: 'print("fourth session")', timeout: 60 },
        ],
      });
      if (!d) return;
      const [first, failedMid, second, timedOutMid, third, , failedBetween, fourth] = d.results;
      assertOk(first, 'first');
      assertError(failedMid, 'SessionFailed', 'FAILED mid-statement');
      assert.ok((failedMid.elapsed ?? 99) < 8, `FAILED seen after ${failedMid.elapsed} s`);
      assertShownOnce(second, 'second session', 'after FAILED');
      assertError(timedOutMid, 'SessionTimeout', 'TIMEOUT mid-statement');
      assert.ok((timedOutMid.elapsed ?? 99) < 8, `TIMEOUT seen after ${timedOutMid.elapsed} s`);
      assertShownOnce(third, 'third session', 'after TIMEOUT');
      assertError(failedBetween, 'SessionFailed', 'FAILED between cells');
      assertShownOnce(fourth, 'fourth session', 'after FAILED between cells');
      assert.equal(createdSessionIds(e2e).length, 4);
    } finally {
      await e2e.stop();
    }
  });

  test('the emulator restarted between cells: the lost session is reported, the next cell starts a new one', async (t) => {
    const e2e = await startE2E();
    let restarted: RunningEmulator | undefined;
    try {
      const { port, credentials } = e2e.emulator;
      // Restart once the first cell's statement has been seen finished.
      const restart = (async () => {
        const deadline = Date.now() + 120_000;
        while (!e2e.calls('GetStatement').some((c) => c.status === 200) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500));
        await e2e.emulator.stop();
        restarted = await startEmulator({ python: runnerPython(), provisionMs: 0, port, credentials });
      })();
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'print("before")', timeout: 60 },
          { sleep: 4 },
          { code: 'print("after the restart")', timeout: 60 },
          { code: 'print("new session")', timeout: 60 },
        ],
      });
      await restart;
      if (!d) return;
      const [before, , lost, fresh] = d.results;
      assertShownOnce(before, 'before', 'before the restart');
      const error = assertError(lost, 'SessionNotFound', 'after the restart');
      assert.match(error.evalue ?? '', /no longer exists\. .*The next code cell starts a new session/);
      assert.ok((lost.elapsed ?? 99) < 10, `the lost session was reported after ${lost.elapsed} s`);
      assertShownOnce(fresh, 'new session', 'a new session on the restarted emulator');
    } finally {
      await restarted?.stop();
      await e2e.stop().catch(() => undefined);
    }
  });
});
