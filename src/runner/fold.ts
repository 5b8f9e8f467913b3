// Turning what the runner sent (a result with only the final value, plus stream text) into the
// Glue statement-output shape a non-streaming caller (the emulator) returns. Pure functions.
import type { StatementOutput, StatementOutputData } from './statement-output';

/** Drops one trailing newline ("\n" or "\r\n"), as Glue/Livy do for TextPlain. */
export function trimTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * Folds captured stdout/stderr into the output:
 * - ok, text:  TextPlain = stdout + final repr (one trailing newline trimmed); always present.
 * - ok, rich (MimeType): StdOut = stdout + final repr, when non-empty.
 * - error: TextPlain = the stdout printed before the error, when non-empty.
 * - StdErr = stderr whenever it is non-empty.
 */
export function foldStreams(output: StatementOutput, stdout: string, stderr: string): StatementOutput {
  const data: StatementOutputData = { ...(output.Data ?? {}) };
  if (output.Status === 'ok' && data.MimeType === undefined) {
    data.TextPlain = trimTrailingNewline(stdout + (data.TextPlain ?? ''));
  } else if (output.Status === 'ok') {
    const text = trimTrailingNewline(stdout + (data.StdOut ?? ''));
    if (text) data.StdOut = text;
  } else {
    const text = trimTrailingNewline(stdout + (data.TextPlain ?? ''));
    if (text) data.TextPlain = text;
  }
  if (stderr) data.StdErr = trimTrailingNewline(stderr + (data.StdErr ?? ''));
  return { ...output, Data: data };
}

export interface DeathInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when stop() was called (the death was asked for). */
  stopped: boolean;
  /** The end of the statement's stderr (e.g. faulthandler's crash report), for the traceback. */
  stderrTail: string;
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by signal ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

/** The output of a statement whose Python process died under it. */
export function runnerDiedOutput(info: DeathInfo, executionCount?: number): StatementOutput {
  const how = describeExit(info.code, info.signal);
  const value = info.stopped
    ? `The Python runner was stopped while this statement was running (it ${how}); all variables are lost.`
    : `The Python process ${how} while running this statement; all variables are lost. ` +
      'Start a new session to continue.';
  const tail = info.stderrTail.trim();
  const traceback = tail
    ? [
        ...tail
          .split('\n')
          .slice(-40)
          .map((line) => line + '\n'),
        `RunnerDied: ${value}\n`,
      ]
    : [`RunnerDied: ${value}\n`];
  return {
    Status: 'error',
    ...(executionCount !== undefined ? { ExecutionCount: executionCount } : {}),
    Data: {},
    ErrorName: 'RunnerDied',
    ErrorValue: value,
    Traceback: traceback,
  };
}
