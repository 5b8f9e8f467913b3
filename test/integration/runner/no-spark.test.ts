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
    assert.match(sql.ErrorValue ?? '', /spark\.sql is not available.*Install pyspark, or duckdb/);
    assert.ok(!(sql.Traceback ?? []).join('').includes('runner.py'), 'only user frames');
    const caught = await runner.execute('try:\n    spark.range(3)\nexcept NameError:\n    print("caught")');
    assert.equal(caught.Data?.TextPlain, 'caught');
  } finally {
    await runner.stop();
  }
});
