// The managed Python environment of the local runner: a plain venv in the user's data
// directory with DuckDB, pandas and matplotlib, created with pip on first use (as the user's pip
// is configured) and reused afterwards. Nothing is installed into the user's own Python.
//
// Creation is atomic: the venv is built in a temporary folder beside its final place and renamed
// when complete (a failure removes it), under a lock folder so two kernels never build it at once.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the managed environment holds (typing_extensions: duckdb.experimental.spark needs it). */
export const ENGINE_PACKAGES = ['duckdb', 'pandas', 'matplotlib', 'typing_extensions'] as const;
/** Written last, into a complete environment: its presence means "ready". */
export const ENGINE_MARKER = 'glue-kernel-engine.json';
const DEFAULT_PIP_TIMEOUT_MS = 15 * 60_000;
const LOCK_POLL_MS = 500;
/** A lock folder without an owner pid this old was left by a process killed right after mkdir. */
const STALE_OWNERLESS_LOCK_MS = 30_000;

export interface EngineEnvOptions {
  /** The folder (the engine_dir setting); default: engineDirFromEnv(env). */
  dir?: string;
  /** Python that creates the venv; default python3. */
  basePython?: string;
  /** pip's --index-url (the pip_index_url setting); unset: pip's own configuration. */
  pipIndexUrl?: string;
  /** Environment of python and pip (PIP_* and pip.conf apply); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress: 'step' lines (creating, installing, ready, waiting) and pip's 'detail' lines. */
  onProgress?: (line: string, kind: ProgressKind) => void;
  /** Gives up on pip after this long (default 15 minutes). */
  pipTimeoutMs?: number;
}

export type ProgressKind = 'step' | 'detail';
type Progress = (line: string, kind: ProgressKind) => void;

export interface EngineEnvManifest {
  python: string;
  packages: Record<string, string>;
  basePython: string;
  indexUrl?: string;
  createdAt: string;
}

export type EngineEnvStatus =
  | { state: 'ready'; dir: string; python: string; manifest: EngineEnvManifest }
  | { state: 'missing'; dir: string }
  | { state: 'broken'; dir: string; problem: string };

/** Creating the environment failed; the message says what to install or set. Nothing is left behind. */
export class EngineEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineEnvError';
  }
}

/** $XDG_DATA_HOME/glue-kernel/engine, else ~/.local/share/glue-kernel/engine; glue_engine_dir overrides. */
export function engineDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = (env.glue_engine_dir ?? env.GLUE_ENGINE_DIR)?.trim();
  if (explicit) return path.resolve(expandHome(explicit, env));
  const xdg = env.XDG_DATA_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(base, 'glue-kernel', 'engine');
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env.HOME || os.homedir(), p.slice(1)) : p;
}

/** The index URL from the environment (glue_pip_index_url), for callers without settings. */
export function pipIndexUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.glue_pip_index_url ?? env.GLUE_PIP_INDEX_URL)?.trim() || undefined;
}

export function venvPython(dir: string): string {
  return process.platform === 'win32'
    ? path.join(dir, 'Scripts', 'python.exe')
    : path.join(dir, 'bin', 'python');
}

function resolveDir(options: EngineEnvOptions): string {
  return options.dir
    ? path.resolve(expandHome(options.dir, options.env ?? process.env))
    : engineDirFromEnv(options.env);
}

/** What is there now (no Python is started). */
export function checkEngineEnv(options: EngineEnvOptions = {}): EngineEnvStatus {
  const dir = resolveDir(options);
  if (!fs.existsSync(dir)) return { state: 'missing', dir };
  const python = venvPython(dir);
  let manifest: EngineEnvManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, ENGINE_MARKER), 'utf8')) as EngineEnvManifest;
  } catch {
    return { state: 'broken', dir, problem: `${dir} exists but is not a complete glue-kernel environment` };
  }
  if (!fs.existsSync(python)) return { state: 'broken', dir, problem: `${python} is missing` };
  return { state: 'ready', dir, python, manifest };
}

/** The managed environment's Python, creating the environment first if it is not there. */
export async function ensureEngineEnv(options: EngineEnvOptions = {}): Promise<string> {
  const progress = options.onProgress ?? (() => undefined);
  const dir = resolveDir(options);
  const ready = checkEngineEnv({ ...options, dir });
  if (ready.state === 'ready') return ready.python;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const release = await acquireLock(`${dir}.lock`, progress);
  try {
    // Another process may have finished it while we waited.
    const now = checkEngineEnv({ ...options, dir });
    if (now.state === 'ready') return now.python;
    removeLeftovers(dir);
    await buildEngineEnv(dir, options, progress);
    return venvPython(dir);
  } finally {
    release();
  }
}

/** Removes the managed environment (for a rebuild); the lock keeps it from a concurrent build. */
export async function removeEngineEnv(options: EngineEnvOptions = {}): Promise<void> {
  const dir = resolveDir(options);
  const release = await acquireLock(`${dir}.lock`, options.onProgress ?? (() => undefined));
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    release();
  }
}

/** Temporary folders of builds that were killed (we hold the lock: nobody else is building). */
function removeLeftovers(dir: string): void {
  const prefix = `${path.basename(dir)}.tmp-`;
  for (const name of fs.readdirSync(path.dirname(dir)))
    if (name.startsWith(prefix))
      fs.rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
}

async function buildEngineEnv(dir: string, options: EngineEnvOptions, progress: Progress): Promise<void> {
  const env = options.env ?? process.env;
  const base = options.basePython ?? 'python3';
  const started = Date.now();
  progress(`Creating glue-kernel's Python environment in ${dir} (once; later sessions reuse it)…`, 'step');
  const baseVersion = await checkBasePython(base, env);
  const temp = `${dir}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    const venv = await runProcess(base, ['-m', 'venv', temp], { env, timeoutMs: 120_000 });
    if (venv.code !== 0) throw new EngineEnvError(venvFailure(base, baseVersion, venv.output));
    const python = venvPython(temp);
    const indexUrl = options.pipIndexUrl ?? pipIndexUrlFromEnv(env);
    const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off'];
    if (indexUrl) pipArgs.push('--index-url', indexUrl);
    pipArgs.push(...ENGINE_PACKAGES);
    progress(
      `Installing ${ENGINE_PACKAGES.join(', ')} with pip (${indexUrl ? `index ${indexUrl}` : "pip's own configuration"})…`,
      'step',
    );
    const timeoutMs = options.pipTimeoutMs ?? DEFAULT_PIP_TIMEOUT_MS;
    const pip = await runProcess(python, pipArgs, {
      env: { ...env, PYTHONUNBUFFERED: '1' },
      timeoutMs,
      onLine: (line) => {
        if (
          /^(Collecting|Processing|Downloading|Installing collected|Successfully installed)/.test(line.trim())
        )
          progress(line.trim(), 'detail');
      },
    });
    if (pip.timedOut)
      throw new EngineEnvError(
        `pip did not finish within ${Math.round(timeoutMs / 1000)} s while installing ${ENGINE_PACKAGES.join(', ')}. ` +
          'If the package index pip is configured with is unreachable (see `pip config list`), set glue_pip_index_url ' +
          'to one that is reachable, or set glue_python to a Python that already has them. Its output ended with:\n' +
          tail(pip.output),
      );
    if (pip.code !== 0)
      throw new EngineEnvError(
        `pip could not install ${ENGINE_PACKAGES.join(', ')} (exit ${pip.code}). Check pip's index ` +
          '(`pip config list`; glue_pip_index_url sets one), or set glue_python to a Python that already has them. ' +
          `pip's output ended with:\n${tail(pip.output)}`,
      );
    const probe = await runProcess(
      python,
      [
        '-c',
        'import json, platform, importlib.metadata as m\n' +
          'import duckdb.experimental.spark, pandas, matplotlib\n' +
          `print(json.dumps({"python": platform.python_version(), "packages": {n: m.version(n) for n in ${JSON.stringify(ENGINE_PACKAGES)}}}))`,
      ],
      { env, timeoutMs: 120_000 },
    );
    if (probe.code !== 0)
      throw new EngineEnvError(
        `The new environment cannot import its packages; pip's install did not work:\n${tail(probe.output)}`,
      );
    const found = JSON.parse(probe.output.trim().split('\n').pop() ?? '{}') as Pick<
      EngineEnvManifest,
      'python' | 'packages'
    >;
    const manifest: EngineEnvManifest = {
      ...found,
      basePython: base,
      ...(indexUrl ? { indexUrl } : {}),
      createdAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(temp, ENGINE_MARKER), JSON.stringify(manifest, null, 2) + '\n');
    fs.rmSync(dir, { recursive: true, force: true }); // an incomplete one (no marker)
    fs.renameSync(temp, dir);
    progress(
      `glue-kernel's Python environment is ready (${describeManifest(manifest)}) in ${Math.round((Date.now() - started) / 1000)} s.`,
      'step',
    );
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

export function describeManifest(manifest: EngineEnvManifest): string {
  const packages = Object.entries(manifest.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return `Python ${manifest.python}; ${packages}`;
}

async function checkBasePython(base: string, env: NodeJS.ProcessEnv): Promise<string> {
  const probe = await runProcess(
    base,
    ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); import venv'],
    { env, timeoutMs: 60_000 },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new EngineEnvError(
        `Python 3 was not found ("${base}" is not on PATH). Install Python 3.9 or newer with its venv module ` +
          '(Debian/Ubuntu: sudo apt-get install python3 python3-venv), or set glue_python to a Python that has duckdb.',
      );
    throw new EngineEnvError(`Could not run "${base}": ${error.message}`);
  });
  const version = probe.output.trim().split('\n')[0] ?? '';
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new EngineEnvError(
      `"${base}" is not a working Python 3 (it printed: ${tail(probe.output) || 'nothing'}).`,
    );
  const [major, minor] = version.split('.').map(Number);
  if (major !== 3 || minor < 9)
    throw new EngineEnvError(
      `"${base}" is Python ${version}; glue-kernel's runner needs Python 3.9 or newer.`,
    );
  if (probe.code !== 0) throw new EngineEnvError(venvFailure(base, version, probe.output));
  return version;
}

function venvFailure(base: string, version: string, output: string): string {
  const [major, minor] = version.split('.');
  return (
    `Python ${version} ("${base}") cannot create virtual environments: its venv module or ensurepip is missing. ` +
    `On Debian/Ubuntu install python3-venv (sudo apt-get install python3-venv, or python${major}.${minor}-venv); ` +
    `elsewhere install Python's venv module, or set glue_python to a Python that has duckdb. It said:\n${tail(output)}`
  );
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

interface ProcessResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs a program (an argument array, never a shell); stdout and stderr are merged. */
function runProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; onLine?: (line: string) => void },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    let timedOut = false;
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!options.onLine) return;
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/**
 * A lock folder (mkdir is atomic) holding the owner's pid. A lock whose owner is gone is stale
 * and taken over; a live one is waited for.
 */
async function acquireLock(lockDir: string, progress: Progress): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid}\n`);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lockDir);
    if (owner === undefined ? lockAgeMs(lockDir) > STALE_OWNERLESS_LOCK_MS : !processAlive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      progress(
        `Waiting for another glue-kernel process${owner ? ` (pid ${owner})` : ''} that is creating the Python environment…`,
        'step',
      );
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

function lockAgeMs(lockDir: string): number {
  try {
    return Date.now() - fs.statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}

function lockOwner(lockDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Just created by its owner, who has not written the pid yet (stale only when old).
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
