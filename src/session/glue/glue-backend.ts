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
import { randomUUID } from 'node:crypto';
import type { Session, Statement } from '@aws-sdk/client-glue';
import type { Logger } from '../../log/logger';
import type { StatementOutput } from '../../runner/statement-output';
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
import {
  createClients,
  settingsKey,
  type AssumeRoleSetting,
  type AwsClients,
  type AwsClientSettings,
} from './clients';
import { describeAwsError, GlueKernelError } from './errors';
import { discoverRole, sessionArn, type CallerIdentity } from './identity';
import {
  AbortedError,
  CANCEL_SCHEDULE,
  DeadlineError,
  formatElapsed,
  isAbortError,
  pollUntil,
  SESSION_SCHEDULE,
  STATEMENT_SCHEDULE,
  type PollSchedule,
} from './poll';
import { errorCode, withRetry, type RetryPolicy } from './retry';
import type {
  CreateSessionRequest,
  CreateSessionRequestProvider,
  PartialCreateSessionRequest,
  SessionRequestHelpers,
} from './session-request';

export interface GlueBackendOptions {
  kind: KernelKind;
  /** Region, endpoint, profile (from config) at the moment clients are needed. */
  clientSettings: () => AwsClientSettings | Promise<AwsClientSettings>;
  /** Builds the CreateSession request at the moment of creation (see configSessionRequest). */
  sessionRequest?: CreateSessionRequestProvider;
  logger?: Logger;
  /** How long to wait for a new session to be READY (default 10 min). */
  readyTimeoutMs?: number;
  /** How long an interrupt waits for CANCELLED (default 10 s). */
  cancelWaitMs?: number;
  /** A statement running longer than this shows its progress (default 3 s). */
  progressAfterMs?: number;
  /** At most one status line per this interval, besides changes of state (default 5 s). */
  statusIntervalMs?: number;
  /** Bound for StopSession at close() when the signal gives no better one (default 10 s). */
  stopTimeoutMs?: number;
  schedules?: { statement?: PollSchedule; session?: PollSchedule; cancel?: PollSchedule };
  retry?: Partial<RetryPolicy>;
  /** Replaces createClients (tests). */
  clientFactory?: (settings: AwsClientSettings) => AwsClients;
}

interface ActiveSession {
  id: string;
  clients: AwsClients;
  ready: boolean;
  /** What we asked for (GetSession does not return Timeout or Tags). */
  requested?: CreateSessionRequest;
}

const GONE_HINT = 'The next code cell starts a new session; variables defined in the old one are gone.';
/** Errors from RunStatement/GetStatement that may mean the session itself has ended. */
const SESSION_STATE_CODES = new Set([
  'InvalidInputException',
  'IllegalSessionStateException',
  'EntityNotFoundException',
]);
const LIVE_STATUSES = new Set(['READY', 'PROVISIONING']);

function sessionEname(status: string | undefined): string {
  switch (status) {
    case 'TIMEOUT':
      return 'SessionTimeout';
    case 'FAILED':
      return 'SessionFailed';
    case 'STOPPED':
    case 'STOPPING':
      return 'SessionStopped';
    default:
      return 'SessionNotFound';
  }
}

function endedMessage(id: string, session: Session | undefined): string {
  const status = session?.Status;
  const why =
    status === 'TIMEOUT'
      ? `reached TIMEOUT status${session?.IdleTimeout ? ` (its idle timeout is ${session.IdleTimeout} minute${session.IdleTimeout === 1 ? '' : 's'}, or it hit its maximum lifetime)` : ''}`
      : status === 'FAILED'
        ? 'FAILED'
        : status === 'STOPPED' || status === 'STOPPING'
          ? `was stopped (${status})`
          : 'no longer exists';
  const said = session?.ErrorMessage ? ` The service said: ${session.ErrorMessage}` : '';
  return `Session ${id} ${why}.${said} ${GONE_HINT}`;
}

function commandLabel(name: string | undefined): string {
  if (name === 'glueetl') return 'etl';
  if (name === 'gluestreaming') return 'streaming';
  return name ?? 'etl';
}

function kernelError(err: unknown): GlueKernelError {
  if (err instanceof GlueKernelError) return err;
  if (err instanceof Error) {
    const ename = (err as { ename?: unknown }).ename;
    if (typeof ename === 'string') return new GlueKernelError(ename, err.message, { cause: err });
    if (err.name === 'ConfigError') return new GlueKernelError('ConfigError', err.message, { cause: err });
    return new GlueKernelError(err.name && err.name !== 'Error' ? err.name : 'GlueKernelError', err.message, {
      cause: err,
    });
  }
  return new GlueKernelError('GlueKernelError', String(err));
}

/** A signal that aborts when any of the given signals does, or after `ms`. */
function boundedSignal(ms: number, ...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any([
    AbortSignal.timeout(ms),
    ...signals.filter((s): s is AbortSignal => s !== undefined),
  ]);
}

export class GlueBackend implements Backend, SessionOperations {
  readonly name = 'glue' as const;
  /** The magics' view of this backend (list, reconnect, delete, tag, assume role). */
  readonly sessions: SessionOperations = this;
  private session?: ActiveSession;
  private cachedClients?: AwsClients;
  private cachedKey?: string;
  private identities = new WeakMap<AwsClients, Promise<CallerIdentity>>();
  private provider?: CreateSessionRequestProvider;
  private assumeRole?: AssumeRoleSetting;
  /** Said once, when the next session is created after the previous one ended. */
  private endedNote?: string;
  private readonly o: Required<
    Pick<
      GlueBackendOptions,
      'readyTimeoutMs' | 'cancelWaitMs' | 'progressAfterMs' | 'statusIntervalMs' | 'stopTimeoutMs'
    >
  >;
  private readonly schedules: { statement: PollSchedule; session: PollSchedule; cancel: PollSchedule };

  constructor(private readonly options: GlueBackendOptions) {
    this.provider = options.sessionRequest;
    this.o = {
      readyTimeoutMs: options.readyTimeoutMs ?? 10 * 60_000,
      cancelWaitMs: options.cancelWaitMs ?? 10_000,
      progressAfterMs: options.progressAfterMs ?? 3000,
      statusIntervalMs: options.statusIntervalMs ?? 5000,
      stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    };
    this.schedules = {
      statement: options.schedules?.statement ?? STATEMENT_SCHEDULE,
      session: options.schedules?.session ?? SESSION_SCHEDULE,
      cancel: options.schedules?.cancel ?? CANCEL_SCHEDULE,
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
    if (setting === undefined) return undefined;
    try {
      const clients = await this.clients();
      if (setting.kind === 'role') {
        await this.aws(
          clients,
          'AssumeRole',
          `Assuming the role ${setting.roleArn}`,
          () => clients.credentials(),
          signal,
        );
      }
      return await this.callerIdentity(clients, signal);
    } catch (err) {
      this.assumeRole = previous;
      throw kernelError(err);
    }
  }

  // ---- clients -----------------------------------------------------------------------------

  private async clients(): Promise<AwsClients> {
    const settings: AwsClientSettings = { ...(await this.options.clientSettings()) };
    if (this.assumeRole) settings.assumeRole = this.assumeRole;
    const factory = this.options.clientFactory ?? createClients;
    const key = settingsKey(settings);
    if (this.cachedClients && this.cachedKey === key) return this.cachedClients;
    const old = this.cachedClients;
    this.cachedClients = factory(settings);
    this.cachedKey = key;
    if (old && old !== this.session?.clients) old.destroy();
    return this.cachedClients;
  }

  private credentialSource(clients: AwsClients): string {
    const s = clients.settings;
    if (s.assumeRole?.kind === 'role') return `the role ${s.assumeRole.roleArn} assumed with %%assume_role`;
    if (s.assumeRole?.kind === 'credentials') return 'the keys given with %%assume_role';
    if (s.profile) return `profile ${s.profile}`;
    if (s.credentials) return 'the configured credentials';
    return 'the default credential chain (environment, ~/.aws, container or instance role)';
  }

  /** Runs one AWS call with retries; failures become GlueKernelError (code kept) or AbortedError. */
  private async aws<T>(
    clients: AwsClients,
    operation: string,
    doing: string,
    fn: (attempt: number) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await withRetry(fn, {
        signal,
        policy: this.options.retry,
        onRetry: (r) =>
          this.options.logger?.debug(
            `${operation}: ${errorCode(r.error) ?? 'error'}; retry ${r.attempt} in ${r.delayMs} ms`,
          ),
      });
    } catch (err) {
      if (isAbortError(err) || signal?.aborted) throw new AbortedError(signal?.reason);
      const described = describeAwsError(err, {
        operation,
        doing,
        credentialSource: this.credentialSource(clients),
        where: clients.settings.endpoint ?? `the AWS endpoints in ${clients.settings.region}`,
      });
      (described as GlueKernelError & { code?: string }).code = errorCode(err);
      throw described;
    }
  }

  private callerIdentity(clients: AwsClients, signal: AbortSignal): Promise<CallerIdentity> {
    let p = this.identities.get(clients);
    if (!p) {
      p = this.aws(clients, 'GetCallerIdentity', 'Finding out who your AWS credentials belong to', () =>
        clients.sts.send(new clients.sdk.sts.GetCallerIdentityCommand({}), { abortSignal: signal }),
      ).then((r) => ({ arn: r.Arn ?? '', userId: r.UserId ?? '', account: r.Account ?? '' }));
      this.identities.set(clients, p);
      p.catch(() => this.identities.delete(clients));
    }
    return p;
  }

  private getSession(
    clients: AwsClients,
    id: string,
    doing: string,
    signal?: AbortSignal,
  ): Promise<Session | undefined> {
    return this.aws(
      clients,
      'GetSession',
      doing,
      () => clients.glue.send(new clients.sdk.glue.GetSessionCommand({ Id: id }), { abortSignal: signal }),
      signal,
    ).then((r) => r.Session);
  }

  // ---- run ---------------------------------------------------------------------------------

  async run(code: string, { signal, notify }: RunOptions): Promise<StatementResult> {
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
      return await this.runStatement(session, code, signal, notify);
    } catch (err) {
      const e = kernelError(err);
      return { kind: 'failed', ename: e.ename, message: e.message };
    }
  }

  private async ensureSession(notify: BackendNotifier, signal: AbortSignal): Promise<ActiveSession> {
    const current = this.session;
    if (current?.ready) return current;
    if (current) {
      await this.waitReady(current, notify, signal);
      return current;
    }
    return this.createSession(notify, signal);
  }

  private async createSession(notify: BackendNotifier, signal: AbortSignal): Promise<ActiveSession> {
    if (this.endedNote) {
      notify.warn(this.endedNote);
      this.endedNote = undefined;
    }
    notify.info('Trying to create a Glue session for the kernel.');
    const clients = await this.clients();
    if (!this.provider) {
      throw new GlueKernelError(
        'GlueNotConfigured',
        'The Glue backend has no session configuration (no CreateSession request provider was set). This is a bug in the kernel wiring.',
      );
    }
    const helpers: SessionRequestHelpers = {
      discoverRole: () =>
        discoverRole(
          {
            getCallerIdentity: (s) => this.callerIdentity(clients, s),
            getRoleArn: (roleName, s) =>
              this.aws(clients, 'GetRole', `Looking up the role ${roleName} for the session`, () =>
                clients.iam.send(new clients.sdk.iam.GetRoleCommand({ RoleName: roleName }), {
                  abortSignal: s,
                }),
              ).then((r) => {
                if (!r.Role?.Arn)
                  throw new GlueKernelError(
                    'GlueRoleNotFound',
                    `IAM GetRole returned no ARN for role ${roleName}. Set the role with %iam_role.`,
                  );
                return r.Role.Arn;
              }),
          },
          signal,
        ),
      callerUserId: () => this.callerIdentity(clients, signal).then((i) => i.userId),
      notify,
      signal,
    };
    const partial: PartialCreateSessionRequest = await this.provider(helpers);
    const request = await this.completeRequest(partial, helpers);
    this.printPlan(request, notify);

    const id = request.Id;
    const created = await this.aws(
      clients,
      'CreateSession',
      'Creating the Glue session',
      async (attempt) => {
        try {
          return (
            await clients.glue.send(new clients.sdk.glue.CreateSessionCommand(request), {
              abortSignal: boundedSignal(60_000),
            })
          ).Session;
        } catch (err) {
          // A retried create after a timeout can find the session our first try made.
          if (attempt > 1 && errorCode(err) === 'AlreadyExistsException') {
            return (
              await clients.glue.send(new clients.sdk.glue.GetSessionCommand({ Id: id }), {
                abortSignal: boundedSignal(60_000),
              })
            ).Session;
          }
          if (errorCode(err) === 'AlreadyExistsException') {
            throw new GlueKernelError(
              'SessionAlreadyExists',
              `A session with the id ${id} already exists. Use it with %reconnect ${id}, or choose another id (session_id, %session_id_prefix).`,
              { cause: err },
            );
          }
          throw err;
        }
      },
      signal,
    );
    const session: ActiveSession = { id, clients, ready: created?.Status === 'READY', requested: request };
    this.session = session;
    if (!session.ready) await this.waitReady(session, notify, signal);
    else notify.info(`Session ${id} has been created.`);
    return session;
  }

  private async completeRequest(
    partial: PartialCreateSessionRequest,
    helpers: SessionRequestHelpers,
  ): Promise<CreateSessionRequest & { Id: string }> {
    const request: CreateSessionRequest & { Id: string } = {
      ...partial,
      Id: partial.Id || randomUUID(),
      Role: partial.Role || (await helpers.discoverRole()),
      Command: partial.Command ?? { Name: 'glueetl', PythonVersion: '3' },
      RequestOrigin:
        partial.RequestOrigin || (this.options.kind === 'spark' ? 'GlueSparkKernel' : 'GluePySparkKernel'),
    };
    return request;
  }

  private printPlan(r: CreateSessionRequest, notify: BackendNotifier): void {
    const lines = [`Session Type: ${commandLabel(r.Command?.Name)}`];
    if (r.GlueVersion) lines.push(`Glue Version: ${r.GlueVersion}`);
    if (r.MaxCapacity !== undefined) lines.push(`Max Capacity: ${r.MaxCapacity}`);
    if (r.WorkerType) lines.push(`Worker Type: ${r.WorkerType}`);
    if (r.NumberOfWorkers !== undefined) lines.push(`Number of Workers: ${r.NumberOfWorkers}`);
    if (r.IdleTimeout !== undefined) lines.push(`Idle Timeout: ${r.IdleTimeout}`);
    if (r.Timeout !== undefined) lines.push(`Timeout: ${r.Timeout}`);
    lines.push(`Session ID: ${r.Id}`);
    const args = Object.entries(r.DefaultArguments ?? {});
    if (args.length > 0) {
      lines.push('Applying the following default arguments:');
      for (const [k, v] of args) lines.push(`${k} ${v}`);
    }
    notify.info(lines.join('\n'));
  }

  private async waitReady(
    session: ActiveSession,
    notify: BackendNotifier,
    signal: AbortSignal,
  ): Promise<void> {
    notify.info(`Waiting for session ${session.id} to get into ready status...`);
    const started = Date.now();
    let lastStatus: string | undefined;
    let lastShown = 0;
    let final: Session | undefined;
    try {
      final = await pollUntil<Session | undefined>({
        schedule: this.schedules.session,
        signal,
        immediate: true,
        deadline: started + this.o.readyTimeoutMs,
        check: async (_attempt, s) => {
          let got: Session | undefined;
          try {
            got = await this.getSession(session.clients, session.id, `Checking on session ${session.id}`, s);
          } catch (err) {
            if ((err as { code?: string }).code === 'EntityNotFoundException')
              return { done: true, value: undefined };
            throw err;
          }
          if (got && got.Status !== 'PROVISIONING') return { done: true, value: got };
          return { done: false, last: got?.Status };
        },
        onPending: ({ elapsedMs, last }) => {
          const status = typeof last === 'string' ? last : 'PROVISIONING';
          if (status !== lastStatus || Date.now() - lastShown >= this.o.statusIntervalMs) {
            notify.status(`Session ${session.id}: ${status}, ${formatElapsed(elapsedMs)} elapsed`);
            lastStatus = status;
            lastShown = Date.now();
          }
        },
      });
    } catch (err) {
      if (err instanceof DeadlineError) {
        throw new GlueKernelError(
          'SessionStartTimeout',
          `Session ${session.id} is still ${String(err.last ?? 'PROVISIONING')} after ${formatElapsed(err.elapsedMs)}. ` +
            'It was left starting: run the cell again to keep waiting, or %stop_session to stop it.',
        );
      }
      throw err;
    }
    const took = formatElapsed(Date.now() - started);
    if (final?.Status === 'READY') {
      session.ready = true;
      notify.info(`Session ${session.id} has been created (ready after ${took}).`);
      return;
    }
    this.forget(session);
    const status = final?.Status ?? 'NOT_FOUND';
    const said = final?.ErrorMessage ? ` The service said: ${final.ErrorMessage}` : '';
    throw new GlueKernelError(
      'SessionFailed',
      `Session ${session.id} failed to reach READY, reaching ${status} instead (after ${took}).${said} ` +
        'Check the session settings (role, Glue version, workers, connections) and run the cell again to create a new session.',
    );
  }

  private async runStatement(
    session: ActiveSession,
    code: string,
    signal: AbortSignal,
    notify: BackendNotifier,
  ): Promise<StatementResult> {
    const { clients } = session;
    let statementId: number;
    try {
      const r = await this.aws(
        clients,
        'RunStatement',
        'Running the statement',
        // Not aborted mid-request: if it reached the service we need its id to cancel it.
        () =>
          clients.glue.send(new clients.sdk.glue.RunStatementCommand({ SessionId: session.id, Code: code }), {
            abortSignal: boundedSignal(60_000),
          }),
        signal,
      );
      if (r.Id === undefined)
        throw new GlueKernelError('GlueServiceError', 'RunStatement returned no statement id.');
      statementId = r.Id;
    } catch (err) {
      if (isAbortError(err))
        return { kind: 'cancelled', message: 'Interrupted before the statement started.' };
      return this.sessionErrorResult(session, err);
    }

    let lastShown = 0;
    let lastState: string | undefined;
    try {
      const statement = await pollUntil<Statement>({
        schedule: this.schedules.statement,
        signal,
        check: async (_attempt, s) => {
          const st = await this.getStatement(session, statementId, s);
          if (st.State === 'AVAILABLE' || st.State === 'ERROR' || st.State === 'CANCELLED')
            return { done: true, value: st };
          return { done: false, last: st };
        },
        onPending: ({ elapsedMs, last }) => {
          if (elapsedMs < this.o.progressAfterMs) return;
          const st = last as Statement;
          const state = st.State ?? 'RUNNING';
          if (state === lastState && Date.now() - lastShown < this.o.statusIntervalMs) return;
          lastState = state;
          lastShown = Date.now();
          const pct =
            typeof st.Progress === 'number' && st.Progress > 0
              ? `, ${Math.round(st.Progress * 100)}% done`
              : '';
          const waiting = state === 'WAITING' ? ' (waiting for an earlier statement to finish)' : '';
          notify.status(
            `Statement ${statementId}: ${state}${waiting}${pct}, ${formatElapsed(elapsedMs)} elapsed`,
          );
        },
      });
      return this.finalResult(session, statement);
    } catch (err) {
      if (isAbortError(err)) return this.cancel(session, statementId, notify);
      return this.sessionErrorResult(session, err);
    }
  }

  private async getStatement(session: ActiveSession, id: number, signal: AbortSignal): Promise<Statement> {
    const { clients } = session;
    const r = await this.aws(
      clients,
      'GetStatement',
      `Checking on statement ${id}`,
      () =>
        clients.glue.send(new clients.sdk.glue.GetStatementCommand({ SessionId: session.id, Id: id }), {
          abortSignal: signal,
        }),
      signal,
    );
    if (!r.Statement)
      throw new GlueKernelError('GlueServiceError', `GetStatement returned no statement for id ${id}.`);
    return r.Statement;
  }

  private finalResult(session: ActiveSession, st: Statement): StatementResult {
    const output = (st.Output ?? {}) as StatementOutput;
    if (st.State === 'AVAILABLE') return { kind: 'output', output, state: 'AVAILABLE' };
    if (st.State === 'CANCELLED') {
      return {
        kind: 'cancelled',
        message: `Statement ${st.Id} was cancelled outside this kernel. Session ${session.id} is still running.`,
      };
    }
    const ename = output.ErrorName || 'StatementError';
    const value = output.ErrorValue || 'The statement ended in the ERROR state with no error details.';
    const tb = (output.Traceback ?? []).join('').trimEnd();
    return { kind: 'failed', ename, message: tb && !tb.endsWith(value) ? `${value}\n${tb}` : value };
  }

  /** An error from RunStatement/GetStatement: if the session has ended, say so and forget it. */
  private async sessionErrorResult(session: ActiveSession, err: unknown): Promise<StatementResult> {
    const e = kernelError(err);
    const code = (err as { code?: string }).code;
    if (code === undefined || !SESSION_STATE_CODES.has(code))
      return { kind: 'failed', ename: e.ename, message: e.message };
    let s: Session | undefined;
    try {
      s = await this.getSession(
        session.clients,
        session.id,
        `Checking on session ${session.id}`,
        boundedSignal(30_000),
      );
    } catch (checkErr) {
      if ((checkErr as { code?: string }).code !== 'EntityNotFoundException')
        return { kind: 'failed', ename: e.ename, message: e.message };
    }
    if (s?.Status && LIVE_STATUSES.has(s.Status)) {
      // The session is alive; the error was about the statement (e.g. the REPL is unavailable).
      return {
        kind: 'failed',
        ename: e.ename,
        message: `${e.message} Session ${session.id} is still ${s.Status}; run the cell again, or %stop_session and start afresh if it keeps failing.`,
      };
    }
    this.forget(session, s?.Status);
    return { kind: 'failed', ename: sessionEname(s?.Status), message: endedMessage(session.id, s) };
  }

  /** Interrupt: CancelStatement, then wait (bounded) for CANCELLED. The session is kept. */
  private async cancel(
    session: ActiveSession,
    id: number,
    notify: BackendNotifier,
  ): Promise<StatementResult> {
    const { clients } = session;
    const bound = boundedSignal(this.o.cancelWaitMs);
    notify.status(`Cancelling statement ${id}...`);
    try {
      await this.aws(
        clients,
        'CancelStatement',
        `Cancelling statement ${id}`,
        () =>
          clients.glue.send(new clients.sdk.glue.CancelStatementCommand({ SessionId: session.id, Id: id }), {
            abortSignal: bound,
          }),
        bound,
      );
      const st = await pollUntil<Statement>({
        schedule: this.schedules.cancel,
        signal: bound,
        immediate: true,
        check: async (_a, s) => {
          const got = await this.getStatement(session, id, s);
          return got.State === 'CANCELLED' || got.State === 'AVAILABLE' || got.State === 'ERROR'
            ? { done: true, value: got }
            : { done: false, last: got.State };
        },
      });
      if (st.State === 'AVAILABLE' || st.State === 'ERROR') {
        // It finished before the cancel took effect: its output is worth more than "cancelled".
        return this.finalResult(session, st);
      }
      return {
        kind: 'cancelled',
        message: `Statement ${id} was cancelled. Session ${session.id} is still running, with the variables defined before this cell.`,
      };
    } catch (err) {
      if (isAbortError(err)) {
        return {
          kind: 'cancelled',
          message: `Asked Glue to cancel statement ${id}, but it had not stopped after ${formatElapsed(this.o.cancelWaitMs)}. Session ${session.id} may stay busy until it does; the next cell waits for it.`,
        };
      }
      const result = await this.sessionErrorResult(session, err);
      if (result.kind === 'failed' && this.session === session) {
        return {
          kind: 'cancelled',
          message: `Interrupted, but cancelling statement ${id} failed: ${result.message}`,
        };
      }
      return result;
    }
  }

  private forget(session: ActiveSession, status?: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.endedNote = status
      ? `The previous session ${session.id} ended (${status}); a new session is being created. Variables defined in the old session are gone: re-run the cells that define them.`
      : undefined;
    if (session.clients !== this.cachedClients) session.clients.destroy();
  }

  // ---- %status --------------------------------------------------------------------------------

  async describe(signal: AbortSignal): Promise<SessionSummary | undefined> {
    const session = this.session;
    if (!session) return undefined;
    const { clients } = session;
    const s = await this.getSession(clients, session.id, `Reading session ${session.id}`, signal);
    const rows: [string, string][] = [];
    const put = (label: string, value: unknown): void => {
      if (value === undefined || value === null || value === '') return;
      rows.push([label, value instanceof Date ? value.toISOString() : String(value)]);
    };
    put('Session ID', session.id);
    put('Status', s?.Status ?? 'NOT_FOUND');
    if (s?.ErrorMessage) put('Error', s.ErrorMessage);
    put('Role', s?.Role);
    put('CreatedOn', s?.CreatedOn);
    put('GlueVersion', s?.GlueVersion);
    put('Session Type', commandLabel(s?.Command?.Name));
    put('Idle Timeout', s?.IdleTimeout ?? session.requested?.IdleTimeout);
    put('Timeout', session.requested?.Timeout);
    if (s?.WorkerType || s?.NumberOfWorkers !== undefined) {
      put('Worker Type', s?.WorkerType);
      put('Number of Workers', s?.NumberOfWorkers);
    } else {
      put('Max Capacity', s?.MaxCapacity);
    }
    put('Region', clients.settings.region);
    if (clients.settings.endpoint) put('Endpoint', clients.settings.endpoint);
    put('Connections', (s?.Connections?.Connections ?? []).join(', ') || 'none');
    rows.push(['Tags', await this.describeTags(session, signal)]);
    const args = Object.entries(s?.DefaultArguments ?? {});
    put('Arguments Passed', args.length > 0 ? args.map(([k, v]) => `${k} ${v}`).join('\n') : 'none');
    return { rows };
  }

  private async describeTags(session: ActiveSession, signal: AbortSignal): Promise<string> {
    try {
      const arn = await this.arnFor(session, signal);
      const r = await this.aws(
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
      const code = (err as { code?: string }).code;
      if (code === 'AccessDeniedException' || code === 'AccessDenied')
        return 'not shown: these credentials may not call glue:GetTags (or sts:GetCallerIdentity)';
      return `not shown: ${(err as Error).message}`;
    }
  }

  private async arnFor(session: ActiveSession, signal: AbortSignal): Promise<string> {
    const me = await this.callerIdentity(session.clients, signal);
    return sessionArn(session.clients.settings.region, me.account, session.id);
  }

  // ---- stop, close ----------------------------------------------------------------------------

  async stopSession(notify: BackendNotifier): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    notify.info(`Stopping session: ${session.id}`);
    const ended = await this.stop(session, boundedSignal(this.o.stopTimeoutMs));
    this.forget(session);
    notify.info(
      ended ? `Session ${session.id} had already ended (${ended}).` : `Stopped session ${session.id}.`,
    );
    return true;
  }

  /** StopSession; returns the status when the session had already ended, undefined when stopped now. */
  private async stop(session: ActiveSession, signal: AbortSignal): Promise<string | undefined> {
    const { clients } = session;
    try {
      await this.aws(
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
      const code = (err as { code?: string }).code;
      if (code === 'EntityNotFoundException') return 'it no longer exists';
      if (code === 'IllegalSessionStateException' || code === 'InvalidInputException') {
        const s = await this.getSession(
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

  async close(signal: AbortSignal): Promise<void> {
    const session = this.session;
    this.session = undefined;
    try {
      if (session) {
        await this.stop(session, boundedSignal(this.o.stopTimeoutMs, signal)).catch((err: unknown) => {
          this.options.logger?.warn(
            `Could not stop session ${session.id} at shutdown: ${(err as Error).message}`,
          );
        });
      }
    } finally {
      session?.clients.destroy();
      if (this.cachedClients !== session?.clients) this.cachedClients?.destroy();
      this.cachedClients = undefined;
      this.cachedKey = undefined;
    }
  }

  // ---- magics -----------------------------------------------------------------------------------

  /** %list_sessions: every session in the region (every page). */
  async listSessions(signal: AbortSignal, options: { pageSize?: number } = {}): Promise<SessionListEntry[]> {
    const clients = await this.clients();
    const out: SessionListEntry[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await this.aws(
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
          current: s.Id === this.session?.id,
        });
      }
      // Ids without a Session body (older answers) still count.
      for (const id of r.Ids ?? []) {
        if (!sessions.some((s) => s.Id === id))
          out.push({ id, status: 'UNKNOWN', current: id === this.session?.id });
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
  async reconnect(id: string, notify: BackendNotifier, signal: AbortSignal): Promise<void> {
    const target = id.trim();
    if (target === '')
      throw new GlueKernelError(
        'UsageError',
        'Give the id of the session to switch to: %reconnect <session-id> (%list_sessions lists them).',
      );
    const clients = await this.clients();
    let s: Session | undefined;
    try {
      s = await this.getSession(clients, target, `Looking up session ${target}`, signal);
    } catch (err) {
      if ((err as { code?: string }).code === 'EntityNotFoundException') {
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
    const old = this.session;
    if (old?.id === target) {
      notify.info(`Already connected to session ${target}.`);
      return;
    }
    this.session = { id: target, clients, ready: status === 'READY' };
    this.endedNote = undefined;
    if (old) {
      notify.warn(
        `NOTE: session ${old.id} was not stopped and keeps running (and costing) until its idle timeout. ` +
          `To stop it: %delete_session ${old.id}, or %reconnect ${old.id} then %stop_session.`,
      );
      if (old.clients !== this.cachedClients && old.clients !== clients) old.clients.destroy();
    }
    notify.info(`Switched to session ${target} (${status}).`);
  }

  /** %delete_session [id]: DeleteSession on the given session, or the current one. Returns the id. */
  async deleteSession(id: string | undefined, notify: BackendNotifier, signal: AbortSignal): Promise<string> {
    const target = id?.trim() || this.session?.id;
    if (!target)
      throw new GlueKernelError(
        'UsageError',
        'There is no current session; give the id to delete: %delete_session <session-id>.',
      );
    const current = this.session?.id === target ? this.session : undefined;
    const clients = current?.clients ?? (await this.clients());
    try {
      await this.aws(
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
      if ((err as { code?: string }).code === 'EntityNotFoundException') {
        if (current) this.forget(current);
        throw new GlueKernelError(
          'SessionNotFound',
          `Session ${target} was not found in ${clients.settings.region} (already deleted?).`,
        );
      }
      throw err;
    }
    if (current) this.forget(current);
    notify.info(`Deleted session ${target}.${current ? ' The next code cell starts a new session.' : ''}`);
    return target;
  }

  /** %%tags with a session: TagResource on it. False when there is no session (the tags apply at creation). */
  async tagSession(tags: Record<string, string>, signal: AbortSignal): Promise<boolean> {
    const session = this.session;
    if (!session || Object.keys(tags).length === 0) return false;
    const arn = await this.arnFor(session, signal);
    await this.aws(
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
}
