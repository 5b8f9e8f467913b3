// Hostile input at scale, the long run: every property of test/unit/property/properties.ts
// (wire codec, cell splitter, every magic's argument parser, %%configure and the Python-literal
// parser) with 100,000 generated cases each (PROPERTY_CASES overrides), reporting cases/s and
// any failure with fast-check's seed and shrunk counterexample.
// Run alone: node dist/bench/property-bench.js
import { textTable } from '../src/text/text-table';
import { propertyTargets } from '../test/unit/property/properties';

export interface PropertyBenchRow {
  property: string;
  cases: number;
  seconds: number;
  casesPerSecond: number;
  failure?: string;
}

export function benchProperties(cases = Number(process.env.PROPERTY_CASES ?? 100_000)): PropertyBenchRow[] {
  const seed = Date.now() % 2 ** 31;
  return propertyTargets().map((target) => {
    const started = performance.now();
    const outcome = target.check({ numRuns: cases, seed });
    const seconds = (performance.now() - started) / 1000;
    return {
      property: target.name,
      cases: outcome.numRuns,
      seconds,
      casesPerSecond: outcome.numRuns / seconds,
      failure: outcome.failed ? outcome.report : undefined,
    };
  });
}

export function propertyTable(rows: PropertyBenchRow[]): string {
  return textTable(
    ['property', 'cases', 'cases/s', 'result'],
    rows.map((r) => [
      r.property,
      String(r.cases),
      String(Math.round(r.casesPerSecond)),
      r.failure === undefined ? 'ok' : 'FAILED',
    ]),
  );
}

/** For bench/bench.ts: the table, the figures for latest.json, and whether any property failed. */
export async function run(): Promise<{ table: string; figures: unknown; failed: boolean }> {
  const rows = benchProperties();
  for (const r of rows) if (r.failure) console.error(`\n${r.property}:\n${r.failure}`);
  return { table: propertyTable(rows), figures: rows, failed: rows.some((r) => r.failure !== undefined) };
}

if (require.main === module) {
  const rows = benchProperties();
  console.log(propertyTable(rows));
  for (const r of rows) if (r.failure) console.error(`\n${r.property}:\n${r.failure}`);
  if (rows.some((r) => r.failure)) process.exitCode = 1;
}
