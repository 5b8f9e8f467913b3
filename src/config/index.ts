// The configuration module's public API: one schema for every setting, layered resolution,
// %%configure / %%tags / %%assume_role parsing, and the CreateSession request.
import { SETTINGS, SETTING_NAMES, formatSettingValue, type SettingName, type SettingScope } from './settings';

export { ConfigError, formatIssue, type ConfigIssue } from './errors';
export {
  parsePythonLiteral,
  LiteralSyntaxError,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LENGTH,
  type LiteralValue,
  type LiteralObject,
  type LiteralParseOptions,
} from './python-literal';
export {
  SETTINGS,
  SETTING_NAMES,
  WORKER_TYPES,
  SESSION_TYPES,
  BACKENDS,
  LOG_LEVELS,
  isSettingName,
  settingDefinition,
  checkSetting,
  parseSetting,
  normaliseList,
  parseTagMap,
  formatSettingValue,
  type SettingName,
  type SettingTypes,
  type SettingValues,
  type SettingDefinition,
  type SettingScope,
  type DefaultedSettingName,
  type WorkerType,
  type SessionType,
  type Backend,
  type LogLevel,
  type CheckResult,
} from './settings';
export {
  SettingsStore,
  resolveSettings,
  describeResolved,
  describeSource,
  loadConfigFile,
  readEnvironment,
  DEFAULT_PROFILE,
  type Env,
  type ConfigFileSections,
  type Layer,
  type SettingSource,
  type ResolvedSettings,
  type Overrides,
  type OverrideEntry,
} from './layers';
export {
  parseConfigureCell,
  parseTagsCell,
  parseAssumeRoleCell,
  summarizeConfigureChanges,
  suggestKey,
  CONFIGURE_KEYS,
  type ConfigureChange,
  type AssumeRoleInput,
} from './configure';
export {
  buildCreateSessionRequest,
  sessionIdFor,
  ownerTagValue,
  CAPACITY_CONFLICT,
  DEFAULT_REQUEST_ORIGIN,
  type CreateSessionFields,
  type CreateSessionInput,
  type KernelKind,
} from './create-session';

/** One row of the settings reference (README / docs are generated from these). */
export interface SettingReferenceRow {
  name: SettingName;
  /** "integer", "enum", "list", … */
  type: string;
  /** Accepted values, in words (enums list every value). */
  accepted: string;
  /** Environment variables, highest priority first. */
  env: readonly string[];
  /** Keys in the profile's ~/.aws/config section, highest priority first. */
  configKeys: readonly string[];
  /** Keys accepted in %%configure. */
  configureKeys: readonly string[];
  /** The default as text, or undefined when there is none. */
  default: string | undefined;
  help: string;
  mapsTo: string;
  scope: SettingScope;
}

/** The settings table as plain rows, in table order. */
export function settingsReference(): SettingReferenceRow[] {
  return SETTING_NAMES.map((name) => {
    const d = SETTINGS[name];
    return {
      name,
      type: d.type,
      accepted: d.accepted,
      env: [...d.env],
      configKeys: [...d.configKeys],
      configureKeys: [...d.configureKeys],
      default: d.default === undefined ? undefined : formatSettingValue(d.default),
      help: d.help,
      mapsTo: d.mapsTo,
      scope: d.scope,
    };
  });
}
