// %%sql -n 10000 benchmark: the kernel's own time to turn a 10,000-row result into its
// display (find the marked JSON in the statement output, read it, render HTML and text, encode
// the iopub message), and that message's size. The output is real: %%sql's session code run by
// the local runner on DuckDB's Spark API. Targets: ≤ 1 s of kernel time, message < 5 MB.
// Run alone: node dist/bench/table-bench.js
import { parseTableDocument } from '../src/kernel/result-table';
import { renderTable } from '../src/kernel/table-render';
import { extractMarked, newMarker, pythonTableCode } from '../src/magics/table-query';
import { PythonRunner } from '../src/runner/python-runner';
import { runnerPython } from '../test/helpers/tools';

const ROWS = 10_000;
const SQL =
  "SELECT i AS id, 'customer-' || i AS name, i * 1.25 AS amount, DATE '2024-01-01' + (i % 365)::INT AS day, " +
  "CASE WHEN i % 7 = 0 THEN NULL ELSE 'note <' || i || '> & more' END AS note, i % 2 = 0 AS even " +
  `FROM range(${ROWS}) t(i)`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchTableRender(): Promise<Record<string, number>> {
  const runner = await PythonRunner.start({ python: runnerPython(), engine: 'duckdb' });
  let printed: string;
  const marker = newMarker();
  try {
    const output = await runner.execute(
      pythonTableCode({ source: { kind: 'sql', sql: SQL }, limit: ROWS, cellChars: 1000, marker }),
    );
    if (output.Status !== 'ok')
      throw new Error(`the query failed: ${output.ErrorName}: ${output.ErrorValue}`);
    printed = output.Data?.TextPlain ?? '';
  } finally {
    await runner.stop();
  }
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let messageBytes = 0;
  let shownRows = 0;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const found = extractMarked(printed, marker);
    if (!found) throw new Error('no marked result in the statement output');
    const bundle = renderTable(parseTableDocument(found.json), { limit: ROWS });
    const message = JSON.stringify({ data: bundle, metadata: {}, transient: {} });
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    messageBytes = Buffer.byteLength(message);
    shownRows = String(bundle['text/html']).split('<tr>').length - 2;
  }
  return {
    rows_fetched: ROWS,
    rows_shown: shownRows,
    statement_output_mb: Buffer.byteLength(printed) / 1e6,
    kernel_render_median_ms: median(times),
    // CPU time of the same work: what the wall time is on an idle machine.
    kernel_render_cpu_median_ms: median(cpuTimes),
    iopub_message_mb: messageBytes / 1e6,
  };
}

if (require.main === module) {
  benchTableRender()
    .then((figures) => {
      console.log(JSON.stringify(figures, null, 2));
      const ok = figures.kernel_render_median_ms <= 1000 && figures.iopub_message_mb < 5;
      console.log(ok ? 'within targets (≤ 1000 ms, < 5 MB)' : 'OUTSIDE targets (≤ 1000 ms, < 5 MB)');
      if (!ok) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    });
}
