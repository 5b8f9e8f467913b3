// Hostile input at scale, the short run: every property of properties.ts with a couple of
// thousand generated cases (a fixed seed, so a failure reproduces). `npm run bench` runs the
// same properties with 100,000 cases each (bench/property-bench.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propertyTargets } from './properties';

const CASES = Number(process.env.PROPERTY_CASES ?? 1000);

describe('hostile input: property-based tests', () => {
  for (const target of propertyTargets()) {
    it(target.name, () => {
      const outcome = target.check({ numRuns: CASES, seed: 20261202 });
      assert.equal(outcome.failed, false, outcome.report);
      assert.equal(outcome.numRuns, CASES);
    });
  }
});
