// Magics that act on sessions or take a cell body: %session_id, %list_sessions, %reconnect,
// %delete_session, %statement, %%configure, %%tags and %%assume_role.
import {
  ConfigError,
  parseAssumeRoleCell,
  parseConfigureCell,
  parseTagsCell,
  summarizeConfigureChanges,
  type AssumeRoleInput,
  type ConfigureChange,
} from '../config';
import type { SessionOperations } from '../session/backend';
import { SESSIONS_HEADER, sessionsRows, sessionsTable } from '../session/sessions-table';
import { cellArguments, noArguments, requiredArgument, stripQuotes } from './args';
import { warnIfSessionRunning } from './settings-magics';
import { defineMagic, MagicFailure, MagicUsageError, type AnyMagic, type MagicContext } from './types';

function remote(ctx: MagicContext, magic: string): SessionOperations {
  const sessions = ctx.backend.sessions;
  if (!sessions) {
    throw new MagicFailure(
      `${magic} works with Glue sessions; this kernel runs on the ${ctx.backend.name} backend (set glue_backend=glue to use AWS Glue or the emulator).`,
      'BackendError',
    );
  }
  return sessions;
}

/** Cell bodies are parsed by the strict parser in src/config; its errors become usage errors. */
function parseBody<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof Error && error.name === 'LiteralSyntaxError')) {
      // Messages about a body name the cell lines of its keys or of the syntax error.
      throw new MagicUsageError(error.message, usage, /\bline \d+\b/.test(error.message));
    }
    throw error;
  }
}

const CONFIGURE_USAGE =
  '%%configure [-f]\n{"number_of_workers": 2, "worker_type": "G.1X", "--enable-spark-ui": "true"}';
const TAGS_USAGE = '%%tags\n{"team": "data", "cost-center": "1234"}';
const ASSUME_ROLE_USAGE = '%%assume_role\n"arn:aws:iam::123456789012:role/MyRole"';
const FORCE_OPTIONS = ['-f', '--force'];

interface ConfigureArgs {
  changes: ConfigureChange[];
  /** -f: stop the current session so that the next one gets the new configuration. */
  force: boolean;
}

export const sessionMagics: AnyMagic[] = [
  defineMagic<void>({
    name: 'session_id',
    kind: 'line',
    group: 'Sessions',
    usage: '%session_id',
    summary:
      'Shows the id of the current session. To choose the id of the next session, use %%configure {"session_id": …}.',
    parse: noArguments('%session_id'),
    run(_args, ctx) {
      const id = ctx.backend.sessions?.sessionId;
      ctx.say(
        id && ctx.backend.hasSession() ? `Current active Session ID: ${id}` : 'There is no current session.',
      );
    },
  }),
  defineMagic<void>({
    name: 'list_sessions',
    kind: 'line',
    group: 'Sessions',
    usage: '%list_sessions',
    summary:
      'Lists every session in the account and region (all pages), as glue-kernel sessions list does: status, ' +
      'Glue version, capacity, idle timeout, creation time and age; * marks this kernel’s session.',
    parse: noArguments('%list_sessions'),
    async run(_args, ctx) {
      const sessions = await remote(ctx, '%list_sessions').listSessions(ctx.signal);
      if (sessions.length === 0) {
        ctx.say('There are no sessions to list.');
        return;
      }
      const now = Date.now();
      const rows = sessionsRows(sessions, now, { markCurrent: true });
      ctx.sink.displayData({
        'text/plain': sessionsTable(sessions, now, { markCurrent: true }),
        'text/markdown':
          `| ${SESSIONS_HEADER.join(' | ')} |\n|${SESSIONS_HEADER.map(() => ' --- |').join('')}\n` +
          rows.map((r) => `| ${r.join(' | ')} |`).join('\n'),
      });
      ctx.say(
        `${sessions.length} session${sessions.length === 1 ? '' : 's'}${sessions.some((s) => s.current) ? " (* = this kernel's session)" : ''}.`,
      );
    },
  }),
  defineMagic<string>({
    name: 'reconnect',
    kind: 'line',
    group: 'Sessions',
    usage: '%reconnect <session-id>',
    summary:
      'Switches the kernel to an existing session (READY or PROVISIONING) without stopping the current one.',
    parse: requiredArgument('%reconnect <session-id>', 'session id'),
    async run(id, ctx) {
      await remote(ctx, '%reconnect').reconnect(id, ctx.notify, ctx.signal);
    },
  }),
  defineMagic<number>({
    name: 'statement',
    kind: 'line',
    group: 'Sessions',
    usage: '%statement <statement-id>',
    summary:
      'Shows the output of a statement of the current session, as its cell would have (e.g. one a cell gave up waiting for); says so when it is still running.',
    parse: (argText) => {
      const text = requiredArgument('%statement <statement-id>', 'statement id')(argText);
      if (!/^\d{1,9}$/.test(text))
        throw new MagicUsageError(
          `"${text}" is not a statement id: give the whole number a cell or message named (e.g. %statement 3).`,
          '%statement <statement-id>',
        );
      return Number(text);
    },
    async run(id, ctx) {
      ctx.showStatementResult(await remote(ctx, '%statement').statement(id, ctx.signal));
    },
  }),
  defineMagic<string | undefined>({
    name: 'delete_session',
    kind: 'line',
    group: 'Sessions',
    usage: '%delete_session [<session-id>]',
    summary:
      'Deletes a session (the current one when no id is given); a deleted session cannot be reconnected.',
    parse: (argText) => stripQuotes(argText) || undefined,
    async run(id, ctx) {
      await remote(ctx, '%delete_session').deleteSession(id, ctx.notify, ctx.signal);
    },
  }),
  defineMagic<ConfigureArgs>({
    name: 'configure',
    kind: 'cell',
    group: 'Session settings',
    usage: CONFIGURE_USAGE,
    summary:
      'Sets several settings at once from a JSON object or Python dict literal (True/None/single quotes work), ' +
      'below the magic or on its line. Known keys are validated before any session exists; keys starting with -- ' +
      'pass through as job arguments; a bad body changes nothing. With -f, stops the current session so the next ' +
      'code cell starts one with the new configuration.',
    details:
      'Keys: `profile`, `endpoint`, `region`, `iam_role`, `session_id`, `session_id_prefix`, `max_capacity`, ' +
      '`number_of_workers`, `worker_type`, `connections`, `glue_version`, `security_config`, `idle_timeout`, ' +
      '`timeout`, `tags`, `extra_py_files`, `extra_jars`, `additional_python_modules`, `spark_conf`, `session_type`, ' +
      '`enable_data_catalog`, and any `--job-argument`. A value of `None` clears a setting. ' +
      'Without `-f`, a change made while a session runs applies to the next session; `-f` (or `--force`) stops ' +
      'the current session first (its variables are lost), as sparkmagic does.',
    parse: (argText, body, position) => {
      const cell = cellArguments(argText, body, CONFIGURE_USAGE, FORCE_OPTIONS, position);
      const changes = parseBody(
        () => parseConfigureCell(cell.body, { firstLine: cell.firstLine }),
        CONFIGURE_USAGE,
      );
      return { changes, force: cell.options.size > 0 };
    },
    async run({ changes, force }, ctx) {
      ctx.settings.apply(changes);
      ctx.say(
        `The following configurations have been updated: ${JSON.stringify(summarizeConfigureChanges(changes))}`,
      );
      if (!force || !ctx.backend.hasSession()) {
        warnIfSessionRunning(ctx);
        return;
      }
      const id = ctx.backend.sessions?.sessionId;
      await ctx.backend.stopSession(ctx.notify);
      ctx.say(
        `Stopped the current session${id ? ` (${id})` : ''} (-f): the next code cell starts a new session with this configuration.`,
      );
    },
  }),
  defineMagic<Record<string, string>>({
    name: 'tags',
    kind: 'cell',
    group: 'Session settings',
    usage: TAGS_USAGE,
    summary:
      'Adds tags (a JSON object or Python dict of strings): to the current session now, and to every new session.',
    parse: (argText, body, position) => {
      const cell = cellArguments(argText, body, TAGS_USAGE, [], position);
      return parseBody(() => parseTagsCell(cell.body, { firstLine: cell.firstLine }), TAGS_USAGE);
    },
    async run(tags, ctx) {
      ctx.settings.set('tags', tags, '%%tags');
      const tagged =
        ctx.backend.sessions && ctx.backend.hasSession()
          ? await ctx.backend.sessions.tagSession(tags, ctx.signal)
          : false;
      ctx.say(
        `Tag ${JSON.stringify(tags)} added${tagged ? ' to the current session and' : ''} for new sessions.`,
      );
    },
  }),
  defineMagic<AssumeRoleInput>({
    name: 'assume_role',
    kind: 'cell',
    group: 'Credentials',
    usage: ASSUME_ROLE_USAGE,
    summary:
      'Uses another role for every AWS call: a role ARN (assumed through STS with your current credentials, refreshed ' +
      'automatically) or a dict of temporary credentials {aws_access_key_id, aws_secret_access_key, aws_session_token}.',
    parse: (argText, body, position) => {
      const cell = cellArguments(argText, body, ASSUME_ROLE_USAGE, [], position);
      return parseBody(() => parseAssumeRoleCell(cell.body), ASSUME_ROLE_USAGE);
    },
    async run(input, ctx) {
      const identity = await remote(ctx, '%%assume_role').setAssumeRole(input, ctx.signal);
      ctx.say(
        `Role assumed successfully${identity ? `: now calling AWS as ${identity.arn}` : ''}. New sessions use these credentials.`,
      );
    },
  }),
];
