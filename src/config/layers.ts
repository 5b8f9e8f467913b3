// Layered resolution, highest first: overrides (magics and %%configure) > environment >
// ~/.aws/config (the section of the profile in use) > defaults. Tags merge across all
// layers (a higher layer wins per tag). Every layer's value is validated, and a bad value
// in any layer is an error that names the layer, the setting and what is accepted.
//
// Everything here is pure except loadConfigFile(), which reads the file at the edge.
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ConfigError, showValue, type ConfigIssue } from './errors';
import { JOB_ARGUMENTS_MAX, jobArgumentProblem, type ConfigureChange } from './configure';
import {
  SETTINGS,
  SETTING_NAMES,
  checkSetting,
  formatSettingValue,
  parseSetting,
  type SettingName,
  type SettingTypes,
  type SettingValues,
} from './settings';

/** Environment variables (process.env or a snapshot of it). */
export type Env = Readonly<Record<string, string | undefined>>;

/** ~/.aws/config as @smithy/shared-ini-file-loader returns it: "[profile dev]" → key "dev". */
export type ConfigFileSections = Readonly<
  Record<string, Readonly<Record<string, string | undefined>> | undefined>
>;

export type Layer = 'override' | 'environment' | 'config_file' | 'default';

export type SettingSource =
  | { readonly layer: 'override'; readonly origin: string }
  | { readonly layer: 'environment'; readonly variable: string }
  | { readonly layer: 'config_file'; readonly file: string; readonly profile: string; readonly key: string }
  | { readonly layer: 'default' };

export const DEFAULT_CONFIG_FILE_LABEL = '~/.aws/config';
export const DEFAULT_PROFILE = 'default';

/** The source in words: "environment variable glue_region", "~/.aws/config [profile dev] key glue_worker_type", "%region", "default". */
export function describeSource(source: SettingSource): string {
  switch (source.layer) {
    case 'override':
      return source.origin;
    case 'environment':
      return `environment variable ${source.variable}`;
    case 'config_file':
      return `${source.file} ${sectionLabel(source.profile)} key ${source.key}`;
    case 'default':
      return 'default';
  }
}

function sectionLabel(profile: string): string {
  return profile === DEFAULT_PROFILE ? '[default]' : `[profile ${profile}]`;
}

export interface ResolvedSettings {
  /** Every setting's value; defaulted settings are always present. */
  readonly values: SettingValues;
  /** Where each present value came from (for tags: the highest layer that contributed). */
  readonly sources: { readonly [K in SettingName]?: SettingSource };
  /** Where each tag came from. */
  readonly tagSources: Readonly<Record<string, SettingSource>>;
  /** The ~/.aws/config section that was read (the profile in use, else "default"). */
  readonly configProfile: string;
}

/** An override held by the store: the parsed value and where it was set ("%region", …). */
export interface OverrideEntry<T = unknown> {
  readonly value: T;
  readonly origin: string;
}

export type Overrides = { readonly [K in SettingName]?: OverrideEntry<SettingTypes[K]> };

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** A raw text value, or undefined when absent or blank (a blank variable counts as unset). */
function present(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Resolves every setting from the layers. Throws one ConfigError listing every invalid
 * value found in any layer.
 */
export function resolveSettings(
  overrides: Overrides,
  env: Env,
  configFile: ConfigFileSections,
): ResolvedSettings {
  const issues: ConfigIssue[] = [];
  const fileLabel = present(own(env, 'AWS_CONFIG_FILE')) ?? DEFAULT_CONFIG_FILE_LABEL;

  // The profile decides which config-file section the other settings come from.
  const envValue = (name: SettingName): { variable: string; raw: string } | undefined => {
    for (const variable of SETTINGS[name].env) {
      const raw = present(own(env, variable));
      if (raw !== undefined) return { variable, raw };
    }
    return undefined;
  };
  let profile: string | undefined = overrides.profile?.value;
  if (profile === undefined) {
    const e = envValue('profile');
    if (e !== undefined) {
      // An invalid value is reported by the loop below, with the other settings.
      const r = checkSetting('profile', e.raw, `environment variable ${e.variable}`);
      if (r.ok) profile = r.value;
    }
  }
  const configProfile = profile ?? DEFAULT_PROFILE;
  const section = own(configFile, configProfile);

  const values: Record<string, unknown> = {};
  const sources: Partial<Record<SettingName, SettingSource>> = {};
  const tagSources: Record<string, SettingSource> = {};
  const mergedTags: Record<string, string> = {};

  for (const name of SETTING_NAMES) {
    const def = SETTINGS[name];
    // Highest first: each candidate is a parsed value and its source.
    const candidates: { value: unknown; source: SettingSource }[] = [];
    const override = overrides[name] as OverrideEntry | undefined;
    if (override !== undefined)
      candidates.push({ value: override.value, source: { layer: 'override', origin: override.origin } });

    const e = envValue(name);
    if (e !== undefined) {
      const source: SettingSource = { layer: 'environment', variable: e.variable };
      const r = checkSetting(name, e.raw, describeSource(source));
      if (r.ok) candidates.push({ value: r.value, source });
      else issues.push(r.issue);
    }

    for (const key of def.configKeys) {
      const raw = present(own(section, key));
      if (raw === undefined) continue;
      const source: SettingSource = { layer: 'config_file', file: fileLabel, profile: configProfile, key };
      const r = checkSetting(name, raw, describeSource(source));
      if (r.ok) candidates.push({ value: r.value, source });
      else issues.push(r.issue);
      break;
    }

    if (def.default !== undefined) candidates.push({ value: def.default, source: { layer: 'default' } });

    if (name === 'tags') {
      // Lowest layer first, so that higher layers overwrite per tag.
      for (const c of [...candidates].reverse()) {
        for (const [k, v] of Object.entries(c.value as Record<string, string>)) {
          setOwn(mergedTags, k, v);
          setOwn(tagSources, k, c.source);
        }
      }
      values.tags = mergedTags;
      sources.tags = candidates[0]?.source ?? { layer: 'default' };
      continue;
    }
    const chosen = candidates[0];
    if (chosen !== undefined) {
      values[name] = chosen.value;
      sources[name] = chosen.source;
    }
  }

  if (issues.length > 0) {
    throw new ConfigError(issues, {
      hint: 'Fix or unset the value where it is set: every layer is checked, even one a higher layer overrides.',
    });
  }
  return {
    values: values as SettingValues,
    sources,
    tagSources,
    configProfile,
  };
}

/** Display rows: each setting that has a value, with its value as text and its source. */
export function describeResolved(resolved: ResolvedSettings): string {
  const rows: [string, string, string][] = [];
  for (const name of SETTING_NAMES) {
    const value = resolved.values[name];
    const source = resolved.sources[name];
    if (value === undefined || source === undefined) continue;
    if (name === 'tags') {
      const tags = value as Record<string, string>;
      const keys = Object.keys(tags);
      if (keys.length === 0) {
        rows.push([name, '{}', 'default']);
        continue;
      }
      for (const k of keys) {
        const tagSource = resolved.tagSources[k];
        rows.push([`tags.${k}`, tags[k], tagSource ? describeSource(tagSource) : '']);
      }
      continue;
    }
    rows.push([name, formatSettingValue(value), describeSource(source)]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.min(60, Math.max(...rows.map((r) => r[1].length)));
  return rows.map(([n, v, s]) => `${n.padEnd(w0)}  ${v.padEnd(w1)}  (${s})`).join('\n');
}

// ---- the store --------------------------------------------------------------------------------

/**
 * The override layer: values set by magics and %%configure, plus the job arguments
 * %%configure passes through. Every value is validated when it is set.
 */
export class SettingsStore {
  private readonly overrides = new Map<SettingName, OverrideEntry>();
  private readonly jobArgs = new Map<string, OverrideEntry<string>>();

  /**
   * Validates `rawValue` (text from a line magic, or a value from a %%configure body) and
   * stores it. `source` names where it came from ("%number_of_workers"). Tags merge into
   * the tags already set. Returns the parsed value; throws ConfigError.
   */
  set<K extends SettingName>(name: K, rawValue: unknown, source: string): SettingTypes[K] {
    if (!Object.prototype.hasOwnProperty.call(SETTINGS, name)) {
      throw new ConfigError({ setting: String(name), where: source, problem: 'unknown setting' });
    }
    const value = parseSetting(name, rawValue, source);
    this.checkCapacity(new Set([...this.overrides.keys(), name]), source);
    this.commit(name, value, source);
    return value;
  }

  /** Removes the override; the lower layers apply again. Returns whether one was set. */
  unset(name: SettingName): boolean {
    return this.overrides.delete(name);
  }

  /** The override for `name`, if any (not the resolved value). */
  get<K extends SettingName>(name: K): OverrideEntry<SettingTypes[K]> | undefined {
    return this.overrides.get(name) as OverrideEntry<SettingTypes[K]> | undefined;
  }

  /** Sets a job argument (DefaultArguments entry); the key must start with "--". */
  setJobArgument(key: string, value: string, source: string): void {
    const problem = jobArgumentProblem(key, value);
    if (problem) throw new ConfigError({ setting: key, where: source, value: showValue(value), problem });
    this.jobArgs.set(key, { value, origin: source });
  }

  unsetJobArgument(key: string): boolean {
    return this.jobArgs.delete(key);
  }

  /** Job arguments from %%configure, in the order they were first set. */
  jobArguments(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.jobArgs) setOwn(out, k, v.value);
    return out;
  }

  /**
   * Applies the changes parseConfigureCell returned, all of them or none: the values are
   * already validated, so this cannot fail half-way.
   */
  apply(changes: readonly ConfigureChange[]): void {
    // Re-check up front (cheap, and the changes may not come from parseConfigureCell).
    const checked = changes.map((c) => {
      if (c.kind === 'job_argument') {
        const problem = jobArgumentProblem(c.key, c.value);
        if (problem)
          throw new ConfigError({ setting: c.key, where: '%%configure', value: showValue(c.value), problem });
        return c;
      }
      if (c.kind === 'unset') return c;
      return {
        ...c,
        value: parseSetting(c.setting, c.value, `%%configure key ${JSON.stringify(c.key)}`),
      } as ConfigureChange;
    });
    const names = new Set(this.overrides.keys());
    const jobKeys = new Set(this.jobArgs.keys());
    for (const c of checked) {
      if (c.kind === 'job_argument') jobKeys.add(c.key);
      else if (c.kind === 'unset') names.delete(c.setting);
      else names.add(c.setting);
    }
    this.checkCapacity(names, '%%configure');
    if (jobKeys.size > JOB_ARGUMENTS_MAX) {
      throw new ConfigError({
        where: '%%configure',
        problem: `${jobKeys.size} job arguments in all is too many (a session takes at most ${JOB_ARGUMENTS_MAX})`,
      });
    }
    for (const c of checked) {
      const origin = `%%configure key ${JSON.stringify(c.key)}`;
      if (c.kind === 'job_argument') this.jobArgs.set(c.key, { value: c.value, origin });
      else if (c.kind === 'unset') this.overrides.delete(c.setting);
      else this.commit(c.setting, c.value, origin);
    }
  }

  /** Forgets every override and job argument. */
  clear(): void {
    this.overrides.clear();
    this.jobArgs.clear();
  }

  /** The override layer as resolveSettings takes it. */
  snapshot(): Overrides {
    const out: Record<string, OverrideEntry> = {};
    for (const [k, v] of this.overrides) out[k] = v;
    return out as Overrides;
  }

  resolve(env: Env, configFile: ConfigFileSections): ResolvedSettings {
    return resolveSettings(this.snapshot(), env, configFile);
  }

  /** Every setting that has a value, with where it came from, one per line. */
  describe(env: Env, configFile: ConfigFileSections): string {
    return describeResolved(this.resolve(env, configFile));
  }

  /**
   * A session has either a number of DPUs (max_capacity) or workers, never both: refuse an
   * override that would hold both, naming the one already set and how to clear it.
   */
  private checkCapacity(names: ReadonlySet<SettingName>, source: string): void {
    if (!names.has('max_capacity')) return;
    const worker = (['worker_type', 'number_of_workers'] as const).find((n) => names.has(n));
    if (worker === undefined) return;
    const earlier = this.overrides.get('max_capacity') ? 'max_capacity' : worker;
    const setBy = this.overrides.get(earlier)?.origin;
    throw new ConfigError(
      {
        setting: 'max_capacity',
        where: source,
        problem: `max_capacity cannot be set together with ${worker}${setBy ? ` (${earlier} was set by ${setBy})` : ''}: a session has either a number of DPUs or workers`,
      },
      {
        hint: `Nothing was changed. To switch, clear the other first: %%configure ${earlier === 'max_capacity' ? '{"max_capacity": None}' : '{"worker_type": None, "number_of_workers": None}'}`,
      },
    );
  }

  private commit(name: SettingName, value: unknown, origin: string): void {
    if (name === 'tags') {
      const previous = (this.overrides.get('tags')?.value ?? {}) as Record<string, string>;
      const merged: Record<string, string> = { ...previous };
      for (const [k, v] of Object.entries(value as Record<string, string>)) setOwn(merged, k, v);
      value = merged;
    }
    this.overrides.set(name, { value, origin });
  }
}

// ---- the edges --------------------------------------------------------------------------------

/**
 * Reads ~/.aws/config (or AWS_CONFIG_FILE) fresh each time, so edits and %profile changes
 * are seen. A missing file gives no sections.
 */
export async function loadConfigFile(init: { configFilepath?: string } = {}): Promise<ConfigFileSections> {
  const { configFile } = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  return configFile;
}

/** A copy of just the environment variables the settings read (plus AWS_CONFIG_FILE). */
export function readEnvironment(env: Env = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Set<string>(['AWS_CONFIG_FILE']);
  for (const name of SETTING_NAMES) for (const v of SETTINGS[name].env) names.add(v);
  for (const n of names) {
    const v = own(env, n);
    if (typeof v === 'string') out[n] = v;
  }
  return out;
}
