// Endings rig: test/python/endings_driver.py (Debian's jupyter_client) starts an installed
// kernelspec, runs cells, then ends the kernel one way (shutdown_request, restart, a signal);
// the tests then look at which processes are left and what the emulator received.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { installedKernelEnv, run } from '../../helpers/kernel-env';
import { jupyterPython, need, REPO_ROOT } from '../../helpers/tools';
import type { Step, StepResult } from '../e2e/harness';

const DRIVER = path.join(REPO_ROOT, 'test', 'python', 'endings_driver.py');

export type Ending = 'shutdown' | 'restart' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL';

export interface EndingsSpec {
  backend: 'local' | 'glue';
  kernelEnv?: Record<string, string>;
  endpoint?: string;
  steps: Step[];
  ending: Ending;
  /** Code sent without waiting for it, `duringWait` s before the ending. */
  during?: string;
  duringWait?: number;
  /** Text the `during` cell shows (on IOPub) before `duringWait` starts. */
  duringUntil?: string;
}

export interface EndingsResult {
  results: StepResult[];
  kernel_pid: number;
  ending: {
    elapsed: number;
    exited: boolean;
    restart_elapsed?: number;
    new_pid?: number;
    after_restart?: StepResult;
  };
  log: string;
}

/** Runs the driver; undefined when jupyter_client is missing (skipped). */
export async function endKernel(t: TestContext, spec: EndingsSpec): Promise<EndingsResult | undefined> {
  const python = need(t, jupyterPython(['jupyter_client']), 'Debian python3-jupyter-client');
  if (!python) return undefined;
  const kernels = installedKernelEnv(spec.kernelEnv ?? {}, spec.backend);
  try {
    const env: NodeJS.ProcessEnv = { ...kernels.env, glue_log_level: 'warn' };
    const specFile = path.join(kernels.dir, 'spec.json');
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        kernel: 'glue_pyspark',
        endpoint: spec.endpoint,
        steps: spec.steps,
        ending: spec.ending,
        ...(spec.during !== undefined
          ? { during: spec.during, during_wait: spec.duringWait ?? 0.5, during_until: spec.duringUntil }
          : {}),
      }),
    );
    const resultFile = path.join(kernels.dir, 'result.json');
    const result = await run(python, [DRIVER, specFile, resultFile], { env, timeoutMs: 180_000 });
    const log = `driver exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
    assert.equal(result.code, 0, log);
    const parsed = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as EndingsResult & {
      driver_error?: string;
    };
    assert.equal(parsed.driver_error, undefined, `${parsed.driver_error}\n${log}`);
    return { ...parsed, log };
  } finally {
    kernels.cleanup();
  }
}

/** Whether `pid` is a live process (a zombie waiting for its reaper counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` is alive, or `ms` passed; returns those still alive. */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Live session watchdogs of the kernel with this pid (found by their command line). */
export function watchdogsOf(kernelPid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--kernel-pid');
      if (argv.some((a) => a.endsWith('watchdog-main.js')) && argv[i + 1] === String(kernelPid)) {
        if (alive(Number(entry))) found.push(Number(entry));
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Prints the pids of the runner and of a `sleep 300` it starts (a user's subprocess). */
export const START_SUBPROCESS =
  'import os, subprocess\nchild = subprocess.Popen(["sleep", "300"])\nprint(os.getpid(), child.pid)';

/** The two pids START_SUBPROCESS printed. */
export function pidsOf(cell: StepResult | undefined): { runner: number; child: number } {
  const text = (cell?.outputs ?? [])
    .filter((o) => o.type === 'stream' && o.name === 'stdout')
    .map((o) => o.text)
    .join('');
  const m = /(\d+) (\d+)/.exec(text);
  assert.ok(m, `the cell printed two pids: ${JSON.stringify(cell).slice(0, 2000)}`);
  return { runner: Number(m[1]), child: Number(m[2]) };
}
