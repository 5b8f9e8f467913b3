import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { installSignalHandlers, parentPidFromEnv, processExists, watchParent } from '../../../src/jupyter';

describe('lifecycle', () => {
  it('processExists tells live from dead pids', async () => {
    assert.equal(processExists(process.pid), true);
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(processExists(child.pid as number), false);
  });

  it('watchParent calls onGone once when the pid disappears', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    let gone = 0;
    const stop = watchParent(child.pid as number, () => (gone += 1), { intervalMs: 20 });
    // Our own ppid does not change here, so only the pid check can fire.
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(gone, 0);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(gone, 1);
    stop();
  });

  it('watchParent ignores pid <= 1', async () => {
    let gone = 0;
    const stops = [
      watchParent(1, () => gone++, { intervalMs: 5 }),
      watchParent(0, () => gone++, { intervalMs: 5 }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(gone, 0);
    stops.forEach((s) => s());
  });

  it('parentPidFromEnv accepts positive integers above 1 only', () => {
    assert.equal(parentPidFromEnv('1234'), 1234);
    assert.equal(parentPidFromEnv(' 77 '), 77);
    assert.equal(parentPidFromEnv('1'), undefined);
    assert.equal(parentPidFromEnv('abc'), undefined);
    assert.equal(parentPidFromEnv(''), undefined);
    assert.equal(parentPidFromEnv(undefined), undefined);
  });

  it('SIGINT interrupts instead of killing the process, SIGTERM terminates via the handler', async () => {
    const calls: string[] = [];
    const uninstall = installSignalHandlers({
      onInterrupt: () => calls.push('interrupt'),
      onTerminate: (signal) => calls.push(`terminate:${signal}`),
    });
    try {
      process.kill(process.pid, 'SIGINT');
      process.kill(process.pid, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(calls, ['interrupt', 'terminate:SIGTERM']);
    } finally {
      uninstall();
    }
  });
});
