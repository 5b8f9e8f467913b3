// %%configure, %%tags and %%assume_role bodies → validated values, before any session exists.
// The result of %%configure is a list of changes the caller applies at once (SettingsStore.apply):
// a body with any problem changes nothing.
//
// Unlike the reference kernel:
// - an unknown key is an error that suggests the nearest known key; it never becomes a
//   job argument (the reference turned extra_py_files into the invalid --extra_py_files);
// - only keys that start with "--" pass through as job arguments;
// - JSON (true/false/null) is accepted as well as Python literals.
import { ConfigError, showValue, type ConfigIssue } from './errors';
import { parsePythonLiteral, LiteralSyntaxError, type LiteralValue } from './python-literal';
import {
  CONTROL_FREE,
  SETTINGS,
  SETTING_NAMES,
  checkSetting,
  describeType,
  parseTagMap,
  type SettingName,
  type SettingTypes,
} from './settings';

export type ConfigureChange =
  | { [K in SettingName]: { kind: 'set'; setting: K; key: string; value: SettingTypes[K] } }[SettingName]
  | { kind: 'unset'; setting: SettingName; key: string }
  | { kind: 'job_argument'; key: string; value: string };

/** %%configure key → setting, built from the table. */
export const CONFIGURE_KEYS: ReadonlyMap<string, SettingName> = new Map(
  SETTING_NAMES.flatMap((name) => SETTINGS[name].configureKeys.map((key) => [key, name] as const)),
);

/** Where a %%configure value came from, in the words error messages and sources use. */
export function configureOrigin(key: string): string {
  return `%%configure key ${JSON.stringify(key)}`;
}

// ---- job arguments ----------------------------------------------------------------------------

export const JOB_ARGUMENT_KEY = /^--[.\-_A-Za-z0-9]+$/;
export const JOB_ARGUMENT_KEY_MAX = 128;
export const JOB_ARGUMENT_VALUE_MAX = 4096;
/** DefaultArguments holds at most 75 entries (OrchestrationArgumentsMap in the service model). */
export const JOB_ARGUMENTS_MAX = 75;

/** Checks a job argument (DefaultArguments entry) key and text value; returns the problem or undefined. */
export function jobArgumentProblem(key: string, value: string): string | undefined {
  if (!JOB_ARGUMENT_KEY.test(key)) {
    return 'a job argument name must be -- followed by letters, digits, ".", "-" or "_"';
  }
  if (key.length > JOB_ARGUMENT_KEY_MAX)
    return `a job argument name may be at most ${JOB_ARGUMENT_KEY_MAX} characters long`;
  if (value.length > JOB_ARGUMENT_VALUE_MAX)
    return `a job argument value may be at most ${JOB_ARGUMENT_VALUE_MAX} characters long`;
  if (!CONTROL_FREE.test(value))
    return 'a job argument value must not contain control characters (such as NUL) other than tab and line breaks';
  return undefined;
}

/** A %%configure value for a "--" key as text: booleans as "true"/"false". */
export function jobArgumentValue(value: LiteralValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return undefined;
}

// ---- suggestions ------------------------------------------------------------------------------

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The candidate nearest to `key` (ignoring case and -/_ differences), if it is near enough. */
export function suggestKey(key: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_').replace(/^_+/, '');
  const k = norm(key);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(k, norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

// ---- %%configure ------------------------------------------------------------------------------

const WHERE = '%%configure';
const EXAMPLE = '{"number_of_workers": 5, "worker_type": "G.1X", "--enable-spark-ui": "true"}';

/** Where a cell body starts in its cell, so that messages can name the cell's own lines. */
export interface BodyPosition {
  /** The 1-based cell line of the body's first line (default 1: lines of the body itself). */
  firstLine?: number;
}

/** The cell line of a 1-based body line. */
function cellLine(bodyLine: number, position: BodyPosition): number {
  return bodyLine + (position.firstLine ?? 1) - 1;
}

/** Parses a cell body as a literal, turning syntax errors into a ConfigError about `where`. */
function parseBody(
  body: string,
  where: string,
  example: string,
  position: BodyPosition,
  keyLines?: Map<string, number>,
): LiteralValue {
  try {
    return parsePythonLiteral(body, keyLines ? { keyLines } : {});
  } catch (e) {
    if (e instanceof LiteralSyntaxError) {
      const at = `line ${cellLine(e.line, position)}, column ${e.column}`;
      throw new ConfigError(
        {
          where,
          problem: `the body could not be parsed at ${at}: ${e.reason}${e.hint ? ` (${e.hint})` : ''}`,
        },
        { hint: `Write a JSON object or Python dict, e.g. ${example}`, cause: e },
      );
    }
    throw e;
  }
}

function isDict(v: LiteralValue): v is { [key: string]: LiteralValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses and validates a %%configure body. Returns the changes in body order; throws a
 * ConfigError listing every problem (unknown keys with suggestions, bad types) otherwise.
 * A value of None/null for a setting key clears that setting's magic-level override.
 */
export function parseConfigureCell(body: string, position: BodyPosition = {}): ConfigureChange[] {
  if (body.replace(/#[^\n]*/g, '').trim() === '') {
    throw new ConfigError(
      { where: WHERE, problem: 'No configuration values were provided' },
      { hint: `For example: ${EXAMPLE}` },
    );
  }
  const keyLines = new Map<string, number>();
  const parsed = parseBody(body, WHERE, EXAMPLE, position, keyLines);
  if (!isDict(parsed)) {
    throw new ConfigError(
      { where: WHERE, problem: `expected a dict of settings, got ${describeType(parsed)}` },
      { hint: `For example: ${EXAMPLE}` },
    );
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) {
    throw new ConfigError(
      { where: WHERE, problem: 'No configuration values were provided' },
      { hint: `For example: ${EXAMPLE}` },
    );
  }

  const changes: ConfigureChange[] = [];
  const issues: ConfigIssue[] = [];
  const seen = new Map<SettingName, string>();
  // Each issue names the cell line of its key, so a long body points at the line to fix.
  const located = (key: string): string => {
    const line = keyLines.get(key);
    return line === undefined
      ? configureOrigin(key)
      : `${configureOrigin(key)} (line ${cellLine(line, position)})`;
  };
  for (const [key, raw] of entries) {
    const where = located(key);
    if (key.startsWith('--')) {
      const value = jobArgumentValue(raw);
      if (value === undefined) {
        issues.push({
          setting: key,
          where,
          value: showValue(raw),
          problem: `a job argument value must be text, a number or a boolean, not ${describeType(raw)}`,
        });
        continue;
      }
      const problem = jobArgumentProblem(key, value);
      if (problem) issues.push({ setting: key, where, value: showValue(raw), problem });
      else changes.push({ kind: 'job_argument', key, value });
      continue;
    }
    const setting = CONFIGURE_KEYS.get(key);
    if (setting === undefined) {
      issues.push(unknownKeyIssue(key, where));
      continue;
    }
    const earlier = seen.get(setting);
    if (earlier !== undefined) {
      issues.push({
        setting,
        where,
        problem: `sets ${setting} again (already set by key ${JSON.stringify(earlier)})`,
      });
      continue;
    }
    seen.set(setting, key);
    if (raw === null) {
      changes.push({ kind: 'unset', setting, key });
      continue;
    }
    const r = checkSetting(setting, raw, where);
    if (r.ok) changes.push({ kind: 'set', setting, key, value: r.value } as ConfigureChange);
    else issues.push(r.issue);
  }
  const jobArguments = changes.filter((c) => c.kind === 'job_argument').length;
  if (jobArguments > JOB_ARGUMENTS_MAX) {
    issues.push({
      where: WHERE,
      problem: `${jobArguments} job arguments is too many (a session takes at most ${JOB_ARGUMENTS_MAX})`,
    });
  }
  const capacity = changes.find((c) => c.kind === 'set' && c.setting === 'max_capacity');
  const workers = changes.find(
    (c) => c.kind === 'set' && (c.setting === 'worker_type' || c.setting === 'number_of_workers'),
  );
  if (capacity && workers) {
    issues.push({
      setting: 'max_capacity',
      where: located(capacity.key),
      problem: `max_capacity cannot be set together with ${workers.key}: a session has either a number of DPUs or workers`,
    });
  }
  if (issues.length > 0) {
    throw new ConfigError(issues, { hint: 'Nothing was changed: fix the body and run the cell again.' });
  }
  return changes;
}

function unknownKeyIssue(key: string, where: string): ConfigIssue {
  if (/^-[^-]/.test(key) || /^[\u2013\u2014]/.test(key)) {
    return {
      setting: key,
      where,
      problem: `unknown key; job arguments start with two hyphens, e.g. --${key.replace(/^[-\u2013\u2014]+/, '')}`,
    };
  }
  const suggestion = suggestKey(key, CONFIGURE_KEYS.keys());
  if (suggestion !== undefined) {
    return { setting: key, where, problem: `unknown key; did you mean ${JSON.stringify(suggestion)}?` };
  }
  return {
    setting: key,
    where,
    problem: 'unknown key',
    accepted: `one of ${[...CONFIGURE_KEYS.keys()].join(', ')}, or a job argument starting with -- (e.g. "--enable-spark-ui")`,
  };
}

/**
 * The changes as a dict for "The following configurations have been updated: {…}", each value
 * with its type (120, not "120"; lists and dicts as such); job arguments are text, as sent.
 */
export function summarizeConfigureChanges(changes: readonly ConfigureChange[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of changes) {
    const value = c.kind === 'unset' ? null : c.value;
    Object.defineProperty(out, c.key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---- %%tags -----------------------------------------------------------------------------------

/** Parses a %%tags body: a dict of tag names to text values (names and values trimmed). */
export function parseTagsCell(body: string, position: BodyPosition = {}): Record<string, string> {
  const where = '%%tags';
  const example = '{"team": "data", "project": "churn"}';
  if (body.replace(/#[^\n]*/g, '').trim() === '') {
    throw new ConfigError({ where, problem: 'no tags were provided' }, { hint: `For example: ${example}` });
  }
  const parsed = parseBody(body, where, example, position);
  const r = parseTagMap(parsed);
  if ('problem' in r) {
    throw new ConfigError({ setting: 'tags', where, problem: r.problem, accepted: SETTINGS.tags.accepted });
  }
  if (Object.keys(r.tags).length === 0) {
    throw new ConfigError({ where, problem: 'no tags were provided' }, { hint: `For example: ${example}` });
  }
  return r.tags;
}

// ---- %%assume_role ----------------------------------------------------------------------------

export type AssumeRoleInput =
  | { kind: 'role'; roleArn: string }
  | { kind: 'credentials'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const CREDENTIAL_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

/**
 * Parses a %%assume_role body: a role ARN string, or a dict of temporary credentials
 * {aws_access_key_id, aws_secret_access_key, aws_session_token}. Messages never echo
 * credential values.
 */
export function parseAssumeRoleCell(body: string): AssumeRoleInput {
  const where = '%%assume_role';
  const example =
    '"arn:aws:iam::123456789012:role/GlueRole" or {"aws_access_key_id": "…", "aws_secret_access_key": "…", "aws_session_token": "…"}';
  if (body.replace(/#[^\n]*/g, '').trim() === '') {
    throw new ConfigError(
      { where, problem: 'no role or credentials were provided' },
      { hint: `Write ${example}` },
    );
  }
  let parsed: LiteralValue;
  try {
    // A bare ARN (no quotes) is what people type most; it is read as the string it is.
    const bare = body.replace(/#[^\n]*/g, '').trim();
    parsed = /^arn:[^\s'"]+$/.test(bare) ? bare : parsePythonLiteral(body);
  } catch (e) {
    // The body may hold a secret, unquoted or mistyped: the literal parser's message quotes
    // what it found, so only the position is reported, never the text or the cause.
    if (e instanceof LiteralSyntaxError) {
      throw new ConfigError(
        {
          where,
          problem: `the body could not be parsed at line ${e.line}, column ${e.column} (its text is not shown, as it may hold a secret)`,
        },
        { hint: `Write ${example}; quote each value.` },
      );
    }
    throw e;
  }
  if (typeof parsed === 'string') {
    const r = checkSetting('iam_role', parsed, where);
    if (!r.ok) {
      // The value is left out: a secret key pasted here must not be echoed.
      const { where: at, problem, accepted } = r.issue;
      throw new ConfigError({ setting: 'role ARN', where: at, problem, ...(accepted ? { accepted } : {}) });
    }
    return { kind: 'role', roleArn: r.value };
  }
  if (!isDict(parsed)) {
    throw new ConfigError(
      { where, problem: `expected a role ARN string or a dict of credentials, got ${describeType(parsed)}` },
      { hint: `Write ${example}` },
    );
  }
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(parsed)) {
    if (!(CREDENTIAL_KEYS as readonly string[]).includes(key)) {
      const s = suggestKey(key, CREDENTIAL_KEYS);
      issues.push({
        setting: key,
        where: `${where} key ${JSON.stringify(key)}`,
        problem: s
          ? `unknown key; did you mean ${JSON.stringify(s)}?`
          : `unknown key; expected ${CREDENTIAL_KEYS.join(', ')}`,
      });
    }
  }
  const text = (key: (typeof CREDENTIAL_KEYS)[number], required: boolean): string | undefined => {
    if (!Object.prototype.hasOwnProperty.call(parsed, key)) {
      if (required) issues.push({ setting: key, where, problem: `${key} is missing` });
      return undefined;
    }
    const v = parsed[key];
    if (typeof v !== 'string' || v.trim() === '') {
      issues.push({
        setting: key,
        where: `${where} key ${JSON.stringify(key)}`,
        problem: `must be non-empty text, not ${describeType(v)}`,
      });
      return undefined;
    }
    return v.trim();
  };
  const accessKeyId = text('aws_access_key_id', true);
  const secretAccessKey = text('aws_secret_access_key', true);
  const sessionToken = text('aws_session_token', false);
  if (issues.length > 0 || accessKeyId === undefined || secretAccessKey === undefined)
    throw new ConfigError(issues);
  return sessionToken === undefined
    ? { kind: 'credentials', accessKeyId, secretAccessKey }
    : { kind: 'credentials', accessKeyId, secretAccessKey, sessionToken };
}
