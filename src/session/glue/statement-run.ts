// Running one statement in a READY session: RunStatement (never sent twice blindly: after an
// ambiguous failure the session's statements are searched for it first), then GetStatement on
// the schedule of poll.ts inside the kernel's call budget, surviving throttling and transient
// failures for as long as the statement runs, with a status line once it runs long; an
// interrupt cancels the statement (bounded wait for CANCELLED) and keeps the session. Errors
// that may mean the session ended go to session-ended.ts.
import type { Statement } from '@aws-sdk/client-glue';
import type { StatementOutput } from '../../runner/statement-output';
import type { BackendNotifier, StatementResult } from '../backend';
import { awsErrorClass, awsErrorCode, boundedSignal, untilAborted } from './aws-call';
import type { ActiveSession, GlueContext } from './context';
import { GlueKernelError } from './errors';
import { abortableSleep, formatElapsed, isAbortError, pollUntil } from './poll';
import { backoffDelay, classifyError, DEFAULT_RETRY } from './retry';
import { sessionErrorResult } from './session-ended';

/** RunStatement tries after ambiguous failures that found no trace of the statement. */
const SUBMIT_ROUNDS = 3;

/** Backoff between failed checks: short, since the call budget also spaces them out. */
const POLL_BACKOFF = { ...DEFAULT_RETRY, capMs: 2000 };

/** A throttling answer within this long puts the quiet note in the status line. */
const THROTTLE_NOTE_MS = 10_000;

export async function runStatement(
  ctx: GlueContext,
  session: ActiveSession,
  code: string,
  signal: AbortSignal,
  notify: BackendNotifier,
  executionCount?: number,
): Promise<StatementResult> {
  let statementId: number;
  const submittedAt = Date.now();
  try {
    statementId = await submit(ctx, session, code, signal, notify);
  } catch (err) {
    if (isAbortError(err)) return { kind: 'cancelled', message: 'Interrupted before the statement started.' };
    if (err instanceof GlueKernelError && err.ename === 'StatementStateUnknown')
      return { kind: 'failed', ename: err.ename, message: err.message };
    return sessionErrorResult(ctx, session, err);
  }
  seen(session, statementId);

  const label = executionCount !== undefined ? `In [${executionCount}]` : `Statement ${statementId}`;
  let last: Statement | undefined;
  let failingSince: number | undefined;
  let failures = 0;
  try {
    const statement = await pollUntil<Statement>({
      schedule: ctx.schedules.statement,
      signal,
      check: async (_attempt, s) => {
        let st: Statement;
        try {
          st = await getStatement(ctx, session, statementId, s, true);
        } catch (err) {
          const kind = awsErrorClass(err);
          if (isAbortError(err) || kind === 'permanent') throw err;
          // Throttling or a transient failure: the statement runs on; keep asking, more slowly.
          failingSince ??= Date.now();
          failures += 1;
          if (Date.now() - failingSince >= ctx.timing.pollGiveUpMs)
            throw gaveUp(session, statementId, Date.now() - failingSince, err);
          await abortableSleep(backoffDelay(failures, kind, POLL_BACKOFF), s);
          return { done: false, last };
        }
        failingSince = undefined;
        failures = 0;
        last = st;
        if (st.State === 'AVAILABLE' || st.State === 'ERROR' || st.State === 'CANCELLED')
          return { done: true, value: st };
        return { done: false, last: st };
      },
      onPending: () => {
        // The status display throttles its own updates and ticks the clock, so reporting on
        // every check costs nothing; a throttling note shows at once, even early.
        const throttled = ctx.budget.throttledWithin(THROTTLE_NOTE_MS);
        if (Date.now() - submittedAt < ctx.timing.progressAfterMs && !throttled) return;
        const state = last?.State ?? 'RUNNING';
        const notes: string[] = [];
        if (state === 'WAITING') notes.push('waiting for an earlier statement to finish');
        if (throttled) notes.push('Glue is throttling API calls on this account: checking less often');
        notify.progress({
          line: 'statement',
          label,
          state,
          since: submittedAt,
          fraction: typeof last?.Progress === 'number' ? last.Progress : undefined,
          note: notes.length > 0 ? notes.join('; ') : undefined,
        });
      },
    });
    const ranMs = Date.now() - submittedAt;
    return { ...finalResult(session, labelled(session, statement, executionCount)), ranMs };
  } catch (err) {
    if (isAbortError(err)) {
      const result = await cancel(ctx, session, statementId, notify, label);
      return { ...result, ranMs: Date.now() - submittedAt };
    }
    if (err instanceof GlueKernelError && err.ename === 'StatementResultUnknown')
      return { kind: 'failed', ename: err.ename, message: err.message };
    return sessionErrorResult(ctx, session, err);
  }
}

/** %statement <id>: a statement of the current session, rendered like a cell's result. */
export async function statementResult(
  ctx: GlueContext,
  session: ActiveSession,
  id: number,
  signal: AbortSignal,
): Promise<StatementResult> {
  let st: Statement;
  try {
    st = await getStatement(ctx, session, id, signal, false);
  } catch (err) {
    if (isAbortError(err)) throw err;
    const result = await sessionErrorResult(ctx, session, err);
    // Still the session in use after the check: it is alive, so the statement is what is missing.
    if (awsErrorCode(err) === 'EntityNotFoundException' && ctx.current() === session)
      return {
        kind: 'failed',
        ename: 'StatementNotFound',
        message: `Session ${session.id} has no statement ${id}.`,
      };
    return result;
  }
  seen(session, id);
  if (st.State === 'AVAILABLE' || st.State === 'ERROR' || st.State === 'CANCELLED')
    return finalResult(session, st);
  const pct =
    typeof st.Progress === 'number' && st.Progress > 0 ? `, ${Math.round(st.Progress * 100)}% done` : '';
  return {
    kind: 'failed',
    ename: 'StatementNotFinished',
    message: `Statement ${id} of session ${session.id} is still ${st.State ?? 'RUNNING'}${pct}. Run %statement ${id} again once it has finished.`,
  };
}

function seen(session: ActiveSession, id: number): void {
  if (session.lastStatementId === undefined || id > session.lastStatementId) session.lastStatementId = id;
}

function gaveUp(session: ActiveSession, id: number, failingMs: number, err: unknown): GlueKernelError {
  return new GlueKernelError(
    'StatementResultUnknown',
    `Gave up waiting for statement ${id}: checking on it kept failing for ${formatElapsed(failingMs)} ` +
      `(last: ${(err as Error).message}). It may still be running in session ${session.id}, and Glue keeps ` +
      `its result: run %statement ${id} to show it once it has finished. Running this cell again would run it a second time.`,
  );
}

/**
 * RunStatement, never blindly twice. Throttling is retried (the service refused the call). A
 * reset, a 5xx or a timeout is ambiguous: the service may have accepted the statement, so the
 * session's statements are searched for it (same code, newer than any this kernel has seen)
 * before it is sent again; when they cannot be read, the cell says that it cannot be known.
 */
async function submit(
  ctx: GlueContext,
  session: ActiveSession,
  code: string,
  signal: AbortSignal,
  notify: BackendNotifier,
): Promise<number> {
  const { clients } = session;
  for (let round = 1; ; round++) {
    try {
      const r = await ctx.call(
        clients,
        'RunStatement',
        'Running the statement',
        // Not aborted mid-request: if it reached the service we need its id to cancel it.
        () =>
          clients.glue.send(new clients.sdk.glue.RunStatementCommand({ SessionId: session.id, Code: code }), {
            abortSignal: boundedSignal(60_000),
          }),
        signal,
        { classify: (err) => (classifyError(err) === 'throttling' ? 'throttling' : 'permanent') },
      );
      if (r.Id === undefined)
        throw new GlueKernelError('GlueServiceError', 'RunStatement returned no statement id.');
      return r.Id;
    } catch (err) {
      if (isAbortError(err) || awsErrorClass(err) !== 'transient') throw err;
      const reason = (err as Error).message;
      let found: number | undefined;
      try {
        found = await findSent(ctx, session, code, boundedSignal(60_000, signal));
      } catch (lookErr) {
        if (isAbortError(lookErr) && signal.aborted) throw lookErr;
        throw new GlueKernelError(
          'StatementStateUnknown',
          `RunStatement failed in a way that leaves it unknown whether Glue accepted the statement (${reason}), ` +
            `and the session's statements could not be read to find out (${(lookErr as Error).message}). ` +
            `It may be running in session ${session.id}: look with %statement <id> (ids count up from 0) before running the cell again.`,
        );
      }
      if (found !== undefined) {
        notify.info(
          `The answer to RunStatement was lost (${shortReason(err)}), but Glue had accepted the statement: following statement ${found}.`,
        );
        return found;
      }
      if (round >= SUBMIT_ROUNDS) throw err;
      notify.info(
        `RunStatement failed (${shortReason(err)}) and Glue has no record of the statement; sending it again.`,
      );
      await abortableSleep(backoffDelay(round, 'transient'), signal);
    }
  }
}

function shortReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code ?? 'no answer';
}

/** The newest statement of the session with this code that this kernel has not seen yet. */
async function findSent(
  ctx: GlueContext,
  session: ActiveSession,
  code: string,
  signal: AbortSignal,
): Promise<number | undefined> {
  const { clients } = session;
  const after = session.lastStatementId ?? -1;
  let found: number | undefined;
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await ctx.call(
      clients,
      'ListStatements',
      `Looking for the statement just sent to session ${session.id}`,
      () =>
        clients.glue.send(
          new clients.sdk.glue.ListStatementsCommand({ SessionId: session.id, NextToken: token }),
          { abortSignal: signal },
        ),
      signal,
    );
    for (const st of r.Statements ?? []) {
      if (st.Id !== undefined && st.Id > after && st.Code === code && (found === undefined || st.Id > found))
        found = st.Id;
    }
    token = r.NextToken || undefined;
  } while (token && ++pages < 1000);
  return found;
}

async function getStatement(
  ctx: GlueContext,
  session: ActiveSession,
  id: number,
  signal: AbortSignal,
  /** The poll loop retries in its own way (as long as the statement runs): one attempt here. */
  once: boolean,
): Promise<Statement> {
  const { clients } = session;
  const r = await ctx.call(
    clients,
    'GetStatement',
    `Checking on statement ${id}`,
    () =>
      clients.glue.send(new clients.sdk.glue.GetStatementCommand({ SessionId: session.id, Id: id }), {
        abortSignal: signal,
      }),
    signal,
    once ? { retry: { maxAttempts: 1 } } : undefined,
  );
  if (!r.Statement)
    throw new GlueKernelError('GlueServiceError', `GetStatement returned no statement for id ${id}.`);
  return r.Statement;
}

/**
 * Tracebacks name the cell as the user sees it: the emulator's runner names statement files
 * "<cell K>" by the session's own count K (the output's ExecutionCount), which the session maps to
 * the kernel's "In [n]" for every statement this kernel ran. (Glue's Livy REPL names every
 * statement "<stdin>", which says nothing to map.)
 */
function labelled(session: ActiveSession, st: Statement, executionCount: number | undefined): Statement {
  const output = st.Output as StatementOutput | undefined;
  if (!output || executionCount === undefined) return st;
  if (typeof output.ExecutionCount === 'number') {
    session.cellLabels ??= new Map();
    session.cellLabels.set(output.ExecutionCount, executionCount);
  }
  const labels = session.cellLabels;
  if (!output.Traceback || !labels) return st;
  const Traceback = output.Traceback.map((line) =>
    line.replace(/File "<cell (\d+)>"/g, (whole, k: string) => {
      const n = labels.get(Number(k));
      return n === undefined ? whole : `File "<cell In[${n}]>"`;
    }),
  );
  return { ...st, Output: { ...output, Traceback } as Statement['Output'] };
}

function finalResult(session: ActiveSession, st: Statement): StatementResult {
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

/** How long CancelStatement itself may keep trying (retries, throttling) after the cell has ended. */
const CANCEL_REQUEST_MS = 60_000;

/**
 * Interrupt: CancelStatement, then wait (bounded by cancelWaitMs, so the interrupt is answered
 * promptly) for CANCELLED. The CancelStatement request is not bound by that wait: when Glue is
 * slow or throttling it keeps trying after the cell has ended. The session is kept.
 */
async function cancel(
  ctx: GlueContext,
  session: ActiveSession,
  id: number,
  notify: BackendNotifier,
  label: string,
): Promise<StatementResult> {
  const { clients } = session;
  const bound = boundedSignal(ctx.timing.cancelWaitMs);
  notify.status(`${label}: cancelling statement ${id}...`);
  let sent = false;
  const request = boundedSignal(CANCEL_REQUEST_MS);
  const cancelled = ctx
    .call(
      clients,
      'CancelStatement',
      `Cancelling statement ${id}`,
      () =>
        clients.glue.send(new clients.sdk.glue.CancelStatementCommand({ SessionId: session.id, Id: id }), {
          abortSignal: request,
        }),
      request,
    )
    .then(() => {
      sent = true;
    });
  cancelled.catch(() => undefined);
  try {
    await untilAborted(cancelled, bound);
    const st = await pollUntil<Statement>({
      schedule: ctx.schedules.cancel,
      signal: bound,
      immediate: true,
      check: async (_a, s) => {
        const got = await getStatement(ctx, session, id, s, false);
        return got.State === 'CANCELLED' || got.State === 'AVAILABLE' || got.State === 'ERROR'
          ? { done: true, value: got }
          : { done: false, last: got.State };
      },
    });
    if (st.State === 'AVAILABLE' || st.State === 'ERROR') {
      // It finished before the cancel took effect: its output is worth more than "cancelled".
      return finalResult(session, st);
    }
    return {
      kind: 'cancelled',
      message: `Statement ${id} was cancelled. Session ${session.id} is still running, with the variables defined before this cell.`,
    };
  } catch (err) {
    if (isAbortError(err)) {
      const waited = formatElapsed(ctx.timing.cancelWaitMs);
      return {
        kind: 'cancelled',
        message: sent
          ? `Asked Glue to cancel statement ${id}, but it had not stopped after ${waited}. Session ${session.id} may stay busy until it does; the next cell waits for it.`
          : `Asking Glue to cancel statement ${id}: Glue had not answered after ${waited}, and the kernel keeps asking. Session ${session.id} may stay busy until the statement stops; the next cell waits for it.`,
      };
    }
    const result = await sessionErrorResult(ctx, session, err);
    if (result.kind === 'failed' && ctx.current() === session) {
      return {
        kind: 'cancelled',
        message: `Interrupted, but cancelling statement ${id} failed: ${result.message}`,
      };
    }
    return result;
  }
}
