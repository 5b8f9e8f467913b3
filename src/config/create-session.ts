// ResolvedSettings → the CreateSession request fields (glue-kernel.md §2.3), as a pure
// function. The caller supplies what needs I/O: the role discovered through STS when none is
// configured, the owner (STS UserId, or the userId env var for Glue Studio), and the id
// generator. The result is structurally a @aws-sdk/client-glue CreateSessionRequest.
import { randomUUID } from 'node:crypto';
import { ConfigError, showValue, type ConfigIssue } from './errors';
import { JOB_ARGUMENT_VALUE_MAX, jobArgumentProblem } from './configure';
import { TAGS_MAX, TAG_VALUE_MAX, type SettingValues, type WorkerType } from './settings';
import type { ResolvedSettings } from './layers';

export type KernelKind = 'pyspark' | 'spark';

export interface CreateSessionFields {
  Id: string;
  Role: string;
  Command: { Name: 'glueetl' | 'gluestreaming'; PythonVersion: '3' };
  GlueVersion: string;
  DefaultArguments: Record<string, string>;
  Timeout?: number;
  IdleTimeout?: number;
  NumberOfWorkers?: number;
  WorkerType?: WorkerType;
  MaxCapacity?: number;
  SecurityConfiguration?: string;
  Connections?: { Connections: string[] };
  Tags?: Record<string, string>;
  RequestOrigin: string;
}

export interface CreateSessionInput {
  /** Resolved settings (or just their values). */
  settings: ResolvedSettings | SettingValues;
  kernel: KernelKind;
  /** The kernel's version, sent as --glue_kernel_version. */
  kernelVersion: string;
  /** Job arguments from %%configure ("--" keys); applied last, so they win. */
  jobArguments?: Readonly<Record<string, string>>;
  /** The role to use when iam_role is not set (e.g. derived from the caller's assumed role). */
  fallbackRole?: string;
  /** Who owns the session: becomes the "owner" tag unless a tag "owner" is already set. */
  owner?: string;
  /** Makes the id when session_id is not set; default crypto.randomUUID. */
  newId?: () => string;
}

export const DEFAULT_REQUEST_ORIGIN: Readonly<Record<KernelKind, string>> = {
  pyspark: 'GluePySparkKernel',
  spark: 'GlueSparkKernel',
};

/** The reference's message, word for word. */
export const CAPACITY_CONFLICT =
  'Either max_capacity or worker_type and number_of_workers must be set, but not both.';

const DEFAULT_ARGUMENTS_MAX = 75;
const SESSION_ID_MAX = 255;

/**
 * The owner tag value: characters a Glue tag value may not contain are dropped (the
 * reference drops ","), and it is cut to 256 characters.
 */
export function ownerTagValue(userId: string): string {
  return userId.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '').slice(0, TAG_VALUE_MAX);
}

/** "<prefix>-<id>" when a prefix is set, else the id. */
export function sessionIdFor(
  values: Pick<SettingValues, 'session_id' | 'session_id_prefix'>,
  newId: () => string = randomUUID,
): string {
  const id = values.session_id ?? newId();
  return values.session_id_prefix ? `${values.session_id_prefix}-${id}` : id;
}

function isResolved(s: ResolvedSettings | SettingValues): s is ResolvedSettings {
  return 'values' in s && 'sources' in s;
}

/** Builds the CreateSession request. Throws ConfigError when the settings cannot make one. */
export function buildCreateSessionRequest(input: CreateSessionInput): CreateSessionFields {
  const v: SettingValues = isResolved(input.settings) ? input.settings.values : input.settings;
  const issues: ConfigIssue[] = [];
  const where = 'CreateSession';

  const role = v.iam_role ?? input.fallbackRole;
  if (role === undefined) {
    throw new ConfigError(
      { setting: 'iam_role', where, problem: 'Glue Role ARN not provided' },
      {
        hint: 'Set it with %iam_role arn:aws:iam::<account>:role/<GlueRole>, the environment variable glue_role_arn, or glue_role_arn in ~/.aws/config.',
      },
    );
  }
  if (v.max_capacity !== undefined && v.worker_type !== undefined && v.number_of_workers !== undefined) {
    throw new ConfigError({ setting: 'max_capacity', where, problem: CAPACITY_CONFLICT.replace(/\.$/, '') });
  }
  // The service refuses one without the other; say so before creating anything.
  if ((v.worker_type === undefined) !== (v.number_of_workers === undefined)) {
    const missing = v.worker_type === undefined ? 'worker_type' : 'number_of_workers';
    throw new ConfigError(
      { setting: missing, where, problem: 'worker_type and number_of_workers must be set together' },
      {
        hint: `Set ${missing} too (e.g. %worker_type G.1X and %number_of_workers 2), or neither for the service defaults.`,
      },
    );
  }

  const id = sessionIdFor(v, input.newId);
  if (id.length > SESSION_ID_MAX) {
    issues.push({
      setting: 'session_id',
      where,
      value: showValue(id),
      problem: `the session id (prefix included) is ${id.length} characters long; at most ${SESSION_ID_MAX} are allowed`,
    });
  }

  const args: Record<string, string> = {};
  const put = (key: string, value: string) =>
    Object.defineProperty(args, key, { value, enumerable: true, writable: true, configurable: true });
  put('--glue_kernel_version', input.kernelVersion);
  put('--enable-glue-datacatalog', v.enable_data_catalog ? 'true' : 'false');
  if (input.kernel === 'spark') put('--session-language', 'scala');
  if (v.extra_py_files) put('--extra-py-files', v.extra_py_files.join(','));
  if (v.extra_jars) put('--extra-jars', v.extra_jars.join(','));
  if (v.additional_python_modules) put('--additional-python-modules', v.additional_python_modules.join(','));
  if (v.spark_conf) put('--conf', v.spark_conf);
  for (const [key, value] of Object.entries(input.jobArguments ?? {})) put(key, value);

  for (const [key, value] of Object.entries(args)) {
    const problem = jobArgumentProblem(key, value);
    if (problem)
      issues.push({
        setting: key,
        where: 'job arguments',
        value: showValue(value.length > JOB_ARGUMENT_VALUE_MAX ? `${value.slice(0, 40)}…` : value),
        problem,
      });
  }
  if (Object.keys(args).length > DEFAULT_ARGUMENTS_MAX) {
    issues.push({
      where: 'job arguments',
      problem: `${Object.keys(args).length} job arguments is too many (at most ${DEFAULT_ARGUMENTS_MAX})`,
    });
  }

  const tags: Record<string, string> = { ...v.tags };
  if (input.owner !== undefined && !Object.prototype.hasOwnProperty.call(tags, 'owner')) {
    const owner = ownerTagValue(input.owner);
    if (owner !== '') tags.owner = owner;
  }
  if (Object.keys(tags).length > TAGS_MAX) {
    issues.push({
      setting: 'tags',
      where,
      problem: `${Object.keys(tags).length} tags (owner tag included) is too many (at most ${TAGS_MAX})`,
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);

  const request: CreateSessionFields = {
    Id: id,
    Role: role,
    Command: { Name: v.session_type === 'streaming' ? 'gluestreaming' : 'glueetl', PythonVersion: '3' },
    GlueVersion: v.glue_version,
    DefaultArguments: args,
    RequestOrigin: v.request_origin ?? DEFAULT_REQUEST_ORIGIN[input.kernel],
  };
  if (v.timeout !== undefined) request.Timeout = v.timeout;
  if (v.idle_timeout !== undefined) request.IdleTimeout = v.idle_timeout;
  if (v.number_of_workers !== undefined) request.NumberOfWorkers = v.number_of_workers;
  if (v.worker_type !== undefined) request.WorkerType = v.worker_type;
  if (v.max_capacity !== undefined) request.MaxCapacity = v.max_capacity;
  if (v.security_config !== undefined) request.SecurityConfiguration = v.security_config;
  if (v.connections !== undefined) request.Connections = { Connections: [...v.connections] };
  if (Object.keys(tags).length > 0) request.Tags = tags;
  return request;
}
