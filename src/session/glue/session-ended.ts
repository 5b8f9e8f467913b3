// Telling that a session has ended: which statement errors may mean it, the GetSession that
// confirms it, and what the user is told (a Jupyter error name, and what to do next). A session
// found ended is forgotten, so the next cell creates a new one.
import type { Session } from '@aws-sdk/client-glue';
import type { StatementResult } from '../backend';
import { awsErrorCode, boundedSignal, getSession } from './aws-call';
import type { ActiveSession, GlueContext } from './context';
import { kernelError } from './errors';

/** Statuses of a session that can still run statements (now or once it is READY). */
export const LIVE_STATUSES = new Set(['READY', 'PROVISIONING']);

/** Errors from RunStatement/GetStatement that may mean the session itself has ended. */
const SESSION_STATE_CODES = new Set([
  'InvalidInputException',
  'IllegalSessionStateException',
  'EntityNotFoundException',
]);

const GONE_HINT = 'The next code cell starts a new session; variables defined in the old one are gone.';

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

/** Said once, when the next session is created after session `id` ended with `status`. */
export function endedNote(id: string, status: string): string {
  return `The previous session ${id} ended (${status}); a new session is being created. Variables defined in the old session are gone: re-run the cells that define them.`;
}

/** An error from RunStatement/GetStatement: if the session has ended, say so and forget it. */
export async function sessionErrorResult(
  ctx: GlueContext,
  session: ActiveSession,
  err: unknown,
): Promise<StatementResult> {
  const e = kernelError(err);
  const code = awsErrorCode(err);
  if (code === undefined || !SESSION_STATE_CODES.has(code))
    return { kind: 'failed', ename: e.ename, message: e.message };
  let s: Session | undefined;
  try {
    s = await getSession(
      ctx.call,
      session.clients,
      session.id,
      `Checking on session ${session.id}`,
      boundedSignal(30_000),
    );
  } catch (checkErr) {
    if (awsErrorCode(checkErr) !== 'EntityNotFoundException')
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
  ctx.forget(session, s?.Status);
  return { kind: 'failed', ename: sessionEname(s?.Status), message: endedMessage(session.id, s) };
}
