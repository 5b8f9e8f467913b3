// The contract between the kernel and where statements run: the local Python runner, or a
// Glue interactive session (on AWS or on the emulator). The kernel never knows which.
import type { StatementOutput } from '../runner/statement-output';

/** Progress and status a backend reports while it works (session start, long statements). */
export interface BackendNotifier {
  /** Live output of the running statement (local runner streams it). */
  stream(name: 'stdout' | 'stderr', text: string): void;
  /** A line of information for the user (session creation steps, warnings). */
  info(text: string): void;
  warn(text: string): void;
  /** A replaceable status line (e.g. "Cancelling statement 3..."). */
  status(text: string): void;
  /**
   * A live progress line: session provisioning and the statement each have their own, shown in
   * the order they start. The kernel ticks the elapsed time from `since` once a second, so a
   * backend reports only what it learns (a poll), never to refresh the clock.
   */
  progress(report: ProgressReport): void;
  /** Closes a progress line with a summary that replaces it (shown even if the line was not). */
  endProgress(line: ProgressLine, summary: string): void;
}

/** A notifier that shows nothing: for work whose progress nobody watches. */
export const SILENT_NOTIFIER: BackendNotifier = {
  stream: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  status: () => undefined,
  progress: () => undefined,
  endProgress: () => undefined,
};

/** The two things a cell may wait for, each with its own line. */
export type ProgressLine = 'session' | 'statement';

export interface ProgressReport {
  line: ProgressLine;
  /** Who is waited for: "Session 0a1b…", "In [15]". */
  label: string;
  /** The service's state: PROVISIONING, WAITING, RUNNING… */
  state: string;
  /** When the wait began (Date.now() ms): the real start, also for a session created by an earlier cell. */
  since: number;
  /** Completion between 0 and 1, when the service reports it: shown as a bar. */
  fraction?: number;
  /** A short note after the state ("waiting for an earlier statement to finish"). */
  note?: string;
}

/**
 * `ranMs` is how long the statement itself ran, from its submission to its final state; it is
 * absent when no statement ran (interrupted while the session was provisioning, an error before
 * the statement reached the session).
 */
export type StatementResult =
  /** The statement ran to a final state with output (Status "ok" or "error"). */
  | { kind: 'output'; output: StatementOutput; state: 'AVAILABLE'; ranMs?: number }
  /** The statement was cancelled (interrupt). */
  | { kind: 'cancelled'; message: string; ranMs?: number }
  /** The statement or its session failed: the message says what happened and what to do. */
  | { kind: 'failed'; ename: string; message: string; ranMs?: number };

export interface RunOptions {
  signal: AbortSignal;
  notify: BackendNotifier;
  /** The cell's execution count, when the statement is a cell (local tracebacks name it). */
  executionCount?: number;
}

export interface SessionSummary {
  /** Rows of label → value, in display order. */
  rows: [string, string][];
  /** What the session has used so far (Glue's ExecutionTime and DPUSeconds), when reported. */
  usage?: SessionUsage;
}

/** Running time and DPU-seconds of a Glue session, as GetSession reports them. */
export interface SessionUsage {
  sessionId: string;
  executionSeconds?: number;
  dpuSeconds?: number;
}

export interface Backend {
  readonly name: 'local' | 'glue';
  /** Present on backends with remote sessions (Glue): list, reconnect, delete, tag, assume role. */
  readonly sessions?: SessionOperations;
  /** True when a session (or runner process) exists now. */
  hasSession(): boolean;
  /** Runs one statement, starting the session first if there is none. */
  run(code: string, options: RunOptions): Promise<StatementResult>;
  /** Describes the current session for %status; undefined when there is none. */
  describe(signal: AbortSignal): Promise<SessionSummary | undefined>;
  /** Stops the current session (if any); the next statement starts a new one. */
  stopSession(notify: BackendNotifier): Promise<boolean>;
  /** Releases everything (kernel shutdown): stops the session, bounded by the signal. */
  close(signal: AbortSignal): Promise<void>;
}

/** One row of %list_sessions. */
export interface SessionListEntry {
  id: string;
  status: string;
  createdOn?: Date;
  /** True for the kernel's current session. */
  current: boolean;
  glueVersion?: string;
  workerType?: string;
  numberOfWorkers?: number;
  maxCapacity?: number;
  /** Minutes. */
  idleTimeout?: number;
}

export type AssumeRoleRequest =
  | { kind: 'role'; roleArn: string }
  | { kind: 'credentials'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** What a remote (Glue) backend offers beyond running statements; the magics use it. */
export interface SessionOperations {
  readonly sessionId: string | undefined;
  listSessions(signal: AbortSignal): Promise<SessionListEntry[]>;
  reconnect(id: string, notify: BackendNotifier, signal: AbortSignal): Promise<void>;
  /** Deletes the given session, or the current one; returns the id deleted. */
  deleteSession(id: string | undefined, notify: BackendNotifier, signal: AbortSignal): Promise<string>;
  /**
   * %statement <id>: a statement of the current session as a cell would show it (its output
   * when it has finished, else a failed result saying it is still running).
   */
  statement(id: number, signal: AbortSignal): Promise<StatementResult>;
  /** Tags the current session now; false when there is none. */
  tagSession(tags: Record<string, string>, signal: AbortSignal): Promise<boolean>;
  /** Switches the AWS credentials the backend uses (undefined: back to the default chain). */
  setAssumeRole(
    request: AssumeRoleRequest | undefined,
    signal: AbortSignal,
  ): Promise<{ arn: string } | undefined>;
}
