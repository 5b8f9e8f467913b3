// Errors for people: a ConfigError says which setting, where the value came from (the layer:
// "environment variable glue_number_of_workers", "~/.aws/config [profile dev] key glue_worker_type",
// "%number_of_workers", "%%configure key number_of_workers"), what was wrong and what is accepted.

/** One problem with one value. */
export interface ConfigIssue {
  /** The setting (snake_case name) or %%configure key concerned, when there is one. */
  readonly setting?: string;
  /** Where the value came from, in words: "environment variable glue_region", "%region", … */
  readonly where: string;
  /** The offending value as the user wrote it (shortened for display), when there is one. */
  readonly value?: string;
  /** What is wrong, as a sentence fragment without a trailing period. */
  readonly problem: string;
  /** What would have been accepted, e.g. "a whole number from 1 to 2147483647". */
  readonly accepted?: string;
}

const MAX_SHOWN_VALUE = 80;

/** A value for display in a message: JSON-quoted strings, shortened when long. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 1)}…` : text;
}

export function formatIssue(issue: ConfigIssue): string {
  // "Invalid <setting> <value> from <where>: <problem>" when there is a value to show,
  // else "<where>: <problem>" (the where already names the key).
  const head =
    issue.value !== undefined
      ? `Invalid ${issue.setting ? `${issue.setting} ` : ''}${issue.value} from ${issue.where}: ${issue.problem}`
      : `${issue.where}: ${issue.problem}`;
  const ended = /[.?!]$/.test(head) ? head : `${head}.`;
  return issue.accepted ? `${ended} Accepted: ${issue.accepted.replace(/\.$/, '')}.` : ended;
}

/** A configuration problem: one or more issues, plus an optional hint about what to do next. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  readonly hint?: string;

  constructor(
    issues: ConfigIssue | readonly ConfigIssue[],
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const list: readonly ConfigIssue[] = Array.isArray(issues) ? issues : [issues as ConfigIssue];
    const lines = list.map(formatIssue);
    const body =
      lines.length === 1 ? lines[0] : `${lines.length} configuration problems:\n- ${lines.join('\n- ')}`;
    super(
      options.hint ? `${body}\n${options.hint}` : body,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.issues = list;
    if (options.hint !== undefined) this.hint = options.hint;
  }

  /** The setting of the first issue (most errors have exactly one). */
  get setting(): string | undefined {
    return this.issues[0]?.setting;
  }

  /** Where the first issue's value came from. */
  get where(): string | undefined {
    return this.issues[0]?.where;
  }
}
