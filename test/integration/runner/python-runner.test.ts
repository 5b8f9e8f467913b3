// The runner as a process: start/stop, interrupt, live streaming, engines, %matplot/%plotly,
// death mid-statement and start failures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PythonRunner, RunnerNotRunningError, RunnerStartError } from '../../../src/runner/python-runner';
import { DEBIAN_PYTHON, need, REPO_ROOT, runnerPython } from '../../helpers/tools';

function pythonWith(modules: string[], candidates = [runnerPython(), DEBIAN_PYTHON]): string | undefined {
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** True while pid runs (a zombie nobody reaped yet counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function withRunner<T>(
  options: Parameters<typeof PythonRunner.start>[0],
  body: (r: PythonRunner) => Promise<T>,
): Promise<T> {
  const runner = await PythonRunner.start(options);
  try {
    return await body(runner);
  } finally {
    await runner.stop();
  }
}

describe('lifecycle', () => {
  it('starts, reports its engine and stops', async () => {
    const runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
    assert.equal(runner.engine.name, 'plain');
    assert.match(runner.engine.pythonVersion, /^3\.\d+\.\d+/);
    assert.ok(runner.pid > 0);
    assert.ok(runner.alive);
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      runner.once('exit', (code, signal) => resolve([code, signal])),
    );
    await runner.stop();
    assert.equal(runner.alive, false);
    assert.deepEqual(await exited, [0, null]);
    await assert.rejects(runner.execute('1'), RunnerNotRunningError);
    await runner.stop(); // idempotent
  });

  it('runs statements FIFO, one at a time', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      const outs = await Promise.all([
        runner.execute('import time\nseen = []\ntime.sleep(0.2)\nseen.append(1)'),
        runner.execute('seen.append(2)\nseen'),
        runner.execute('seen.append(3)\nseen'),
      ]);
      assert.deepEqual(
        outs.map((o) => o.Data?.TextPlain),
        ['', '[1, 2]', '[1, 2, 3]'],
      );
    });
  });

  it('forces the plain engine through the environment too', async () => {
    await withRunner(
      { python: runnerPython(), env: { ...process.env, GLUE_KERNEL_RUNNER_ENGINE: 'plain' } },
      async (runner) => {
        assert.equal(runner.engine.name, 'plain');
      },
    );
  });

  it('passes cwd and env to the child', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-cwd-'));
    try {
      await withRunner(
        { python: runnerPython(), engine: 'plain', cwd: dir, env: { ...process.env, RUNNER_TEST_VAR: 'v1' } },
        async (runner) => {
          const out = await runner.execute(
            'import os\n(os.getcwd() == os.path.realpath(%r), os.environ["RUNNER_TEST_VAR"], os.environ["MPLBACKEND"])'.replace(
              '%r',
              JSON.stringify(dir),
            ),
          );
          assert.equal(out.Data?.TextPlain, "(True, 'v1', 'Agg')");
        },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start failures', () => {
  it('python not found → a clear error', async () => {
    await assert.rejects(PythonRunner.start({ python: 'no-such-python-3' }), (err: Error) => {
      assert.ok(err instanceof RunnerStartError);
      assert.match(err.message, /"no-such-python-3" was not found/);
      return true;
    });
  });

  it('python crashing on start → the exit code and its stderr tail', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-crash-'));
    const fake = path.join(dir, 'python');
    fs.writeFileSync(fake, '#!/bin/sh\necho "fake python: broken install" >&2\nexit 7\n', { mode: 0o755 });
    try {
      await assert.rejects(PythonRunner.start({ python: fake }), (err: Error) => {
        assert.ok(err instanceof RunnerStartError);
        assert.match(err.message, /exited with code 7 before it was ready/);
        assert.match(err.message, /fake python: broken install/);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a start timeout kills the child and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-slow-'));
    const fake = path.join(dir, 'python');
    fs.writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    try {
      const t0 = Date.now();
      await assert.rejects(
        PythonRunner.start({ python: fake, startTimeoutMs: 300 }),
        /did not become ready within 300 ms/,
      );
      assert.ok(Date.now() - t0 < 3000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an engine that is not available → a clear error', async (t) => {
    const python = need(t, pythonWith(['json'], ['python3', runnerPython()]), 'python3');
    if (!python) return;
    await assert.rejects(
      PythonRunner.start({ python, engine: 'pyspark' }),
      /engine 'pyspark' was requested but pyspark is not importable/,
    );
  });
});

describe('interrupt', () => {
  it('stops time.sleep(30) within 2 s and keeps the variables', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      assert.equal(runner.interrupt(), false, 'nothing to interrupt while idle');
      await runner.execute('kept = "yes"');
      const t0 = Date.now();
      const pending = runner.execute('import time\nprint("sleeping")\ntime.sleep(30)');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(runner.interrupt(), true);
      const out = await pending;
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
      assert.equal(out.Status, 'error');
      assert.equal(out.ErrorName, 'KeyboardInterrupt');
      assert.match(out.Traceback?.join('') ?? '', /<cell \d+>/);
      assert.doesNotMatch(out.Traceback?.join('') ?? '', /runner\.py/);
      assert.equal(out.Data?.TextPlain, 'sleeping');
      assert.equal((await runner.execute('kept')).Data?.TextPlain, "'yes'");
    });
  });

  it('is ignored while idle (a stray SIGINT does not kill the runner)', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      await runner.execute('v = 5');
      process.kill(runner.pid, 'SIGINT');
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(runner.alive);
      assert.equal((await runner.execute('v')).Data?.TextPlain, '5');
    });
  });

  it('takes SIGINT back from a statement that installed its own handler', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      await runner.execute('import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\nw = 1');
      process.kill(runner.pid, 'SIGINT');
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(runner.alive);
      assert.equal((await runner.execute('w')).Data?.TextPlain, '1');
    });
  });

  it('never corrupts the protocol while the statement prints fast', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      for (let round = 0; round < 5; round++) {
        let streamed = 0;
        const pending = runner.execute('n = 0\nwhile True:\n    print("x" * 50)\n    n += 1', {
          onStream: (_n, text) => (streamed += text.length),
        });
        await new Promise((r) => setTimeout(r, 50 + round * 17));
        runner.interrupt();
        const out = await pending;
        assert.equal(out.ErrorName, 'KeyboardInterrupt');
        assert.ok(streamed > 0);
      }
      assert.equal((await runner.execute('n > 0')).Data?.TextPlain, 'True');
    });
  });
});

describe('live streaming', () => {
  it('delivers output in order while the statement runs', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      const got: { name: string; text: string; at: number }[] = [];
      const t0 = Date.now();
      const out = await runner.execute(
        'import sys, time\nfor i in range(3):\n    print("out", i)\n    print("err", i, file=sys.stderr)\n    time.sleep(0.3)\n"end"',
        { onStream: (name, text) => got.push({ name, text, at: Date.now() - t0 }) },
      );
      assert.deepEqual(out.Data, { TextPlain: "'end'" });
      const joined = got.map((g) => `${g.name}:${g.text}`).join('');
      assert.equal(
        joined,
        'stdout:out 0\nstderr:err 0\nstdout:out 1\nstderr:err 1\nstdout:out 2\nstderr:err 2\n',
      );
      const first = got.find((g) => g.text.includes('out 0'));
      assert.ok(first && first.at < 600, `first line arrived at ${first?.at} ms, before the statement ended`);
    });
  });
});

describe('engines', () => {
  it('duckdb: spark.sql and createDataFrame work on a real engine', async (t) => {
    const python = need(
      t,
      pythonWith(['duckdb', 'pandas'], [runnerPython()]),
      'the project venv with duckdb and pandas (.venv)',
    );
    if (!python) return;
    await withRunner({ python, engine: 'duckdb' }, async (runner) => {
      assert.equal(runner.engine.name, 'duckdb');
      assert.match(runner.engine.description, /DuckDB/);
      const sql = await runner.execute('spark.sql("select 42 as x").collect()');
      assert.equal(sql.Status, 'ok', sql.Traceback?.join(''));
      assert.equal(sql.Data?.TextPlain, '[Row(x=42)]');
      const df = await runner.execute(
        'df = spark.createDataFrame([(1, "a"), (2, "b")], ["id", "name"])\nprint(df.count())\ndf.collect()',
      );
      assert.equal(df.Status, 'ok', df.Traceback?.join(''));
      assert.equal(df.Data?.TextPlain, "2\n[Row(id=1, name='a'), Row(id=2, name='b')]");
      const show = await runner.execute('df.filter(df.id > 1).show()');
      assert.match(show.Data?.TextPlain ?? '', /│\s+2 │ b/);
    });
  });

  it('duckdb: interrupting a long query', async (t) => {
    const python = need(
      t,
      pythonWith(['duckdb', 'pandas'], [runnerPython()]),
      'the project venv with duckdb and pandas (.venv)',
    );
    if (!python) return;
    await withRunner({ python, engine: 'duckdb' }, async (runner) => {
      const t0 = Date.now();
      const pending = runner.execute(
        'spark.sql("select count(*) from range(100000000000) t(a) where a % 7 = 3").collect()',
      );
      await new Promise((r) => setTimeout(r, 400));
      runner.interrupt();
      const out = await pending;
      assert.ok(Date.now() - t0 < 3000);
      assert.equal(out.ErrorName, 'KeyboardInterrupt');
      assert.equal(
        (await runner.execute('spark.sql("select 1 as y").collect()')).Data?.TextPlain,
        '[Row(y=1)]',
      );
    });
  });

  it('auto picks duckdb when it is importable', async (t) => {
    const python = need(t, pythonWith(['duckdb'], [runnerPython()]), 'the project venv with duckdb (.venv)');
    if (!python) return;
    await withRunner({ python }, async (runner) => assert.equal(runner.engine.name, 'duckdb'));
  });

  it('plain, forced even where duckdb is importable', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      assert.equal(runner.engine.name, 'plain');
      // Not DuckDB's session: the stand-in that explains there is no Spark engine.
      assert.match((await runner.execute('repr(spark)')).Data?.TextPlain ?? '', /no Spark engine: forced/);
    });
  });
});

describe('pyspark engine wiring (a stand-in pyspark, since PySpark cannot be installed here)', () => {
  function fakePyspark(dir: string): void {
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    const log =
      "def _log(what):\n    with open(os.environ['FAKE_SPARK_LOG'], 'a') as f:\n        f.write(what + '\\n')\n";
    write('pyspark/__init__.py', '__version__ = "0.0-fake"\n');
    write(
      'pyspark/sql/__init__.py',
      'import os, sys\n' +
        log +
        'print("noisy engine start-up")\n' +
        'print("more noise", file=sys.stderr)\n' +
        'class _Context:\n    def cancelAllJobs(self):\n        _log("cancelAllJobs")\n' +
        'class _Builder:\n' +
        '    def master(self, m):\n        _log("master " + m)\n        return self\n' +
        '    def appName(self, n):\n        return self\n' +
        '    def getOrCreate(self):\n        return SparkSession()\n' +
        'class SparkSession:\n    builder = _Builder()\n' +
        '    def __init__(self):\n        self.sparkContext = _Context()\n' +
        '    def stop(self):\n        _log("stop")\n',
    );
    write('awsglue/__init__.py', '');
    write('awsglue/context.py', 'class GlueContext:\n    def __init__(self, sc):\n        self.sc = sc\n');
  }

  it('defines spark, sc and glueContext, cancels jobs on interrupt and stops Spark on stop()', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-fake-spark-'));
    const log = path.join(dir, 'calls.log');
    fakePyspark(dir);
    try {
      const env = { ...process.env, PYTHONPATH: dir, FAKE_SPARK_LOG: log };
      const runner = await PythonRunner.start({ python: runnerPython(), env });
      try {
        assert.equal(runner.engine.name, 'pyspark');
        assert.match(runner.engine.description, /PySpark 0\.0-fake \(local\[\*\]\) with awsglue GlueContext/);
        const names = await runner.execute('(type(spark).__name__, type(sc).__name__, glueContext.sc is sc)');
        assert.equal(
          names.Data?.TextPlain,
          "('SparkSession', '_Context', True)",
          'start-up prints stay out of statements',
        );
        const pending = runner.execute('import time\ntime.sleep(30)');
        await new Promise((r) => setTimeout(r, 300));
        runner.interrupt();
        assert.equal((await pending).ErrorName, 'KeyboardInterrupt');
      } finally {
        await runner.stop();
      }
      // cancelAllJobs may run twice (the watcher thread and the Python handler both call it).
      const calls = [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))];
      assert.deepEqual(calls, ['master local[*]', 'cancelAllJobs', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rich output', () => {
  it('%matplot renders a PNG, with printed text in StdOut', async (t) => {
    const python = need(
      t,
      pythonWith(['matplotlib']),
      'matplotlib (python3-matplotlib, or the project venv)',
    );
    if (!python) return;
    await withRunner({ python, engine: 'plain' }, async (runner) => {
      const out = await runner.execute(
        'import matplotlib\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3], [3, 1, 2])\nprint("backend", matplotlib.get_backend().lower())\n%matplot fig',
      );
      assert.equal(out.Status, 'ok', out.Traceback?.join(''));
      assert.equal(out.Data?.MimeType, 'image/png');
      assert.equal(out.Data?.StdOut, 'backend agg');
      const png = Buffer.from(out.Data?.Result ?? '', 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(png.length > 1000);
      const viaModule = await runner.execute('%matplot plt');
      assert.equal(viaModule.Data?.MimeType, 'image/png');
      const viaAxes = await runner.execute('%matplot ax');
      assert.equal(viaAxes.Data?.MimeType, 'image/png');
      const streamed = await runner.execute('print("p")\n%matplot fig', { onStream: () => undefined });
      assert.equal(streamed.Data?.StdOut, undefined, 'streamed text is not repeated');
      const wrong = await runner.execute('%matplot 42');
      assert.equal(wrong.ErrorName, 'MagicError');
      assert.match(wrong.ErrorValue ?? '', /expects a matplotlib Figure, Axes or the pyplot module; got int/);
    });
  });

  it('%matplot without matplotlib → a clear error', async (t) => {
    const python = need(t, pythonWith(['json'], ['python3']), 'python3');
    if (!python) return;
    await withRunner({ python, engine: 'plain' }, async (runner) => {
      const has = await runner.execute(
        'import importlib.util\nimportlib.util.find_spec("matplotlib") is not None',
      );
      if (has.Data?.TextPlain === 'True') return t.skip('this python3 has matplotlib');
      const out = await runner.execute('x = 1\n%matplot x');
      assert.equal(out.ErrorName, 'MagicError');
      assert.match(out.ErrorValue ?? '', /%matplot needs matplotlib, which is not installed/);
    });
  });

  it('%plotly renders HTML when plotly is present', async (t) => {
    const python = need(
      t,
      pythonWith(['plotly'], [runnerPython()]),
      'plotly in the runner Python (scripts/setup-test-env.sh)',
    );
    if (!python) return;
    await withRunner({ python, engine: 'plain' }, async (runner) => {
      const out = await runner.execute(
        'import plotly.graph_objects as go\nf = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))\n%plotly f',
      );
      assert.equal(out.Status, 'ok', out.Traceback?.join(''));
      assert.equal(out.Data?.MimeType, 'text/html');
      assert.match(out.Data?.Result ?? '', /plotly/i);
    });
  });
});

describe('death', () => {
  it('a statement that kills the process resolves with RunnerDied; later executes reject', async () => {
    const runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
    try {
      const exit = new Promise((resolve) => runner.once('exit', resolve));
      const first = runner.execute('"first"');
      const dying = runner.execute('import os\nprint("last words")\nos._exit(9)');
      assert.equal((await first).Data?.TextPlain, "'first'");
      const out = await dying;
      await exit;
      assert.equal(out.Status, 'error');
      assert.equal(out.ErrorName, 'RunnerDied');
      assert.match(out.ErrorValue ?? '', /exited with code 9/);
      assert.match(out.ErrorValue ?? '', /variables are lost/);
      assert.equal(out.Data?.TextPlain, 'last words');
      assert.equal(runner.alive, false);
      await assert.rejects(runner.execute('1'), /not running: it exited with code 9/);
    } finally {
      await runner.stop();
    }
  });

  it('killed by a signal mid-statement; queued statements reject', async () => {
    const runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
    try {
      const running = runner.execute('import time\ntime.sleep(30)');
      const queued = runner.execute('1');
      await new Promise((r) => setTimeout(r, 200));
      process.kill(runner.pid, 'SIGKILL');
      const out = await running;
      assert.equal(out.ErrorName, 'RunnerDied');
      assert.match(out.ErrorValue ?? '', /killed by signal SIGKILL/);
      await assert.rejects(queued, RunnerNotRunningError);
    } finally {
      await runner.stop();
    }
  });

  it('a segfault is reported with the signal and the fatal error text', async () => {
    await withRunner({ python: runnerPython(), engine: 'plain' }, async (runner) => {
      const out = await runner.execute('import ctypes\nctypes.string_at(0)');
      assert.equal(out.ErrorName, 'RunnerDied');
      assert.match(out.ErrorValue ?? '', /killed by signal SIGSEGV/);
      assert.match(out.Traceback?.join('') ?? '', /Fatal Python error: Segmentation fault/);
    });
  });

  it('stop() during a statement ends it (SIGTERM after the grace period)', async () => {
    const runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
    const running = runner.execute('import time\ntime.sleep(30)');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await runner.stop(300);
    assert.ok(Date.now() - t0 < 3000);
    const out = await running;
    assert.equal(out.ErrorName, 'RunnerDied');
    assert.match(out.ErrorValue ?? '', /was stopped/);
  });

  it('exits by itself when the driver goes away', async () => {
    const script = [
      `const { PythonRunner } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'src', 'runner', 'python-runner.js'))});`,
      `PythonRunner.start({ python: ${JSON.stringify(runnerPython())}, engine: 'plain' }).then((r) => { console.log(r.pid); process.exit(0); });`,
    ].join('\n');
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    const pid = Number(res.stdout.trim());
    assert.ok(pid > 0, res.stderr);
    const deadline = Date.now() + 5000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      alive = isRunning(pid);
      if (alive) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(alive, false, `runner ${pid} outlived its driver`);
  });
});
