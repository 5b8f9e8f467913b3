// The Glue backend: statements run in an AWS Glue interactive session (on AWS, or on the
// emulator through an endpoint URL). The session is created lazily on the first code cell,
// waited for with a deadline, and reused until it ends; statements are polled on the adaptive
// schedule of poll.ts; an interrupt cancels the statement and keeps the session; a session
// that timed out or failed is reported plainly and forgotten, so the next cell starts anew.
//
// Unlike the reference kernel: no GetSession before every cell (a dead session is detected
// from the RunStatement/GetStatement error and then confirmed), waits have deadlines and are
// abortable, the service's ErrorMessage is shown when a session fails, long statements show
// their progress, %list_sessions reads every page, and kernel shutdown stops the session.
//
// This class holds the state (the session in use, the clients, %%assume_role, the note about
// an ended session) and composes the modules that do the work: session-start.ts,
// statement-run.ts, session-ended.ts, session-operations.ts and session-describe.ts.
import { DEFAULT_DPU_HOUR_PRICE } from '../../config/settings';
import type { Logger } from '../../log/logger';
import type {
  Backend,
  BackendNotifier,
  RunOptions,
  SessionListEntry,
  SessionOperations,
  SessionSummary,
  StatementResult,
} from '../backend';
import type { KernelKind } from '../kinds';
import { awsCaller, boundedSignal, callerIdentityCache, untilAborted } from './aws-call';
import { CallBudget } from './call-budget';
import {
  createClients,
  settingsKey,
  type AssumeRoleSetting,
  type AwsClients,
  type AwsClientSettings,
} from './clients';
import type { ActiveSession, GlueContext } from './context';
import { effectiveGlueEndpoint, endpointTrustWarnings } from './endpoint-trust';
import { kernelError } from './errors';
import type { CallerIdentity } from './identity';
import {
  CANCEL_SCHEDULE,
  isAbortError,
  SESSION_SCHEDULE,
  STATEMENT_SCHEDULE,
  type PollSchedule,
} from './poll';
import type { RetryPolicy } from './retry';
import * as details from './session-describe';
import { endedNote } from './session-ended';
import * as operations from './session-operations';
import type { CreateSessionRequestProvider } from './session-request';
import { createSession, waitReady } from './session-start';
import { runStatement, statementResult } from './statement-run';
import { SessionWatchdog } from './watchdog';
import type { GuardedSession } from './watchdog-protocol';
import { usageLine } from '../usage';

export interface GlueBackendOptions {
  kind: KernelKind;
  /** Region, endpoint, profile (from config) at the moment clients are needed. */
  clientSettings: () => AwsClientSettings | Promise<AwsClientSettings>;
  /** Builds the CreateSession request at the moment of creation (see configSessionRequest). */
  sessionRequest?: CreateSessionRequestProvider;
  logger?: Logger;
  /** How long to wait for a new session to be READY (default 10 min). */
  readyTimeoutMs?: number;
  /**
   * How long an interrupt waits for CANCELLED (default 1.2 s, so an interrupt is answered within
   * 2 s even when Glue is slow or throttling; the statement is cancelled all the same).
   */
  cancelWaitMs?: number;
  /** A statement running longer than this shows its progress (default 3 s). */
  progressAfterMs?: number;
  /** US dollars per DPU-hour for the cost estimates (default: the us-east-1 list price). */
  dpuHourPrice?: () => number | Promise<number>;
  /** Bound for StopSession at close() when the signal gives no better one (default 10 s). */
  stopTimeoutMs?: number;
  /**
   * How long GetStatement may keep failing (throttling, 5xx, resets) before a cell stops waiting
   * and says how to fetch the statement's result later (default 15 min).
   */
  pollGiveUpMs?: number;
  /** Glue calls per second this kernel may make (glue_api_rate; default 5). */
  apiRate?: number;
  schedules?: { statement?: PollSchedule; session?: PollSchedule; cancel?: PollSchedule };
  retry?: Partial<RetryPolicy>;
  /** The environment the SDK reads (AWS_ENDPOINT_URL_GLUE, NODE_TLS_REJECT_UNAUTHORIZED); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Start a session watchdog that stops the session if this process dies (default false). */
  watchdog?: boolean;
  /** Replaces createClients (tests). */
  clientFactory?: (settings: AwsClientSettings) => AwsClients;
}

export class GlueBackend implements Backend, SessionOperations {
  readonly name = 'glue' as const;
  /** The magics' view of this backend (list, reconnect, delete, tag, assume role). */
  readonly sessions: SessionOperations = this;
  private session?: ActiveSession;
  private cachedClients?: AwsClients;
  private cachedKey?: string;
  private provider?: CreateSessionRequestProvider;
  private assumeRole?: AssumeRoleSetting;
  /** Bumped by each %%assume_role, so it builds new clients and assumes anew (never a cached copy). */
  private credentialGeneration = 0;
  /** Said once, when the next session is created after the previous one ended. */
  private endedNote?: string;
  /** What the modules see of this backend. */
  private readonly ctx: GlueContext;
  private readonly watchdog?: SessionWatchdog;
  private readonly trustWarned = new Set<string>();

  constructor(private readonly options: GlueBackendOptions) {
    this.provider = options.sessionRequest;
    if (options.watchdog) this.watchdog = new SessionWatchdog(options.logger);
    const budget = new CallBudget({ rate: options.apiRate });
    const call = awsCaller({ ...options, budget });
    this.ctx = {
      kind: options.kind,
      timing: {
        readyTimeoutMs: options.readyTimeoutMs ?? 10 * 60_000,
        cancelWaitMs: options.cancelWaitMs ?? 1200,
        progressAfterMs: options.progressAfterMs ?? 3000,
        stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
        pollGiveUpMs: options.pollGiveUpMs ?? 15 * 60_000,
      },
      schedules: {
        statement: options.schedules?.statement ?? STATEMENT_SCHEDULE,
        session: options.schedules?.session ?? SESSION_SCHEDULE,
        cancel: options.schedules?.cancel ?? CANCEL_SCHEDULE,
      },
      call,
      budget,
      callerIdentity: callerIdentityCache(call),
      logger: options.logger,
      dpuHourPrice: async () => (await options.dpuHourPrice?.()) ?? DEFAULT_DPU_HOUR_PRICE,
      clients: () => this.clients(),
      current: () => this.session,
      use: (session) => {
        this.session = session;
        this.endedNote = undefined;
        this.watchdog?.guard(guardedSession(session));
      },
      forget: (session, status) => this.forget(session, status),
      release: (clients) => this.release(clients),
    };
  }

  // ---- wiring ------------------------------------------------------------------------------

  /** Sets the provider of the CreateSession request (called when a session is created). */
  setSessionRequestProvider(provider: CreateSessionRequestProvider): void {
    this.provider = provider;
  }

  /** The current session's id (also while it is starting). */
  get sessionId(): string | undefined {
    return this.session?.id;
  }

  hasSession(): boolean {
    return this.session !== undefined;
  }

  /**
   * %%assume_role: from now on, clients use these credentials (a role ARN is assumed over the
   * base chain and refreshed before expiry). Checks them with STS GetCallerIdentity and returns
   * who they are. A session that already exists keeps the credentials it was created with.
   * Pass undefined to go back to the base credentials.
   */
  async setAssumeRole(
    setting: AssumeRoleSetting | undefined,
    signal: AbortSignal,
  ): Promise<CallerIdentity | undefined> {
    const previous = this.assumeRole;
    this.assumeRole = setting;
    this.credentialGeneration++;
    if (setting === undefined) return undefined;
    try {
      return await operations.checkCredentials(this.ctx, setting, signal);
    } catch (err) {
      this.assumeRole = previous;
      this.credentialGeneration++;
      throw kernelError(err);
    }
  }

  // ---- state -------------------------------------------------------------------------------

  private async clients(): Promise<AwsClients> {
    const settings: AwsClientSettings = { ...(await this.options.clientSettings()) };
    if (this.assumeRole) settings.assumeRole = this.assumeRole;
    const factory = this.options.clientFactory ?? createClients;
    const key = `${settingsKey(settings)}#${this.credentialGeneration}`;
    if (this.cachedClients && this.cachedKey === key) return this.cachedClients;
    const old = this.cachedClients;
    this.cachedClients = factory(settings);
    this.cachedKey = key;
    if (old && old !== this.session?.clients) old.destroy();
    return this.cachedClients;
  }

  private release(clients: AwsClients): void {
    if (clients !== this.cachedClients && clients !== this.session?.clients) clients.destroy();
  }

  private forget(session: ActiveSession, status?: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.watchdog?.release();
    this.endedNote = status ? endedNote(session.id, status) : undefined;
    this.release(session.clients);
  }

  // ---- run ---------------------------------------------------------------------------------

  async run(code: string, { signal, notify, executionCount }: RunOptions): Promise<StatementResult> {
    let session: ActiveSession;
    try {
      session = await this.ensureSession(notify, signal);
    } catch (err) {
      if (isAbortError(err)) {
        const id = this.session?.id;
        return {
          kind: 'cancelled',
          message: id
            ? `Interrupted while waiting for session ${id} to start. It keeps starting: the next cell waits for it, or %stop_session stops it.`
            : 'Interrupted before the session was created.',
        };
      }
      const e = kernelError(err);
      return { kind: 'failed', ename: e.ename, message: e.message };
    }
    if (signal.aborted) return { kind: 'cancelled', message: 'Interrupted before the statement started.' };
    try {
      return await runStatement(this.ctx, session, code, signal, notify, executionCount);
    } catch (err) {
      const e = kernelError(err);
      return { kind: 'failed', ename: e.ename, message: e.message };
    }
  }

  private async ensureSession(notify: BackendNotifier, signal: AbortSignal): Promise<ActiveSession> {
    const current = this.session;
    if (current?.ready) return current;
    if (current?.creation) {
      // An interrupted CreateSession: wait for it to settle; if it created nothing, start anew.
      const created = await untilAborted(current.creation, signal);
      current.creation = undefined;
      if (!created) this.forget(current);
    }
    if (this.session === current && current) {
      await waitReady(this.ctx, current, notify, signal);
      return current;
    }
    if (this.endedNote) {
      notify.warn(this.endedNote);
      this.endedNote = undefined;
    }
    this.warnAboutTrust((await this.clients()).settings.endpoint, notify);
    return createSession(this.ctx, () => this.provider, notify, signal);
  }

  /** Says once per warning, in the cell, what is unsafe about the endpoint or TLS settings. */
  private warnAboutTrust(endpoint: string | undefined, notify: BackendNotifier): void {
    const env = this.options.env ?? process.env;
    for (const warning of endpointTrustWarnings(effectiveGlueEndpoint(endpoint, env), env)) {
      if (this.trustWarned.has(warning)) continue;
      this.trustWarned.add(warning);
      notify.warn(warning);
    }
  }

  // ---- %status, stop, close ------------------------------------------------------------------

  describe(signal: AbortSignal): Promise<SessionSummary | undefined> {
    return details.describe(this.ctx, signal);
  }

  async stopSession(notify: BackendNotifier): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    notify.info(`Stopping session: ${session.id}`);
    const bound = boundedSignal(this.ctx.timing.stopTimeoutMs);
    const usage = await details.readUsage(this.ctx, session, bound);
    const ended = await operations.stopGlueSession(this.ctx, session, bound);
    this.forget(session);
    notify.info(
      ended ? `Session ${session.id} had already ended (${ended}).` : `Stopped session ${session.id}.`,
    );
    if (usage) notify.info(usageLine(usage, await this.ctx.dpuHourPrice()));
    return true;
  }

  async close(signal: AbortSignal): Promise<void> {
    const session = this.session;
    this.session = undefined;
    let stopped = true;
    try {
      // A CreateSession in flight may still create the session: wait for it (within the
      // budget), then stop the id whatever the call's outcome.
      if (session?.creation) {
        await untilAborted(session.creation, signal).catch(() => {
          stopped = false; // still in flight: the watchdog stops it after this process is gone
        });
      }
      if (session) {
        const bound = boundedSignal(this.ctx.timing.stopTimeoutMs, signal);
        const usage = await details.readUsage(this.ctx, session, bound);
        stopped = await operations.stopGlueSession(this.ctx, session, bound).then(
          () => true,
          (err: unknown) => {
            this.options.logger?.warn(
              `Could not stop session ${session.id} at shutdown: ${(err as Error).message}`,
            );
            return false;
          },
        );
        // The cell output is gone at shutdown: the summary goes to the kernel's log (the
        // Jupyter server's terminal), at warn level so the default level shows it.
        if (stopped && usage)
          this.options.logger?.warn(
            `Stopped at shutdown. ${usageLine(usage, await this.ctx.dpuHourPrice())}`,
          );
      }
    } finally {
      // Only a session known to be stopped lets the watchdog go without a call; otherwise it
      // stops the session once this process is gone.
      if (stopped) this.watchdog?.clean();
      session?.clients.destroy();
      if (this.cachedClients !== session?.clients) this.cachedClients?.destroy();
      this.cachedClients = undefined;
      this.cachedKey = undefined;
    }
  }

  // ---- magics -----------------------------------------------------------------------------------

  listSessions(signal: AbortSignal, options: { pageSize?: number } = {}): Promise<SessionListEntry[]> {
    return operations.listSessions(this.ctx, signal, options);
  }

  reconnect(id: string, notify: BackendNotifier, signal: AbortSignal): Promise<void> {
    return operations.reconnect(this.ctx, id, notify, signal);
  }

  deleteSession(id: string | undefined, notify: BackendNotifier, signal: AbortSignal): Promise<string> {
    return operations.deleteSession(this.ctx, id, notify, signal);
  }

  async statement(id: number, signal: AbortSignal): Promise<StatementResult> {
    const session = this.session;
    if (!session)
      return {
        kind: 'failed',
        ename: 'NoSession',
        message:
          'There is no current session: %statement reads statements of the session in use (%reconnect <id> to use another).',
      };
    try {
      return await statementResult(this.ctx, session, id, signal);
    } catch (err) {
      const e = kernelError(err);
      return { kind: 'failed', ename: e.ename, message: e.message };
    }
  }

  tagSession(tags: Record<string, string>, signal: AbortSignal): Promise<boolean> {
    return details.tagSession(this.ctx, tags, signal);
  }
}

/** What the watchdog needs to stop `session` with the same credentials and endpoint. */
function guardedSession(session: ActiveSession): GuardedSession {
  const s = session.clients.settings;
  return {
    id: session.id,
    region: s.region,
    endpoint: s.endpoint,
    stsEndpoint: s.stsEndpoint,
    profile: s.profile,
    assumeRole: s.assumeRole,
  };
}
