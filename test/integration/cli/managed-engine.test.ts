// The managed environment in use and failing:
// - `glue-kernel run` on the local backend and on the embedded emulator, with glue_python unset,
//   runs the AWS Glue boilerplate in the managed environment's Python. So that the suite builds
//   with pip only once (setup-command.test.ts does, from scratch), the environment here is a real
//   venv whose site-packages reach the project venv's DuckDB and pandas through a .pth file,
//   completed with the marker a build writes last.
// - pip failing, and a bad --index-url, leave nothing behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { ENGINE_MARKER } from '../../../src/runner/engine-env';
import { CLI, run, type RunResult } from '../../helpers/kernel-env';
import { need, runnerPython } from '../../helpers/tools';

let root: string;
let env: NodeJS.ProcessEnv;

function glueKernel(args: string[], over: NodeJS.ProcessEnv = env, timeoutMs = 240_000): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { env: over, timeoutMs });
}

function notebook(file: string, cells: string[]): void {
  fs.writeFileSync(
    file,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'glue_pyspark', display_name: 'Glue PySpark', language: 'python' } },
      cells: cells.map((source, i) => ({
        cell_type: 'code',
        id: `c${i}`,
        metadata: {},
        execution_count: null,
        outputs: [],
        source,
      })),
    }),
  );
}

/** A managed environment made from the project venv's packages (see the header); undefined if there is none. */
function engineFromProjectVenv(dir: string): boolean {
  const venv = runnerPython();
  const info = spawnSync(
    venv,
    [
      '-c',
      'import sys, sysconfig, duckdb; print(sys._base_executable); print(sysconfig.get_paths()["purelib"])',
    ],
    { encoding: 'utf8' },
  );
  if (info.status !== 0) return false;
  const [base, purelib] = info.stdout.trim().split('\n');
  if (spawnSync(base, ['-m', 'venv', '--without-pip', dir], { stdio: 'ignore' }).status !== 0) return false;
  const own = spawnSync(
    path.join(dir, 'bin', 'python'),
    ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
    {
      encoding: 'utf8',
    },
  );
  fs.writeFileSync(path.join(own.stdout.trim(), 'project-venv.pth'), `${purelib}\n`);
  fs.writeFileSync(
    path.join(dir, ENGINE_MARKER),
    JSON.stringify({ python: '3', packages: {}, basePython: base, createdAt: new Date().toISOString() }),
  );
  return true;
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-managed-'));
  env = { ...process.env, glue_log_level: 'warn' };
  for (const name of [
    'glue_python',
    'GLUE_PYTHON',
    'glue_pip_index_url',
    'GLUE_PIP_INDEX_URL',
    'glue_backend',
  ])
    delete env[name];
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('glue-kernel run without glue_python', () => {
  for (const backend of ['local', 'emulator'] as const) {
    it(`--backend ${backend}: the Glue boilerplate runs in the managed environment`, async (t: TestContext) => {
      const dir = path.join(root, `engine-${backend}`);
      if (!need(t, engineFromProjectVenv(dir) || undefined, 'a Python with duckdb (the project .venv)'))
        return;
      const file = path.join(root, `boilerplate-${backend}.ipynb`);
      notebook(file, [
        'import sys\nfrom awsglue.transforms import *\nfrom awsglue.utils import getResolvedOptions\n' +
          'from pyspark.context import SparkContext\nfrom awsglue.context import GlueContext\nfrom awsglue.job import Job\n' +
          'sc = SparkContext.getOrCreate()\nglueContext = GlueContext(sc)\nspark = glueContext.spark_session\njob = Job(glueContext)',
        'from awsglue.dynamicframe import DynamicFrame\n' +
          'dyf = DynamicFrame.fromDF(spark.sql("SELECT * FROM range(5) t(n)"), glueContext, "n")\n' +
          'print(dyf.filter(lambda r: r["n"] % 2 == 0).count(), sys.prefix)',
      ]);
      const result = await glueKernel(['run', file, '--backend', backend, '-o', file], {
        ...env,
        glue_engine_dir: dir,
      });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.ok(result.stdout.includes(`\n3 ${dir}\n`), result.stdout);
      assert.doesNotMatch(
        result.stderr + result.stdout,
        /Creating glue-kernel's Python environment/,
        'reused',
      );
      if (backend === 'local')
        assert.match(
          result.stdout,
          /Local session started: DuckDB [\d.]+ .*; pyspark: glue-kernel's shim over DuckDB; awsglue: glue-kernel's compatibility package/,
        );
    });
  }
});

describe('a pip that cannot install', () => {
  it('says what to check, and the half-made environment is removed', async () => {
    const index = path.join(root, 'empty-index');
    fs.mkdirSync(index, { recursive: true });
    const failing = path.join(root, 'failing', 'engine');
    fs.mkdirSync(path.dirname(failing));
    // No pip configuration at all, and an index without the packages.
    const over = { ...env, PIP_CONFIG_FILE: os.devNull, PIP_FIND_LINKS: '', glue_engine_dir: failing };
    const result = await glueKernel(['setup', '--index-url', `file://${index}`], over);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /glue-kernel setup: pip could not install duckdb, pandas, matplotlib, typing_extensions \(exit 1\)\. Check pip's index .*glue_pip_index_url/,
    );
    assert.match(result.stderr, /No matching distribution found for duckdb|Could not find a version/);
    assert.deepEqual(fs.readdirSync(path.dirname(failing)), [], 'no venv, temporary folder or lock is left');
  });

  it('a bad --index-url is refused before anything happens', async () => {
    const result = await glueKernel(['setup', '--index-url', 'ftp://example.com/simple'], env, 60_000);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pip_index_url.*not an http:\/\/, https:\/\/ or file:\/\/ URL/);
  });
});
