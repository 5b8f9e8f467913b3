// Every session and kernel setting, in one table: name, zod schema, environment variables,
// ~/.aws/config keys, %%configure keys, default, help text and what it maps to.
// Everything else (layering, %%configure, the CreateSession request, the generated docs)
// reads this table; nothing else spells an env var name or a default.
//
// Each schema accepts both raw text (environment, config file, line magics) and the typed
// values a %%configure body produces (numbers, booleans, lists, dicts), and returns the one
// normalised type. Parsing an already-parsed value gives the same value back.
import { z } from 'zod';
import { ConfigError, showValue, type ConfigIssue } from './errors';
import { parsePythonLiteral, LiteralSyntaxError } from './python-literal';

// ---- value types ------------------------------------------------------------------------

/** Worker types CreateSession accepts (current and newer ones; see glue-api.md §2). */
export const WORKER_TYPES = [
  'Standard',
  'G.025X',
  'G.1X',
  'G.2X',
  'G.4X',
  'G.8X',
  'G.12X',
  'G.16X',
  'R.1X',
  'R.2X',
  'R.4X',
  'R.8X',
  'Z.2X',
] as const;
export type WorkerType = (typeof WORKER_TYPES)[number];

export const SESSION_TYPES = ['etl', 'streaming'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const BACKENDS = ['glue', 'local'] as const;

/** AWS Glue interactive sessions, us-east-1 list price per DPU-hour (billed per second, 1-minute minimum). */
export const DEFAULT_DPU_HOUR_PRICE = 0.44;
export type Backend = (typeof BACKENDS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export const LOCAL_ENGINES = ['auto', 'pyspark', 'duckdb', 'plain'] as const;
export type LocalEngine = (typeof LOCAL_ENGINES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The parsed type of every setting. */
export interface SettingTypes {
  region: string;
  iam_role: string;
  glue_version: string;
  number_of_workers: number;
  worker_type: WorkerType;
  max_capacity: number;
  idle_timeout: number;
  timeout: number;
  security_config: string;
  connections: string[];
  extra_py_files: string[];
  extra_jars: string[];
  additional_python_modules: string[];
  spark_conf: string;
  session_type: SessionType;
  session_id_prefix: string;
  session_id: string;
  endpoint_url: string;
  profile: string;
  tags: Record<string, string>;
  enable_data_catalog: boolean;
  request_origin: string;
  user_id: string;
  backend: Backend;
  python: string;
  local_engine: LocalEngine;
  engine_dir: string;
  pip_index_url: string;
  log_level: LogLevel;
  dpu_hour_price: number;
  sql_rows: number;
  api_rate: number;
}
export type SettingName = keyof SettingTypes;

/** Settings that always have a value (they have a default). */
export type DefaultedSettingName =
  | 'glue_version'
  | 'session_type'
  | 'tags'
  | 'enable_data_catalog'
  | 'backend'
  | 'local_engine'
  | 'log_level'
  | 'dpu_hour_price'
  | 'sql_rows'
  | 'api_rate';

/** Resolved values: defaulted settings are always present, the rest only when set somewhere. */
export type SettingValues = { [K in DefaultedSettingName]: SettingTypes[K] } & {
  [K in Exclude<SettingName, DefaultedSettingName>]?: SettingTypes[K];
};

/** What a setting is about: the session request, the AWS client, or the kernel itself. */
export type SettingScope = 'session' | 'client' | 'kernel';

export interface SettingDefinition<K extends SettingName = SettingName> {
  readonly name: K;
  /** Short type for docs: "integer", "list", "enum", "text", "map", "boolean", "URL", "number". */
  readonly type: string;
  /** What is accepted, in words; used in error messages and docs. */
  readonly accepted: string;
  readonly schema: z.ZodType<SettingTypes[K]>;
  /** Environment variables, highest priority first. */
  readonly env: readonly string[];
  /** Keys in the profile's section of ~/.aws/config, highest priority first. */
  readonly configKeys: readonly string[];
  /** Keys accepted in a %%configure body. */
  readonly configureKeys: readonly string[];
  readonly default?: SettingTypes[K];
  readonly help: string;
  /** The CreateSession field, job argument or kernel behaviour the setting drives. */
  readonly mapsTo: string;
  readonly scope: SettingScope;
}

// ---- schema building blocks -------------------------------------------------------------

const INT32_MAX = 2_147_483_647;

type Ctx = z.core.$RefinementCtx<unknown>;

function reject(ctx: Ctx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/** How a value from a %%configure body is called in messages. */
export function describeType(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'object') return 'a dict';
  return typeof v;
}

function intSchema(min: number, max: number): z.ZodType<number> {
  return z
    .unknown()
    .transform((v, ctx) => {
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return reject(ctx, 'not a whole number');
        return v;
      }
      if (typeof v === 'string') {
        const t = v.trim();
        if (!/^[+-]?\d+$/.test(t)) return reject(ctx, 'not a whole number');
        return Number(t);
      }
      return reject(ctx, `expected a whole number, got ${describeType(v)}`);
    })
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
}

function positiveNumberSchema(): z.ZodType<number> {
  return z
    .unknown()
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      if (typeof v === 'string') {
        const t = v.trim();
        if (!/^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return reject(ctx, 'not a number');
        return Number(t);
      }
      return reject(ctx, `expected a number, got ${describeType(v)}`);
    })
    .pipe(z.number().finite({ error: 'must be finite' }).positive({ error: 'must be greater than 0' }));
}

/** Case-insensitive choice among `values`, returning the canonical spelling. */
function enumSchema<T extends string>(
  values: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): z.ZodType<T> {
  const lookup = new Map<string, T>();
  for (const v of values) lookup.set(v.toLowerCase(), v);
  for (const [alias, v] of Object.entries(aliases)) lookup.set(alias.toLowerCase(), v);
  return z.unknown().transform((v, ctx): T => {
    if (typeof v !== 'string') return reject(ctx, `expected text, got ${describeType(v)}`);
    const hit = lookup.get(v.trim().toLowerCase());
    if (hit === undefined) return reject(ctx, 'not one of the accepted values');
    return hit;
  });
}

interface TextOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternProblem?: string;
  lowercase?: boolean;
}

/** The service model allows no control characters but tab in names and values (NUL included). */
export const CONTROL_FREE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;
export const CONTROL_PROBLEM = 'contains a control character (such as NUL); only printable text is accepted';

/** Trimmed single-line text with optional length and pattern checks. */
function textSchema(o: TextOptions = {}): z.ZodType<string> {
  let s = z.string({ error: (iss) => `expected text, got ${describeType(iss.input)}` }).trim();
  if (o.lowercase) s = s.toLowerCase();
  s = s
    .min(o.min ?? 1, {
      error: o.min && o.min > 1 ? `must be at least ${o.min} characters long` : 'must not be empty',
      abort: true,
    })
    .max(o.max ?? 4096, { error: `must be at most ${o.max ?? 4096} characters long`, abort: true })
    .regex(/^[^\n\r]*$/, { error: 'must be on one line', abort: true })
    .regex(CONTROL_FREE, { error: CONTROL_PROBLEM, abort: true });
  if (o.pattern) s = s.regex(o.pattern, { error: o.patternProblem ?? `must match ${o.pattern.source}` });
  return s;
}

/**
 * The reference's `_validate_list`: strip [ and ] from the ends, split on commas, trim each
 * item; an empty item is an error, and so is an item with a blank in it unless it contains
 * `--` (pip options such as `--index-url https://…`). Lists from %%configure are checked
 * item by item the same way.
 */
export function normaliseList(value: unknown): { items: string[] } | { problem: string } {
  let parts: string[];
  if (typeof value === 'string') {
    const t = value.trim().replace(/^\[+/, '').replace(/\]+$/, '');
    if (t.trim() === '') return { problem: 'no values given; write a comma-separated list such as a,b' };
    parts = t.split(',');
  } else if (Array.isArray(value)) {
    if (value.length === 0) return { problem: 'the list is empty' };
    const bad = value.findIndex((x) => typeof x !== 'string');
    if (bad >= 0)
      return { problem: `item ${bad + 1} is ${describeType(value[bad])}; every item must be text` };
    parts = value as string[];
  } else {
    return { problem: `expected a comma-separated list, got ${describeType(value)}` };
  }
  const items: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const item = parts[i].trim();
    if (item === '') {
      return {
        problem: `item ${i + 1} of ${parts.length} is empty; empty values are not allowed (check for a doubled or trailing comma)`,
      };
    }
    if (/\s/.test(item) && !item.includes('--')) {
      return {
        problem: `item ${showValue(item)} contains a blank space; only items with an option (--…) may contain spaces`,
      };
    }
    items.push(item);
  }
  return { items };
}

interface ListOptions {
  maxItemLength?: number;
  maxItems?: number;
  /** Every item must match, e.g. an S3 path; `itemProblem` says what it should be. */
  itemPattern?: RegExp;
  itemProblem?: string;
}

function listSchema(o: ListOptions = {}): z.ZodType<string[]> {
  return z.unknown().transform((v, ctx) => {
    const r = normaliseList(v);
    if ('problem' in r) return reject(ctx, r.problem);
    const control = r.items.find((x) => !CONTROL_FREE.test(x));
    if (control !== undefined) return reject(ctx, `item ${showValue(control)} ${CONTROL_PROBLEM}`);
    const unfit = o.itemPattern ? r.items.find((x) => !o.itemPattern!.test(x)) : undefined;
    if (unfit !== undefined)
      return reject(ctx, `item ${showValue(unfit)} is not ${o.itemProblem ?? 'valid'}`);
    if (o.maxItems !== undefined && r.items.length > o.maxItems) {
      return reject(ctx, `${r.items.length} items is too many (at most ${o.maxItems})`);
    }
    const long = o.maxItemLength === undefined ? undefined : r.items.find((x) => x.length > o.maxItemLength!);
    if (long !== undefined)
      return reject(ctx, `item ${showValue(long)} is longer than ${o.maxItemLength} characters`);
    return r.items;
  });
}

function booleanSchema(): z.ZodType<boolean> {
  return z.unknown().transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      return reject(ctx, 'not true or false');
    }
    return reject(ctx, `expected true or false, got ${describeType(v)}`);
  });
}

export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const TAGS_MAX = 50;

/**
 * A tag map: a dict of text to text, or (from env and file) its JSON text. Keys are trimmed
 * (as %%tags does), 1–128 characters, not starting with "aws:"; values 0–256 characters.
 */
export function parseTagMap(v: unknown): { tags: Record<string, string> } | { problem: string } {
  let obj: unknown = v;
  if (typeof v === 'string') {
    try {
      obj = parsePythonLiteral(v);
    } catch (e) {
      const detail = e instanceof LiteralSyntaxError ? e.message : String(e);
      return { problem: `not a JSON object like {"team": "data"} (${detail})` };
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { problem: `expected a dict of tag names to values, got ${describeType(obj)}` };
  }
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length > TAGS_MAX)
    return { problem: `${entries.length} tags is too many (at most ${TAGS_MAX})` };
  const tags: Record<string, string> = {};
  for (const [rawKey, rawValue] of entries) {
    const key = rawKey.trim();
    if (key === '') return { problem: 'a tag name is empty' };
    if (key.length > TAG_KEY_MAX)
      return { problem: `tag name ${showValue(key)} is longer than ${TAG_KEY_MAX} characters` };
    if (key.toLowerCase().startsWith('aws:'))
      return { problem: `tag name ${showValue(key)} uses the reserved prefix "aws:"` };
    if (typeof rawValue !== 'string') {
      return {
        problem: `the value of tag ${showValue(key)} is ${describeType(rawValue)}; tag values must be text`,
      };
    }
    const value = rawValue.trim();
    if (value.length > TAG_VALUE_MAX) {
      return { problem: `the value of tag ${showValue(key)} is longer than ${TAG_VALUE_MAX} characters` };
    }
    Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { tags };
}

function tagsSchema(): z.ZodType<Record<string, string>> {
  return z.unknown().transform((v, ctx) => {
    const r = parseTagMap(v);
    if ('problem' in r) return reject(ctx, r.problem);
    return r.tags;
  });
}

/** Glue versions are checked only against the API pattern: never against a fixed list. */
function glueVersionSchema(): z.ZodType<string> {
  // A %%configure body may say 4.0 unquoted: Python's str(4.0) is "4.0", so keep the ".0".
  return z.preprocess(
    (v) =>
      typeof v === 'number' && Number.isFinite(v) ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : v,
    textSchema({ max: 255, pattern: /^(\w+\.)+\w+$/, patternProblem: 'not a version such as 4.0 or 5.0' }),
  );
}

function urlSchema(): z.ZodType<string> {
  return textSchema({ max: 2048 }).transform((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return reject(
        ctx,
        /^[a-z][a-z0-9+.-]*:\/\//i.test(v)
          ? 'not a valid URL'
          : 'not a URL; include the scheme, e.g. https://',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return reject(ctx, `the scheme must be http or https, not ${url.protocol.slice(0, -1)}`);
    if (url.username || url.password) return reject(ctx, 'must not contain a user name or password');
    return v;
  });
}

/** Spark conf: the raw text for --conf ("k=v --conf k2=v2"), or a dict of Spark properties. */
function sparkConfSchema(): z.ZodType<string> {
  const text = textSchema({ max: 4096 });
  return z.unknown().transform((v, ctx) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) return reject(ctx, 'the dict is empty');
      const parts: string[] = [];
      for (const [k, val] of entries) {
        if (!/^[^\s=]+$/.test(k))
          return reject(ctx, `Spark property name ${showValue(k)} must be non-empty, without blanks or "="`);
        if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
          return reject(
            ctx,
            `the value of ${showValue(k)} is ${describeType(val)}; expected text, a number or a boolean`,
          );
        }
        parts.push(`${k}=${String(val)}`);
      }
      v = parts.join(' --conf ');
    }
    const r = text.safeParse(v);
    if (!r.success) return reject(ctx, r.error.issues[0]?.message ?? 'invalid');
    return r.data;
  });
}

/**
 * An S3 object or folder path as --extra-py-files and --extra-jars take them: s3://, a bucket
 * name (lower-case letters, digits, "." and "-") and a non-empty key, so local paths and
 * other schemes (../x.py, file:///etc/passwd) are refused.
 */
export const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{0,62}\/\S+$/;

/**
 * An IAM role ARN in its documented form: the service model's arn:aws…:iam::<account>:role/…,
 * with IAM's own rules for the path (printable ASCII) and the name (letters, digits and
 * + = , . @ _ -), so a blank or a quote inside is refused before any session is created.
 */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]*:role\/(?:[\x21-\x7E]*\/)?[\w+=,.@-]{1,64}$/;

// ---- environment variable names -----------------------------------------------------------

/** Each `glue_*` name followed by its upper-case `GLUE_*` form; other names as given. */
function envNames(...names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    out.push(n);
    if (n.startsWith('glue_')) out.push(n.toUpperCase());
  }
  return out;
}

// ---- the table ----------------------------------------------------------------------------

const WORKER_LIST = WORKER_TYPES.join(', ');

export const SETTINGS: { readonly [K in SettingName]: SettingDefinition<K> } = {
  region: {
    name: 'region',
    type: 'text',
    accepted: 'an AWS region code such as us-east-1 (lower-cased)',
    schema: textSchema({
      max: 64,
      lowercase: true,
      pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/,
      patternProblem: 'not a region code such as us-east-1',
    }),
    env: [...envNames('region', 'AWS_REGION', 'glue_region'), 'AWS_DEFAULT_REGION'],
    configKeys: ['region', 'glue_region'],
    configureKeys: ['region'],
    help: 'AWS region of the Glue endpoint and the session.',
    mapsTo: 'client region (endpoint glue.<region>.amazonaws.com)',
    scope: 'client',
  },
  iam_role: {
    name: 'iam_role',
    type: 'text',
    accepted: 'an IAM role ARN such as arn:aws:iam::123456789012:role/GlueRole',
    schema: textSchema({
      min: 20,
      max: 2048,
      pattern: ROLE_ARN,
      patternProblem:
        'not an IAM role ARN (arn:aws:iam::<account>:role/<name>; a role name has only letters, digits and + = , . @ _ -)',
    }),
    env: envNames('glue_role_arn', 'glue_iam_role'),
    configKeys: ['glue_role_arn', 'glue_iam_role'],
    configureKeys: ['iam_role'],
    help: 'IAM role the session runs as; when unset it is derived from the caller’s assumed role.',
    mapsTo: 'CreateSession Role',
    scope: 'session',
  },
  glue_version: {
    name: 'glue_version',
    type: 'text',
    accepted: 'a Glue version such as 4.0 or 5.0 (any value matching ^(\\w+\\.)+\\w+$)',
    schema: glueVersionSchema(),
    env: envNames('glue_version', 'glue_glue_version'),
    configKeys: ['glue_version', 'glue_glue_version'],
    configureKeys: ['glue_version'],
    default: '4.0',
    help: 'AWS Glue version of the session.',
    mapsTo: 'CreateSession GlueVersion',
    scope: 'session',
  },
  number_of_workers: {
    name: 'number_of_workers',
    type: 'integer',
    accepted: `a whole number from 1 to ${INT32_MAX}`,
    schema: intSchema(1, INT32_MAX),
    env: envNames('glue_number_of_workers'),
    configKeys: ['glue_number_of_workers'],
    configureKeys: ['number_of_workers'],
    help: 'Number of workers (the service default is 5); set together with worker_type.',
    mapsTo: 'CreateSession NumberOfWorkers',
    scope: 'session',
  },
  worker_type: {
    name: 'worker_type',
    type: 'enum',
    accepted: `one of ${WORKER_LIST}`,
    schema: enumSchema(WORKER_TYPES),
    env: envNames('glue_worker_type'),
    configKeys: ['glue_worker_type'],
    configureKeys: ['worker_type'],
    help: 'Worker type (the service default is G.1X); set together with number_of_workers.',
    mapsTo: 'CreateSession WorkerType',
    scope: 'session',
  },
  max_capacity: {
    name: 'max_capacity',
    type: 'number',
    accepted: 'a number of DPUs greater than 0',
    schema: positiveNumberSchema(),
    env: envNames('glue_max_capacity'),
    configKeys: ['glue_max_capacity'],
    configureKeys: ['max_capacity'],
    help: 'DPUs for the session; not together with worker_type and number_of_workers.',
    mapsTo: 'CreateSession MaxCapacity',
    scope: 'session',
  },
  idle_timeout: {
    name: 'idle_timeout',
    type: 'integer',
    accepted: `a whole number of minutes from 1 to ${INT32_MAX}`,
    schema: intSchema(1, INT32_MAX),
    env: envNames('glue_idle_timeout'),
    configKeys: ['glue_idle_timeout'],
    configureKeys: ['idle_timeout'],
    help: 'Minutes without activity before the service stops the session (service default 2880).',
    mapsTo: 'CreateSession IdleTimeout',
    scope: 'session',
  },
  timeout: {
    name: 'timeout',
    type: 'integer',
    accepted: `a whole number of minutes from 1 to ${INT32_MAX}`,
    schema: intSchema(1, INT32_MAX),
    env: envNames('glue_timeout'),
    configKeys: ['glue_timeout'],
    configureKeys: ['timeout'],
    help: 'Maximum lifetime of the session in minutes (service default 2880); not a statement timeout.',
    mapsTo: 'CreateSession Timeout',
    scope: 'session',
  },
  security_config: {
    name: 'security_config',
    type: 'text',
    accepted: 'the name of a Glue security configuration (1–255 characters)',
    schema: textSchema({ max: 255 }),
    env: envNames('glue_security_config'),
    configKeys: ['glue_security_config'],
    configureKeys: ['security_config'],
    help: 'Glue security configuration (encryption settings) for the session.',
    mapsTo: 'CreateSession SecurityConfiguration',
    scope: 'session',
  },
  connections: {
    name: 'connections',
    type: 'list',
    accepted: 'a comma-separated list of Glue connection names, e.g. conn1,conn2',
    schema: listSchema({ maxItemLength: 255, maxItems: 1000 }),
    env: envNames('glue_connections'),
    configKeys: ['glue_connections'],
    configureKeys: ['connections'],
    help: 'Glue connections the session may use (network access, JDBC).',
    mapsTo: 'CreateSession Connections.Connections',
    scope: 'session',
  },
  extra_py_files: {
    name: 'extra_py_files',
    type: 'list',
    accepted: 'a comma-separated list of S3 paths (s3://bucket/key) to .py, .zip or .whl files',
    schema: listSchema({ itemPattern: S3_PATH, itemProblem: 'an S3 path such as s3://bucket/lib.py' }),
    env: envNames('glue_extra_py_files'),
    configKeys: ['glue_extra_py_files'],
    configureKeys: ['extra_py_files'],
    help: 'Python files added to the session’s Python path.',
    mapsTo: 'job argument --extra-py-files',
    scope: 'session',
  },
  extra_jars: {
    name: 'extra_jars',
    type: 'list',
    accepted: 'a comma-separated list of S3 paths (s3://bucket/key) to .jar files',
    schema: listSchema({ itemPattern: S3_PATH, itemProblem: 'an S3 path such as s3://bucket/lib.jar' }),
    env: envNames('glue_extra_jars'),
    configKeys: ['glue_extra_jars'],
    configureKeys: ['extra_jars'],
    help: 'JAR files added to the session’s class path.',
    mapsTo: 'job argument --extra-jars',
    scope: 'session',
  },
  additional_python_modules: {
    name: 'additional_python_modules',
    type: 'list',
    accepted: 'a comma-separated list of pip requirements (items with -- options may contain spaces)',
    schema: listSchema(),
    env: envNames('glue_additional_python_modules'),
    configKeys: ['glue_additional_python_modules'],
    configureKeys: ['additional_python_modules'],
    help: 'Python packages pip-installed into the session.',
    mapsTo: 'job argument --additional-python-modules',
    scope: 'session',
  },
  spark_conf: {
    name: 'spark_conf',
    type: 'text',
    accepted: 'Spark properties as key=value (several as a=b --conf c=d), or a dict of properties',
    schema: sparkConfSchema(),
    env: envNames('spark_conf', 'glue_spark_conf'),
    configKeys: ['spark_conf', 'glue_spark_conf'],
    configureKeys: ['spark_conf'],
    help: 'Spark configuration passed to the session.',
    mapsTo: 'job argument --conf',
    scope: 'session',
  },
  session_type: {
    name: 'session_type',
    type: 'enum',
    accepted: 'etl or streaming (also glueetl or gluestreaming; any case)',
    schema: enumSchema(SESSION_TYPES, { glueetl: 'etl', gluestreaming: 'streaming' }),
    env: envNames('glue_job_type', 'glue_session_type'),
    configKeys: ['glue_job_type', 'glue_session_type'],
    configureKeys: ['session_type'],
    default: 'etl',
    help: 'Kind of session: etl (batch) or streaming.',
    mapsTo: 'CreateSession Command.Name (glueetl | gluestreaming)',
    scope: 'session',
  },
  session_id_prefix: {
    name: 'session_id_prefix',
    type: 'text',
    accepted: 'letters, digits and - / . _ # only',
    schema: textSchema({
      max: 200,
      pattern: /^[-/._#A-Za-z0-9]+$/,
      patternProblem: 'contains a character other than letters, digits and - / . _ #',
    }),
    env: envNames('session_id_prefix', 'glue_session_id_prefix'),
    configKeys: ['session_id_prefix', 'glue_session_id_prefix'],
    configureKeys: ['session_id_prefix'],
    help: 'Prefix of new session ids: <prefix>-<id>.',
    mapsTo: 'CreateSession Id prefix',
    scope: 'session',
  },
  session_id: {
    name: 'session_id',
    type: 'text',
    accepted: 'a session id of 1–255 characters on one line',
    schema: textSchema({ max: 255 }),
    env: ['session_id'],
    configKeys: [],
    configureKeys: ['session_id'],
    help: 'Id for the next session instead of a random one (the prefix still applies).',
    mapsTo: 'CreateSession Id',
    scope: 'session',
  },
  endpoint_url: {
    name: 'endpoint_url',
    type: 'URL',
    accepted: 'an http:// or https:// URL',
    schema: urlSchema(),
    // AWS_ENDPOINT_URL_GLUE is the SDK's own variable: named here so %settings and %status show it.
    env: [...envNames('glue_endpoint_url'), 'AWS_ENDPOINT_URL_GLUE'],
    configKeys: ['glue_endpoint_url'],
    configureKeys: ['endpoint', 'endpoint_url'],
    help: 'Glue API endpoint, e.g. a VPC endpoint or the local emulator.',
    mapsTo: 'client endpoint',
    scope: 'client',
  },
  profile: {
    name: 'profile',
    type: 'text',
    accepted: 'the name of a profile in ~/.aws/config or ~/.aws/credentials',
    schema: textSchema({ max: 512 }),
    env: [...envNames('glue_profile'), 'AWS_PROFILE'],
    configKeys: [],
    configureKeys: ['profile'],
    help: 'AWS profile for credentials, and whose ~/.aws/config section supplies settings.',
    mapsTo: 'client credentials; ~/.aws/config section',
    scope: 'client',
  },
  tags: {
    name: 'tags',
    type: 'map',
    accepted: 'a dict of tag names to text values, e.g. {"team": "data"} (JSON in env and config)',
    schema: tagsSchema(),
    env: envNames('glue_tags'),
    configKeys: ['glue_tags'],
    configureKeys: ['tags'],
    default: {},
    help: 'Tags for new sessions; merged across all layers (a higher layer wins per tag).',
    mapsTo: 'CreateSession Tags',
    scope: 'session',
  },
  enable_data_catalog: {
    name: 'enable_data_catalog',
    type: 'boolean',
    accepted: 'true or false',
    schema: booleanSchema(),
    env: envNames('glue_enable_data_catalog'),
    configKeys: ['glue_enable_data_catalog'],
    configureKeys: ['enable_data_catalog'],
    default: true,
    help: 'Use the Glue Data Catalog as the Spark metastore.',
    mapsTo: 'job argument --enable-glue-datacatalog',
    scope: 'session',
  },
  request_origin: {
    name: 'request_origin',
    type: 'text',
    accepted: '1–128 letters, digits and . - _',
    schema: textSchema({
      max: 128,
      pattern: /^[.\-_A-Za-z0-9]+$/,
      patternProblem: 'contains a character other than letters, digits and . - _',
    }),
    env: ['request_origin'],
    configKeys: [],
    configureKeys: [],
    help: 'Identifies the client to Glue (default GluePySparkKernel or GlueSparkKernel).',
    mapsTo: 'CreateSession RequestOrigin',
    scope: 'session',
  },
  user_id: {
    name: 'user_id',
    type: 'text',
    accepted: 'a user id',
    schema: textSchema({ max: 1024 }),
    env: ['userId'],
    configKeys: [],
    configureKeys: [],
    help: 'Owner tag value when request_origin is GlueStudioNotebook (else from STS).',
    mapsTo: 'CreateSession Tags owner',
    scope: 'session',
  },
  backend: {
    name: 'backend',
    type: 'enum',
    accepted: 'glue or local',
    schema: enumSchema(BACKENDS),
    env: envNames('glue_backend'),
    configKeys: ['glue_backend'],
    configureKeys: [],
    default: 'glue',
    help: 'Where statements run: AWS Glue (or the emulator) or a local Python process.',
    mapsTo: 'kernel: session backend',
    scope: 'kernel',
  },
  python: {
    name: 'python',
    type: 'text',
    accepted: 'a Python executable name or path',
    schema: textSchema({ max: 4096 }),
    env: envNames('glue_python'),
    configKeys: ['glue_python'],
    configureKeys: [],
    help: 'Python of the local backend’s runner, used as is; unset: glue-kernel’s managed environment (DuckDB, pandas, matplotlib), created on first use.',
    mapsTo: 'kernel: local runner',
    scope: 'kernel',
  },
  local_engine: {
    name: 'local_engine',
    type: 'enum',
    accepted: 'auto, pyspark, duckdb or plain',
    schema: enumSchema(LOCAL_ENGINES),
    env: envNames('glue_local_engine'),
    configKeys: ['glue_local_engine'],
    configureKeys: [],
    default: 'auto',
    help: 'Engine of the local backend: auto picks PySpark, else DuckDB’s PySpark-compatible API, else plain Python.',
    mapsTo: 'kernel: local runner engine',
    scope: 'kernel',
  },
  engine_dir: {
    name: 'engine_dir',
    type: 'text',
    accepted: 'a directory path',
    schema: textSchema({ max: 4096 }),
    env: envNames('glue_engine_dir'),
    configKeys: ['glue_engine_dir'],
    configureKeys: [],
    help: 'Folder of the managed Python environment (default $XDG_DATA_HOME/glue-kernel/engine, else ~/.local/share/glue-kernel/engine).',
    mapsTo: 'kernel: managed runner environment',
    scope: 'kernel',
  },
  pip_index_url: {
    name: 'pip_index_url',
    type: 'URL',
    accepted: 'an http://, https:// or file:// URL',
    schema: textSchema({
      max: 4096,
      pattern: /^(https?|file):\/\/\S+$/,
      patternProblem: 'not an http://, https:// or file:// URL',
    }),
    env: envNames('glue_pip_index_url'),
    configKeys: ['glue_pip_index_url'],
    configureKeys: [],
    help: 'Package index pip uses (as --index-url) to build the managed environment; unset: pip’s own configuration.',
    mapsTo: 'kernel: managed runner environment',
    scope: 'kernel',
  },
  log_level: {
    name: 'log_level',
    type: 'enum',
    accepted: 'debug, info, warn or error',
    schema: enumSchema(LOG_LEVELS, { warning: 'warn' }),
    env: envNames('glue_log_level'),
    configKeys: ['glue_log_level'],
    configureKeys: [],
    default: 'warn',
    help: 'Verbosity of the kernel’s own log (on its stderr).',
    mapsTo: 'kernel: logging',
    scope: 'kernel',
  },
  dpu_hour_price: {
    name: 'dpu_hour_price',
    type: 'number',
    accepted: 'a price in US dollars per DPU-hour greater than 0, e.g. 0.44',
    schema: positiveNumberSchema(),
    env: envNames('glue_dpu_hour_price'),
    configKeys: ['glue_dpu_hour_price'],
    configureKeys: [],
    default: DEFAULT_DPU_HOUR_PRICE,
    help:
      'Price per DPU-hour for the cost estimate of %status and %stop_session (default: the published us-east-1 price ' +
      'of interactive sessions). An estimate only: your bill is what AWS charges.',
    mapsTo: 'kernel: cost estimate',
    scope: 'kernel',
  },
  sql_rows: {
    name: 'sql_rows',
    type: 'integer',
    accepted: 'a whole number of rows from 1 to 10000',
    schema: intSchema(1, 10_000),
    env: envNames('glue_sql_rows'),
    configKeys: ['glue_sql_rows'],
    configureKeys: [],
    default: 20,
    help: 'Rows %%sql and %display show when -n does not say.',
    mapsTo: 'kernel: %%sql and %display tables',
    scope: 'kernel',
  },
  api_rate: {
    name: 'api_rate',
    type: 'number',
    accepted: 'a number of calls per second from 0.5 to 100',
    schema: positiveNumberSchema().pipe(
      z.number().min(0.5, { error: 'must be at least 0.5' }).max(100, { error: 'must be at most 100' }),
    ),
    env: envNames('glue_api_rate'),
    configKeys: ['glue_api_rate'],
    configureKeys: [],
    default: 5,
    help: 'Most Glue API calls the kernel makes in any one second (polling, magics, retries); halved for a while when Glue throttles.',
    mapsTo: 'kernel: API-call budget',
    scope: 'kernel',
  },
};

/** Setting names in table order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export function isSettingName(name: string): name is SettingName {
  return Object.prototype.hasOwnProperty.call(SETTINGS, name);
}

export function settingDefinition<K extends SettingName>(name: K): SettingDefinition<K> {
  return SETTINGS[name] as SettingDefinition<K>;
}

// ---- parsing ------------------------------------------------------------------------------

export type CheckResult<T> = { ok: true; value: T } | { ok: false; issue: ConfigIssue };

/** Validates one raw value for `name`; `where` names its layer for the message. Never throws. */
export function checkSetting<K extends SettingName>(
  name: K,
  raw: unknown,
  where: string,
): CheckResult<SettingTypes[K]> {
  const def = settingDefinition(name);
  const r = def.schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const problem = r.error.issues[0]?.message ?? 'invalid value';
  return {
    ok: false,
    issue: { setting: name, where, value: showValue(raw), problem, accepted: def.accepted },
  };
}

/** Validates one raw value for `name`, or throws a ConfigError naming `where`. */
export function parseSetting<K extends SettingName>(name: K, raw: unknown, where: string): SettingTypes[K] {
  const r = checkSetting(name, raw, where);
  if (!r.ok) throw new ConfigError(r.issue);
  return r.value;
}

/** A parsed value as text, for display and for job arguments. */
export function formatSettingValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
