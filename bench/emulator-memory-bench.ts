// Emulator memory over a long run: one session runs many statements (1 KiB of code each)
// through the emulator's session manager with the Python-free fake executor, and the heap is
// measured after a full GC at checkpoints. With the default keepStatements (1000) the heap
// stays flat (the little growth left is the fake runner's own list of executed statements, one
// pointer each); with every statement kept it grows by ~0.5 MiB per 1000 statements.
// Run alone: node dist/bench/emulator-memory-bench.js
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { SessionManager } from '../src/emulator/sessions';
import { textTable } from '../src/text/text-table';
import { fakeExecutor } from '../test/unit/emulator/fake-executor';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Heap (MiB, after GC) after each checkpoint's number of statements. */
export async function benchEmulatorMemory(
  checkpoints = [10_000, 50_000, 100_000],
  keepStatements?: number,
): Promise<Record<string, number>> {
  const m = new SessionManager({
    executor: fakeExecutor().executor,
    accountId: '123456789012',
    region: 'us-east-1',
    keepStatements,
  });
  m.createSession({ Id: 'mem', Role: 'arn:aws:iam::123456789012:role/R', Command: { Name: 'glueetl' } });
  while (m.getSession('mem').Status !== 'READY') await new Promise((r) => setTimeout(r, 5));
  const code = `print ${'x'.repeat(1018)}`;
  const out: Record<string, number> = { heap_mib_start: heapMiB() };
  let run = 0;
  for (const target of checkpoints) {
    for (; run < target; run++) {
      const { Id } = m.runStatement('mem', code);
      while (m.getStatement('mem', Id).State !== 'AVAILABLE') await new Promise((r) => setImmediate(r));
    }
    out[`heap_mib_after_${target}_statements`] = heapMiB();
  }
  out.statements_kept = m.inspect()[0].statements;
  await m.shutdown();
  return out;
}

/** For bench/bench.ts: the table and the figures for latest.json. */
export async function run(): Promise<{ table: string; figures: unknown; failed: boolean }> {
  const figures = await benchEmulatorMemory();
  const table = textTable(
    ['emulator memory', 'value'],
    Object.entries(figures).map(([k, v]) => [k, String(Math.round(v * 10) / 10)]),
  );
  return { table, figures, failed: false };
}

if (require.main === module) void run().then((r) => console.log(r.table));
