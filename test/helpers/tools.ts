// Locating the real peers the tests drive (Jupyter's Python clients, boto3, a runner Python).
// A missing tool skips the test on a developer machine but fails it under CI=true, so CI can
// never go green by skipping.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEBIAN_PYTHON = '/usr/bin/python3';

function pythonHas(python: string, modules: string[]): boolean {
  const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
    stdio: 'ignore',
    timeout: 30_000,
  });
  return probe.status === 0;
}

/** Debian's python3 with jupyter_client (and friends): the real Jupyter peers. */
export function jupyterPython(modules: string[] = ['jupyter_client']): string | undefined {
  return fs.existsSync(DEBIAN_PYTHON) && pythonHas(DEBIAN_PYTHON, modules) ? DEBIAN_PYTHON : undefined;
}

/** A Python with boto3: the first python3 on PATH, else Debian's. */
export function boto3Python(): string | undefined {
  for (const candidate of ['python3', DEBIAN_PYTHON]) {
    if (pythonHas(candidate, ['boto3'])) return candidate;
  }
  return undefined;
}

/** The Python the local runner uses in tests: the project venv (DuckDB, pandas) when present. */
export function runnerPython(): string {
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

/** The runner Python when it can import the modules (e.g. matplotlib, duckdb), else undefined. */
export function runnerPythonWith(modules: string[]): string | undefined {
  return pythonHas(runnerPython(), modules) ? runnerPython() : undefined;
}

export function hasExecutable(name: string): boolean {
  return spawnSync('which', [name], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns the tool or ends the test: skip locally, fail under CI=true.
 * Usage: `const py = need(t, jupyterPython(), 'Debian python3-jupyter-client'); if (!py) return;`
 */
export function need<T>(t: TestContext, tool: T | undefined, what: string): T | undefined {
  if (tool !== undefined && tool !== false) return tool;
  const message = `${what} is not installed (run .ci/run's setup step, or see README "Running the tests")`;
  if (process.env.CI === 'true') throw new Error(message);
  t.skip(message);
  return undefined;
}
