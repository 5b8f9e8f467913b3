// The managed Python environment for real: `glue-kernel setup` builds it with pip (two at once:
// one builds, the other waits on the lock), `--check` reports it, a second setup reuses it.
// (managed-engine.test.ts: pip failing, and `glue-kernel run` in a managed environment.)
//
// pip runs as configured on this machine; when pip's configuration names a local (file://)
// index, the tests pass it as glue_pip_index_url so pip never waits on an unreachable PyPI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, run, type RunResult } from '../../helpers/kernel-env';

const BUILD_TIMEOUT_MS = 15 * 60_000;

/** The first file:// index of pip's configuration (the machine's wheelhouse), if any. */
function localPipIndex(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const got = spawnSync(python, ['-m', 'pip', 'config', 'get', 'global.extra-index-url'], {
      encoding: 'utf8',
    });
    const index = (got.stdout ?? '').split(/\s+/).find((u) => u.startsWith('file://'));
    if (index) return index;
  }
  return undefined;
}

let root: string;
let dir: string;
let env: NodeJS.ProcessEnv;

function glueKernel(
  args: string[],
  over: NodeJS.ProcessEnv = env,
  timeoutMs = BUILD_TIMEOUT_MS,
): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { env: over, timeoutMs });
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-setup-'));
  dir = path.join(root, 'data', 'engine');
  env = { ...process.env, glue_engine_dir: dir, glue_log_level: 'warn' };
  for (const name of [
    'glue_python',
    'GLUE_PYTHON',
    'glue_pip_index_url',
    'GLUE_PIP_INDEX_URL',
    'glue_backend',
  ])
    delete env[name];
  const index = localPipIndex();
  if (index) env.glue_pip_index_url = index;
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('glue-kernel setup', () => {
  it('--check before anything: not created yet (exit 1)', async () => {
    const check = await glueKernel(['setup', '--check']);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /Python environment is not created yet \(.*data\/engine\)/);
  });

  it('two setups at once: one builds with progress, the other waits for it; both print its Python', async () => {
    const [a, b] = await Promise.all([glueKernel(['setup']), glueKernel(['setup'])]);
    const python = path.join(dir, 'bin', 'python');
    for (const r of [a, b]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim().split('\n').pop(), python);
    }
    const builds = [a, b].filter((r) => r.stderr.includes("Creating glue-kernel's Python environment"));
    assert.equal(builds.length, 1, `exactly one build:\n${a.stderr}\n---\n${b.stderr}`);
    assert.match(builds[0].stderr, /Installing duckdb, pandas, matplotlib, typing_extensions with pip/);
    assert.match(builds[0].stderr, /Python environment is ready \(Python 3\.\d+\.\d+; duckdb [\d.]+, pandas/);
    const waiter = a === builds[0] ? b : a;
    assert.match(waiter.stderr, /Waiting for another glue-kernel process \(pid \d+\)/);
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['engine'], 'no temporary folder or lock is left');
    const probe = spawnSync(python, ['-c', 'import sys, duckdb, pandas, matplotlib; print(sys.prefix)'], {
      encoding: 'utf8',
    });
    assert.equal(probe.stdout.trim(), dir, 'a venv of its own, not the user’s Python');
  });

  it('--check reports what is there; setup again reuses it', async () => {
    const check = await glueKernel(['setup', '--check']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(
      check.stdout,
      /Python environment: .*data\/engine\n {2}Python 3\.\d+\.\d+; duckdb [\d.]+, pandas [\d.]+/,
    );
    const again = await glueKernel(['setup']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Creating/);
    assert.match(again.stdout, /is already there/);
  });
});
