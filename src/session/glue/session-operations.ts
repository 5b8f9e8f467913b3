// The session operations the magics call besides %status and %%tags (session-describe.ts):
// %list_sessions, %reconnect, %delete_session, %%assume_role's credential check; and
// StopSession, for %stop_session and shutdown.
import type { Session } from '@aws-sdk/client-glue';
import type { BackendNotifier, SessionListEntry } from '../backend';
import { awsErrorCode, getSession } from './aws-call';
import type { AssumeRoleSetting } from './clients';
import { showDashboard } from './dashboard';
import type { ActiveSession, GlueContext } from './context';
import { GlueKernelError } from './errors';
import type { CallerIdentity } from './identity';
import { LIVE_STATUSES } from './session-ended';

/** %list_sessions: every session in the region (every page). */
export async function listSessions(
  ctx: GlueContext,
  signal: AbortSignal,
  options: { pageSize?: number },
): Promise<SessionListEntry[]> {
  const clients = await ctx.clients();
  const out: SessionListEntry[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await ctx.call(
      clients,
      'ListSessions',
      'Listing the Glue sessions',
      () =>
        clients.glue.send(
          new clients.sdk.glue.ListSessionsCommand({ NextToken: token, MaxResults: options.pageSize }),
          { abortSignal: signal },
        ),
      signal,
    );
    const sessions = r.Sessions ?? [];
    for (const s of sessions) {
      if (!s.Id) continue;
      out.push({
        id: s.Id,
        status: s.Status ?? 'UNKNOWN',
        createdOn: s.CreatedOn,
        current: s.Id === ctx.current()?.id,
        glueVersion: s.GlueVersion,
        workerType: s.WorkerType,
        numberOfWorkers: s.NumberOfWorkers,
        maxCapacity: s.MaxCapacity,
        idleTimeout: s.IdleTimeout,
      });
    }
    // Ids without a Session body (older answers) still count.
    for (const id of r.Ids ?? []) {
      if (!sessions.some((s) => s.Id === id))
        out.push({ id, status: 'UNKNOWN', current: id === ctx.current()?.id });
    }
    token = r.NextToken || undefined;
    if (++pages > 10_000) break;
  } while (token);
  return out;
}

/**
 * %reconnect <id>: use an existing READY or PROVISIONING session. The current one is not
 * stopped (a note says so and how to stop it).
 */
export async function reconnect(
  ctx: GlueContext,
  id: string,
  notify: BackendNotifier,
  signal: AbortSignal,
): Promise<void> {
  const target = id.trim();
  if (target === '')
    throw new GlueKernelError(
      'UsageError',
      'Give the id of the session to switch to: %reconnect <session-id> (%list_sessions lists them).',
    );
  const clients = await ctx.clients();
  let s: Session | undefined;
  try {
    s = await getSession(ctx.call, clients, target, `Looking up session ${target}`, signal);
  } catch (err) {
    if (awsErrorCode(err) === 'EntityNotFoundException') {
      throw new GlueKernelError(
        'SessionNotFound',
        `Session ${target} was not found in ${clients.settings.region}. Make sure it exists for this account in the configured region (%region; %list_sessions lists them).`,
      );
    }
    throw err;
  }
  const status = s?.Status ?? 'UNKNOWN';
  if (!LIVE_STATUSES.has(status)) {
    throw new GlueKernelError(
      'SessionNotReady',
      `Failed to switch: session ${target} is ${status}; only a READY or PROVISIONING session can be used.`,
    );
  }
  const old = ctx.current();
  if (old?.id === target) {
    notify.info(`Already connected to session ${target}.`);
    return;
  }
  const session = {
    id: target,
    clients,
    ready: status === 'READY',
    startedAt: s?.CreatedOn?.getTime() ?? Date.now(),
  };
  ctx.use(session);
  if (old) {
    notify.warn(
      `NOTE: session ${old.id} was not stopped and keeps running (and costing) until its idle timeout. ` +
        `To stop it: %delete_session ${old.id}, or %reconnect ${old.id} then %stop_session.`,
    );
    ctx.release(old.clients);
  }
  notify.info(`Switched to session ${target} (${status}).`);
  if (session.ready) await showDashboard(ctx, session, notify, signal);
}

/** %delete_session [id]: DeleteSession on the given session, or the current one. Returns the id. */
export async function deleteSession(
  ctx: GlueContext,
  id: string | undefined,
  notify: BackendNotifier,
  signal: AbortSignal,
): Promise<string> {
  const active = ctx.current();
  const target = id?.trim() || active?.id;
  if (!target)
    throw new GlueKernelError(
      'UsageError',
      'There is no current session; give the id to delete: %delete_session <session-id>.',
    );
  const current = active?.id === target ? active : undefined;
  const clients = current?.clients ?? (await ctx.clients());
  try {
    await ctx.call(
      clients,
      'DeleteSession',
      `Deleting session ${target}`,
      () =>
        clients.glue.send(new clients.sdk.glue.DeleteSessionCommand({ Id: target }), {
          abortSignal: signal,
        }),
      signal,
    );
  } catch (err) {
    if (awsErrorCode(err) === 'EntityNotFoundException') {
      if (current) ctx.forget(current);
      throw new GlueKernelError(
        'SessionNotFound',
        `Session ${target} was not found in ${clients.settings.region} (already deleted?).`,
      );
    }
    throw err;
  }
  if (current) ctx.forget(current);
  notify.info(`Deleted session ${target}.${current ? ' The next code cell starts a new session.' : ''}`);
  return target;
}

/** StopSession; returns the status when the session had already ended, undefined when stopped now. */
export async function stopGlueSession(
  ctx: GlueContext,
  session: ActiveSession,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { clients } = session;
  try {
    await ctx.call(
      clients,
      'StopSession',
      `Stopping session ${session.id}`,
      () =>
        clients.glue.send(new clients.sdk.glue.StopSessionCommand({ Id: session.id }), {
          abortSignal: signal,
        }),
      signal,
    );
    return undefined;
  } catch (err) {
    const code = awsErrorCode(err);
    if (code === 'EntityNotFoundException') return 'it no longer exists';
    if (code === 'IllegalSessionStateException' || code === 'InvalidInputException') {
      const s = await getSession(
        ctx.call,
        clients,
        session.id,
        `Checking on session ${session.id}`,
        signal,
      ).catch(() => undefined);
      if (s?.Status && !LIVE_STATUSES.has(s.Status)) return s.Status;
    }
    throw err;
  }
}

/** %%assume_role: checks the new credentials (assuming the role first) and says whose they are. */
export async function checkCredentials(
  ctx: GlueContext,
  setting: AssumeRoleSetting,
  signal: AbortSignal,
): Promise<CallerIdentity> {
  const clients = await ctx.clients();
  if (setting.kind === 'role') {
    await ctx.call(
      clients,
      'AssumeRole',
      `Assuming the role ${setting.roleArn}`,
      () => clients.credentials(),
      signal,
    );
  }
  return ctx.callerIdentity(clients, signal);
}
