import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AbortedError,
  CANCEL_SCHEDULE,
  DeadlineError,
  REFERENCE_SCHEDULE,
  SESSION_SCHEDULE,
  STATEMENT_SCHEDULE,
  abortableSleep,
  formatElapsed,
  pollDelay,
  pollUntil,
  referenceSimulation,
  simulatePolls,
} from '../../../src/session/glue/poll';

describe('poll schedule', () => {
  /** The kernel's default budget: 5 calls in any second (with the limiter's 5% margin). */
  const BUDGET = { calls: 5, windowMs: 1050 };

  it('checks first within 15 ms, then waits a share of the time spent, capped at 1 s', () => {
    assert.equal(pollDelay(0), STATEMENT_SCHEDULE.firstMs);
    assert.ok(STATEMENT_SCHEDULE.firstMs >= 10 && STATEMENT_SCHEDULE.firstMs <= 20);
    // Early checks at fixed times (15, 43, 122, 347 ms) whatever the call latency...
    assert.equal(Math.round(pollDelay(1, STATEMENT_SCHEDULE, 20)), 23);
    assert.equal(Math.round(pollDelay(3, STATEMENT_SCHEDULE, 130)), 217);
    // ...then a fifth of the time spent, never more than 1 s.
    assert.equal(pollDelay(5, STATEMENT_SCHEDULE, 2000), 400);
    assert.equal(pollDelay(9, STATEMENT_SCHEDULE, 60_000), 1000);
    assert.equal(pollDelay(1e9, STATEMENT_SCHEDULE, 1e12), STATEMENT_SCHEDULE.capMs);
    let previous = 0;
    for (let elapsed = 400; elapsed < 20_000; elapsed += 100) {
      const d = pollDelay(5, STATEMENT_SCHEDULE, elapsed);
      assert.ok(d >= previous, `the wait at ${elapsed} ms must not shrink`);
      previous = d;
    }
  });

  it('the reference schedule is a flat 1 s', () => {
    for (const i of [0, 1, 5, 100]) assert.equal(pollDelay(i, REFERENCE_SCHEDULE), 1000);
  });

  // The targets, in the model (the bench measures them on the emulator): time added and
  // GetStatement calls for 10 ms / 300 ms / 2.5 s / 60 s statements, inside the budget.
  const targets: { d: number; added: number; calls: number }[] = [
    { d: 10, added: 25, calls: 2 },
    { d: 300, added: 120, calls: 5 },
    { d: 2500, added: 250, calls: 10 },
    { d: 60_000, added: 3000, calls: 73 },
  ];
  for (const latency of [1, 5]) {
    for (const { d, added, calls } of targets) {
      it(`a ${d} ms statement (call latency ${latency} ms) meets its target`, () => {
        const ours = simulatePolls(d, STATEMENT_SCHEDULE, latency, BUDGET);
        assert.ok(ours.addedLatencyMs <= added, `added ${ours.addedLatencyMs} ms > ${added}`);
        assert.ok(ours.calls <= calls, `${ours.calls} calls > ${calls}`);
        // Never much slower than the reference: within a second, or 5% of a long statement.
        const ref = referenceSimulation(d, latency);
        assert.ok(ours.seenAtMs <= ref.seenAtMs + Math.max(1000, 0.05 * d));
      });
    }
  }

  // Single durations each sit at one phase of the schedule; the bounds are about the spread.
  it('over sweeps of durations: at most 20% late beyond 1 s, and about 10% on median', () => {
    const sweep = (lo: number, hi: number, f: (d: number) => number): number[] => {
      const out: number[] = [];
      for (let d = lo; d <= hi; d += (hi - lo) / 400) out.push(f(d));
      return out.sort((a, b) => a - b);
    };
    const median = (values: number[]): number => values[values.length >> 1];
    const longShare = sweep(
      1000,
      120_000,
      (d) => simulatePolls(d, STATEMENT_SCHEDULE, 1, BUDGET).addedLatencyMs / d,
    );
    assert.ok(median(longShare) <= 0.1, `median added ${(median(longShare) * 100).toFixed(1)}% beyond 1 s`);
    assert.ok(longShare[longShare.length - 1] <= 0.25, `worst ${longShare[longShare.length - 1]}`);
    const shortAdded = sweep(10, 400, (d) => simulatePolls(d, STATEMENT_SCHEDULE, 1, BUDGET).addedLatencyMs);
    assert.ok(median(shortAdded) <= 120, `median added ${median(shortAdded)} ms for statements up to 0.4 s`);
  });

  it('never more than 5 calls (RunStatement included) in any 1 s window', () => {
    for (const d of [10, 300, 999, 2500, 10_000]) {
      const sent = [0];
      // Re-run the model, keeping the send times.
      let t = 1;
      for (let n = 0; ; n++) {
        let at = t + pollDelay(n, STATEMENT_SCHEDULE, t - 1);
        if (sent.length >= BUDGET.calls)
          at = Math.max(at, sent[sent.length - BUDGET.calls] + BUDGET.windowMs);
        sent.push(at);
        t = at + 1;
        if (at >= d) break;
      }
      for (let i = BUDGET.calls; i < sent.length; i++)
        assert.ok(
          sent[i] - sent[i - BUDGET.calls] >= 1000,
          `${d} ms: 6 calls within 1 s: ${sent.join(', ')}`,
        );
    }
  });

  it('prints the comparison table (for the report)', (t) => {
    const rows = targets.map(({ d }) => {
      const o = simulatePolls(d, STATEMENT_SCHEDULE, 1, BUDGET);
      const r = referenceSimulation(d, 1);
      return `${String(d).padStart(6)} ms: ours ${String(o.calls).padStart(3)} calls +${Math.round(o.addedLatencyMs)} ms | reference ${String(r.calls).padStart(3)} calls +${Math.round(r.addedLatencyMs)} ms`;
    });
    t.diagnostic('\n' + rows.join('\n'));
    // The reference sees a 10 ms statement only after 1 s; we see it within ~20 ms.
    assert.ok(simulatePolls(10, STATEMENT_SCHEDULE, 0, BUDGET).seenAtMs <= 20);
    assert.equal(referenceSimulation(10).seenAtMs, 1000);
  });

  it('session and cancel schedules are bounded', () => {
    assert.ok(pollDelay(100, SESSION_SCHEDULE) <= 2000);
    assert.ok(pollDelay(100, CANCEL_SCHEDULE) <= 250);
  });
});

describe('pollUntil', () => {
  it('returns the value when the check says done', async () => {
    let n = 0;
    const v = await pollUntil({
      schedule: { firstMs: 1, growth: 1, capMs: 1 },
      signal: new AbortController().signal,
      check: async () => (++n >= 3 ? { done: true, value: 'ok' } : { done: false }),
    });
    assert.equal(v, 'ok');
    assert.equal(n, 3);
  });

  it('checks at once with immediate', async () => {
    const t0 = Date.now();
    await pollUntil({
      schedule: { firstMs: 5000, growth: 1, capMs: 5000 },
      signal: new AbortController().signal,
      immediate: true,
      check: async () => ({ done: true, value: 1 }),
    });
    assert.ok(Date.now() - t0 < 1000);
  });

  it('aborts promptly in the middle of a wait', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(
      pollUntil({
        schedule: { firstMs: 10_000, growth: 1, capMs: 10_000 },
        signal: ac.signal,
        check: async () => ({ done: false }),
      }),
      (e: unknown) => e instanceof AbortedError,
    );
    assert.ok(Date.now() - t0 < 1000);
  });

  it('gives up at the deadline with the last state', async () => {
    const t0 = Date.now();
    await assert.rejects(
      pollUntil({
        schedule: { firstMs: 10, growth: 1, capMs: 10 },
        signal: new AbortController().signal,
        deadline: Date.now() + 80,
        check: async () => ({ done: false, last: 'PROVISIONING' }),
      }),
      (e: unknown) => e instanceof DeadlineError && e.last === 'PROVISIONING',
    );
    assert.ok(Date.now() - t0 < 1000);
  });

  it('passes check errors through and reports pending checks', async () => {
    const pending: number[] = [];
    await assert.rejects(
      pollUntil({
        schedule: { firstMs: 1, growth: 1, capMs: 1 },
        signal: new AbortController().signal,
        check: async (attempt) => {
          if (attempt === 2) throw new Error('boom');
          return { done: false };
        },
        onPending: ({ attempt }) => pending.push(attempt),
      }),
      /boom/,
    );
    assert.deepEqual(pending, [1, 2]);
  });

  it('abortableSleep rejects at once on an aborted signal', async () => {
    await assert.rejects(
      abortableSleep(10_000, AbortSignal.abort()),
      (e: unknown) => e instanceof AbortedError,
    );
  });

  it('formats elapsed time', () => {
    assert.equal(formatElapsed(850), '850 ms');
    assert.equal(formatElapsed(12_400), '12 s');
    assert.equal(formatElapsed(185_000), '3 min 05 s');
  });
});
