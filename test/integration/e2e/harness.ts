// End-to-end rig: a real Jupyter client (test/python/e2e_driver.py on Debian's jupyter_client)
// → the installed glue kernelspec on the glue backend → the AWS SDK → the Glue API emulator
// running in this process. Tests assert on what the notebook shows (the driver's JSON) and on
// what the emulator received (admin.calls() with request bodies).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { GlueClient } from '@aws-sdk/client-glue';
import { STSClient } from '@aws-sdk/client-sts';
import {
  startEmulator,
  type CallRecord,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../../src/emulator';
import { emulatorKernelEnv } from '../../../src/notebook/backends';
import { installedKernelEnv, run } from '../../helpers/kernel-env';
import { jupyterPython, need, REPO_ROOT, runnerPython } from '../../helpers/tools';

export const DRIVER = path.join(REPO_ROOT, 'test', 'python', 'e2e_driver.py');
export const ACCOUNT = '123456789012';
export const DEFAULT_ROLE = `arn:aws:iam::${ACCOUNT}:role/GlueInteractiveSessionRole`;

export interface Output {
  type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  /** Displays with an id (status lines), and their updates with a step's `updates`. */
  display_id?: string;
  /** When the kernel sent it (seconds since the epoch). */
  at?: number;
  name?: string;
  text?: string;
  mimes?: string[];
  metadata?: Record<string, unknown>;
  png_ok?: boolean;
  markdown?: string;
  plain?: string;
  html?: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface CellResult {
  status: 'ok' | 'error' | 'aborted';
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number;
  outputs: Output[];
  elapsed: number;
  output_before_reply: boolean;
  after_interrupt?: number;
  interrupt_mode?: string;
}

export type Step =
  | {
      code: string;
      timeout?: number;
      interrupt_after?: number;
      updates?: boolean;
      /** An admin call made while the cell runs, `after` s after it was sent. */
      admin_after?: { after: number; admin: 'POST' | 'GET'; path: string; body?: unknown };
    }
  | { sleep: number }
  | { admin: 'POST' | 'GET'; path: string; body?: unknown }
  | { restart: true }
  | { shutdown: true };

export interface StepResult extends Partial<CellResult> {
  driver_error?: string;
  restarted?: boolean;
  shutdown?: boolean;
  admin?: string;
}

export function stdout(cell: StepResult): string {
  return (cell.outputs ?? [])
    .filter((o) => o.type === 'stream' && o.name === 'stdout')
    .map((o) => o.text)
    .join('');
}

export function stderr(cell: StepResult): string {
  return (cell.outputs ?? [])
    .filter((o) => o.type === 'stream' && o.name === 'stderr')
    .map((o) => o.text)
    .join('');
}

export function errorOutput(cell: StepResult): Output | undefined {
  return (cell.outputs ?? []).find((o) => o.type === 'error');
}

/** Asserts the cell replied ok, with the cell's outputs in the message when it did not. */
export function assertOk(cell: StepResult | undefined, what: string): asserts cell is StepResult {
  assert.ok(cell, `${what}: no result`);
  assert.equal(cell.status, 'ok', `${what}: ${JSON.stringify(cell, null, 1).slice(0, 3000)}`);
}

/** Asserts the cell ended in error: a Jupyter error message and a reply with status error. */
export function assertError(cell: StepResult | undefined, ename: string | RegExp, what: string): Output {
  assert.ok(cell, `${what}: no result`);
  const dump = JSON.stringify(cell, null, 1).slice(0, 3000);
  assert.equal(cell.status, 'error', `${what}: ${dump}`);
  const error = errorOutput(cell);
  assert.ok(error, `${what}: no error message on iopub: ${dump}`);
  if (typeof ename === 'string') assert.equal(cell.ename, ename, `${what}: ${dump}`);
  else assert.match(cell.ename ?? '', ename, `${what}: ${dump}`);
  assert.equal(error.ename, cell.ename, `${what}: the error message and the reply agree`);
  assert.equal(error.evalue, cell.evalue);
  assert.ok(Array.isArray(error.traceback) && error.traceback.length > 0, `${what}: a traceback`);
  return error;
}

export interface E2E {
  emulator: RunningEmulator;
  /** The emulator environment a user would set for the kernel (emulatorKernelEnv). */
  baseEnv(): Record<string, string>;
  /** Glue calls (and STS/IAM with a prefix) the emulator received since `since`. */
  calls(operation?: string, since?: number): CallRecord[];
  lastSeq(): number;
  /** SDK clients on the emulator with its first credential pair (or the given credentials). */
  glue(credentials?: Credentials): GlueClient;
  sts(credentials?: Credentials): STSClient;
  stop(): Promise<void>;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export async function startE2E(options: EmulatorOptions = {}): Promise<E2E> {
  const emulator = await startEmulator({ python: runnerPython(), provisionMs: 0, ...options });
  const [credentials] = emulator.credentials;
  const clients: { destroy(): void }[] = [];
  const config = (c?: Credentials) => ({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: c ?? credentials,
  });
  return {
    emulator,
    baseEnv() {
      const env = emulatorKernelEnv({}, emulator.endpoint, credentials, emulator.region, emulator.accountId);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
      return out;
    },
    calls(operation, since = 0) {
      return emulator.admin.calls(since).filter((c) => operation === undefined || c.operation === operation);
    },
    lastSeq() {
      const all = emulator.admin.calls();
      return all.length ? all[all.length - 1].seq : 0;
    },
    glue(c) {
      const client = new GlueClient(config(c));
      clients.push(client);
      return client;
    },
    sts(c) {
      const client = new STSClient(config(c));
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await emulator.stop();
    },
  };
}

/** Names from the developer's own environment that must not reach the kernel. */
function isAwsOrGlueSetting(name: string): boolean {
  return (
    /^(AWS_|glue_|GLUE_)/.test(name) ||
    ['region', 'spark_conf', 'session_id', 'session_id_prefix', 'request_origin', 'userId'].includes(name)
  );
}

export interface DriveOptions {
  kernel?: 'glue_pyspark' | 'glue_spark';
  /** The kernelspec's backend (default glue). */
  backend?: 'glue' | 'local';
  /** The kernelspec's env (written into kernel.json by `glue-kernel install --env`). */
  kernelEnv: Record<string, string>;
  /** Extra environment for the Jupyter client (inherited by the kernel), e.g. HOME. */
  clientEnv?: Record<string, string>;
  steps: Step[];
  endpoint?: string;
  /** The emulator's admin token, for admin steps. */
  adminToken?: string;
  timeoutMs?: number;
}

export interface Drive {
  results: StepResult[];
  /** The kernel's and the driver's stderr (for failure messages). */
  log: string;
}

/** Installs the kernelspecs and runs the steps through jupyter_client. Undefined when skipped. */
export async function drive(t: TestContext, options: DriveOptions): Promise<Drive | undefined> {
  const python = need(t, jupyterPython(['jupyter_client']), 'Debian python3-jupyter-client');
  if (!python) return undefined;
  const kernels = installedKernelEnv(options.kernelEnv, options.backend ?? 'glue');
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(kernels.env)) if (!isAwsOrGlueSetting(k)) env[k] = v;
    env.glue_log_level = 'warn';
    Object.assign(env, options.clientEnv ?? {});
    const specFile = path.join(kernels.dir, 'spec.json');
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        kernel: options.kernel ?? 'glue_pyspark',
        endpoint: options.endpoint,
        admin_token: options.adminToken,
        steps: options.steps,
      }),
    );
    const resultFile = path.join(kernels.dir, 'result.json');
    const result = await run(python, [DRIVER, specFile, resultFile], {
      env,
      timeoutMs: options.timeoutMs ?? 240_000,
    });
    const log = `driver exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr (kernel and driver) ---\n${result.stderr}`;
    assert.equal(result.code, 0, log);
    const parsed = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { results: StepResult[] };
    const failed = parsed.results.find((r) => r.driver_error);
    assert.equal(
      failed,
      undefined,
      `${failed?.driver_error}\n${log}\n${JSON.stringify(parsed.results, null, 1).slice(0, 6000)}`,
    );
    return { results: parsed.results, log };
  } finally {
    kernels.cleanup();
  }
}

/** A temporary HOME with ~/.aws/config holding `config`. */
export function tempHome(config: string): { home: string; configFile: string; cleanup(): void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-e2e-home-'));
  fs.mkdirSync(path.join(home, '.aws'));
  const configFile = path.join(home, '.aws', 'config');
  fs.writeFileSync(configFile, config);
  return { home, configFile, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** The request of the only (or the n-th) call of an operation. */
export function requestOf(calls: CallRecord[], index = 0): Record<string, unknown> {
  const call = calls[index];
  assert.ok(call, `expected call #${index + 1}, got ${calls.length}`);
  assert.ok(call.request, `call ${call.operation} has its request logged`);
  return call.request;
}
