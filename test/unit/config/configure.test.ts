import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIGURE_KEYS,
  ConfigError,
  parseAssumeRoleCell,
  parseConfigureCell,
  parseTagsCell,
  suggestKey,
  summarizeConfigureChanges,
} from '../../../src/config';

function configureError(body: string): ConfigError {
  try {
    parseConfigureCell(body);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail(`expected ${body} to be rejected`);
}

describe('%%configure', () => {
  it('accepts JSON', () => {
    const changes = parseConfigureCell(
      '{"number_of_workers": 5, "worker_type": "G.2X", "enable_data_catalog": false, "session_id": null}',
    );
    assert.deepEqual(changes, [
      { kind: 'set', setting: 'number_of_workers', key: 'number_of_workers', value: 5 },
      { kind: 'set', setting: 'worker_type', key: 'worker_type', value: 'G.2X' },
      { kind: 'set', setting: 'enable_data_catalog', key: 'enable_data_catalog', value: false },
      { kind: 'unset', setting: 'session_id', key: 'session_id' },
    ]);
  });

  it('accepts a Python dict literal with True/None/single quotes and comments', () => {
    const changes = parseConfigureCell(`
      # session shape
      {
        'glue_version': '5.0',
        'enable_data_catalog': True,
        'security_config': None,   # back to the env/file value
        'idle_timeout': '60',
        'extra_py_files': ['s3://b/a.py', 's3://b/b.zip'],
        'additional_python_modules': 'pandas==2.2, pyarrow',
        'session_type': 'GlueStreaming',
        'tags': {'team': 'data'},
        'endpoint': 'http://127.0.0.1:4566',
      }`);
    // Values keep their types in the confirmation: 60, not "60" (issue 7.9).
    assert.deepEqual(summarizeConfigureChanges(changes), {
      glue_version: '5.0',
      enable_data_catalog: true,
      security_config: null,
      idle_timeout: 60,
      extra_py_files: ['s3://b/a.py', 's3://b/b.zip'],
      additional_python_modules: ['pandas==2.2', 'pyarrow'],
      session_type: 'streaming',
      tags: { team: 'data' },
      endpoint: 'http://127.0.0.1:4566',
    });
    const endpoint = changes.find((c) => c.key === 'endpoint');
    assert.deepEqual(endpoint, {
      kind: 'set',
      setting: 'endpoint_url',
      key: 'endpoint',
      value: 'http://127.0.0.1:4566',
    });
  });

  it('knows every key of the reference (§1.2) plus the list and type keys', () => {
    for (const key of [
      'profile',
      'endpoint',
      'region',
      'iam_role',
      'session_id',
      'max_capacity',
      'number_of_workers',
      'worker_type',
      'connections',
      'glue_version',
      'security_config',
      'idle_timeout',
      'timeout',
      'tags',
      'extra_py_files',
      'extra_jars',
      'additional_python_modules',
      'spark_conf',
      'session_type',
      'session_id_prefix',
      'enable_data_catalog',
    ]) {
      assert.ok(CONFIGURE_KEYS.has(key), key);
    }
    assert.equal(CONFIGURE_KEYS.has('backend'), false);
  });

  it('passes -- keys through as job arguments, stringified', () => {
    const changes = parseConfigureCell(
      `{"--enable-spark-ui": True, "--datalake-formats": "delta", "--job-bookmark-option": "job-bookmark-disable", "--num": 3, "--f": false, "--conf": "spark.a=1"}`,
    );
    assert.deepEqual(changes, [
      { kind: 'job_argument', key: '--enable-spark-ui', value: 'true' },
      { kind: 'job_argument', key: '--datalake-formats', value: 'delta' },
      { kind: 'job_argument', key: '--job-bookmark-option', value: 'job-bookmark-disable' },
      { kind: 'job_argument', key: '--num', value: '3' },
      { kind: 'job_argument', key: '--f', value: 'false' },
      { kind: 'job_argument', key: '--conf', value: 'spark.a=1' },
    ]);
  });

  it('never turns an underscore key into a job argument (the reference bug)', () => {
    const changes = parseConfigureCell('{"extra_jars": "s3://b/x.jar", "extra_py_files": "s3://b/y.py"}');
    assert.ok(changes.every((c) => c.kind === 'set'));
    assert.ok(!changes.some((c) => c.key.startsWith('--')));
  });

  it('rejects unknown keys with the nearest known key', () => {
    assert.match(
      configureError('{"number_of_worker": 5}').message,
      /%%configure key "number_of_worker" \(line 1\): unknown key; did you mean "number_of_workers"\?/,
    );
    assert.match(configureError('{"workertype": "G.1X"}').message, /did you mean "worker_type"/);
    assert.match(configureError('{"extra-py-files": "s3://a"}').message, /did you mean "extra_py_files"/);
    assert.match(configureError('{"Region": "us-east-1"}').message, /did you mean "region"/);
    assert.match(configureError('{"-conf": "x"}').message, /two hyphens, e\.g\. --conf/);
    const far = configureError('{"max_retries": 2}');
    assert.match(
      far.message,
      /unknown key\. Accepted: one of region, iam_role, .*or a job argument starting with --/,
    );
    assert.equal(far.setting, 'max_retries');
  });

  it('validates types before any session exists, naming the key', () => {
    const e = configureError('{"number_of_workers": "five"}');
    assert.equal(e.setting, 'number_of_workers');
    assert.equal(e.where, '%%configure key "number_of_workers" (line 1)');
    assert.match(
      e.message,
      /Invalid number_of_workers "five" from %%configure key "number_of_workers" \(line 1\): not a whole number/,
    );
    assert.match(configureError('{"timeout": True}').message, /expected a whole number, got a boolean/);
    assert.match(configureError('{"connections": "a,,b"}').message, /item 2 of 3 is empty/);
    assert.match(configureError('{"tags": ["a"]}').message, /expected a dict/);
    assert.match(
      configureError('{"--conf": ["a"]}').message,
      /job argument value must be text, a number or a boolean, not a list/,
    );
    assert.match(configureError('{"--bad key": "x"}').message, /-- followed by letters/);
    assert.match(configureError('{"endpoint": "x", "endpoint_url": "http://a"}').message, /not a URL/);
    assert.match(
      configureError('{"endpoint": "http://a", "endpoint_url": "http://b"}').message,
      /sets endpoint_url again/,
    );
  });

  it('reports every problem at once', () => {
    const e = configureError('{"number_of_workers": 0, "worker_typ": "G.1X", "region": "mars"}');
    assert.equal(e.issues.length, 3);
    assert.match(e.message, /3 configuration problems/);
    assert.match(e.message, /Nothing was changed/);
  });

  it('rejects an empty body or an empty dict with the reference message', () => {
    assert.match(configureError('').message, /No configuration values were provided/);
    assert.match(configureError('  # just a comment\n').message, /No configuration values were provided/);
    assert.match(configureError('{}').message, /No configuration values were provided/);
  });

  it('rejects a body that is not a dict, or not a literal', () => {
    assert.match(configureError('["a"]').message, /expected a dict of settings, got a list/);
    const e = configureError("{'a': __import__('os').system('x')}");
    assert.match(e.message, /could not be parsed at line 1, column 7: unexpected name '__import__'/);
    assert.match(e.message, /Write a JSON object or Python dict/);
    assert.match(
      configureError('{"number_of_workers": 5,\n "worker_type": "G.1X"\n "x": 1}').message,
      /line 3, column 5: unexpected ':'.*is a comma missing\? Adjacent strings are joined/,
    );
  });
});

describe('suggestKey', () => {
  it('finds near keys and refuses far ones', () => {
    assert.equal(suggestKey('idle_timout', CONFIGURE_KEYS.keys()), 'idle_timeout');
    assert.equal(suggestKey('zzzzzz', CONFIGURE_KEYS.keys()), undefined);
  });
});

describe('%%tags', () => {
  it('accepts a dict and trims names and values', () => {
    assert.deepEqual(parseTagsCell("{' team ': ' data ', 'env': 'dev'}"), { team: 'data', env: 'dev' });
  });

  it('rejects non-text values, lists and empty bodies', () => {
    assert.throws(() => parseTagsCell('{"team": 1}'), /tag values must be text/);
    assert.throws(() => parseTagsCell('["a"]'), /expected a dict/);
    assert.throws(() => parseTagsCell(''), /no tags were provided/);
    assert.throws(() => parseTagsCell('{}'), /no tags were provided/);
    assert.throws(() => parseTagsCell('{team: data}'), /%%tags: the body could not be parsed/);
  });
});

describe('%%assume_role', () => {
  it('accepts a role ARN string', () => {
    assert.deepEqual(parseAssumeRoleCell('"arn:aws:iam::123456789012:role/Other"'), {
      kind: 'role',
      roleArn: 'arn:aws:iam::123456789012:role/Other',
    });
  });

  it('accepts a credentials dict', () => {
    assert.deepEqual(
      parseAssumeRoleCell(
        "{'aws_access_key_id': 'AKIA1', 'aws_secret_access_key': 'SECRETVALUE', 'aws_session_token': 'TOKEN'}",
      ),
      { kind: 'credentials', accessKeyId: 'AKIA1', secretAccessKey: 'SECRETVALUE', sessionToken: 'TOKEN' },
    );
  });

  it('rejects bad input without echoing secrets', () => {
    let e: unknown;
    try {
      parseAssumeRoleCell("{'aws_access_key_id': 'AKIA1', 'aws_secret_acess_key': 'SECRETVALUE'}");
    } catch (err) {
      e = err;
    }
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /did you mean "aws_secret_access_key"/);
    assert.match(e.message, /aws_secret_access_key is missing/);
    assert.doesNotMatch(e.message, /SECRETVALUE/);
    assert.throws(
      () => parseAssumeRoleCell('"GlueRole"'),
      /%%assume_role: must be at least 20 characters long/,
    );
    assert.throws(() => parseAssumeRoleCell('{aws_access_key_id = "x"}'), /could not be parsed at line 1/);
    assert.throws(() => parseAssumeRoleCell('[1]'), /expected a role ARN string or a dict/);
    assert.throws(() => parseAssumeRoleCell(''), /no role or credentials/);
  });

  // Issue 9.12: an unquoted secret, or a quoted one that is not an ARN, is never echoed back.
  for (const body of [
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
    '"wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"',
    "{'aws_access_key_id': AKIAIOSFODNN7EXAMPLE, 'aws_secret_access_key': wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY}",
    "{'aws_access_key_id': 'AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key': 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'",
  ]) {
    it(`never echoes the body in its error: ${body.slice(0, 12)}…`, () => {
      const e = (() => {
        try {
          parseAssumeRoleCell(body);
        } catch (err) {
          return err;
        }
        return assert.fail('expected an error');
      })();
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /%%assume_role/);
      assert.doesNotMatch(e.message, /wJalrXUtnFEMI|AKIAIOSFODNN7|EXAMPLEKEY/);
    });
  }

  it('reads a bare, unquoted role ARN as the ARN', () => {
    assert.deepEqual(parseAssumeRoleCell('arn:aws:iam::123456789012:role/GlueRole  # mine'), {
      kind: 'role',
      roleArn: 'arn:aws:iam::123456789012:role/GlueRole',
    });
  });
});
