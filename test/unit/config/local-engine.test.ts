import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, resolveSettings } from '../../../src/config';

test('local_engine: default auto; from the environment or the profile; validated', () => {
  assert.equal(resolveSettings({}, {}, {}).values.local_engine, 'auto');
  assert.equal(resolveSettings({}, { GLUE_LOCAL_ENGINE: 'DuckDB' }, {}).values.local_engine, 'duckdb');
  const fromFile = resolveSettings({}, {}, { default: { glue_local_engine: 'plain' } });
  assert.equal(fromFile.values.local_engine, 'plain');
  assert.throws(
    () => resolveSettings({}, { glue_local_engine: 'spark' }, {}),
    (e: unknown) =>
      e instanceof ConfigError &&
      /glue_local_engine/.test(e.message) &&
      /auto, pyspark, duckdb or plain/.test(e.message),
  );
});
