// Shared set-up for the Glue backend's integration tests: an in-process emulator on loopback,
// a GlueBackend pointed at it (Glue, STS and IAM on the same port), settings from the real
// config module, and a notifier that records what the user would see.
import { SettingsStore } from '../../../src/config/layers';
import {
  startEmulator,
  type EmulatorOptions,
  type FaultSpec,
  type RunningEmulator,
} from '../../../src/emulator/index';
import type { BackendNotifier, StatementResult } from '../../../src/session/backend';
import { GlueBackend, type GlueBackendOptions } from '../../../src/session/glue/glue-backend';
import type { AwsClientSettings } from '../../../src/session/glue/clients';
import { configSessionRequest } from '../../../src/session/glue/session-request';
import { spawnSync } from 'node:child_process';
import { need, runnerPython } from '../../helpers/tools';
import type { TestContext } from 'node:test';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Whether the runner Python can import these modules. */
function pythonHas(modules: string[]): boolean {
  const probe = spawnSync(runnerPython(), ['-c', modules.map((m) => `import ${m}`).join('; ')], {
    stdio: 'ignore',
    timeout: 30_000,
  });
  return probe.status === 0;
}

/**
 * The emulator runs statements in the runner Python. Suites pass this to describe's `skip`:
 * false when Python is there; otherwise a reason (and under CI=true the module throws, so a
 * missing tool fails rather than skips — the rule of need()).
 */
export const NO_PYTHON: string | false = (() => {
  if (pythonHas(['json'])) return false;
  const message = `a runner Python (${runnerPython()}) is not installed (run .ci/run's setup step, or see README "Running the tests")`;
  if (process.env.CI === 'true') throw new Error(message);
  return message;
})();

/** Ends the test unless the runner Python has the modules (skip locally, fail under CI). */
export function needModules(t: TestContext, modules: string[]): boolean {
  return (
    need(t, pythonHas(modules) || undefined, `${modules.join(', ')} for ${runnerPython()}`) !== undefined
  );
}

export const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';

export interface Recorder extends BackendNotifier {
  lines: { kind: string; text: string }[];
  text(): string;
}

export function recorder(): Recorder {
  const lines: { kind: string; text: string }[] = [];
  const push = (kind: string) => (text: string) => void lines.push({ kind, text });
  return {
    lines,
    stream: (name, text) => lines.push({ kind: name, text }),
    info: push('info'),
    warn: push('warn'),
    status: push('status'),
    progress: (r) =>
      lines.push({
        kind: `progress:${r.line}`,
        text: `${r.label}: ${r.state}${r.fraction !== undefined ? ` ${Math.round(r.fraction * 100)}%` : ''}${r.note ? ` (${r.note})` : ''}`,
      }),
    endProgress: (line, summary) => lines.push({ kind: `end:${line}`, text: summary }),
    text: () => lines.map((l) => `[${l.kind}] ${l.text}`).join('\n'),
  };
}

export interface Rig {
  emulator: RunningEmulator;
  backend: GlueBackend;
  store: SettingsStore;
  clientSettings: AwsClientSettings;
  run(code: string, signal?: AbortSignal): Promise<{ result: StatementResult; notes: Recorder }>;
  /** The admin path over HTTP, as an external test tool would use it. */
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  fault(spec: FaultSpec): Promise<void>;
  glueCalls(operation?: string): { operation: string; status: number; errorCode?: string }[];
  close(): Promise<void>;
}

export async function rig(
  options: {
    emulator?: EmulatorOptions;
    backend?: Partial<GlueBackendOptions>;
    settings?: Record<string, unknown>;
    noRole?: boolean;
  } = {},
): Promise<Rig> {
  const emulator = await startEmulator({ python: runnerPython(), provisionMs: 20, ...options.emulator });
  const [creds] = emulator.credentials;
  const store = new SettingsStore();
  if (!options.noRole) store.set('iam_role', ROLE, '%iam_role');
  for (const [k, v] of Object.entries(options.settings ?? {})) store.set(k as never, v, `%${k}`);
  const clientSettings: AwsClientSettings = {
    region: emulator.region,
    endpoint: emulator.endpoint,
    stsEndpoint: emulator.endpoint,
    iamEndpoint: emulator.endpoint,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  };
  const backend = new GlueBackend({
    kind: 'pyspark',
    clientSettings: () => clientSettings,
    sessionRequest: configSessionRequest({
      kind: 'pyspark',
      kernelVersion: '0.0.0-test',
      settings: () => store.resolve({}, {}),
      jobArguments: () => store.jobArguments(),
    }),
    ...options.backend,
  });
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${emulator.endpoint}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.adminToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    emulator,
    backend,
    store,
    clientSettings,
    async run(code, signal = new AbortController().signal) {
      const notes = recorder();
      const result = await backend.run(code, { signal, notify: notes });
      return { result, notes };
    },
    admin,
    fault: async (spec) => void (await admin('POST', 'faults', spec)),
    glueCalls: (operation) =>
      emulator.admin
        .calls()
        .filter((c) => c.service === 'glue' && (operation === undefined || c.operation === operation))
        .map((c) => ({ operation: c.operation, status: c.status, errorCode: c.errorCode })),
    async close() {
      await backend.close(AbortSignal.timeout(5000)).catch(() => undefined);
      await emulator.stop();
    },
  };
}

export function textOf(result: StatementResult): string {
  if (result.kind !== 'output') throw new Error(`expected output, got ${JSON.stringify(result)}`);
  return result.output.Data?.TextPlain ?? '';
}
