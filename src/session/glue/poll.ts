// When to ask again. GetStatement is polled on a schedule that spends the kernel's API-call
// budget (call-budget.ts, 5 calls in any second by default) where it buys the most: checks at
// 15 ms, then at times growing x2.85 (43, 122, 347 ms) while under 0.4 s, then each wait a fifth
// of the time already spent, capped at 1 s. The early checks are times, not waits, so call
// latency does not push them later. A statement of a few milliseconds is seen within about
// 20 ms with one call, one of 300 ms with 4, and a longer one at most 20% (about 10% on median)
// of its duration late; a 60 s statement costs about 69 calls (the reference kernel's fixed 1 s
// loop makes 61). With RunStatement, those 4 early checks are all the first second's budget
// allows; the next comes when the budget has a slot again (about 1.05 s). The schedule is a
// pure function so the tests and the bench can count calls without a server.
//
// `pollUntil` is the one loop both waits use (session READY, statement final): abortable at
// any moment (interrupt, shutdown), bounded by a deadline, never a blind sleep.

export interface PollSchedule {
  /** Delay before the first check, ms. */
  firstMs: number;
  /** Each delay is the previous one times this (when `share` is not set). */
  growth: number;
  /** Largest delay, ms. */
  capMs: number;
  /**
   * When set, the schedule follows the time spent instead: check number k is made at
   * firstMs x earlyGrowth^k after the start while that is under `earlyUntilMs`; after that
   * each delay is `late` x the time spent (at least firstMs, at most capMs).
   */
  share?: { earlyGrowth: number; earlyUntilMs: number; late: number };
}

/** GetStatement: checks at 15, 43, 122, 347 ms, then waits of 20% of the time spent, capped at 1 s. */
export const STATEMENT_SCHEDULE: PollSchedule = {
  firstMs: 15,
  growth: 1,
  capMs: 1000,
  share: { earlyGrowth: 2.85, earlyUntilMs: 400, late: 0.2 },
};

/** GetSession while PROVISIONING: sessions take seconds to minutes, so start slower. */
export const SESSION_SCHEDULE: PollSchedule = { firstMs: 100, growth: 1.5, capMs: 2000 };

/** CancelStatement confirmation: the service answers within a second or two. */
export const CANCEL_SCHEDULE: PollSchedule = { firstMs: 20, growth: 1.5, capMs: 250 };

/** The reference kernel's schedule: GetStatement every 1 s (aws-glue-sessions WAIT_TIME). */
export const REFERENCE_SCHEDULE: PollSchedule = { firstMs: 1000, growth: 1, capMs: 1000 };

/**
 * The delay before check number `attempt` (0-based), `elapsedMs` after the wait began (used
 * by schedules with a `share`).
 */
export function pollDelay(
  attempt: number,
  schedule: PollSchedule = STATEMENT_SCHEDULE,
  elapsedMs = 0,
): number {
  if (schedule.share) {
    const { earlyGrowth, earlyUntilMs, late } = schedule.share;
    const at = schedule.firstMs * Math.pow(earlyGrowth, Math.max(0, attempt));
    if (at < earlyUntilMs) return Math.max(1, at - elapsedMs);
    return Math.min(schedule.capMs, Math.max(schedule.firstMs, late * elapsedMs));
  }
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

/** A call budget for simulations: at most `calls` in any `windowMs` (RunStatement at 0 counts). */
export interface SimulatedBudget {
  calls: number;
  windowMs: number;
}

/**
 * Counts the checks a statement of `durationMs` costs on a schedule, with each call taking
 * `callLatencyMs` (the next delay starts when the answer arrives), optionally inside a call
 * budget (RunStatement, sent at 0, is the first call in it). The reference kernel checks
 * once at once and then every second: use {@link referenceSimulation} for it.
 */
export function simulatePolls(
  durationMs: number,
  schedule: PollSchedule = STATEMENT_SCHEDULE,
  callLatencyMs = 0,
  budget?: SimulatedBudget,
): PollSimulation {
  const sent: number[] = [0];
  let t = callLatencyMs;
  const started = t;
  let calls = 0;
  for (;;) {
    let at = t + pollDelay(calls, schedule, t - started);
    if (budget && sent.length >= budget.calls)
      at = Math.max(at, sent[sent.length - budget.calls] + budget.windowMs);
    sent.push(at);
    calls += 1;
    t = at + callLatencyMs;
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
      let delay = pollDelay(options.immediate ? attempt - 1 : attempt, options.schedule, now() - started);
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
