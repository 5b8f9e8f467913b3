import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError,
  SETTINGS,
  SETTING_NAMES,
  WORKER_TYPES,
  checkSetting,
  normaliseList,
  parseSetting,
  settingsReference,
  type SettingName,
} from '../../../src/config';

function rejects(name: SettingName, raw: unknown, problem: RegExp): ConfigError {
  let caught: unknown;
  try {
    parseSetting(name, raw, '%test');
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ConfigError, `expected ${name}=${JSON.stringify(raw)} to be rejected`);
  assert.match(caught.message, problem);
  assert.equal(caught.setting, name);
  assert.equal(caught.where, '%test');
  return caught;
}

describe('settings table', () => {
  it('has the settings the kernel needs, each with help, mapping and accepted text', () => {
    for (const name of [
      'region',
      'iam_role',
      'glue_version',
      'number_of_workers',
      'worker_type',
      'max_capacity',
      'idle_timeout',
      'timeout',
      'security_config',
      'connections',
      'extra_py_files',
      'extra_jars',
      'additional_python_modules',
      'spark_conf',
      'session_type',
      'session_id_prefix',
      'session_id',
      'endpoint_url',
      'profile',
      'tags',
      'enable_data_catalog',
      'request_origin',
      'backend',
      'python',
      'log_level',
    ]) {
      assert.ok(SETTING_NAMES.includes(name as SettingName), name);
    }
    for (const name of SETTING_NAMES) {
      const d = SETTINGS[name];
      assert.equal(d.name, name);
      assert.ok(d.help.length > 10 && !d.help.includes('\n'), `${name} help is one line`);
      assert.ok(d.mapsTo && d.accepted, name);
      if (d.default !== undefined)
        assert.deepEqual(parseSetting(name, d.default, 'default'), d.default, `${name} default is valid`);
    }
  });

  it('reads the env var names of the reference, plus GLUE_ upper-case forms and AWS_DEFAULT_REGION', () => {
    assert.deepEqual(SETTINGS.region.env, [
      'region',
      'AWS_REGION',
      'glue_region',
      'GLUE_REGION',
      'AWS_DEFAULT_REGION',
    ]);
    assert.deepEqual(SETTINGS.region.configKeys, ['region', 'glue_region']);
    assert.deepEqual(SETTINGS.iam_role.env, [
      'glue_role_arn',
      'GLUE_ROLE_ARN',
      'glue_iam_role',
      'GLUE_IAM_ROLE',
    ]);
    assert.deepEqual(SETTINGS.iam_role.configKeys, ['glue_role_arn', 'glue_iam_role']);
    assert.deepEqual(SETTINGS.session_type.env, [
      'glue_job_type',
      'GLUE_JOB_TYPE',
      'glue_session_type',
      'GLUE_SESSION_TYPE',
    ]);
    assert.deepEqual(SETTINGS.glue_version.env, [
      'glue_version',
      'GLUE_VERSION',
      'glue_glue_version',
      'GLUE_GLUE_VERSION',
    ]);
    assert.deepEqual(SETTINGS.spark_conf.env, ['spark_conf', 'glue_spark_conf', 'GLUE_SPARK_CONF']);
    assert.deepEqual(SETTINGS.session_id_prefix.env, [
      'session_id_prefix',
      'glue_session_id_prefix',
      'GLUE_SESSION_ID_PREFIX',
    ]);
    assert.deepEqual(SETTINGS.number_of_workers.env, ['glue_number_of_workers', 'GLUE_NUMBER_OF_WORKERS']);
    assert.deepEqual(SETTINGS.tags.env, ['glue_tags', 'GLUE_TAGS']);
    assert.deepEqual(SETTINGS.endpoint_url.env, [
      'glue_endpoint_url',
      'GLUE_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_GLUE',
    ]);
    assert.deepEqual(SETTINGS.profile.env, ['glue_profile', 'GLUE_PROFILE', 'AWS_PROFILE']);
    assert.deepEqual(SETTINGS.request_origin.env, ['request_origin']);
    assert.deepEqual(SETTINGS.session_id.env, ['session_id']);
    assert.deepEqual(SETTINGS.user_id.env, ['userId']);
    // Every glue_* name has its GLUE_* twin right after it.
    for (const name of SETTING_NAMES) {
      const env = SETTINGS[name].env;
      env.forEach((v, i) => {
        if (v.startsWith('glue_')) assert.equal(env[i + 1], v.toUpperCase(), `${name}: ${v}`);
      });
    }
  });

  it('has the reference defaults', () => {
    assert.equal(SETTINGS.glue_version.default, '4.0');
    assert.equal(SETTINGS.session_type.default, 'etl');
    assert.deepEqual(SETTINGS.tags.default, {});
    assert.equal(SETTINGS.enable_data_catalog.default, true);
    assert.equal(SETTINGS.python.default, undefined, 'unset: the managed environment');
    assert.equal(SETTINGS.number_of_workers.default, undefined);
    assert.equal(SETTINGS.worker_type.default, undefined);
  });

  it('settingsReference() gives plain rows for the docs', () => {
    const rows = settingsReference();
    assert.equal(rows.length, SETTING_NAMES.length);
    const wt = rows.find((r) => r.name === 'worker_type');
    assert.ok(wt);
    for (const t of WORKER_TYPES) assert.ok(wt.accepted.includes(t), t);
    const gv = rows.find((r) => r.name === 'glue_version');
    assert.equal(gv?.default, '4.0');
    assert.deepEqual(rows.find((r) => r.name === 'tags')?.default, '{}');
    assert.deepEqual(rows.find((r) => r.name === 'endpoint_url')?.configureKeys, [
      'endpoint',
      'endpoint_url',
    ]);
    JSON.stringify(rows); // serialisable
  });
});

describe('setting schemas', () => {
  it('integers: text and numbers, with ranges', () => {
    assert.equal(parseSetting('number_of_workers', ' 5 ', 'x'), 5);
    assert.equal(parseSetting('number_of_workers', 10, 'x'), 10);
    assert.equal(parseSetting('idle_timeout', '2880', 'x'), 2880);
    rejects('number_of_workers', 'five', /not a whole number.*Accepted: a whole number from 1/);
    rejects('number_of_workers', '2.5', /not a whole number/);
    rejects('number_of_workers', 2.5, /not a whole number/);
    rejects('number_of_workers', '0', /must be at least 1/);
    rejects('number_of_workers', '-3', /must be at least 1/);
    rejects('timeout', '99999999999', /must be at most 2147483647/);
    rejects('number_of_workers', true, /expected a whole number, got a boolean/);
    rejects('number_of_workers', [5], /got a list/);
  });

  it('max_capacity: positive numbers', () => {
    assert.equal(parseSetting('max_capacity', '0.0625', 'x'), 0.0625);
    assert.equal(parseSetting('max_capacity', 10, 'x'), 10);
    rejects('max_capacity', '0', /greater than 0/);
    rejects('max_capacity', 'lots', /not a number/);
    rejects('max_capacity', 'Infinity', /not a number/);
  });

  it('worker_type: current and newer types, any case, nothing else', () => {
    for (const t of WORKER_TYPES) assert.equal(parseSetting('worker_type', t, 'x'), t);
    assert.equal(parseSetting('worker_type', 'g.2x', 'x'), 'G.2X');
    assert.equal(parseSetting('worker_type', 'standard', 'x'), 'Standard');
    rejects('worker_type', 'G.3X', /not one of the accepted values.*Accepted: one of Standard, G\.025X/);
  });

  it('glue_version: any version matching the API pattern, no fixed list (issue #1)', () => {
    for (const v of ['2.0', '3.0', '4.0', '5.0', '6.0', '10.1', '5.0.1'])
      assert.equal(parseSetting('glue_version', v, 'x'), v);
    assert.equal(
      parseSetting('glue_version', 5.0, 'x'),
      '5.0',
      'an unquoted 5.0 from %%configure keeps its .0',
    );
    assert.equal(parseSetting('glue_version', 4.5, 'x'), '4.5');
    rejects('glue_version', '5', /not a version/);
    rejects('glue_version', '5.0 beta', /not a version/);
    rejects('glue_version', '', /must not be empty/);
  });

  it('session_type: etl/streaming/glueetl/gluestreaming in any case', () => {
    assert.equal(parseSetting('session_type', 'ETL', 'x'), 'etl');
    assert.equal(parseSetting('session_type', 'glueetl', 'x'), 'etl');
    assert.equal(parseSetting('session_type', 'GlueStreaming', 'x'), 'streaming');
    assert.equal(parseSetting('session_type', 'streaming', 'x'), 'streaming');
    rejects('session_type', 'ray', /not one of the accepted values.*etl or streaming/);
  });

  it('region: lower-cased and pattern-checked', () => {
    assert.equal(parseSetting('region', 'US-EAST-1', 'x'), 'us-east-1');
    assert.equal(parseSetting('region', 'us-gov-west-1', 'x'), 'us-gov-west-1');
    assert.equal(parseSetting('region', 'us-isof-south-1', 'x'), 'us-isof-south-1');
    assert.equal(parseSetting('region', 'cn-north-1', 'x'), 'cn-north-1');
    rejects('region', 'virginia', /not a region code/);
    rejects('region', 'us-east-1; rm -rf /', /not a region code/);
  });

  it('session_id_prefix: only -/._#A-Za-z0-9', () => {
    assert.equal(parseSetting('session_id_prefix', 'team-a/dev_1.x#2', 'x'), 'team-a/dev_1.x#2');
    rejects('session_id_prefix', 'has space', /other than letters, digits and - \/ \. _ #/);
    rejects('session_id_prefix', 'a:b', /other than letters/);
  });

  it('endpoint_url: http(s) URLs only', () => {
    assert.equal(parseSetting('endpoint_url', 'http://127.0.0.1:4566', 'x'), 'http://127.0.0.1:4566');
    assert.equal(
      parseSetting('endpoint_url', 'https://glue.eu-west-1.amazonaws.com', 'x'),
      'https://glue.eu-west-1.amazonaws.com',
    );
    rejects('endpoint_url', 'glue.eu-west-1.amazonaws.com', /include the scheme/);
    rejects('endpoint_url', 'ftp://example.com', /scheme must be http or https/);
    rejects('endpoint_url', 'https://user:pw@example.com', /user name or password/);
  });

  it('iam_role: a role ARN', () => {
    assert.equal(
      parseSetting('iam_role', 'arn:aws:iam::123456789012:role/GlueRole', 'x'),
      'arn:aws:iam::123456789012:role/GlueRole',
    );
    assert.equal(
      parseSetting('iam_role', 'arn:aws-cn:iam::123456789012:role/path/R', 'x'),
      'arn:aws-cn:iam::123456789012:role/path/R',
    );
    rejects('iam_role', 'GlueRole', /at least 20 characters|not an IAM role ARN/);
    rejects('iam_role', 'arn:aws:iam::123456789012:user/Bob', /not an IAM role ARN/);
  });

  it('enable_data_catalog: booleans and true/false text', () => {
    assert.equal(parseSetting('enable_data_catalog', 'FALSE', 'x'), false);
    assert.equal(parseSetting('enable_data_catalog', true, 'x'), true);
    rejects('enable_data_catalog', 'yes', /not true or false/);
  });

  it('tags: a dict, or its JSON text', () => {
    assert.deepEqual(parseSetting('tags', '{"team": "data", "env": "dev"}', 'x'), {
      team: 'data',
      env: 'dev',
    });
    assert.deepEqual(parseSetting('tags', { ' team ': ' data ' }, 'x'), { team: 'data' });
    rejects('tags', '{"team": 1}', /tag values must be text/);
    rejects('tags', '[1]', /expected a dict/);
    rejects('tags', 'team=data', /not a JSON object/);
    rejects('tags', { 'aws:x': 'y' }, /reserved prefix/);
    rejects('tags', { ['k'.repeat(129)]: 'y' }, /longer than 128/);
  });

  it('spark_conf: raw text, or a dict joined with --conf', () => {
    assert.equal(parseSetting('spark_conf', 'spark.a=1 --conf spark.b=2', 'x'), 'spark.a=1 --conf spark.b=2');
    assert.equal(
      parseSetting('spark_conf', { 'spark.a': '1', 'spark.b': true }, 'x'),
      'spark.a=1 --conf spark.b=true',
    );
    rejects('spark_conf', { 'bad key': '1' }, /without blanks/);
  });

  it('backend and log_level', () => {
    assert.equal(parseSetting('backend', 'LOCAL', 'x'), 'local');
    assert.equal(parseSetting('log_level', 'warning', 'x'), 'warn');
    rejects('backend', 'emr', /not one of/);
  });

  it('checkSetting reports without throwing', () => {
    const r = checkSetting('number_of_workers', 'x', 'environment variable glue_number_of_workers');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.issue.where, 'environment variable glue_number_of_workers');
      assert.equal(r.issue.value, '"x"');
    }
  });
});

describe('list normalisation (_validate_list)', () => {
  it('strips [ ], splits on commas and trims', () => {
    assert.deepEqual(normaliseList('[s3://a/x.py, s3://b/y.py]'), { items: ['s3://a/x.py', 's3://b/y.py'] });
    assert.deepEqual(normaliseList(' pandas==2.0 ,numpy '), { items: ['pandas==2.0', 'numpy'] });
    assert.deepEqual(normaliseList(['a', ' b ']), { items: ['a', 'b'] });
  });

  it('lets pip options with spaces through', () => {
    assert.deepEqual(normaliseList('pandas,--index-url https://pypi.example/simple'), {
      items: ['pandas', '--index-url https://pypi.example/simple'],
    });
  });

  it('rejects empty items and items with blanks, saying which', () => {
    const empty = normaliseList('a,,b');
    assert.ok('problem' in empty);
    assert.match(empty.problem, /item 2 of 3 is empty; empty values are not allowed/);
    const trailing = normaliseList('a,b,');
    assert.ok('problem' in trailing && /item 3 of 3 is empty/.test(trailing.problem));
    const blank = normaliseList('s3://a b,c');
    assert.ok('problem' in blank && /"s3:\/\/a b" contains a blank space/.test(blank.problem));
    const none = normaliseList('[]');
    assert.ok('problem' in none && /no values given/.test(none.problem));
    const nonText = normaliseList(['a', 3]);
    assert.ok('problem' in nonText && /item 2 is a number/.test(nonText.problem));
    rejects(
      'extra_jars',
      'a.jar,,b.jar',
      /Invalid extra_jars "a\.jar,,b\.jar" from %test: item 2 of 3 is empty/,
    );
    rejects('connections', ['c'.repeat(256)], /longer than 255/);
  });
});
