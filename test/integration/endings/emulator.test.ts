// Clean endings on the Glue backend, through jupyter_client, the kernel and the emulator:
// shutdown_request, restart, SIGTERM and SIGHUP each stop every session exactly once and leave
// no process behind (the user's subprocess in the session ends with the session); the session
// watchdog then exits without a call. After SIGKILL the watchdog stops the session within 60 s;
// a shutdown while CreateSession is in flight stops the session that call creates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestOf, startE2E, type E2E } from '../e2e/harness';
import { endKernel, pidsOf, START_SUBPROCESS, waitGone, watchdogsOf, type Ending } from './harness';

async function statusOf(e2e: E2E, id: string): Promise<string | undefined> {
  const r = (await (await fetch(`${e2e.emulator.endpoint}/_emulator/sessions`)).json()) as {
    sessions: { id: string; status: string }[];
  };
  return r.sessions.find((s) => s.id === id)?.status;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('endings on the Glue backend (emulator)', () => {
  for (const ending of ['shutdown', 'restart', 'SIGTERM', 'SIGHUP'] as Ending[]) {
    test(`${ending}: each session stopped exactly once, no process left, the watchdog exits without a call`, async (t) => {
      const e2e = await startE2E();
      try {
        const r = await endKernel(t, {
          backend: 'glue',
          kernelEnv: e2e.baseEnv(),
          steps: [{ code: START_SUBPROCESS }],
          ending,
        });
        if (!r) return;
        const { child } = pidsOf(r.results[0]);
        assert.ok(r.ending.exited, `the kernel exited after ${ending}\n${r.log}`);
        assert.ok(r.ending.elapsed < (ending === 'restart' ? 30 : 3), `${ending} took ${r.ending.elapsed} s`);
        const kernels = [r.kernel_pid, ...(r.ending.new_pid ? [r.ending.new_pid] : [])];
        assert.deepEqual(await waitGone([...kernels, child], 3000), [], `processes left\n${r.log}`);
        assert.ok(
          await waitFor(() => kernels.every((k) => watchdogsOf(k).length === 0), 3000),
          'the watchdogs exited',
        );
        const created = e2e.calls('CreateSession').map((c) => requestOf([c]).Id as string);
        assert.equal(created.length, ending === 'restart' ? 2 : 1);
        const stops = e2e.calls('StopSession').map((c) => c.request?.Id);
        assert.deepEqual(stops, created, 'every session stopped exactly once, the watchdog made no call');
        for (const id of created) assert.match((await statusOf(e2e, id)) ?? '', /^STOPP(ING|ED)$/);
      } finally {
        await e2e.stop();
      }
    });
  }

  test('SIGKILL: the watchdog stops the session within 60 s, once, and exits', async (t) => {
    const e2e = await startE2E();
    try {
      const r = await endKernel(t, {
        backend: 'glue',
        kernelEnv: e2e.baseEnv(),
        steps: [{ code: START_SUBPROCESS }],
        ending: 'SIGKILL',
      });
      if (!r) return;
      const killedAt = Date.now() - r.ending.elapsed * 1000;
      const [id] = e2e.calls('CreateSession').map((c) => requestOf([c]).Id as string);
      assert.ok(
        await waitFor(() => e2e.calls('StopSession').length > 0, 60_000),
        `no StopSession within 60 s of SIGKILL\n${r.log}`,
      );
      const stop = e2e.calls('StopSession')[0];
      assert.equal(stop.request?.Id, id);
      assert.equal(stop.status, 200);
      const after = Date.parse(stop.time) - killedAt;
      assert.ok(after < 60_000, `StopSession ${after} ms after the kill`);
      assert.ok(await waitFor(() => watchdogsOf(r.kernel_pid).length === 0, 5000), 'the watchdog exited');
      assert.equal(e2e.calls('StopSession').length, 1, 'exactly one StopSession');
      assert.match((await statusOf(e2e, id)) ?? '', /^STOPP(ING|ED)$/);
      assert.deepEqual(
        await waitGone([pidsOf(r.results[0]).child], 3000),
        [],
        'the session ended its processes',
      );
    } finally {
      await e2e.stop();
    }
  });

  test('shutdown while CreateSession is in flight stops the session that call creates', async (t) => {
    const e2e = await startE2E();
    try {
      e2e.emulator.admin.addFault({ operation: 'CreateSession', kind: 'delay', delayMs: 1200 });
      const r = await endKernel(t, {
        backend: 'glue',
        kernelEnv: e2e.baseEnv(),
        steps: [],
        during: 'print("never runs")',
        // The plan is printed just before CreateSession is sent; the emulator holds it 1.2 s.
        duringUntil: 'Session ID:',
        duringWait: 0.3,
        ending: 'shutdown',
      });
      if (!r) return;
      assert.ok(r.ending.exited);
      assert.ok(r.ending.elapsed < 3, `shutdown took ${r.ending.elapsed} s`);
      const creates = e2e.calls('CreateSession');
      assert.equal(creates.length, 1, r.log);
      assert.equal(creates[0].status, 200, 'the call went on and created the session');
      const id = requestOf(creates).Id as string;
      // Give a watchdog time to (wrongly) make a second call.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(
        e2e.calls('StopSession').map((c) => c.request?.Id),
        [id],
        'stopped exactly once',
      );
      assert.ok(e2e.calls('StopSession')[0].seq > creates[0].seq, 'after CreateSession returned');
      assert.match((await statusOf(e2e, id)) ?? '', /^STOPP(ING|ED)$/, 'no orphan session');
      assert.deepEqual(watchdogsOf(r.kernel_pid), []);
    } finally {
      await e2e.stop();
    }
  });
});
