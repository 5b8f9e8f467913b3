// The Glue interactive-sessions state machines, with no HTTP in sight: sessions
// (PROVISIONING → READY → STOPPING → STOPPED, FAILED, TIMEOUT) and their statements
// (WAITING → RUNNING → AVAILABLE | ERROR, CANCELLING → CANCELLED). Requests reach this layer
// already validated against the model's shapes; the rules here are the service's semantic
// ones (state, existence, worker settings). Time runs on a scale: one API "minute" lasts
// minuteMs of wall time, so tests can make idle timeouts short.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StatementOutput } from '../runner/statement-output';
import { dashboardPage, type DashboardSession } from './dashboard';
import { GlueError, illegalState, invalidInput, notFound } from './errors';
import type { StatementExecutor, StatementRunner } from './executor';

export type SessionStatus = 'PROVISIONING' | 'READY' | 'FAILED' | 'TIMEOUT' | 'STOPPING' | 'STOPPED';
export type StatementState = 'WAITING' | 'RUNNING' | 'AVAILABLE' | 'CANCELLING' | 'CANCELLED' | 'ERROR';

const TERMINAL_SESSION: ReadonlySet<SessionStatus> = new Set(['FAILED', 'TIMEOUT', 'STOPPED']);
const TERMINAL_STATEMENT: ReadonlySet<StatementState> = new Set(['AVAILABLE', 'CANCELLED', 'ERROR']);

/** DPUs per worker, to derive MaxCapacity from WorkerType × NumberOfWorkers. */
export const DPU_PER_WORKER: Record<string, number> = {
  Standard: 1,
  'G.025X': 0.25,
  'G.1X': 1,
  'G.2X': 2,
  'G.4X': 4,
  'G.8X': 8,
  'Z.2X': 2,
};
export const DEFAULT_TIMEOUT_MINUTES = 2880;
export const DEFAULT_WORKER_TYPE = 'G.1X';
export const DEFAULT_NUMBER_OF_WORKERS = 5;
export const DEFAULT_GLUE_VERSION = '4.0';
export const SESSION_COMMANDS = ['glueetl', 'gluestreaming'];
/** The message the service gives for statement calls on a session whose REPL is gone (seen in the wild). */
export const REPL_UNAVAILABLE = 'Session unavailable, fail to call ReplServer';
const STATEMENT_PAGE_SIZE = 100;
export const DEFAULT_KEEP_STATEMENTS = 1000;
/** The path of the session dashboards (the emulator's Spark UI stand-in). */
export const DASHBOARD_PREFIX = '/_dashboard/';
const MAX_TIMER_MS = 2 ** 31 - 1;
const REINTERRUPT_MS = 500;

export interface CreateSessionInput {
  Id: string;
  Description?: string;
  Role: string;
  Command: { Name?: string; PythonVersion?: string };
  Timeout?: number;
  IdleTimeout?: number;
  DefaultArguments?: Record<string, string>;
  Connections?: { Connections?: string[] };
  MaxCapacity?: number;
  NumberOfWorkers?: number;
  WorkerType?: string;
  SecurityConfiguration?: string;
  GlueVersion?: string;
  Tags?: Record<string, string>;
  RequestOrigin?: string;
  SessionType?: string;
}

/** The wire form of Session (GetSession etc.), members in the model's order. */
export interface SessionView {
  Id: string;
  CreatedOn: number;
  Status: SessionStatus;
  ErrorMessage?: string;
  Description?: string;
  Role: string;
  Command: { Name?: string; PythonVersion?: string };
  DefaultArguments?: Record<string, string>;
  Connections?: { Connections?: string[] };
  Progress: number;
  MaxCapacity?: number;
  SecurityConfiguration?: string;
  GlueVersion?: string;
  NumberOfWorkers?: number;
  WorkerType?: string;
  CompletedOn?: number;
  ExecutionTime?: number;
  DPUSeconds?: number;
  IdleTimeout?: number;
  SessionType?: string;
}

export interface StatementView {
  Id: number;
  Code: string;
  State: StatementState;
  Output?: StatementOutput;
  Progress: number;
  StartedOn?: number;
  CompletedOn?: number;
}

export interface SessionManagerOptions {
  executor: StatementExecutor;
  /** Wall ms from CreateSession to READY (the runner's start-up counts towards it). Default 0. */
  provisionMs?: number;
  /** Wall ms one API minute lasts (IdleTimeout, Timeout). Default 60000. */
  minuteMs?: number;
  /** Concurrent (not terminal) sessions allowed; more → ResourceNumberLimitExceededException. Default 25. */
  maxSessions?: number;
  /**
   * Finished statements kept per session (default 1000): older ones are forgotten (GetStatement
   * answers EntityNotFoundException, ListStatements leaves them out) so memory stays bounded.
   */
  keepStatements?: number;
  accountId: string;
  region: string;
  logger?: { debug(m: string): void; warn(m: string): void };
}

interface StatementRecord {
  id: number;
  code: string;
  state: StatementState;
  output?: StatementOutput;
  progress: number;
  startedOn?: number;
  completedOn?: number;
  reinterrupt?: NodeJS.Timeout;
}

interface SessionRecord {
  seq: number;
  input: CreateSessionInput;
  id: string;
  createdOn: number;
  status: SessionStatus;
  errorMessage?: string;
  readyAt?: number;
  completedOn?: number;
  timeoutMin: number;
  idleTimeoutMin: number;
  maxCapacity: number;
  workerType?: string;
  numberOfWorkers?: number;
  glueVersion: string;
  tags: Map<string, string>;
  runner?: StatementRunner;
  /** The statements kept (see keepStatements), oldest first; ids are consecutive. */
  statements: StatementRecord[];
  /** How many statements were forgotten: the id of statements[0]. */
  forgottenStatements: number;
  queue: StatementRecord[];
  running?: StatementRecord;
  executionCount: number;
  provisionTimer?: NodeJS.Timeout;
  lifetimeTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  provisionElapsed: boolean;
  deleted: boolean;
  /** The secret in the session's dashboard URL (GetDashboardUrl), as a presigned URL has one. */
  dashboardToken: string;
}

function timer(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
  t.unref();
  return t;
}

/** A deadline timer that survives delays longer than setTimeout's 24.8 days. */
function deadline(at: number, fn: () => void, set: (t: NodeJS.Timeout) => void): void {
  const remaining = at - Date.now();
  if (remaining > MAX_TIMER_MS) set(timer(() => deadline(at, fn, set), MAX_TIMER_MS));
  else set(timer(fn, remaining));
}

function cancelledOutput(executionCount: number): StatementOutput {
  return {
    Data: { TextPlain: '' },
    ExecutionCount: executionCount,
    Status: 'error',
    ErrorName: 'KeyboardInterrupt',
    ErrorValue: 'The statement was cancelled.',
    Traceback: [],
  };
}

const SCALA_MESSAGE =
  'The Glue emulator runs Python only, so it does not create Scala sessions (--session-language scala). Use the Glue PySpark kernel with the emulator, or a real Glue endpoint for Scala.';

export class SessionManager {
  private readonly sessions = new Map<string, SessionRecord>();
  private seq = 0;
  private closed = false;
  private readonly provisionMs: number;
  readonly minuteMs: number;
  private readonly maxSessions: number;
  readonly keepStatements: number;
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly options: SessionManagerOptions) {
    this.provisionMs = options.provisionMs ?? 0;
    this.minuteMs = options.minuteMs ?? 60_000;
    this.maxSessions = options.maxSessions ?? 25;
    this.keepStatements = options.keepStatements ?? DEFAULT_KEEP_STATEMENTS;
  }

  private track<T>(p: Promise<T>): void {
    const tracked = p.then(
      () => undefined,
      (err: unknown) => this.options.logger?.warn(`emulator: background task failed: ${String(err)}`),
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  sessionArn(id: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.accountId}:session/${id}`;
  }

  // ---- sessions ----------------------------------------------------------------------------

  createSession(input: CreateSessionInput): SessionView {
    if (this.closed) throw new GlueError('InternalServiceException', 'The emulator is shutting down.', 500);
    const name = input.Command.Name;
    if (name === undefined) throw invalidInput('Command.Name is required: glueetl or gluestreaming.');
    if (!SESSION_COMMANDS.includes(name))
      throw invalidInput(
        `Command.Name '${name}' is not supported for sessions; use one of: ${SESSION_COMMANDS.join(', ')}.`,
      );
    if (
      input.MaxCapacity !== undefined &&
      (input.WorkerType !== undefined || input.NumberOfWorkers !== undefined)
    )
      throw invalidInput('Please set either MaxCapacity, or WorkerType and NumberOfWorkers, not both.');
    if (input.SessionType === 'SPARK_CONNECT')
      throw invalidInput(
        'The emulator runs LIVY sessions only: Spark Connect sessions need Glue 5.1 and a Spark Connect client.',
      );
    if ((input.WorkerType === undefined) !== (input.NumberOfWorkers === undefined))
      throw invalidInput('Please set both WorkerType and NumberOfWorkers.');
    if (input.NumberOfWorkers !== undefined && input.NumberOfWorkers < 1)
      throw invalidInput(`NumberOfWorkers must be at least 1, got ${input.NumberOfWorkers}.`);
    if (input.MaxCapacity !== undefined && !(input.MaxCapacity > 0))
      throw invalidInput(`MaxCapacity must be greater than 0, got ${input.MaxCapacity}.`);
    if (input.GlueVersion !== undefined) {
      const major = Number.parseInt(input.GlueVersion.split('.')[0], 10);
      if (!(major >= 2))
        throw invalidInput(`Interactive sessions need GlueVersion 2.0 or later, got '${input.GlueVersion}'.`);
    }
    // Refused at creation, not per statement: nothing is provisioned that could never run a cell.
    if ((input.DefaultArguments?.['--session-language'] ?? 'python').toLowerCase() === 'scala')
      throw invalidInput(SCALA_MESSAGE);
    if (this.sessions.has(input.Id)) throw new GlueError('AlreadyExistsException', 'Session already exists.');
    const active = [...this.sessions.values()].filter((s) => !TERMINAL_SESSION.has(s.status)).length;
    if (active >= this.maxSessions)
      throw new GlueError(
        'ResourceNumberLimitExceededException',
        `Number of concurrent sessions exceeds the limit of ${this.maxSessions}; stop or delete a session first.`,
      );

    const timeoutMin = input.Timeout ?? DEFAULT_TIMEOUT_MINUTES;
    const workerType =
      input.MaxCapacity === undefined ? (input.WorkerType ?? DEFAULT_WORKER_TYPE) : undefined;
    const numberOfWorkers =
      input.MaxCapacity === undefined ? (input.NumberOfWorkers ?? DEFAULT_NUMBER_OF_WORKERS) : undefined;
    const s: SessionRecord = {
      seq: ++this.seq,
      input,
      id: input.Id,
      createdOn: Date.now(),
      status: 'PROVISIONING',
      timeoutMin,
      idleTimeoutMin: input.IdleTimeout ?? timeoutMin,
      maxCapacity: input.MaxCapacity ?? (numberOfWorkers ?? 0) * (DPU_PER_WORKER[workerType ?? ''] ?? 1),
      workerType,
      numberOfWorkers,
      glueVersion: input.GlueVersion ?? DEFAULT_GLUE_VERSION,
      tags: new Map(Object.entries(input.Tags ?? {})),
      statements: [],
      forgottenStatements: 0,
      queue: [],
      executionCount: 0,
      provisionElapsed: false,
      deleted: false,
      dashboardToken: randomBytes(24).toString('base64url'),
    };
    this.sessions.set(s.id, s);
    deadline(
      s.createdOn + timeoutMin * this.minuteMs,
      () => this.timeout(s, 'Timeout'),
      (t) => (s.lifetimeTimer = t),
    );
    s.provisionTimer = timer(() => {
      s.provisionTimer = undefined;
      s.provisionElapsed = true;
      this.maybeReady(s);
    }, this.provisionMs);
    this.track(this.startRunner(s));
    return this.view(s);
  }

  private async startRunner(s: SessionRecord): Promise<void> {
    let runner: StatementRunner;
    try {
      runner = await this.options.executor.start({
        id: s.id,
        defaultArguments: { ...(s.input.DefaultArguments ?? {}) },
      });
    } catch (err) {
      if (s.status === 'PROVISIONING') {
        this.finishSession(
          s,
          'FAILED',
          `The session's Python runner could not start: ${(err as Error).message ?? String(err)}`,
        );
      }
      return;
    }
    if (s.status !== 'PROVISIONING' || s.deleted) {
      await runner.stop(500);
      return;
    }
    s.runner = runner;
    runner.onUnexpectedExit((exit) => {
      if (s.runner !== runner) return;
      s.runner = undefined;
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      this.options.logger?.warn(`emulator: runner of session ${s.id} exited unexpectedly (${how})`);
      if (!TERMINAL_SESSION.has(s.status) && s.status !== 'STOPPING') {
        // Let the running statement settle with the runner's own "RunnerDied" output first.
        setImmediate(() => {
          if (!TERMINAL_SESSION.has(s.status) && s.status !== 'STOPPING')
            this.finishSession(s, 'FAILED', `The session's Python runner exited unexpectedly (${how}).`);
        });
      }
    });
    this.maybeReady(s);
  }

  private maybeReady(s: SessionRecord): void {
    if (s.status !== 'PROVISIONING' || !s.provisionElapsed) return;
    if (!s.runner) return;
    s.status = 'READY';
    s.readyAt = Date.now();
    this.armIdle(s);
    this.pump(s);
  }

  private armIdle(s: SessionRecord): void {
    if (s.idleTimer) clearTimeout(s.idleTimer);
    s.idleTimer = undefined;
    if (s.status !== 'READY' || s.running || s.queue.length > 0) return;
    deadline(
      Date.now() + s.idleTimeoutMin * this.minuteMs,
      () => this.timeout(s, 'IdleTimeout'),
      (t) => (s.idleTimer = t),
    );
  }

  private timeout(s: SessionRecord, which: 'Timeout' | 'IdleTimeout'): void {
    if (s.status !== 'READY' && s.status !== 'PROVISIONING') return;
    const minutes = which === 'Timeout' ? s.timeoutMin : s.idleTimeoutMin;
    this.options.logger?.debug(`emulator: session ${s.id} reached its ${which} of ${minutes} minutes`);
    this.finishSession(
      s,
      'TIMEOUT',
      which === 'IdleTimeout' ? `Session idle for ${minutes} minutes.` : undefined,
    );
  }

  private clearTimers(s: SessionRecord): void {
    for (const t of [s.provisionTimer, s.lifetimeTimer, s.idleTimer]) if (t) clearTimeout(t);
    s.provisionTimer = s.lifetimeTimer = s.idleTimer = undefined;
  }

  /** Ends the session in a terminal state: statements still pending are closed, the runner stopped. */
  private finishSession(
    s: SessionRecord,
    status: 'FAILED' | 'TIMEOUT' | 'STOPPED',
    errorMessage?: string,
  ): void {
    this.clearTimers(s);
    s.status = status;
    if (errorMessage !== undefined) s.errorMessage = errorMessage;
    s.completedOn = Date.now();
    this.abandonStatements(s, status === 'FAILED' ? 'ERROR' : 'CANCELLED');
    const runner = s.runner;
    s.runner = undefined;
    if (runner) this.track(runner.stop(1000));
  }

  private abandonStatements(s: SessionRecord, state: 'ERROR' | 'CANCELLED'): void {
    const now = Date.now();
    const pending = [...(s.running ? [s.running] : []), ...s.queue];
    s.queue = [];
    s.running = undefined;
    for (const st of pending) {
      if (st.reinterrupt) clearInterval(st.reinterrupt);
      st.state = st.state === 'CANCELLING' ? 'CANCELLED' : state;
      st.progress = 1;
      st.completedOn = now;
      st.output ??=
        state === 'ERROR'
          ? {
              Data: { TextPlain: '' },
              ExecutionCount: s.executionCount,
              Status: 'error',
              ErrorName: 'SessionFailed',
              ErrorValue: s.errorMessage ?? `The session ended (${s.status}).`,
              Traceback: [],
            }
          : cancelledOutput(s.executionCount);
    }
  }

  private get(id: string): SessionRecord {
    const s = this.sessions.get(id);
    if (!s) throw notFound(`Session ${id} not found.`);
    return s;
  }

  getSession(id: string): SessionView {
    return this.view(this.get(id));
  }

  listSessions(input: { NextToken?: string; MaxResults?: number; Tags?: Record<string, string> }): {
    Ids: string[];
    Sessions: SessionView[];
    NextToken?: string;
  } {
    let after = 0;
    if (input.NextToken !== undefined) after = decodeToken(input.NextToken, 'sessions');
    const filter = Object.entries(input.Tags ?? {});
    const max = input.MaxResults ?? 1000;
    const matching = [...this.sessions.values()]
      .filter((s) => s.seq > after)
      .filter((s) => filter.every(([k, v]) => s.tags.get(k) === v))
      .sort((a, b) => a.seq - b.seq);
    const page = matching.slice(0, max);
    const out: { Ids: string[]; Sessions: SessionView[]; NextToken?: string } = {
      Ids: page.map((s) => s.id),
      Sessions: page.map((s) => this.view(s)),
    };
    if (matching.length > max) out.NextToken = encodeToken(page[page.length - 1].seq, 'sessions');
    return out;
  }

  stopSession(id: string): { Id: string } {
    const s = this.get(id);
    if (s.status !== 'READY' && s.status !== 'PROVISIONING')
      throw illegalState(`Session ${id} is in ${s.status} status and cannot be stopped.`);
    this.clearTimers(s);
    s.status = 'STOPPING';
    this.abandonStatements(s, 'CANCELLED');
    const runner = s.runner;
    s.runner = undefined;
    this.track(
      (async () => {
        if (runner) {
          runner.interrupt();
          await runner.stop(1000);
        }
        // Visible as STOPPING at least until the next turn of the event loop.
        await new Promise((r) => setImmediate(r));
        if (s.status === 'STOPPING') {
          s.status = 'STOPPED';
          s.completedOn = Date.now();
        }
      })(),
    );
    return { Id: id };
  }

  deleteSession(id: string): { Id: string } {
    const s = this.get(id);
    this.sessions.delete(id);
    s.deleted = true;
    if (!TERMINAL_SESSION.has(s.status)) this.finishSession(s, 'STOPPED');
    return { Id: id };
  }

  // ---- statements --------------------------------------------------------------------------

  runStatement(sessionId: string, code: string): { Id: number } {
    const s = this.get(sessionId);
    if (s.status !== 'READY')
      throw invalidInput(`Session is not ready, session_id=${sessionId}, status=${s.status}`);
    const id = s.forgottenStatements + s.statements.length;
    const st: StatementRecord = { id, code, state: 'WAITING', progress: 0 };
    s.statements.push(st);
    this.forgetOldStatements(s);
    s.queue.push(st);
    if (s.idleTimer) clearTimeout(s.idleTimer);
    s.idleTimer = undefined;
    this.pump(s);
    return { Id: st.id };
  }

  /** Drops the oldest finished statements beyond keepStatements (waiting or running ones stay). */
  private forgetOldStatements(s: SessionRecord): void {
    let drop = 0;
    while (
      s.statements.length - drop > this.keepStatements &&
      TERMINAL_STATEMENT.has(s.statements[drop].state)
    )
      drop++;
    if (drop === 0) return;
    s.statements.splice(0, drop);
    s.forgottenStatements += drop;
  }

  /** Starts the next waiting statement if the session is free: one at a time, in order. */
  private pump(s: SessionRecord): void {
    if (s.status !== 'READY' || s.running) return;
    const st = s.queue.shift();
    if (!st) return;
    s.running = st;
    st.state = 'RUNNING';
    st.startedOn = Date.now();
    const executionCount = ++s.executionCount;
    let run: Promise<StatementOutput>;
    if (!s.runner) {
      run = Promise.resolve({
        Status: 'error',
        ErrorName: 'RunnerDied',
        ErrorValue: 'The session has no runner.',
        Traceback: [],
      });
    } else {
      run = s.runner.execute(st.code);
    }
    run.then(
      (output) => this.settle(s, st, output, executionCount),
      (err: unknown) =>
        this.settle(
          s,
          st,
          {
            Status: 'error',
            ErrorName: 'RunnerError',
            ErrorValue: String((err as Error)?.message ?? err),
            Traceback: [],
          },
          executionCount,
        ),
    );
  }

  private settle(
    s: SessionRecord,
    st: StatementRecord,
    output: StatementOutput,
    executionCount: number,
  ): void {
    if (st.reinterrupt) clearInterval(st.reinterrupt);
    st.reinterrupt = undefined;
    if (TERMINAL_STATEMENT.has(st.state)) return; // already closed by stop/timeout/failure
    const out: StatementOutput = { ...output, ExecutionCount: executionCount };
    if (out.Data === undefined) out.Data = { TextPlain: '' };
    st.output = out;
    st.completedOn = Date.now();
    st.progress = 1;
    if (st.state === 'CANCELLING') st.state = 'CANCELLED';
    else if (output.ErrorName === 'RunnerDied') st.state = 'ERROR';
    else st.state = 'AVAILABLE';
    if (s.running === st) s.running = undefined;
    this.forgetOldStatements(s);
    this.armIdle(s);
    this.pump(s);
  }

  private statementSession(sessionId: string): SessionRecord {
    const s = this.get(sessionId);
    if (s.status !== 'READY') throw illegalState(REPL_UNAVAILABLE);
    return s;
  }

  private statement(s: SessionRecord, id: number): StatementRecord {
    const index = id - s.forgottenStatements;
    const st = Number.isInteger(index) && index >= 0 ? s.statements[index] : undefined;
    if (!st) throw notFound(`Statement ${id} not found in session ${s.id}.`);
    return st;
  }

  getStatement(sessionId: string, id: number): StatementView {
    const s = this.statementSession(sessionId);
    return statementView(this.statement(s, id));
  }

  listStatements(sessionId: string, nextToken?: string): { Statements: StatementView[]; NextToken?: string } {
    const s = this.statementSession(sessionId);
    // Tokens hold a statement id, so a page stays right while old statements are forgotten.
    const startId = nextToken === undefined ? 0 : decodeToken(nextToken, `statements:${sessionId}`);
    const start = Math.max(0, startId - s.forgottenStatements);
    const page = s.statements.slice(start, start + STATEMENT_PAGE_SIZE);
    const out: { Statements: StatementView[]; NextToken?: string } = { Statements: page.map(statementView) };
    if (start + STATEMENT_PAGE_SIZE < s.statements.length)
      out.NextToken = encodeToken(page[page.length - 1].id + 1, `statements:${sessionId}`);
    return out;
  }

  cancelStatement(sessionId: string, id: number): Record<string, never> {
    const s = this.statementSession(sessionId);
    const st = this.statement(s, id);
    if (st.state === 'WAITING') {
      s.queue = s.queue.filter((q) => q !== st);
      st.state = 'CANCELLED';
      st.progress = 1;
      st.completedOn = Date.now();
      st.output = cancelledOutput(s.executionCount);
      this.armIdle(s);
    } else if (st.state === 'RUNNING') {
      st.state = 'CANCELLING';
      const runner = s.runner;
      runner?.interrupt();
      // A statement may swallow one KeyboardInterrupt; keep asking until it ends.
      st.reinterrupt = setInterval(() => {
        if (st.state !== 'CANCELLING' || !runner?.alive) {
          if (st.reinterrupt) clearInterval(st.reinterrupt);
          return;
        }
        runner.interrupt();
      }, REINTERRUPT_MS);
      st.reinterrupt.unref();
    }
    return {};
  }

  // ---- tags --------------------------------------------------------------------------------

  private byArn(arn: string): SessionRecord {
    const m = /^arn:aws[^:]*:glue:([^:]*):([^:]*):session\/(.+)$/.exec(arn);
    if (!m)
      throw invalidInput(
        `Resource ${arn} is not a Glue session ARN (arn:aws:glue:REGION:ACCOUNT:session/ID).`,
      );
    if (m[2] !== this.options.accountId) throw notFound(`Resource ${arn} not found.`);
    const s = this.sessions.get(m[3]);
    if (!s) throw notFound(`Resource ${arn} not found.`);
    return s;
  }

  getTags(arn: string): { Tags: Record<string, string> } {
    return { Tags: Object.fromEntries(this.byArn(arn).tags) };
  }

  tagResource(arn: string, tags: Record<string, string>): Record<string, never> {
    const s = this.byArn(arn);
    const merged = new Map(s.tags);
    for (const [k, v] of Object.entries(tags)) merged.set(k, v);
    if (merged.size > 50)
      throw invalidInput(`A resource can have at most 50 tags; this would give it ${merged.size}.`);
    s.tags = merged;
    return {};
  }

  untagResource(arn: string, keys: string[]): Record<string, never> {
    const s = this.byArn(arn);
    for (const k of keys) s.tags.delete(k);
    return {};
  }

  // ---- admin -------------------------------------------------------------------------------

  forceFail(id: string, message = 'Session failed (forced through the emulator admin path).'): SessionView {
    const s = this.get(id);
    if (!TERMINAL_SESSION.has(s.status)) this.finishSession(s, 'FAILED', message);
    return this.view(s);
  }

  forceTimeout(id: string): SessionView {
    const s = this.get(id);
    if (!TERMINAL_SESSION.has(s.status)) this.finishSession(s, 'TIMEOUT');
    return this.view(s);
  }

  /** Kills the session's interpreter as a crash would; the session then goes FAILED. */
  killRunner(id: string): boolean {
    const s = this.get(id);
    if (!s.runner) return false;
    s.runner.kill();
    return true;
  }

  // ---- the Spark UI and endpoints (2026 operations) --------------------------------------------

  /** Where this server can be reached (set once it listens): the dashboard URLs point there. */
  dashboardBase = 'http://127.0.0.1';

  getDashboardUrl(resourceId: string, resourceType: string): { Url: string } {
    if (resourceType !== 'SESSION')
      throw notFound(`Job ${resourceId} not found (the emulator has sessions only).`);
    const s = this.get(resourceId);
    const path = `${DASHBOARD_PREFIX}${encodeURIComponent(s.id)}`;
    return { Url: `${this.dashboardBase}${path}?token=${s.dashboardToken}` };
  }

  getSessionEndpoint(id: string): never {
    const s = this.get(id);
    throw new GlueError(
      'OperationNotSupportedException',
      `Session ${s.id} is a ${s.input.SessionType ?? 'LIVY'} session; GetSessionEndpoint is for SPARK_CONNECT sessions.`,
    );
  }

  /** The dashboard page of a session, or undefined when the id or the token is wrong. */
  dashboard(id: string, token: string | null): string | undefined {
    const s = this.sessions.get(id);
    if (!s || token === null || token.length !== s.dashboardToken.length) return undefined;
    if (!timingSafeEqualText(token, s.dashboardToken)) return undefined;
    const view = this.view(s);
    const session: DashboardSession = { ...view, statements: s.statements.map(statementView) };
    return dashboardPage(session);
  }

  /** Admin: the Progress GetStatement reports for a running statement (0..1). */
  setStatementProgress(sessionId: string, id: number, progress: number): StatementView {
    if (!(progress >= 0 && progress <= 1))
      throw invalidInput(`progress must be between 0 and 1, got ${progress}.`);
    const st = this.statement(this.get(sessionId), id);
    if (st.state !== 'RUNNING' && st.state !== 'WAITING')
      throw invalidInput(
        `Statement ${id} is ${st.state}; only a WAITING or RUNNING statement takes a progress.`,
      );
    st.progress = progress;
    return statementView(st);
  }

  /** A statement whatever its session's state (the API hides them once the REPL is gone). */
  inspectStatement(sessionId: string, id: number): StatementView {
    return statementView(this.statement(this.get(sessionId), id));
  }

  /** Every statement still kept, whatever its session's state (tests count what ran). */
  inspectStatements(sessionId: string): StatementView[] {
    return this.get(sessionId).statements.map(statementView);
  }

  /** Internal view for the admin path (runner pid and queue, beyond what the API shows). */
  inspect(): {
    id: string;
    status: SessionStatus;
    runnerPid?: number;
    runnerAlive: boolean;
    running?: number;
    waiting: number[];
    statements: number;
    forgottenStatements: number;
  }[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      status: s.status,
      runnerPid: s.runner?.pid,
      runnerAlive: s.runner?.alive ?? false,
      running: s.running?.id,
      waiting: s.queue.map((q) => q.id),
      statements: s.statements.length,
      forgottenStatements: s.forgottenStatements,
    }));
  }

  /** Stops every session's runner and clears every timer. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const s of this.sessions.values()) {
      if (!TERMINAL_SESSION.has(s.status)) this.finishSession(s, 'STOPPED');
      else this.clearTimers(s);
    }
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  // ---- views -------------------------------------------------------------------------------

  private view(s: SessionRecord): SessionView {
    const i = s.input;
    const v: SessionView = {
      Id: s.id,
      CreatedOn: s.createdOn / 1000,
      Status: s.status,
      ErrorMessage: s.errorMessage,
      Description: i.Description,
      Role: i.Role,
      Command: { ...i.Command, Name: i.Command.Name },
      DefaultArguments: i.DefaultArguments,
      Connections: i.Connections,
      Progress: s.status === 'PROVISIONING' ? 0 : 1,
      MaxCapacity: s.maxCapacity,
      SecurityConfiguration: i.SecurityConfiguration,
      GlueVersion: s.glueVersion,
      NumberOfWorkers: s.numberOfWorkers,
      WorkerType: s.workerType,
      CompletedOn: s.completedOn !== undefined ? s.completedOn / 1000 : undefined,
      IdleTimeout: s.idleTimeoutMin,
      SessionType: s.input.SessionType ?? 'LIVY',
    };
    if (s.readyAt !== undefined) {
      const end = s.completedOn ?? Date.now();
      const seconds = Math.max(0, end - s.readyAt) / 1000;
      v.ExecutionTime = seconds;
      v.DPUSeconds = seconds * s.maxCapacity;
    }
    return stripUndefined(v);
  }
}

function statementView(st: StatementRecord): StatementView {
  return stripUndefined({
    Id: st.id,
    Code: st.code,
    State: st.state,
    Output: st.output,
    Progress: st.progress,
    StartedOn: st.startedOn,
    CompletedOn: st.completedOn,
  });
}

function timingSafeEqualText(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Opaque pagination tokens: a position, bound to what is being listed so tokens cannot be mixed up. */
function encodeToken(position: number, scope: string): string {
  return Buffer.from(JSON.stringify({ p: position, s: scope })).toString('base64url');
}

function decodeToken(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      p?: unknown;
      s?: unknown;
    };
    if (parsed.s === scope && typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0)
      return parsed.p;
  } catch {
    // fall through
  }
  throw invalidInput('Invalid NextToken: pass the NextToken of a previous response unchanged.');
}

export function isTerminalStatement(state: StatementState): boolean {
  return TERMINAL_STATEMENT.has(state);
}
