// Writes and removes the two kernelspecs. The argv starts the kernel by absolute paths
// (this Node binary and this package's entry point), so a kernel launched by JupyterLab
// Desktop, VS Code or a service never depends on PATH.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_KINDS, KIND_INFO, type KernelKind } from '../session/kinds';

export type InstallScope = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'message';
  env: Record<string, string>;
  metadata: Record<string, unknown>;
  kernel_protocol_version: string;
}

/** The user's Jupyter data directory, as jupyter_core computes it. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (process.platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'jupyter');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'jupyter');
}

/** sys.prefix of the active Python environment (virtualenv, conda, else python3's). */
export function sysPrefix(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIRTUAL_ENV) return env.VIRTUAL_ENV;
  if (env.CONDA_PREFIX) return env.CONDA_PREFIX;
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.prefix)'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  const prefix = probe.stdout?.trim();
  if (probe.status !== 0 || !prefix) {
    throw new Error(
      'Could not find the Python environment for --sys-prefix: activate it, or use --prefix DIR.',
    );
  }
  return prefix;
}

export function kernelsDir(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case 'user':
      return path.join(userDataDir(env), 'kernels');
    case 'sys-prefix':
      return path.join(sysPrefix(env), 'share', 'jupyter', 'kernels');
    case 'prefix':
      return path.join(path.resolve(scope.dir), 'share', 'jupyter', 'kernels');
  }
}

/**
 * What kernel.json starts: the bundled CLI (one file, quick to load) when the build made it,
 * else the compiled entry point dist/src/cli/main.js.
 */
export function cliEntryPoint(): string {
  const bundle = path.join(__dirname, 'main.bundle.js');
  return fs.existsSync(bundle) ? bundle : path.join(__dirname, 'main.js');
}

/** The logos of one kernel kind. */
export function assetsDir(kind: KernelKind): string {
  return path.resolve(__dirname, '..', '..', '..', 'assets', 'kernelspec', kind);
}

export function kernelSpecFor(kind: KernelKind, extraEnv: Record<string, string> = {}): KernelSpecJson {
  const info = KIND_INFO[kind];
  return {
    argv: [process.execPath, cliEntryPoint(), 'kernel', '--kind', kind, '-f', '{connection_file}'],
    display_name: info.displayName,
    language: info.language,
    interrupt_mode: 'message',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extraEnv },
    metadata: { debugger: false, glue_kernel: { kind } },
    kernel_protocol_version: '5.3',
  };
}

export interface InstalledSpec {
  name: string;
  dir: string;
  /** kernel.json is readable by its owner only, because --env put a secret in it. */
  private: boolean;
}

const SECRET_NAME = /secret|token|password|passwd|credential|private|(^|_)key$/i;

/** The --env names that hold secrets (their kernel.json is then written 0600). */
export function secretEnvNames(extraEnv: Record<string, string>): string[] {
  return Object.keys(extraEnv).filter((name) => SECRET_NAME.test(name));
}

export function installKernelSpecs(
  scope: InstallScope,
  extraEnv: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): InstalledSpec[] {
  const base = kernelsDir(scope, env);
  return KERNEL_KINDS.map((kind) => {
    const assets = assetsDir(kind);
    const dir = path.join(base, KIND_INFO[kind].specName);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // kernel.json is world-readable by default; with a secret in its env only its owner may read it.
    const secret = secretEnvNames(extraEnv).length > 0;
    const file = path.join(dir, 'kernel.json');
    fs.writeFileSync(file, JSON.stringify(kernelSpecFor(kind, extraEnv), null, 2) + '\n', {
      mode: secret ? 0o600 : 0o644,
    });
    if (secret) fs.chmodSync(file, 0o600);
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) {
      const source = path.join(assets, logo);
      if (fs.existsSync(source)) fs.copyFileSync(source, path.join(dir, logo));
    }
    return { name: KIND_INFO[kind].specName, dir, private: secret };
  });
}

export function uninstallKernelSpecs(
  scope: InstallScope,
  env: NodeJS.ProcessEnv = process.env,
): InstalledSpec[] {
  const base = kernelsDir(scope, env);
  const removed: InstalledSpec[] = [];
  for (const kind of KERNEL_KINDS) {
    const dir = path.join(base, KIND_INFO[kind].specName);
    if (fs.existsSync(path.join(dir, 'kernel.json'))) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push({ name: KIND_INFO[kind].specName, dir, private: false });
    }
  }
  return removed;
}
