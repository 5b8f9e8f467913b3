// Headless notebook runs: a generated 50-cell plain-Python notebook through
// `glue-kernel run --backend local` and through `jupyter nbconvert --to notebook --execute` on
// Debian's ipykernel, alternated in the same run; wall time from process start to exit.
// Run alone: node dist/bench/notebook-bench.js
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runnerPython } from '../test/helpers/tools';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const NBCONVERT = '/usr/bin/jupyter-nbconvert';
const CELLS = 50;

export interface NotebookBenchResult {
  cells: number;
  runs: number;
  glue_kernel_median_ms: number;
  nbconvert_median_ms: number;
  ratio: number;
}

/** Plain Python a notebook would hold: assignments, loops, comprehensions, prints, a result. */
export function benchNotebook(cells = CELLS): Record<string, unknown> {
  const sources = Array.from({ length: cells }, (_, i) => {
    switch (i % 5) {
      case 0:
        return `values_${i} = [n * n for n in range(1000)]\nsum(values_${i})`;
      case 1:
        return `total = 0\nfor n in range(2000):\n    total += n % 7\nprint("cell ${i}", total)`;
      case 2:
        return `words = "the quick brown fox jumps over the lazy dog".split()\n{w: len(w) for w in words}`;
      case 3:
        return `def f_${i}(x):\n    return x * ${i}\n\nf_${i}(3)`;
      default:
        return `import math\nround(math.sqrt(${i}), 4)`;
    }
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: 'code',
      source,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
  };
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 300_000 });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`,
    );
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function benchNotebookRuns(runs = Number(process.env.BENCH_NOTEBOOK_RUNS ?? 5)): NotebookBenchResult {
  if (!fs.existsSync(NBCONVERT))
    throw new Error("The notebook benchmark needs Debian's jupyter-nbconvert and python3-ipykernel.");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-nb-bench-'));
  try {
    const input = path.join(dir, 'plain.ipynb');
    fs.writeFileSync(input, JSON.stringify(benchNotebook()));
    const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', glue_log_level: undefined };
    const glueArgs = [CLI, 'run', input, '--backend', 'local', '--kernel', 'pyspark'];
    glueArgs.push('--python', runnerPython(), '-o', path.join(dir, 'glue.ipynb'));
    const nbconvertArgs = [
      '--to',
      'notebook',
      '--execute',
      input,
      '--output',
      path.join(dir, 'nbconvert.ipynb'),
    ];
    const ours: number[] = [];
    const theirs: number[] = [];
    timed(process.execPath, glueArgs, env); // warm the file cache for both
    timed(NBCONVERT, nbconvertArgs, env);
    for (let i = 0; i < runs; i++) {
      ours.push(timed(process.execPath, glueArgs, env));
      theirs.push(timed(NBCONVERT, nbconvertArgs, env));
    }
    const glueMedian = median(ours);
    const nbconvertMedian = median(theirs);
    return {
      cells: CELLS,
      runs,
      glue_kernel_median_ms: glueMedian,
      nbconvert_median_ms: nbconvertMedian,
      ratio: glueMedian / nbconvertMedian,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const result = benchNotebookRuns();
  console.log(JSON.stringify(result, null, 2));
}
