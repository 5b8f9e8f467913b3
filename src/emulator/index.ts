// The Glue API emulator: a local endpoint that speaks the Glue interactive-sessions API (AWS
// JSON 1.1, SigV4) plus the STS/IAM calls a kernel makes, and runs statements through the
// local Python runner. Use it in-process (startEmulator) or from the CLI (runEmulatorCli).
import type { AddressInfo } from 'node:net';
import {
  CredentialStore,
  generateCredentials,
  parseCredentialSpec,
  type CredentialPair,
} from './credentials';
import { generateAdminToken } from './admin';
import { pythonExecutor, type StatementExecutor } from './executor';
import type { CallRecord, Fault, FaultSpec } from './faults';
import { parseRateSpec, RateQuotas, type RateRule } from './quotas';
import { EmulatorServer, type ResponseRecord } from './server';
import { SessionManager, type StatementView } from './sessions';

export type { CredentialPair } from './credentials';
export type { StatementExecutor, StatementRunner, RunnerExit } from './executor';
export type { CallRecord, Fault, FaultSpec, FaultKind } from './faults';
export type { ResponseRecord } from './server';
export { parseCredentialSpec, generateCredentials } from './credentials';
export { parseRateSpec, type RateRule } from './quotas';

export interface EmulatorLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface EmulatorOptions {
  /** Address to bind; loopback by default. Anything else disables the admin path. */
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** Accepted static credentials; none → one pair is generated (see RunningEmulator.credentials). */
  credentials?: CredentialPair[];
  /** Wall ms from CreateSession to READY (default 0; the runner's start-up counts towards it). */
  provisionMs?: number;
  /** Wall ms one API minute lasts, for IdleTimeout and Timeout (default 60000). */
  minuteMs?: number;
  /** Python for the statement runner (default: the runner's own default). */
  python?: string;
  engine?: 'auto' | 'pyspark' | 'duckdb' | 'plain';
  /** Concurrent sessions allowed (default 25). */
  maxSessions?: number;
  /** Finished statements kept per session (default 1000); older ones are forgotten. */
  keepStatements?: number;
  /** API calls kept in the admin call log (default 10000). */
  keepCalls?: number;
  /** The admin path's token (default: generated per run; see RunningEmulator.adminToken). */
  adminToken?: string;
  /** Account id in ARNs and STS answers (default 123456789012). */
  accountId?: string;
  /** Region in session ARNs (default us-east-1). */
  region?: string;
  logger?: EmulatorLogger;
  /** Replaces the Python runner (tests of the state machines). */
  executor?: StatementExecutor;
  /** Called with every API response the emulator sends (the contract test records them). */
  onResponse?: (record: ResponseRecord) => void;
  /** Glue API quotas per access key (token buckets); calls over them get ThrottlingException. */
  rate?: RateRule[];
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT (for a wildcard bind, the loopback URL that reaches it). */
  endpoint: string;
  host: string;
  port: number;
  region: string;
  accountId: string;
  credentials: CredentialPair[];
  /** True when credentials were generated (the CLI prints them). */
  generatedCredentials: boolean;
  adminEnabled: boolean;
  /** Required as `Authorization: Bearer <token>` for admin calls that change state or read the call log. */
  adminToken: string;
  /** In-process equivalents of the admin path (available whatever the bind address). */
  admin: EmulatorAdmin;
  stop(): Promise<void>;
}

export interface EmulatorAdmin {
  addFault(spec: FaultSpec): Fault;
  clearFaults(): void;
  calls(since?: number): CallRecord[];
  clearCalls(): void;
  failSession(id: string, message?: string): void;
  timeoutSession(id: string): void;
  killRunner(id: string): boolean;
  /** The statements the emulator keeps for a session, whatever its state. */
  statements(id: string): StatementView[];
  expireCredentials(accessKeyId?: string): string[];
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

/** True for 127.0.0.0/8, ::1, IPv4-mapped loopback and 'localhost'. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

function endpointFor(address: AddressInfo): string {
  let host = address.address;
  if (host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return host.includes(':') ? `http://[${host}]:${address.port}` : `http://${host}:${address.port}`;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const region = options.region ?? DEFAULT_REGION;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got '${accountId}'`);
  const generatedCredentials = !options.credentials || options.credentials.length === 0;
  const credentials = generatedCredentials
    ? [generateCredentials()]
    : options.credentials!.map((c) => ({ ...c }));
  const store = new CredentialStore(accountId, credentials);
  const sessions = new SessionManager({
    executor:
      options.executor ??
      pythonExecutor({ python: options.python, engine: options.engine, logger: options.logger }),
    provisionMs: options.provisionMs,
    minuteMs: options.minuteMs,
    maxSessions: options.maxSessions,
    keepStatements: options.keepStatements,
    accountId,
    region,
    logger: options.logger,
  });
  let adminEnabled = false;
  const adminToken = options.adminToken ?? generateAdminToken();
  const server = new EmulatorServer({
    sessions,
    credentials: store,
    adminEnabled: () => adminEnabled,
    adminToken,
    keepCalls: options.keepCalls,
    info: () => ({
      endpoint,
      region,
      accountId,
      minuteMs: sessions.minuteMs,
      provisionMs: options.provisionMs ?? 0,
      keepStatements: sessions.keepStatements,
      rate: options.rate ?? [],
    }),
    logger: options.logger,
    onResponse: options.onResponse,
    quotas: new RateQuotas(options.rate ?? []),
  });
  const address = await server.listen(host, options.port ?? 0);
  adminEnabled = isLoopbackAddress(address.address);
  const endpoint = endpointFor(address);
  sessions.dashboardBase = endpoint;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    host: address.address,
    port: address.port,
    region,
    accountId,
    credentials,
    generatedCredentials,
    adminEnabled,
    adminToken,
    admin: {
      addFault: (spec) => server.faults.add(spec),
      clearFaults: () => server.faults.clear(),
      calls: (since) => server.calls.list(since),
      clearCalls: () => server.calls.clear(),
      failSession: (id, message) => void sessions.forceFail(id, message),
      timeoutSession: (id) => void sessions.forceTimeout(id),
      killRunner: (id) => sessions.killRunner(id),
      statements: (id) => sessions.inspectStatements(id),
      expireCredentials: (id) => store.expire(id),
    },
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        await sessions.shutdown();
      })();
      return stopped;
    },
  };
}

// ---- CLI support (src/cli wires `glue-kernel emulator` to this) --------------------------------

export interface EmulatorCliOptions {
  host?: string;
  port?: number | string;
  /** Repeatable `ACCESS_KEY:SECRET`. */
  credentials?: string[];
  provisionMs?: number | string;
  minuteMs?: number | string;
  python?: string;
  keepStatements?: number | string;
  keepCalls?: number | string;
  /** Repeatable `LIMIT` / `OPERATION=LIMIT` (calls per second per access key). */
  rate?: string[];
}

export interface EmulatorCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Defaults to process; tests pass an EventEmitter. */
  signals?: { once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown };
  logger?: EmulatorLogger;
}

function intOption(
  name: string,
  value: number | string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** Turns CLI flags into EmulatorOptions; throws an Error with a user-facing message on bad input. */
export function emulatorOptionsFromCli(cli: EmulatorCliOptions): EmulatorOptions {
  return {
    host: cli.host ?? '127.0.0.1',
    port: intOption('port', cli.port, 0, 65535) ?? 0,
    credentials: (cli.credentials ?? []).map(parseCredentialSpec),
    provisionMs: intOption('provision-ms', cli.provisionMs, 0, 3_600_000),
    minuteMs: intOption('minute-ms', cli.minuteMs, 1, 3_600_000),
    python: cli.python,
    keepStatements: intOption('keep-statements', cli.keepStatements, 1, 10_000_000),
    keepCalls: intOption('keep-calls', cli.keepCalls, 1, 10_000_000),
    rate: parseRateSpec(cli.rate ?? []),
  };
}

/**
 * `glue-kernel emulator`: starts the emulator, prints the endpoint URL as the first stdout line
 * (then, when generated, the credentials as `AWS_ACCESS_KEY_ID=...` / `AWS_SECRET_ACCESS_KEY=...`
 * lines, then, when the admin path is enabled, its token as `GLUE_EMULATOR_ADMIN_TOKEN=...`), warns loudly on stderr when not bound to loopback, and runs until SIGINT/SIGTERM, when
 * it stops every runner. Resolves with the exit code.
 */
export async function runEmulatorCli(cli: EmulatorCliOptions, io: EmulatorCliIo): Promise<number> {
  let options: EmulatorOptions;
  try {
    options = emulatorOptionsFromCli(cli);
  } catch (err) {
    io.stderr.write(`glue-kernel emulator: ${(err as Error).message}\n`);
    return 2;
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ ...options, logger: io.logger });
  } catch (err) {
    io.stderr.write(`glue-kernel emulator: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`${emulator.endpoint}\n`);
  if (emulator.generatedCredentials) {
    const [c] = emulator.credentials;
    io.stdout.write(`AWS_ACCESS_KEY_ID=${c.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${c.secretAccessKey}\n`);
  }
  if (emulator.adminEnabled) io.stdout.write(`GLUE_EMULATOR_ADMIN_TOKEN=${emulator.adminToken}\n`);
  if (!emulator.adminEnabled) {
    io.stderr.write(
      `\n!!! WARNING: the Glue emulator is bound to ${emulator.host}, not to loopback: anyone who can reach this\n` +
        `!!! machine on port ${emulator.port} can call it (SigV4 still applies) and run Python code on it.\n` +
        `!!! The admin path (/_emulator/) is disabled. Use --host 127.0.0.1 unless you mean it.\n\n`,
    );
  }
  const rate = options.rate ?? [];
  if (rate.length > 0)
    io.stderr.write(
      `Glue API quotas per access key: ${rate.map((r) => (r.operation === '*' ? `${r.perSecond}/s for all calls` : `${r.operation} ${r.perSecond}/s`)).join(', ')}; calls over them get ThrottlingException.\n`,
    );
  io.stderr.write(
    `Glue emulator listening on ${emulator.endpoint} (region ${emulator.region}, account ${emulator.accountId}). ` +
      `Use AWS_ENDPOINT_URL_GLUE, AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_IAM=${emulator.endpoint}. Ctrl-C stops it.\n`,
  );
  const signals = io.signals ?? process;
  await new Promise<void>((resolve) => {
    signals.once('SIGINT', resolve);
    signals.once('SIGTERM', resolve);
  });
  io.stderr.write('Stopping the Glue emulator and its runners...\n');
  await emulator.stop();
  return 0;
}
