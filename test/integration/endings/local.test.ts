// Clean endings on the local backend, through jupyter_client: however the kernel ends
// (shutdown_request, restart, SIGTERM, SIGHUP), no process of the kernel's or the user's is
// left: the kernel, its Python runner, and a subprocess the user's code started.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endKernel, pidsOf, START_SUBPROCESS, waitGone, type Ending } from './harness';

describe('endings on the local backend leave no process behind', () => {
  for (const ending of ['shutdown', 'restart', 'SIGTERM', 'SIGHUP'] as Ending[]) {
    test(`${ending}: the kernel, the runner and the user's subprocess are gone`, async (t) => {
      const r = await endKernel(t, {
        backend: 'local',
        steps: [{ code: START_SUBPROCESS }],
        ending,
      });
      if (!r) return;
      const { runner, child } = pidsOf(r.results[0]);
      assert.ok(r.ending.exited, `the kernel exited after ${ending}\n${r.log}`);
      assert.ok(r.ending.elapsed < (ending === 'restart' ? 30 : 3), `${ending} took ${r.ending.elapsed} s`);
      if (ending === 'restart') {
        assert.equal(r.ending.after_restart?.status, 'ok', 'the restarted kernel runs a cell');
        assert.ok(r.ending.new_pid && r.ending.new_pid !== r.kernel_pid, 'a new kernel process');
      }
      const pids = [r.kernel_pid, runner, child, ...(r.ending.new_pid ? [r.ending.new_pid] : [])];
      const left = await waitGone(pids, 3000);
      assert.deepEqual(
        left,
        [],
        `processes left after ${ending} (kernel ${r.kernel_pid}, runner ${runner}, sleep ${child})\n${r.log}`,
      );
    });
  }
});
