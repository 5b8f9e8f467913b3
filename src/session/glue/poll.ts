// When to ask again. GetStatement is polled on an adaptive schedule: fast at first (a short
// statement finishes with a few tens of milliseconds added), then backing off geometrically to
// a cap, so a long statement costs about one call per `capMs` — for a 60 s statement fewer
// calls than the reference kernel's fixed 1 s loop plus about ten. The schedule is a pure
// function so the tests and the bench can count calls without a server.
//
// `pollUntil` is the one loop both waits use (session READY, statement final): abortable at
// any moment (interrupt, shutdown), bounded by a deadline, never a blind sleep.

export interface PollSchedule {
  /** Delay before the first check, ms. */
  firstMs: number;
  /** Each delay is the previous one times this. */
  growth: number;
  /** Largest delay, ms. */
  capMs: number;
}

/**
 * GetStatement: 10 ms, 10.8, 11.7, … (×1.08) up to 2 s, reached about 25 s in. Each wait is
 * about 8% of the time already spent, so a statement is seen about 4% of its duration late
 * (median over 1–5 s statements, in simulation), 20 ms median for statements under 1 s, for
 * 87 calls over a 60 s statement (the reference makes 61; the budget is 1.5×). Growth 1.25
 * saves a dozen calls but sees 3 s statements ~300 ms late (over the 5% budget).
 */
export const STATEMENT_SCHEDULE: PollSchedule = { firstMs: 10, growth: 1.08, capMs: 2000 };

/** GetSession while PROVISIONING: sessions take seconds to minutes, so start slower. */
export const SESSION_SCHEDULE: PollSchedule = { firstMs: 100, growth: 1.5, capMs: 2000 };

/** CancelStatement confirmation: the service answers within a second or two. */
export const CANCEL_SCHEDULE: PollSchedule = { firstMs: 20, growth: 1.5, capMs: 250 };

/** The reference kernel's schedule: GetStatement every 1 s (aws-glue-sessions WAIT_TIME). */
export const REFERENCE_SCHEDULE: PollSchedule = { firstMs: 1000, growth: 1, capMs: 1000 };

/** The delay before check number `attempt` (0-based). */
export function pollDelay(attempt: number, schedule: PollSchedule = STATEMENT_SCHEDULE): number {
  if (attempt <= 0) return Math.min(schedule.firstMs, schedule.capMs);
  // Computed in closed form, so a very long wait does not overflow or loop.
  const d = schedule.firstMs * Math.pow(schedule.growth, attempt);
  return Math.min(schedule.capMs, Number.isFinite(d) ? d : schedule.capMs);
}

export interface PollSimulation {
  /** Number of checks (GetStatement calls) until the one that sees the final state. */
  calls: number;
  /** Time of that check after the start, ms (service latency ignored). */
  seenAtMs: number;
  /** How long after the statement finished it was seen, ms. */
  addedLatencyMs: number;
}

/**
 * Counts the checks a statement of `durationMs` costs on a schedule, with each call taking
 * `callLatencyMs` (the next delay starts when the answer arrives). The reference kernel checks
 * once at once and then every second: use {@link referenceSimulation} for it.
 */
export function simulatePolls(
  durationMs: number,
  schedule: PollSchedule = STATEMENT_SCHEDULE,
  callLatencyMs = 0,
): PollSimulation {
  let t = 0;
  let calls = 0;
  for (;;) {
    t += pollDelay(calls, schedule);
    calls += 1;
    t += callLatencyMs;
    // The service answers with the state at the moment it handles the call.
    if (t - callLatencyMs / 2 >= durationMs) return { calls, seenAtMs: t, addedLatencyMs: t - durationMs };
    if (calls > 1_000_000) throw new Error('schedule does not progress');
  }
}

/** The reference kernel: GetStatement right after RunStatement, then sleep(1) between calls. */
export function referenceSimulation(durationMs: number, callLatencyMs = 0): PollSimulation {
  let t = 0;
  let calls = 0;
  for (;;) {
    calls += 1;
    t += callLatencyMs;
    if (t - callLatencyMs / 2 >= durationMs) return { calls, seenAtMs: t, addedLatencyMs: t - durationMs };
    t += 1000;
  }
}

/** Thrown by the poll helpers when the signal aborts; `reason` is the signal's reason. */
export class AbortedError extends Error {
  constructor(readonly reason?: unknown) {
    super('The operation was interrupted.');
    this.name = 'AbortError';
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof AbortedError || (err instanceof Error && err.name === 'AbortError');
}

/** Resolves after `ms`, or rejects with AbortedError as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError(signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Thrown by pollUntil when the deadline passes first. */
export class DeadlineError extends Error {
  constructor(
    readonly elapsedMs: number,
    readonly last: unknown,
  ) {
    super(`Gave up waiting after ${formatElapsed(elapsedMs)}.`);
    this.name = 'DeadlineError';
  }
}

export interface PollOptions<T> {
  /** Performs one check; return `{ done: true, value }` to stop. */
  check: (
    attempt: number,
    signal: AbortSignal,
  ) => Promise<{ done: true; value: T } | { done: false; last?: unknown }>;
  schedule: PollSchedule;
  signal: AbortSignal;
  /** Absolute time (Date.now() ms) after which to give up with DeadlineError. */
  deadline?: number;
  /** Called after every check that is not final (status lines). */
  onPending?: (info: { attempt: number; elapsedMs: number; last: unknown }) => void;
  /** Check at once instead of after the first delay. */
  immediate?: boolean;
  now?: () => number;
}

/**
 * Checks until `check` says done, sleeping on the schedule in between. Rejects with
 * AbortedError when the signal aborts, DeadlineError when the deadline passes, or whatever
 * `check` throws.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  let attempt = 0;
  let last: unknown;
  for (;;) {
    if (!(options.immediate && attempt === 0)) {
      let delay = pollDelay(options.immediate ? attempt - 1 : attempt, options.schedule);
      if (options.deadline !== undefined) {
        const left = options.deadline - now();
        if (left <= 0) throw new DeadlineError(now() - started, last);
        delay = Math.min(delay, left);
      }
      await abortableSleep(delay, options.signal);
    }
    if (options.signal.aborted) throw new AbortedError(options.signal.reason);
    const result = await options.check(attempt, options.signal);
    attempt += 1;
    if (result.done) return result.value;
    last = result.last;
    options.onPending?.({ attempt, elapsedMs: now() - started, last });
    if (options.deadline !== undefined && now() >= options.deadline)
      throw new DeadlineError(now() - started, last);
  }
}

/** "850 ms", "12 s", "3 min 05 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}
