// The kernel's AWS-call budget: every Glue call of a kernel (statement and session polling,
// RunStatement, %status, %list_sessions, tagging, and each retry of any of them) waits here for
// a slot before it is sent. Glue's quotas are per account and region, so a kernel that polls
// freely slows down everyone on the account; this keeps one kernel to at most `rate` calls in
// any window of one second (a sliding window: a token bucket would allow twice that across a
// window boundary).
//
// Adaptive to throttling, like the SDK's adaptive retry mode but simpler: when Glue answers
// ThrottlingException the rate the kernel really sends at is halved (at most once per window,
// since calls already in flight are throttled together) and calls are spaced 1/rate apart; it
// then climbs back linearly to the configured rate over RECOVERY_MS. The SDK's own limiter is not used (the Glue
// client makes one attempt per call): this one sees every call and every retry of the kernel.
import { AbortedError } from './poll';

/** Calls per second a kernel may make by default (glue_api_rate). */
export const DEFAULT_API_RATE = 5;

/** Lowest rate throttling can push the kernel to: one call every 2 s still sees a statement end. */
export const MIN_API_RATE = 0.5;

/** Time for the allowed rate to climb from its floor back to the configured rate. */
export const RECOVERY_MS = 60_000;

/** How far back the budget looks to measure the rate the kernel really sends at. */
const MEASURE_MS = 2000;

/**
 * Slots are kept this much further apart than the window, so that calls that arrive at the
 * service a few milliseconds apart from when they were sent still fit in its 1 s window.
 */
export const WINDOW_MARGIN = 1.05;

export interface CallBudgetOptions {
  /** Calls per second (default DEFAULT_API_RATE). */
  rate?: number;
  now?: () => number;
}

export interface BudgetState {
  /** The configured ceiling, calls per second. */
  rate: number;
  /** What throttling currently allows, calls per second (≤ rate). */
  allowed: number;
  /** Throttling answers seen, and when the last one was (ms, the budget's clock). */
  throttles: number;
  lastThrottleAt?: number;
  /** Calls granted, and how many of them had to wait for their slot. */
  granted: number;
  waited: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class CallBudget {
  private rate: number;
  private readonly now: () => number;
  /** When the last calls were really let go (ascending); only the last `windowCalls` matter. */
  private sent: number[] = [];
  /** Calls waiting for a slot, in the order they asked: one timer serves the head. */
  private readonly queue: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private cutAt?: number;
  private cutTo = 0;
  private throttles = 0;
  private lastThrottleAt?: number;
  private granted = 0;
  private waited = 0;

  constructor(options: CallBudgetOptions = {}) {
    this.rate = checkRate(options.rate ?? DEFAULT_API_RATE);
    this.now = options.now ?? Date.now;
  }

  /** Changes the configured rate (glue_api_rate); throttling state is kept. */
  setRate(rate: number): void {
    this.rate = checkRate(rate);
  }

  /** The rate throttling allows now, calls per second. */
  allowedRate(at = this.now()): number {
    if (this.cutAt === undefined) return this.rate;
    const recovered = this.cutTo + (this.rate * (at - this.cutAt)) / RECOVERY_MS;
    if (recovered >= this.rate) {
      this.cutAt = undefined;
      return this.rate;
    }
    return Math.max(MIN_API_RATE, recovered);
  }

  /**
   * Glue said ThrottlingException: halve the rate (once per window). What is halved is the rate
   * the kernel really sent at, when that is below the allowed one (as the SDK's adaptive mode
   * does): a polling kernel rarely uses its whole budget, and halving an unused ceiling would
   * not slow it down at all.
   */
  throttled(): void {
    const at = this.now();
    this.throttles += 1;
    this.lastThrottleAt = at;
    const allowed = this.allowedRate(at);
    if (this.cutAt !== undefined && at - this.cutAt < this.windowMs()) return;
    const measured = this.measuredRate(at);
    this.cutAt = at;
    this.cutTo = Math.max(MIN_API_RATE, (measured > 0 ? Math.min(allowed, measured) : allowed) / 2);
  }

  /** Calls per second really sent over the last MEASURE_MS. */
  private measuredRate(at: number): number {
    const recent = this.sent.filter((t) => at - t <= MEASURE_MS).length;
    return (recent * 1000) / MEASURE_MS;
  }

  /** Whether a throttling answer came within the last `ms`. */
  throttledWithin(ms: number): boolean {
    return this.lastThrottleAt !== undefined && this.now() - this.lastThrottleAt <= ms;
  }

  state(): BudgetState {
    return {
      rate: this.rate,
      allowed: this.allowedRate(),
      throttles: this.throttles,
      lastThrottleAt: this.lastThrottleAt,
      granted: this.granted,
      waited: this.waited,
    };
  }

  /**
   * Waits for the next free slot and takes it. FIFO: a call never overtakes one that asked
   * earlier. The window is kept on the times calls were really let go, so a timer that fires
   * late on a busy machine delays the calls after it instead of crowding them together.
   * Rejects with AbortedError when the signal aborts first (the place in the queue is given up).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError(signal.reason));
    if (this.queue.length === 0 && this.nextAt(this.now()) <= this.now()) {
      this.grant();
      return Promise.resolve();
    }
    this.waited += 1;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          this.waited -= 1;
          reject(new AbortedError(signal.reason));
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Lets go every waiter the window allows now, then sleeps until the head's slot. */
  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const now = this.now();
      const at = this.nextAt(now);
      if (at > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, at - now);
        return;
      }
      const waiter = this.queue.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.grant();
      waiter.resolve();
    }
  }

  private grant(): void {
    this.sent.push(this.now());
    if (this.sent.length > 64) this.sent.splice(0, this.sent.length - 64);
    this.granted += 1;
  }

  /** The earliest time the next call may go. */
  private nextAt(now: number): number {
    const count = this.windowCalls();
    let at = now;
    const last = this.sent[this.sent.length - 1];
    if (this.sent.length >= count) at = Math.max(at, this.sent[this.sent.length - count] + this.windowMs());
    const allowed = this.allowedRate(now);
    if (allowed < this.rate && last !== undefined) at = Math.max(at, last + (1000 * WINDOW_MARGIN) / allowed);
    return at;
  }

  /** Calls allowed per window: the rate's whole part (at least one). */
  private windowCalls(): number {
    return Math.max(1, Math.floor(this.rate));
  }

  /** The window those calls fit in: 1 s for a whole rate, longer for fractional ones. */
  private windowMs(): number {
    return ((1000 * this.windowCalls()) / this.rate) * WINDOW_MARGIN;
  }
}

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < MIN_API_RATE)
    throw new RangeError(
      `The API-call rate must be a number ≥ ${MIN_API_RATE} calls per second, got ${rate}.`,
    );
  return rate;
}
