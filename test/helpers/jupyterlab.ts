// A real JupyterLab 4 server (from the .venv-lab environment that scripts/setup-test-env.sh
// builds) and Debian's Chromium driven by playwright-core, for tests that use the kernel the
// way a data engineer does: in the browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort } from '../../src/notebook/run-notebook';
import { REPO_ROOT } from './tools';

export const LAB_VENV = path.join(REPO_ROOT, '.venv-lab');
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The jupyter-lab launcher of the .venv-lab environment, when it is installed. */
export function jupyterLabExecutable(): string | undefined {
  const exe = path.join(LAB_VENV, 'bin', 'jupyter-lab');
  return fs.existsSync(exe) ? exe : undefined;
}

/** Debian's Chromium (apt-get install chromium), when it is installed. */
export function chromiumExecutable(): string | undefined {
  return fs.existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/** Chromium, headless, with a fresh temporary profile and nothing that phones home. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  // Loaded here so that test files importing this helper still load when a tool is missing.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Process ids of every live descendant of `pid` (Linux /proc), e.g. a server's kernels. */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (!stat || stat.state === 'Z') continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Whether the process still runs (a zombie waiting for its parent to reap it does not). */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

export interface JupyterLab {
  /** The jupyter lab process id. */
  pid: number;
  /** Base URL, ending with a slash. */
  url: string;
  token: string;
  /** The lab UI's address with the token, as a user opens it. */
  labUrl: string;
  rootDir: string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  /**
   * SIGTERM (jupyter shuts its kernels down), then SIGKILL after a grace period; removes the
   * server's private directories. Returns the processes the server had started (kernels and
   * their children) and those that outlived it by more than a few seconds (now killed).
   */
  stop(): Promise<{ started: number[]; survivors: number[] }>;
}

export interface JupyterLabOptions {
  /** Environment (JUPYTER_PATH with the kernelspecs under test). */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts `jupyter lab` on 127.0.0.1 and a free port, with a token, a temporary root directory
 * and private config, data, settings and workspace directories (so neither the user's Jupyter
 * nor an earlier run leaks in), and waits until it answers.
 */
export async function startJupyterLab(executable: string, options: JupyterLabOptions): Promise<JupyterLab> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-lab-'));
  const rootDir = path.join(base, 'notebooks');
  const settingsDir = path.join(base, 'lab-settings');
  for (const dir of [rootDir, settingsDir]) fs.mkdirSync(dir, { recursive: true });
  // No "get Jupyter news?" toast and no update check (nothing may cover the notebook), and
  // Ctrl+S saves Untitled.ipynb without asking for a new name.
  const settings: Record<string, object> = {
    'apputils-extension/notification': { checkForUpdates: false, fetchNews: 'false' },
    'docmanager-extension/plugin': { renameUntitledFileOnSave: false },
  };
  for (const [plugin, values] of Object.entries(settings)) {
    const file = path.join(settingsDir, '@jupyterlab', `${plugin}.jupyterlab-settings`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(values));
  }
  const token = randomBytes(24).toString('hex');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    JUPYTER_CONFIG_DIR: path.join(base, 'config'),
    JUPYTER_DATA_DIR: path.join(base, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(base, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: settingsDir,
    JUPYTERLAB_WORKSPACES_DIR: path.join(base, 'workspaces'),
    JUPYTER_PLATFORM_DIRS: '1',
  };
  const args = [
    '--no-browser',
    // CI containers run as root; jupyter refuses that unless told.
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${rootDir}`,
    '--LabApp.news_url=None',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    '--LabApp.extension_manager=readonly',
  ];
  const child: ChildProcess = spawn(executable, args, {
    env,
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output += `\n${error.message}`;
      resolve();
    });
  });
  let running = true;
  void exited.then(() => (running = false));

  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<{ started: number[]; survivors: number[] }> => {
    let started: number[] = [];
    if (running && child.pid !== undefined) {
      started = descendantPids(child.pid);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    const deadline = Date.now() + 5_000;
    while (started.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const survivors = started.filter(isAlive);
    for (const pid of survivors) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(base, { recursive: true, force: true });
    return { started, survivors };
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!running) {
      await stop();
      throw new Error(`jupyter lab exited before answering:\n${output}`);
    }
    if ((await httpStatus(`${url}api/status?token=${token}`)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter lab did not answer on ${url} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    pid: child.pid ?? -1,
    url,
    token,
    labUrl: `${url}lab?token=${token}`,
    rootDir,
    log: () => output,
    stop,
  };
}
