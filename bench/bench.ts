// `npm run bench`: measures glue-kernel side by side with Debian's ipykernel, in one run, with
// the same client (bench/kernel_bench.py, Debian's jupyter_client), plus the emulator's and
// the Glue backend's figures against the emulator's own clock. Prints a table of ratios and
// writes bench-results/latest.json.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { textTable } from '../src/text/text-table';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PYTHON = '/usr/bin/python3';

interface KernelFigures {
  kernel: string;
  start_median_ms: number;
  rss_mib: number;
  latency: Record<string, { median_ms: number; p90_ms: number; p99_ms: number }>;
}

function runnerPython(): string {
  const venv = path.join(ROOT, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

function kernelBench(kernel: string, codes: string[], env: NodeJS.ProcessEnv, starts: number): KernelFigures {
  const args = [
    path.join(ROOT, 'bench', 'kernel_bench.py'),
    kernel,
    '--starts',
    String(starts),
    '--iters',
    '200',
    '--warmup',
    '20',
  ];
  for (const code of codes) args.push('--code', code);
  const result = spawnSync(PYTHON, args, { env, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`kernel bench for ${kernel} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as KernelFigures;
}

function ratio(ours: number, theirs: number): string {
  return `${(ours / theirs).toFixed(2)}×`;
}

async function main(): Promise<void> {
  if (
    !fs.existsSync(PYTHON) ||
    spawnSync(PYTHON, ['-c', 'import jupyter_client, ipykernel'], { stdio: 'ignore' }).status !== 0
  ) {
    throw new Error(
      "npm run bench needs Debian's python3-jupyter-client and python3-ipykernel (bash scripts/setup-test-env.sh).",
    );
  }
  const starts = Number(process.env.BENCH_STARTS ?? 7);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-bench-'));
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`,
  };
  try {
    const install = spawnSync(
      process.execPath,
      [CLI, 'install', '--prefix', dir, '--backend', 'local', '--env', `glue_python=${runnerPython()}`],
      {
        encoding: 'utf8',
      },
    );
    if (install.status !== 0) throw new Error(install.stderr);
    const env = {
      ...process.env,
      JUPYTER_PATH: path.join(dir, 'share', 'jupyter'),
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };

    console.log('Measuring ipykernel and glue_pyspark (local backend) with Debian jupyter_client…');
    const ipykernel = kernelBench('python3', ['1+1'], env, starts);
    const glue = kernelBench('glue_pyspark', ['%session_id', '1+1'], env, starts);
    results.ipykernel = ipykernel;
    results.glue_pyspark = glue;
    const ipyOnePlusOne = ipykernel.latency['1+1'].median_ms;
    console.log(
      '\n' +
        textTable(
          ['measure', 'glue-kernel', 'ipykernel', 'ratio', 'target'],
          [
            [
              'start → first kernel_info_reply (median)',
              `${glue.start_median_ms.toFixed(0)} ms`,
              `${ipykernel.start_median_ms.toFixed(0)} ms`,
              ratio(glue.start_median_ms, ipykernel.start_median_ms),
              '≤ 0.5×',
            ],
            [
              'magic-only cell round trip vs ipykernel 1+1',
              `${glue.latency['%session_id'].median_ms.toFixed(2)} ms`,
              `${ipyOnePlusOne.toFixed(2)} ms`,
              ratio(glue.latency['%session_id'].median_ms, ipyOnePlusOne),
              '≤ 0.5×',
            ],
            [
              '1+1 round trip (local backend)',
              `${glue.latency['1+1'].median_ms.toFixed(2)} ms`,
              `${ipyOnePlusOne.toFixed(2)} ms`,
              ratio(glue.latency['1+1'].median_ms, ipyOnePlusOne),
              '≤ 1.5×',
            ],
            [
              'resident memory after start',
              `${glue.rss_mib.toFixed(1)} MiB`,
              `${ipykernel.rss_mib.toFixed(1)} MiB`,
              ratio(glue.rss_mib, ipykernel.rss_mib),
              '≤ 1×',
            ],
          ],
        ),
    );

    const emulatorBench = path.join(__dirname, 'emulator-bench.js');
    if (fs.existsSync(emulatorBench)) {
      console.log('\nMeasuring the Glue API emulator…');
      const { benchEmulator } = (await import(emulatorBench)) as {
        benchEmulator: () => Promise<Record<string, number>>;
      };
      const emulator = await benchEmulator();
      results.emulator = emulator;
      console.log(
        textTable(
          ['emulator measure', 'value'],
          Object.entries(emulator).map(([k, v]) => [k, String(Math.round(v * 100) / 100)]),
        ),
      );
    }

    const glueBench = path.join(__dirname, 'glue-bench.js');
    if (fs.existsSync(glueBench)) {
      console.log(
        '\nMeasuring the Glue backend against the emulator (statement overhead and GetStatement calls)…',
      );
      const { benchGlueBackend } = (await import(glueBench)) as {
        benchGlueBackend: () => Promise<Record<string, unknown>>;
      };
      results.glue_backend = await benchGlueBackend();
    }

    for (const [file, title, key] of [
      ['emulator-memory-bench.js', 'emulator heap over a long run (MiB after GC)', 'emulator_memory'],
      ['property-bench.js', 'hostile input: property-based tests, 100,000 cases each', 'properties'],
    ] as const) {
      if (!fs.existsSync(path.join(__dirname, file))) continue;
      console.log(`\nMeasuring ${title}…`);
      const bench = (await import(path.join(__dirname, file))) as {
        run: () => Promise<{ table: string; figures: unknown; failed: boolean }>;
      };
      const { table, figures, failed } = await bench.run();
      console.log(table);
      results[key] = figures;
      if (failed) process.exitCode = 1;
    }

    const notebookBench = path.join(__dirname, 'notebook-bench.js');
    if (fs.existsSync(notebookBench)) {
      console.log('\nMeasuring a 50-cell notebook: glue-kernel run --backend local vs nbconvert --execute…');
      const { benchNotebookRuns } = (await import(notebookBench)) as typeof import('./notebook-bench');
      const notebook = benchNotebookRuns();
      results.notebook = notebook;
      console.log(
        `glue-kernel run ${notebook.glue_kernel_median_ms.toFixed(0)} ms, nbconvert ${notebook.nbconvert_median_ms.toFixed(0)} ms: ${ratio(notebook.glue_kernel_median_ms, notebook.nbconvert_median_ms)} (target ≤ 0.5×)`,
      );
    }

    const progressBench = path.join(__dirname, 'progress-bench.js');
    if (fs.existsSync(progressBench)) {
      console.log('\nMeasuring progress lines (update rate, GetStatement calls)…');
      const { benchProgress } = (await import(progressBench)) as {
        benchProgress: () => Promise<Record<string, unknown>>;
      };
      results.progress = await benchProgress();
    }

    const tableBench = path.join(__dirname, 'table-bench.js');
    if (fs.existsSync(tableBench)) {
      console.log(
        '\nMeasuring a 10,000-row %%sql -n 10000 result: kernel render time and iopub message size…',
      );
      const { benchTableRender } = (await import(tableBench)) as {
        benchTableRender: () => Promise<Record<string, number>>;
      };
      const table = await benchTableRender();
      results.sql_table = table;
      console.log(
        textTable(
          ['%%sql table measure', 'value', 'target'],
          [
            ['kernel time (median)', `${table.kernel_render_median_ms.toFixed(0)} ms`, '≤ 1000 ms'],
            ['kernel CPU time (median)', `${table.kernel_render_cpu_median_ms.toFixed(0)} ms`, ''],
            ['iopub display_data message', `${table.iopub_message_mb.toFixed(2)} MB`, '< 5 MB'],
          ],
        ),
      );
    }

    const longRun = path.join(__dirname, 'long-run-bench.js');
    if (fs.existsSync(longRun)) {
      console.log('\nLong run: statements through one kernel on the emulator (BENCH_LONG_RUN_STATEMENTS)…');
      const m = (await import(longRun)) as typeof import('./long-run-bench');
      results.long_run = await m.benchLongRun();
      m.printLongRun(results.long_run as Awaited<ReturnType<typeof m.benchLongRun>>);
    }

    const fleetBench = path.join(__dirname, 'glue-fleet-bench.js');
    if (fs.existsSync(fleetBench)) {
      console.log(
        '\nTen kernels on one emulator with an account quota (--rate 20), 2 s statements in a loop…',
      );
      const { benchGlueFleet } = (await import(fleetBench)) as {
        benchGlueFleet: () => Promise<Record<string, unknown>>;
      };
      results.glue_fleet = await benchGlueFleet();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = path.join(ROOT, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(ROOT, path.join(out, 'latest.json'))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
