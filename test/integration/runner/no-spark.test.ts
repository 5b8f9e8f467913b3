// Without PySpark or DuckDB, `spark` still exists and says what to install when used; it is a
// NameError, so notebooks that catch a missing `spark` keep working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PythonRunner } from '../../../src/runner/python-runner';
import { runnerPython } from '../../helpers/tools';

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
