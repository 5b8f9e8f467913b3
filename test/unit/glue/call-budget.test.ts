import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CallBudget,
  DEFAULT_API_RATE,
  MIN_API_RATE,
  RECOVERY_MS,
  WINDOW_MARGIN,
} from '../../../src/session/glue/call-budget';
import { AbortedError } from '../../../src/session/glue/poll';

describe('CallBudget', () => {
  it('grants at most 5 calls in any 1 s window, in the order asked', async () => {
    const budget = new CallBudget();
    assert.equal(DEFAULT_API_RATE, 5);
    const t0 = Date.now();
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 11 }, (_, i) =>
        budget.acquire().then(() => {
          order.push(i);
          times.push(Date.now() - t0);
        }),
      ),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 11 }, (_, i) => i),
    );
    for (let i = 5; i < times.length; i++)
      assert.ok(
        times[i] - times[i - 5] >= 1000,
        `calls ${i - 5} and ${i} in one second: ${times.join(', ')}`,
      );
    // The first five go at once; the budget does not add waits it does not need.
    assert.ok(times[4] < 400, times.join(', '));
    assert.ok(times[5] >= 1000 * WINDOW_MARGIN - 5, times.join(', '));
    assert.ok(times[10] < 2 * 1000 * WINDOW_MARGIN + 600, times.join(', '));
    assert.equal(budget.state().granted, 11);
  });

  it('a fractional rate spreads its calls over a longer window', async () => {
    const budget = new CallBudget({ rate: 2.5 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await budget.acquire();
    // Two calls per 0.8 s: the third waits for the window.
    assert.ok(Date.now() - t0 >= 800, `${Date.now() - t0} ms`);
  });

  it('an abort while waiting rejects at once and gives the slot back', async () => {
    const budget = new CallBudget({ rate: 1 });
    await budget.acquire();
    const ac = new AbortController();
    const waiting = budget.acquire(ac.signal);
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    await assert.rejects(waiting, AbortedError);
    assert.ok(Date.now() - t0 < 500);
    assert.equal(budget.state().granted, 1);
  });

  it('throttling halves the allowed rate once per window, then it recovers linearly', () => {
    let now = 0;
    const budget = new CallBudget({ rate: 10, now: () => now });
    assert.equal(budget.allowedRate(), 10);
    budget.throttled();
    assert.equal(budget.allowedRate(), 5);
    // Calls already in flight are throttled together: no second cut within the window.
    now = 100;
    budget.throttled();
    assert.equal(budget.allowedRate(), 5 + (10 * 100) / RECOVERY_MS);
    now = 1200;
    budget.throttled();
    assert.ok(Math.abs(budget.allowedRate() - (5 + (10 * 1200) / RECOVERY_MS) / 2) < 1e-9);
    for (let i = 0; i < 20; i++) {
      now += 1100;
      budget.throttled();
    }
    const low = budget.allowedRate();
    assert.ok(low >= MIN_API_RATE && low < 1, `never below the floor: ${low}`);
    now += RECOVERY_MS;
    assert.equal(budget.allowedRate(), 10, 'back to the configured rate');
    assert.equal(budget.state().throttles, 23);
    assert.equal(budget.throttledWithin(RECOVERY_MS), true);
    assert.equal(budget.throttledWithin(1000), false);
  });

  it('halves the rate the kernel really sent at, not an unused ceiling', async () => {
    let now = 0;
    const budget = new CallBudget({ rate: 10, now: () => now });
    // Two calls a second, far below the ceiling of 10: halving 10 would slow nothing down.
    for (let i = 0; i < 4; i++) {
      await budget.acquire();
      now += 500;
    }
    budget.throttled();
    assert.equal(budget.allowedRate(), 1);
    now += RECOVERY_MS;
    assert.equal(budget.allowedRate(), 10, 'back to the configured rate');
  });

  it('while throttled, calls are spaced 1/rate apart', async () => {
    const budget = new CallBudget({ rate: 10 });
    budget.throttled();
    budget.throttled();
    // The second cut is within the window: 5 calls/s allowed, so 200 ms (+5%) apart.
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await budget.acquire();
    const ms = Date.now() - t0;
    assert.ok(ms >= 3 * 200 * WINDOW_MARGIN - 20, `${ms} ms`);
  });

  it('refuses a rate below the floor with a message', () => {
    assert.throws(() => new CallBudget({ rate: 0 }), /must be a number ≥ 0.5 calls per second, got 0/);
    assert.throws(() => new CallBudget({ rate: Number.NaN }), /got NaN/);
  });
});
