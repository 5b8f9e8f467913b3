// Running one statement in a READY session: RunStatement, then GetStatement on the adaptive
// schedule, with a status line once it runs long; an interrupt cancels the statement (bounded
// wait for CANCELLED) and keeps the session. Errors that may mean the session ended go to
// session-ended.ts.
import type { Statement } from '@aws-sdk/client-glue';
import type { StatementOutput } from '../../runner/statement-output';
import type { BackendNotifier, StatementResult } from '../backend';
import { boundedSignal } from './aws-call';
import type { ActiveSession, GlueContext } from './context';
import { GlueKernelError } from './errors';
import { formatElapsed, isAbortError, pollUntil } from './poll';
import { sessionErrorResult } from './session-ended';

export async function runStatement(
  ctx: GlueContext,
  session: ActiveSession,
  code: string,
  signal: AbortSignal,
  notify: BackendNotifier,
  executionCount?: number,
): Promise<StatementResult> {
  const { clients } = session;
  let statementId: number;
  const submittedAt = Date.now();
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
    );
    if (r.Id === undefined)
      throw new GlueKernelError('GlueServiceError', 'RunStatement returned no statement id.');
    statementId = r.Id;
  } catch (err) {
    if (isAbortError(err)) return { kind: 'cancelled', message: 'Interrupted before the statement started.' };
    return sessionErrorResult(ctx, session, err);
  }

  const label = executionCount !== undefined ? `In [${executionCount}]` : `Statement ${statementId}`;
  try {
    const statement = await pollUntil<Statement>({
      schedule: ctx.schedules.statement,
      signal,
      check: async (_attempt, s) => {
        const st = await getStatement(ctx, session, statementId, s);
        if (st.State === 'AVAILABLE' || st.State === 'ERROR' || st.State === 'CANCELLED')
          return { done: true, value: st };
        return { done: false, last: st };
      },
      onPending: ({ last }) => {
        if (Date.now() - submittedAt < ctx.timing.progressAfterMs) return;
        const st = last as Statement;
        const state = st.State ?? 'RUNNING';
        notify.progress({
          line: 'statement',
          label,
          state,
          since: submittedAt,
          fraction: typeof st.Progress === 'number' ? st.Progress : undefined,
          note: state === 'WAITING' ? 'waiting for an earlier statement to finish' : undefined,
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
    return sessionErrorResult(ctx, session, err);
  }
}

async function getStatement(
  ctx: GlueContext,
  session: ActiveSession,
  id: number,
  signal: AbortSignal,
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

/** Interrupt: CancelStatement, then wait (bounded) for CANCELLED. The session is kept. */
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
  try {
    await ctx.call(
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
      schedule: ctx.schedules.cancel,
      signal: bound,
      immediate: true,
      check: async (_a, s) => {
        const got = await getStatement(ctx, session, id, s);
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
      return {
        kind: 'cancelled',
        message: `Asked Glue to cancel statement ${id}, but it had not stopped after ${formatElapsed(ctx.timing.cancelWaitMs)}. Session ${session.id} may stay busy until it does; the next cell waits for it.`,
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
