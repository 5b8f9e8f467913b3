// Without PySpark or DuckDB, `spark` still exists and says what to install when used; it is a
// NameError, so notebooks that catch a missing `spark` keep working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateSessionCommand,
  GetSessionCommand,
  GetStatementCommand,
  RunStatementCommand,
} from '@aws-sdk/client-glue';
import { EMULATOR_MISSING_ENGINE_HINT } from '../../../src/emulator/executor';
import { PythonRunner } from '../../../src/runner/python-runner';
import { runnerPython } from '../../helpers/tools';
import { waitFor } from '../../unit/emulator/fake-executor';
import { ROLE, startTestEmulator } from '../emulator/harness';

test('plain engine: using spark explains what to install', async () => {
  const runner = await PythonRunner.start({ python: runnerPython(), engine: 'plain' });
  try {
    const sql = await runner.execute('spark.sql("""select 1""").show()');
    assert.equal(sql.Status, 'error');
    assert.equal(sql.ErrorName, 'NoSparkEngineError');
    assert.match(sql.ErrorValue ?? '', /spark\.sql is not available.*Install duckdb .* or pyspark into /);
    assert.ok(!(sql.Traceback ?? []).join('').includes('runner.py'), 'only user frames');
    const caught = await runner.execute('try:\n    spark.range(3)\nexcept NameError:\n    print("caught")');
    assert.equal(caught.Data?.TextPlain, 'caught');
  } finally {
    await runner.stop();
  }
});

test("plain engine: importing pyspark or awsglue says what to do, in the driver's words", async () => {
  const hint = 'Start the emulator with --python PATH.';
  const runner = await PythonRunner.start({
    python: runnerPython(),
    engine: 'plain',
    missingEngineHint: hint,
  });
  try {
    assert.match(runner.engine.description, /^plain Python, no Spark engine \(forced\)$/);
    for (const statement of [
      'from pyspark.context import SparkContext',
      'from awsglue.context import GlueContext',
    ]) {
      const out = await runner.execute(statement);
      assert.equal(out.ErrorName, 'ModuleNotFoundError', statement);
      assert.match(
        out.ErrorValue ?? '',
        /this session runs plain Python \(forced\)\. Start the emulator with --python PATH\.$/,
      );
    }
    const sql = await runner.execute('spark.sql("select 1")');
    assert.match(sql.ErrorValue ?? '', /Start the emulator with --python PATH\.$/);
    const other = await runner.execute('import json_does_not_exist');
    assert.equal(other.ErrorValue, "No module named 'json_does_not_exist'", 'other imports are untouched');
  } finally {
    await runner.stop();
  }
});

test('emulator without an engine: the message names the emulator’s --python, not a kernel restart', async () => {
  const emu = await startTestEmulator({ python: runnerPython(), engine: 'plain', provisionMs: 0 });
  try {
    const glue = emu.glue();
    await glue.send(
      new CreateSessionCommand({
        Id: 'plain-1',
        Role: ROLE,
        Command: { Name: 'glueetl', PythonVersion: '3' },
      }),
    );
    await waitFor(
      'plain-1 READY',
      async () => (await glue.send(new GetSessionCommand({ Id: 'plain-1' }))).Session?.Status,
      (s) => s === 'READY' || s === 'FAILED',
      30_000,
    );
    const { Id } = await glue.send(
      new RunStatementCommand({ SessionId: 'plain-1', Code: 'spark.sql("select 1")' }),
    );
    const statement = await waitFor(
      'the statement',
      async () => (await glue.send(new GetStatementCommand({ SessionId: 'plain-1', Id }))).Statement!,
      (s) => ['AVAILABLE', 'ERROR', 'CANCELLED'].includes(s.State ?? ''),
      30_000,
    );
    assert.equal(statement.Output?.Status, 'error');
    assert.equal(statement.Output?.ErrorName, 'NoSparkEngineError');
    assert.ok(
      statement.Output?.ErrorValue?.endsWith(EMULATOR_MISSING_ENGINE_HINT),
      statement.Output?.ErrorValue,
    );
    assert.match(statement.Output?.ErrorValue ?? '', /start it with --python PATH/);
    assert.doesNotMatch(statement.Output?.ErrorValue ?? '', /restart the kernel/);
  } finally {
    await emu.stop();
  }
});
