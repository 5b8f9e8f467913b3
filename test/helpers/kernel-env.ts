// A private Jupyter data directory with the glue kernelspecs installed by our own CLI, so
// tests drive exactly what users install, without touching the user's Jupyter.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runnerPython } from './tools';

export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface KernelEnv {
  dir: string;
  /** Environment for Jupyter clients: JUPYTER_PATH points at the private kernelspecs. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function installedKernelEnv(
  extraKernelEnv: Record<string, string> = {},
  backend = 'local',
): KernelEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-test-'));
  const args = [
    CLI,
    'install',
    '--prefix',
    dir,
    '--backend',
    backend,
    '--env',
    `glue_python=${runnerPython()}`,
  ];
  for (const [k, v] of Object.entries(extraKernelEnv)) args.push('--env', `${k}=${v}`);
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`glue-kernel install failed: ${result.stderr}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(dir, 'share', 'jupyter'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    glue_log_level: process.env.glue_log_level ?? 'warn',
  };
  return { dir, env, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program (argument array, no shell) and collects its output. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 180_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A program that exits without reading its input must not crash the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
