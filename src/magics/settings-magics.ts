// The session-setting magics of the reference kernel (%region, %iam_role, %number_of_workers,
// …), generated from one table: each names its setting in src/config, whose schema validates
// the argument and whose help text documents it.
import {
  checkSetting,
  describeSource,
  formatIssue,
  formatSettingValue,
  SETTINGS,
  WORKER_TYPES,
  type SettingName,
  type SettingTypes,
} from '../config';
import { noArguments, optionalArgument, requiredArgument, stripQuotes } from './args';
import { markdownText } from './markdown';
import { defineMagic, MagicUsageError, type AnyMagic, type MagicContext } from './types';

/** Settings only the local backend reads. */
const LOCAL_ONLY: ReadonlySet<SettingName> = new Set(['python', 'local_engine']);

/** Whether %settings shows `key` on this backend: the local backend has no session or AWS client. */
function appliesTo(key: SettingName, backend: 'local' | 'glue'): boolean {
  if (backend === 'glue') return !LOCAL_ONLY.has(key);
  return SETTINGS[key].scope === 'kernel' && key !== 'dpu_hour_price';
}

const COMMON_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'sa-east-1',
];

interface SettingMagic {
  magic: string;
  setting: SettingName;
  label: string;
  argument: string;
  completions?: readonly string[];
}

const SETTING_MAGICS: SettingMagic[] = [
  { magic: 'profile', setting: 'profile', label: 'profile', argument: '<profile-name>' },
  {
    magic: 'region',
    setting: 'region',
    label: 'region',
    argument: '<aws-region>',
    completions: COMMON_REGIONS,
  },
  { magic: 'endpoint', setting: 'endpoint_url', label: 'endpoint', argument: '<https://endpoint-url>' },
  { magic: 'iam_role', setting: 'iam_role', label: 'IAM role ARN', argument: '<role-arn>' },
  { magic: 'idle_timeout', setting: 'idle_timeout', label: 'idle timeout', argument: '<minutes>' },
  { magic: 'timeout', setting: 'timeout', label: 'session timeout', argument: '<minutes>' },
  {
    magic: 'session_id_prefix',
    setting: 'session_id_prefix',
    label: 'session id prefix',
    argument: '<prefix>',
  },
  {
    magic: 'glue_version',
    setting: 'glue_version',
    label: 'Glue version',
    argument: '<version>',
    completions: ['5.0', '4.0', '3.0'],
  },
  {
    magic: 'number_of_workers',
    setting: 'number_of_workers',
    label: 'number of workers',
    argument: '<count>',
  },
  {
    magic: 'worker_type',
    setting: 'worker_type',
    label: 'worker type',
    argument: '<type>',
    completions: WORKER_TYPES,
  },
  { magic: 'max_capacity', setting: 'max_capacity', label: 'max capacity', argument: '<dpus>' },
  {
    magic: 'security_config',
    setting: 'security_config',
    label: 'security configuration',
    argument: '<name>',
  },
  { magic: 'connections', setting: 'connections', label: 'connections', argument: '<name>[,<name>…]' },
  {
    magic: 'extra_py_files',
    setting: 'extra_py_files',
    label: 'extra Python files',
    argument: '<s3-path>[,<s3-path>…]',
  },
  { magic: 'extra_jars', setting: 'extra_jars', label: 'extra jars', argument: '<s3-path>[,<s3-path>…]' },
  {
    magic: 'additional_python_modules',
    setting: 'additional_python_modules',
    label: 'additional Python modules',
    argument: '<module>[,<module>…]',
  },
  {
    magic: 'session_type',
    setting: 'session_type',
    label: 'session type',
    argument: '<session-type>',
    completions: ['etl', 'streaming', 'glueetl', 'gluestreaming'],
  },
];

/** Warns when a setting changes while a session runs: it applies to the next session. */
export function warnIfSessionRunning(ctx: MagicContext): void {
  if (ctx.backend.name !== 'glue' || !ctx.backend.hasSession()) return;
  const id = ctx.backend.sessions?.sessionId;
  ctx.warn(
    `You are already connected to a session${id ? ` (${id})` : ''}. No change will be made to the current session; ` +
      'the new setting applies to the next session (run %stop_session to start one now).',
  );
}

function applySetting(
  ctx: MagicContext,
  setting: SettingName,
  raw: unknown,
  source: string,
  label: string,
): void {
  const value = ctx.settings.set(setting, raw, source);
  ctx.say(`Setting new ${label} to: ${formatSettingValue(value)}`);
  warnIfSessionRunning(ctx);
}

/** Validates a magic's argument at parse time, so a bad value later in a cell changes nothing. */
function checkedArgument<K extends SettingName>(
  setting: K,
  usage: string,
  label: string,
  source: string,
): (argText: string) => SettingTypes[K] {
  const required = requiredArgument(usage, label);
  return (argText) => {
    const checked = checkSetting(setting, required(argText), source);
    if (!checked.ok) throw new MagicUsageError(formatIssue(checked.issue), usage);
    return checked.value;
  };
}

function settingMagic(entry: SettingMagic): AnyMagic {
  const definition = SETTINGS[entry.setting];
  const usage = `%${entry.magic} ${entry.argument}`;
  return defineMagic<unknown>({
    name: entry.magic,
    kind: 'line',
    group: 'Session settings',
    usage,
    summary: `${definition.help} Accepts ${definition.accepted}.`,
    details:
      `Setting \`${entry.setting}\` → ${markdownText(definition.mapsTo)}.` +
      (definition.env.length ? ` Environment: \`${definition.env.join('`, `')}\`.` : '') +
      (definition.configKeys.length ? ` ~/.aws/config: \`${definition.configKeys.join('`, `')}\`.` : ''),
    parse: checkedArgument(entry.setting, usage, entry.label, `%${entry.magic}`),
    complete: entry.completions ? () => entry.completions ?? [] : undefined,
    run: (value, ctx) => applySetting(ctx, entry.setting, value, `%${entry.magic}`, entry.label),
  });
}

export const settingMagics: AnyMagic[] = [
  ...SETTING_MAGICS.map(settingMagic),
  defineMagic<string | undefined>({
    name: 'spark_conf',
    kind: 'line',
    group: 'Session settings',
    usage: '%spark_conf [<key>=<value> [--conf <key>=<value> …]]',
    summary: `${SETTINGS.spark_conf.help} Without an argument, shows the current Spark configuration.`,
    parse: (argText) => {
      const value = optionalArgument(argText);
      if (value === undefined) return undefined;
      const checked = checkSetting('spark_conf', value, '%spark_conf');
      if (!checked.ok) throw new MagicUsageError(formatIssue(checked.issue), '%spark_conf <key>=<value>');
      return checked.value;
    },
    async run(value, ctx) {
      if (value === undefined) {
        const current = (await ctx.resolveSettings()).values.spark_conf;
        ctx.say(current ? `Current Spark configuration: ${current}` : 'No Spark configuration set.');
        return;
      }
      applySetting(ctx, 'spark_conf', value, '%spark_conf', 'Spark configuration');
    },
  }),
  defineMagic<void>({
    name: 'streaming',
    kind: 'line',
    group: 'Session settings',
    usage: '%streaming',
    summary: 'The next session is a streaming session (Command.Name gluestreaming).',
    parse: noArguments('%streaming'),
    run: (_args, ctx) => applySetting(ctx, 'session_type', 'streaming', '%streaming', 'session type'),
  }),
  defineMagic<void>({
    name: 'etl',
    kind: 'line',
    group: 'Session settings',
    usage: '%etl',
    summary: 'The next session is an ETL (batch) session (Command.Name glueetl), the default.',
    parse: noArguments('%etl'),
    run: (_args, ctx) => applySetting(ctx, 'session_type', 'etl', '%etl', 'session type'),
  }),
  defineMagic<string | undefined>({
    name: 'settings',
    kind: 'line',
    group: 'Session settings',
    usage: '%settings [<name>]',
    summary:
      'Shows the settings of the backend in use that have a value, and the layer each comes from (magic, environment, ~/.aws/config, default); ' +
      'on Glue also the endpoint. With a name, that setting whatever the backend.',
    parse: (argText) => optionalArgument(argText),
    complete: () => Object.keys(SETTINGS),
    async run(name, ctx) {
      const resolved = await ctx.resolveSettings();
      const wanted = name === undefined ? undefined : stripQuotes(name);
      const rows = Object.entries(resolved.values)
        .filter(
          ([key, value]) =>
            value !== undefined &&
            (wanted === undefined ? appliesTo(key as SettingName, ctx.backend.name) : key === wanted),
        )
        .map(([key, value]) => {
          const source = resolved.sources[key as SettingName];
          return `${key.padEnd(26)} ${formatSettingValue(value)}${source ? `   (${describeSource(source)})` : ''}`;
        });
      // Where Glue calls go is worth saying also when nothing sets it.
      if (ctx.backend.name === 'glue' && resolved.values.endpoint_url === undefined && wanted === undefined) {
        const region = resolved.values.region;
        rows.push(
          `${'endpoint_url'.padEnd(26)} ${region ? `https://glue.${region}.amazonaws.com` : 'AWS'}   (AWS, from the region: nothing sets an endpoint)`,
        );
      }
      ctx.say(rows.length ? rows.join('\n') : name ? `${name} is not set.` : 'No settings.');
    },
  }),
];
