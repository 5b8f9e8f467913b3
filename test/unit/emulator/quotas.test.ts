import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRateSpec, RateQuotas } from '../../../src/emulator/quotas';

describe('emulator --rate', () => {
  it('parses an overall limit and per-operation limits', () => {
    assert.deepEqual(parseRateSpec(['20']), [{ operation: '*', perSecond: 20 }]);
    assert.deepEqual(parseRateSpec(['20,GetStatement=5', 'RunStatement=0.5']), [
      { operation: '*', perSecond: 20 },
      { operation: 'GetStatement', perSecond: 5 },
      { operation: 'RunStatement', perSecond: 0.5 },
    ]);
    assert.deepEqual(parseRateSpec([]), []);
  });

  it('refuses bad values, saying what is accepted', () => {
    assert.throws(
      () => parseRateSpec(['fast']),
      /'fast' needs a limit in calls per second from 0.1 to 100000/,
    );
    assert.throws(() => parseRateSpec(['GetStatement=']), /needs a limit/);
    assert.throws(() => parseRateSpec(['0']), /needs a limit/);
    assert.throws(() => parseRateSpec(['get-statement=3']), /not a Glue operation name/);
    assert.throws(() => parseRateSpec(['5,7']), /the overall limit is given twice/);
  });

  it('a token bucket per access key: bursts up to the limit, refills at the limit', () => {
    let now = 0;
    const q = new RateQuotas(parseRateSpec(['3']), () => now);
    const take = (key: string, op = 'GetStatement'): boolean => q.take(key, op);
    assert.deepEqual([take('A'), take('A'), take('A'), take('A')], [true, true, true, false]);
    assert.equal(take('B'), true, 'another key has its own bucket');
    now = 334; // one token back after 1/3 s
    assert.deepEqual([take('A'), take('A')], [true, false]);
    now = 10_000;
    assert.deepEqual(
      [take('A'), take('A'), take('A'), take('A')],
      [true, true, true, false],
      'never more than the burst',
    );
  });

  it('per-operation rules apply to their operation only, together with the overall one', () => {
    const now = 0;
    const q = new RateQuotas(parseRateSpec(['4,GetStatement=1']), () => now);
    assert.equal(q.take('A', 'GetStatement'), true);
    assert.equal(q.take('A', 'GetStatement'), false);
    assert.equal(q.take('A', 'RunStatement'), true);
    assert.equal(q.take('A', 'GetSession'), true);
    assert.equal(q.take('A', 'GetSession'), true);
    assert.equal(q.take('A', 'GetSession'), false, 'the overall bucket (4) is empty: GetStatement took one');
  });
});
