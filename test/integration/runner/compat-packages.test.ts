// Which compatibility packages the runner adds: the pyspark shim only without a real pyspark,
// the awsglue package only without a real awsglue, and the engine line says which. A real
// package always wins (stand-ins on PYTHONPATH play the real ones: PySpark cannot be installed here).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';
import { PythonRunner } from '../../../src/runner/python-runner';
import { need, runnerPython } from '../../helpers/tools';

const SHIM = "pyspark: glue-kernel's shim over DuckDB";
const COMPAT = "awsglue: glue-kernel's compatibility package";

function duckdbPython(t: TestContext): string | undefined {
  const python = runnerPython();
  const ok = spawnSync(python, ['-c', 'import duckdb.experimental.spark'], { stdio: 'ignore' }).status === 0;
  return need(t, ok ? python : undefined, 'a Python with duckdb (the project .venv)');
}

async function withPackages(
  files: Record<string, string>,
  body: (env: NodeJS.ProcessEnv) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-compat-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    await body({ ...process.env, PYTHONPATH: dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function withRunner(
  python: string,
  env: NodeJS.ProcessEnv,
  body: (runner: PythonRunner) => Promise<void>,
): Promise<void> {
  const runner = await PythonRunner.start({ python, env });
  try {
    await body(runner);
  } finally {
    await runner.stop();
  }
}

describe('compatibility packages', () => {
  it('DuckDB without pyspark or awsglue: both are added and named on the engine line', async (t) => {
    const python = duckdbPython(t);
    if (!python) return;
    await withRunner(python, process.env, async (runner) => {
      assert.equal(runner.engine.name, 'duckdb');
      assert.ok(runner.engine.description.includes(`; ${SHIM}; ${COMPAT}`), runner.engine.description);
      const out = await runner.execute(
        'import pyspark, awsglue\n(pyspark.__glue_kernel_shim__, awsglue.__glue_kernel_compat__, repr(sc), spark is __import__("pyspark.sql").sql.SparkSession.builder.getOrCreate())',
      );
      assert.equal(
        out.Data?.TextPlain,
        `(True, True, "<SparkContext over DuckDB (glue-kernel's pyspark shim)>", True)`,
      );
    });
  });

  it('a real awsglue wins over the compatibility package; the pyspark shim is still added', async (t) => {
    const python = duckdbPython(t);
    if (!python) return;
    await withPackages({ 'awsglue/__init__.py': 'REAL = True\n' }, async (env) => {
      await withRunner(python, env, async (runner) => {
        assert.ok(runner.engine.description.endsWith(`; ${SHIM}`), runner.engine.description);
        const out = await runner.execute(
          'import awsglue, pyspark\n(awsglue.REAL, pyspark.__glue_kernel_shim__)',
        );
        assert.equal(out.Data?.TextPlain, '(True, True)');
      });
    });
  });

  it('a real pyspark wins over the shim; awsglue comes from the compatibility package', async (t) => {
    const python = duckdbPython(t);
    if (!python) return;
    const pyspark = {
      'pyspark/__init__.py': '__version__ = "0.0-real"\n',
      'pyspark/sql/__init__.py':
        'class _Context:\n    def cancelAllJobs(self):\n        pass\n' +
        'class _Builder:\n    def master(self, m):\n        return self\n    def appName(self, n):\n        return self\n' +
        '    def getOrCreate(self):\n        return SparkSession()\n' +
        'class SparkSession:\n    builder = _Builder()\n    def __init__(self):\n        self.sparkContext = _Context()\n' +
        '    def stop(self):\n        pass\n',
    };
    await withPackages(pyspark, async (env) => {
      await withRunner(python, env, async (runner) => {
        assert.equal(runner.engine.name, 'pyspark');
        assert.match(
          runner.engine.description,
          new RegExp(`^PySpark 0\\.0-real \\(local\\[\\*\\]\\); ${COMPAT}`),
        );
        const out = await runner.execute(
          'import pyspark, awsglue\n(pyspark.__version__, hasattr(pyspark, "__glue_kernel_shim__"), awsglue.__glue_kernel_compat__)',
        );
        assert.equal(out.Data?.TextPlain, "('0.0-real', False, True)");
      });
    });
  });
});
