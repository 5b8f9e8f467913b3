// The current session's description and tags: %status reads them (GetSession, GetTags), and
// %%tags adds tags to it (TagResource). Both need the session's ARN, from the caller's account.
import { localTime, minutesText } from '../../text/time';
import type { Session } from '@aws-sdk/client-glue';
import type { SessionSummary, SessionUsage } from '../backend';
import { usageRows } from '../usage';
import { awsErrorCode, getSession } from './aws-call';
import type { ActiveSession, GlueContext } from './context';
import { sessionArn } from './identity';
import { isAbortError } from './poll';
import { describeEndpoint } from './endpoint-kind';
import { commandLabel } from './session-start';

/** %%tags with a session: TagResource on it. False when there is no session (the tags apply at creation). */
export async function tagSession(
  ctx: GlueContext,
  tags: Record<string, string>,
  signal: AbortSignal,
): Promise<boolean> {
  const session = ctx.current();
  if (!session || Object.keys(tags).length === 0) return false;
  const arn = await arnFor(ctx, session, signal);
  await ctx.call(
    session.clients,
    'TagResource',
    `Tagging session ${session.id}`,
    () =>
      session.clients.glue.send(
        new session.clients.sdk.glue.TagResourceCommand({ ResourceArn: arn, TagsToAdd: tags }),
        { abortSignal: signal },
      ),
    signal,
  );
  return true;
}

/** %status: the current session as Glue describes it, with what was asked for at creation. */
export async function describe(ctx: GlueContext, signal: AbortSignal): Promise<SessionSummary | undefined> {
  const session = ctx.current();
  if (!session) return undefined;
  const { clients } = session;
  const s = await getSession(ctx.call, clients, session.id, `Reading session ${session.id}`, signal);
  const rows: [string, string][] = [];
  const put = (label: string, value: unknown): void => {
    if (value === undefined || value === null || value === '') return;
    rows.push([label, value instanceof Date ? localTime(value) : String(value)]);
  };
  const minutes = (m: number | undefined): string | undefined =>
    m === undefined ? undefined : minutesText(m);
  put('Session ID', session.id);
  put('Status', s?.Status ?? 'NOT_FOUND');
  if (s?.ErrorMessage) put('Error', s.ErrorMessage);
  put('Role', s?.Role);
  put('CreatedOn', s?.CreatedOn);
  put('GlueVersion', s?.GlueVersion);
  put('Session Type', commandLabel(s?.Command?.Name));
  put('Idle Timeout', minutes(s?.IdleTimeout ?? session.requested?.IdleTimeout));
  put('Timeout', minutes(session.requested?.Timeout));
  if (s?.WorkerType || s?.NumberOfWorkers !== undefined) {
    put('Worker Type', s?.WorkerType);
    put('Number of Workers', s?.NumberOfWorkers);
  } else {
    put('Max Capacity', s?.MaxCapacity);
  }
  put('Region', clients.settings.region);
  put('Endpoint', describeEndpoint(clients.settings.endpoint));
  if (session.dashboardUrl) put('Spark UI', session.dashboardUrl);
  const usage = usageOf(session.id, s);
  if (usage) rows.push(...usageRows(usage, await ctx.dpuHourPrice()));
  put('Connections', (s?.Connections?.Connections ?? []).join(', ') || 'none');
  rows.push(['Tags', await describeTags(ctx, session, signal)]);
  const args = Object.entries(s?.DefaultArguments ?? {});
  put('Arguments Passed', args.length > 0 ? args.map(([k, v]) => `${k} ${v}`).join('\n') : 'none');
  return { rows, usage };
}

function usageOf(sessionId: string, s: Session | undefined): SessionUsage | undefined {
  if (s?.ExecutionTime === undefined && s?.DPUSeconds === undefined) return undefined;
  return { sessionId, executionSeconds: s.ExecutionTime, dpuSeconds: s.DPUSeconds };
}

/** The session's running time and DPU-seconds now, or undefined if GetSession fails. */
export async function readUsage(
  ctx: GlueContext,
  session: ActiveSession,
  signal: AbortSignal,
): Promise<SessionUsage | undefined> {
  try {
    const s = await getSession(
      ctx.call,
      session.clients,
      session.id,
      `Reading session ${session.id}`,
      signal,
    );
    return usageOf(session.id, s);
  } catch (err) {
    ctx.logger?.debug(`GetSession for the usage of ${session.id} failed: ${(err as Error).message}`);
    return undefined;
  }
}

async function describeTags(ctx: GlueContext, session: ActiveSession, signal: AbortSignal): Promise<string> {
  try {
    const arn = await arnFor(ctx, session, signal);
    const r = await ctx.call(
      session.clients,
      'GetTags',
      'Reading the session tags',
      () =>
        session.clients.glue.send(new session.clients.sdk.glue.GetTagsCommand({ ResourceArn: arn }), {
          abortSignal: signal,
        }),
      signal,
    );
    const tags = Object.entries(r.Tags ?? {});
    return tags.length > 0 ? tags.map(([k, v]) => `${k}=${v}`).join(', ') : 'none';
  } catch (err) {
    if (isAbortError(err)) throw err;
    const code = awsErrorCode(err);
    if (code === 'AccessDeniedException' || code === 'AccessDenied')
      return 'not shown: these credentials may not call glue:GetTags (or sts:GetCallerIdentity)';
    return `not shown: ${(err as Error).message}`;
  }
}

async function arnFor(ctx: GlueContext, session: ActiveSession, signal: AbortSignal): Promise<string> {
  const me = await ctx.callerIdentity(session.clients, signal);
  return sessionArn(session.clients.settings.region, me.account, session.id);
}
