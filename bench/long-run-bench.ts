// Long run: many statements through one kernel process (glue backend) on an in-process
// emulator, driven over the Jupyter protocol by the project's client. Every statement prints
// its number; each output must arrive exactly once and in order. The kernel's resident memory
// (VmRSS) is sampled every 100 statements; from the warm-up to the end it should grow less
// than 10%.
//
// Where the memory goes (measured with process.memoryUsage() and V8's heap-space statistics in
// the kernel): not live objects. Each statement leaves ~24 KB of garbage that V8 promotes to
// its old space; a forced GC brings the old space back to ~15 MB at any point, and external
// memory stays under 3 MB. V8 collects the old space only at its first full collection, after
// about 2,000 statements: until then RSS climbs (~110 -> ~147 MiB), then it settles (~126 MiB)
// and stays flat. A run much shorter than that shows only the climb, so the default count is
// long enough to see it settle; the samples at every 1,000 statements and the peak are
// reported so the shape is visible.
//
// Run: node dist/bench/long-run-bench.js (or `npm run bench`). BENCH_LONG_RUN_STATEMENTS sets
// the count (default 5000).
import * as fs from 'node:fs';
import { generateCredentials, startEmulator } from '../src/emulator';
import type { JupyterMessage } from '../src/jupyter';
import { emulatorKernelEnv } from '../src/notebook/backends';
import { startKernelProcess, type StartedKernel } from '../src/notebook/run-notebook';
import { textTable } from '../src/text/text-table';
import { runnerPython } from '../test/helpers/tools';

const GROWTH_LIMIT_PCT = 10;

export interface LongRunFigures {
  statements: number;
  outputs_once_in_order: boolean;
  problems: string[];
  warmup_statements: number;
  rss_after_warmup_mib: number;
  rss_end_mib: number;
  rss_max_mib: number;
  /** Kernel RSS (MiB) after every 1,000 statements. */
  rss_by_thousand_mib: number[];
  rss_growth_pct: number;
  /** The peak over the warm-up figure: the climb before V8's first full collection. */
  rss_peak_growth_pct: number;
  growth_limit_pct: number;
  statements_per_s: number;
  met: boolean;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function stdoutOf(outputs: JupyterMessage[]): string[] {
  return outputs
    .filter((m) => m.header.msg_type === 'stream' && (m.content as { name?: string }).name === 'stdout')
    .map((m) => (m.content as { text: string }).text);
}

export async function benchLongRun(
  count = Number(process.env.BENCH_LONG_RUN_STATEMENTS ?? 5000),
): Promise<LongRunFigures> {
  const key = generateCredentials();
  const emulator = await startEmulator({ python: runnerPython(), provisionMs: 0, credentials: [key] });
  let kernel: StartedKernel | undefined;
  const problems: string[] = [];
  try {
    const env = emulatorKernelEnv(
      { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      emulator.endpoint,
      key,
      emulator.region,
      emulator.accountId,
    );
    kernel = await startKernelProcess('pyspark', env);
    const pid = kernel.child.pid!;
    const first = await kernel.client.execute('print("start")', { timeoutMs: 120_000 });
    if ((first.reply.content as { status?: string }).status !== 'ok')
      throw new Error('the first cell failed');
    const warmup = Math.min(500, Math.max(50, Math.floor(count / 10)));
    let lastCount = (first.reply.content as { execution_count: number }).execution_count;
    let baseline = 0;
    let max = 0;
    const byThousand: number[] = [];
    const started = performance.now();
    for (let i = 1; i <= count; i++) {
      const r = await kernel.client.execute(`print(${i})`, { timeoutMs: 60_000 });
      const content = r.reply.content as { status?: string; execution_count: number };
      const texts = stdoutOf(r.outputs);
      if (content.status !== 'ok') problems.push(`statement ${i}: ${content.status}`);
      else if (texts.join('') !== `${i}\n`) problems.push(`statement ${i}: printed ${JSON.stringify(texts)}`);
      if (content.execution_count !== lastCount + 1)
        problems.push(`statement ${i}: execution_count ${content.execution_count} after ${lastCount}`);
      lastCount = content.execution_count;
      if (i === warmup) baseline = rssMiB(pid);
      if (i % 100 === 0) {
        const rss = rssMiB(pid);
        max = Math.max(max, rss);
        if (i % 1000 === 0) {
          byThousand.push(Math.round(rss * 10) / 10);
          console.log(`  ${i} statements, kernel RSS ${rss.toFixed(1)} MiB`);
        }
      }
      if (problems.length > 20) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const end = rssMiB(pid);
    const growth = ((end - baseline) / baseline) * 100;
    return {
      statements: count,
      outputs_once_in_order: problems.length === 0,
      problems: problems.slice(0, 20),
      warmup_statements: warmup,
      rss_after_warmup_mib: Math.round(baseline * 10) / 10,
      rss_end_mib: Math.round(end * 10) / 10,
      rss_max_mib: Math.round(Math.max(max, end) * 10) / 10,
      rss_by_thousand_mib: byThousand,
      rss_growth_pct: Math.round(growth * 10) / 10,
      rss_peak_growth_pct: Math.round(((Math.max(max, end) - baseline) / baseline) * 1000) / 10,
      growth_limit_pct: GROWTH_LIMIT_PCT,
      statements_per_s: Math.round((count / seconds) * 10) / 10,
      met: problems.length === 0 && growth < GROWTH_LIMIT_PCT,
    };
  } finally {
    await kernel?.stop();
    await emulator.stop();
  }
}

export function printLongRun(f: LongRunFigures): void {
  console.log(
    textTable(
      ['long run measure', 'value'],
      [
        ['statements through one kernel', String(f.statements)],
        ['every output once, in order', f.outputs_once_in_order ? 'yes' : `no: ${f.problems[0]}`],
        [`kernel RSS after ${f.warmup_statements} statements`, `${f.rss_after_warmup_mib} MiB`],
        ['kernel RSS at the end', `${f.rss_end_mib} MiB (max ${f.rss_max_mib})`],
        ['kernel RSS every 1,000 statements', f.rss_by_thousand_mib.map((r) => `${r}`).join(', ') + ' MiB'],
        ['growth after warm-up', `${f.rss_growth_pct}% (limit < ${f.growth_limit_pct}%)`],
        ['peak over warm-up (before the first full GC)', `${f.rss_peak_growth_pct}%`],
        ['statements per second', String(f.statements_per_s)],
      ],
    ),
  );
}

if (require.main === module) {
  benchLongRun()
    .then((f) => {
      printLongRun(f);
      if (!f.met) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
