// `glue-kernel sessions list|stop|delete`: the Glue interactive sessions of a region, from a
// terminal, so that sessions a crashed kernel left running (billed until their idle timeout)
// can be found and stopped without opening a notebook.
//
// Region, profile and endpoint resolve exactly as in the kernel (src/config: environment,
// ~/.aws/config of the profile, defaults), with --region/--profile/--endpoint as the override
// layer. AWS is reached through the kernel's Glue backend (src/session/glue), which loads the
// AWS SDK on the first call and turns AWS failures into messages for people.
//
// The backend's public API is session-oriented (the magics'), so:
//  - `list` shows what its listSessions returns: id, status, creation time;
//  - `stop <id>` is reconnect(id) (GetSession: it must be READY or PROVISIONING) + stopSession();
//  - `delete <id>` is deleteSession(id).
import { SILENT_NOTIFIER, type BackendNotifier } from '../session/backend';
import { sessionsTable } from '../session/sessions-table';
import { DEFAULT_PROFILE, loadConfigFile, SettingsStore, type Env } from '../config';
import { GlueBackend, GlueKernelError, type AwsClientSettings, type SessionListEntry } from '../session/glue';

/** --region, --profile, --endpoint: the highest settings layer. */
export interface SessionsAwsOptions {
  region?: string;
  profile?: string;
  endpoint?: string;
}

export interface SessionsListOptions extends SessionsAwsOptions {
  json?: boolean;
}

/** Where the command reads its environment and writes its output (tests pass their own). */
export interface SessionsIo {
  env: Env;
  out(text: string): void;
  err(text: string): void;
  now(): number;
}

const processIo: SessionsIo = {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: Date.now,
};

/** Bound for one API call (retries included), so a hung endpoint cannot hang the command. */
const CALL_TIMEOUT_MS = 120_000;
const LIVE = new Set(['READY', 'PROVISIONING']);

/** A problem the user fixes with a flag or a setting: printed as is, exit status 1. */
class CliError extends Error {}

interface Resolved {
  settings: AwsClientSettings;
  /** "us-east-1", or "us-east-1 (endpoint http://…)", for messages. */
  where: string;
}

/** The kernel's settings layers, with the flags on top. Throws ConfigError or CliError. */
export async function resolveAwsSettings(options: SessionsAwsOptions, env: Env): Promise<Resolved> {
  const store = new SettingsStore();
  if (options.profile !== undefined) store.set('profile', options.profile, '--profile');
  if (options.region !== undefined) store.set('region', options.region, '--region');
  if (options.endpoint !== undefined) store.set('endpoint_url', options.endpoint, '--endpoint');
  const resolved = store.resolve(env, await loadConfigFile());
  const v = resolved.values;
  if (!v.region) {
    const file = env.AWS_CONFIG_FILE?.trim() || '~/.aws/config';
    const section =
      resolved.configProfile === DEFAULT_PROFILE ? '[default]' : `[profile ${resolved.configProfile}]`;
    throw new CliError(
      'No AWS region is set. Give one with --region <region> (e.g. --region us-east-1), set AWS_REGION ' +
        `(or AWS_DEFAULT_REGION, glue_region) in the environment, or add "region = us-east-1" to the ${section} ` +
        `section of ${file}.`,
    );
  }
  // The SDK also honours AWS_ENDPOINT_URL_GLUE by itself; name it in messages too.
  const endpoint = v.endpoint_url ?? (env.AWS_ENDPOINT_URL_GLUE?.trim() || undefined);
  return {
    settings: { region: v.region, endpoint: v.endpoint_url, profile: v.profile },
    where: endpoint ? `${v.region} (endpoint ${endpoint})` : v.region,
  };
}

function openBackend(settings: AwsClientSettings): GlueBackend {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new GlueBackend({ kind: 'pyspark', clientSettings: () => settings });
}

async function closeBackend(backend: GlueBackend): Promise<void> {
  // A session whose stop failed is still the backend's current one, and close() would try
  // StopSession again (with retries): the failure is already reported, so close at once.
  await backend.close(backend.hasSession() ? AbortSignal.abort() : AbortSignal.timeout(5000));
}

function callSignal(): AbortSignal {
  return AbortSignal.timeout(CALL_TIMEOUT_MS);
}

function messageOf(err: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return `no answer within ${CALL_TIMEOUT_MS / 1000} s.`;
  return err instanceof Error ? err.message : String(err);
}

function enameOf(err: unknown): string | undefined {
  return err instanceof GlueKernelError ? err.ename : undefined;
}

function notFoundMessage(id: string, resolved: Resolved): string {
  return (
    `Session ${id} was not found in ${resolved.where}: the service answered EntityNotFoundException. ` +
    'Check the id and the region (glue-kernel sessions list shows the sessions there).'
  );
}

/** Runs `body` with the settings and a backend; any error is printed and gives status 1. */
async function withBackend(
  options: SessionsAwsOptions,
  io: SessionsIo,
  body: (backend: GlueBackend, resolved: Resolved) => Promise<number>,
): Promise<number> {
  let resolved: Resolved;
  try {
    resolved = await resolveAwsSettings(options, io.env);
  } catch (err) {
    io.err(`glue-kernel: ${messageOf(err)}`);
    return 1;
  }
  const backend = openBackend(resolved.settings);
  try {
    return await body(backend, resolved);
  } catch (err) {
    io.err(`glue-kernel: ${messageOf(err)}`);
    return 1;
  } finally {
    await closeBackend(backend);
  }
}

// ---- list ---------------------------------------------------------------------------------------

/** One session as `--json` prints it: the Glue API's field names. */
export interface SessionJson {
  Id: string;
  Status: string;
  /** ISO 8601, or null when the service did not say. */
  CreatedOn: string | null;
  GlueVersion?: string;
  WorkerType?: string;
  NumberOfWorkers?: number;
  MaxCapacity?: number;
  IdleTimeout?: number;
}

export function listSessionsCommand(
  options: SessionsListOptions,
  io: SessionsIo = processIo,
): Promise<number> {
  return withBackend(options, io, async (backend, resolved) => {
    const signal = callSignal();
    let entries: SessionListEntry[];
    try {
      entries = await backend.listSessions(signal);
    } catch (err) {
      io.err(`glue-kernel: ${messageOf(err, signal)}`);
      return 1;
    }
    if (options.json) {
      const json: SessionJson[] = entries.map((e) => ({
        Id: e.id,
        Status: e.status,
        CreatedOn: e.createdOn ? e.createdOn.toISOString() : null,
        GlueVersion: e.glueVersion,
        WorkerType: e.workerType,
        NumberOfWorkers: e.numberOfWorkers,
        MaxCapacity: e.maxCapacity,
        IdleTimeout: e.idleTimeout,
      }));
      io.out(JSON.stringify(json, null, 2));
      return 0;
    }
    if (entries.length === 0) {
      io.out(`No Glue interactive sessions in ${resolved.where}.`);
      return 0;
    }
    io.out(sessionsTable(entries, io.now()));
    const live = entries.filter((e) => LIVE.has(e.status)).length;
    io.out(
      `\n${entries.length} session${entries.length === 1 ? '' : 's'} in ${resolved.where}` +
        (live > 0
          ? `; ${live} READY or PROVISIONING (billed until stopped or idle): glue-kernel sessions stop <id>.`
          : '.'),
    );
    return 0;
  });
}

// ---- stop, delete -------------------------------------------------------------------------------

type Outcome = { ok: true; message: string } | { ok: false; message: string };

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ''))];
}

async function report(
  ids: readonly string[],
  verb: 'stopped' | 'deleted',
  io: SessionsIo,
  one: (id: string) => Promise<Outcome>,
): Promise<number> {
  const targets = unique(ids);
  if (targets.length === 0) throw new CliError('Give at least one session id.');
  let failed = 0;
  for (const id of targets) {
    const outcome = await one(id);
    if (outcome.ok) io.out(outcome.message);
    else {
      failed++;
      io.err(`glue-kernel: ${outcome.message}`);
    }
  }
  if (failed > 0 && targets.length > 1)
    io.err(`glue-kernel: ${failed} of ${targets.length} sessions could not be ${verb}.`);
  return failed > 0 ? 1 : 0;
}

/** StopSession for each id; status 1 when any failed. */
export function stopSessionsCommand(
  ids: readonly string[],
  options: SessionsAwsOptions,
  io: SessionsIo = processIo,
): Promise<number> {
  return withBackend(options, io, async (backend, resolved) => {
    // Statuses, fetched once and only to name the state of a session that is not running.
    let listed: Promise<SessionListEntry[]> | undefined;
    const statusOf = async (id: string): Promise<string | undefined> => {
      listed ??= backend.listSessions(callSignal()).catch(() => []);
      return (await listed).find((e) => e.id === id)?.status;
    };
    return report(ids, 'stopped', io, async (id) => {
      const signal = callSignal();
      try {
        await backend.reconnect(id, quiet(), signal);
      } catch (err) {
        const ename = enameOf(err);
        if (ename === 'SessionNotFound') return { ok: false, message: notFoundMessage(id, resolved) };
        if (ename === 'SessionNotReady') {
          const status = await statusOf(id);
          return {
            ok: true,
            message: `Session ${id} is not running${status ? ` (${status})` : ''}: nothing to stop.`,
          };
        }
        return { ok: false, message: messageOf(err, signal) };
      }
      const notes: string[] = [];
      try {
        await backend.stopSession(quiet(notes));
      } catch (err) {
        return { ok: false, message: messageOf(err) };
      }
      // What the stop said after "Stopping session…": the outcome, then the usage and its cost.
      const said = notes.filter((n) => !n.startsWith('Stopping session'));
      return { ok: true, message: said.length > 0 ? said.join('\n') : `Stopped session ${id}.` };
    });
  });
}

/** DeleteSession for each id; status 1 when any failed. */
export function deleteSessionsCommand(
  ids: readonly string[],
  options: SessionsAwsOptions,
  io: SessionsIo = processIo,
): Promise<number> {
  return withBackend(options, io, async (backend, resolved) =>
    report(ids, 'deleted', io, async (id) => {
      const signal = callSignal();
      try {
        await backend.deleteSession(id, quiet(), signal);
        return { ok: true, message: `Deleted session ${id}.` };
      } catch (err) {
        if (enameOf(err) === 'SessionNotFound') return { ok: false, message: notFoundMessage(id, resolved) };
        return { ok: false, message: messageOf(err, signal) };
      }
    }),
  );
}

/** A notifier for the backend: keeps its info lines (the outcome of a stop), drops the rest. */
function quiet(infos: string[] = []): BackendNotifier {
  return { ...SILENT_NOTIFIER, info: (text: string) => void infos.push(text) };
}
