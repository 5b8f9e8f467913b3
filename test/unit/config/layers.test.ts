import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError,
  SettingsStore,
  describeSource,
  loadConfigFile,
  parseConfigureCell,
  readEnvironment,
  resolveSettings,
  type ConfigFileSections,
} from '../../../src/config';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';

function resolveError(
  store: SettingsStore,
  env: Record<string, string>,
  file: ConfigFileSections,
): ConfigError {
  try {
    store.resolve(env, file);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('layers: precedence', () => {
  const file: ConfigFileSections = {
    default: {
      region: 'eu-west-1',
      glue_number_of_workers: '2',
      glue_worker_type: 'G.1X',
      glue_role_arn: ROLE,
    },
    dev: {
      region: 'us-west-2',
      glue_number_of_workers: '7',
      glue_iam_role: 'arn:aws:iam::123456789012:role/DevRole',
    },
  };

  it('defaults only', () => {
    const r = new SettingsStore().resolve({}, {});
    assert.equal(r.values.glue_version, '4.0');
    assert.equal(r.values.session_type, 'etl');
    assert.deepEqual(r.values.tags, {});
    assert.equal(r.values.enable_data_catalog, true);
    assert.equal(r.values.backend, 'glue');
    assert.equal(r.values.region, undefined);
    assert.deepEqual(r.sources.glue_version, { layer: 'default' });
    assert.equal(r.configProfile, 'default');
  });

  it('config file > defaults, from [default] when no profile is chosen', () => {
    const r = new SettingsStore().resolve({}, file);
    assert.equal(r.values.region, 'eu-west-1');
    assert.equal(r.values.number_of_workers, 2);
    assert.equal(r.values.iam_role, ROLE);
    assert.equal(
      describeSource(r.sources.number_of_workers!),
      '~/.aws/config [default] key glue_number_of_workers',
    );
  });

  it('environment > config file', () => {
    const r = new SettingsStore().resolve({ glue_number_of_workers: '3', AWS_REGION: 'ap-south-1' }, file);
    assert.equal(r.values.number_of_workers, 3);
    assert.equal(describeSource(r.sources.number_of_workers!), 'environment variable glue_number_of_workers');
    assert.equal(r.values.region, 'ap-south-1');
    assert.equal(r.values.worker_type, 'G.1X', 'untouched settings still come from the file');
  });

  it('overrides > environment', () => {
    const store = new SettingsStore();
    assert.equal(store.set('number_of_workers', '9', '%number_of_workers'), 9);
    const r = store.resolve({ glue_number_of_workers: '3' }, file);
    assert.equal(r.values.number_of_workers, 9);
    assert.deepEqual(r.sources.number_of_workers, { layer: 'override', origin: '%number_of_workers' });
    assert.equal(store.unset('number_of_workers'), true);
    assert.equal(store.resolve({ glue_number_of_workers: '3' }, file).values.number_of_workers, 3);
  });

  it('AWS_PROFILE picks the config-file section', () => {
    const r = new SettingsStore().resolve({ AWS_PROFILE: 'dev' }, file);
    assert.equal(r.configProfile, 'dev');
    assert.equal(r.values.profile, 'dev');
    assert.equal(r.values.region, 'us-west-2');
    assert.equal(r.values.number_of_workers, 7);
    assert.equal(r.values.iam_role, 'arn:aws:iam::123456789012:role/DevRole');
    assert.equal(r.values.worker_type, undefined, 'nothing leaks from [default]');
    assert.equal(describeSource(r.sources.region!), '~/.aws/config [profile dev] key region');
  });

  it('%profile overrides AWS_PROFILE, and glue_profile beats AWS_PROFILE', () => {
    const store = new SettingsStore();
    store.set('profile', 'default', '%profile');
    const r = store.resolve({ AWS_PROFILE: 'dev' }, file);
    assert.equal(r.configProfile, 'default');
    assert.equal(r.values.region, 'eu-west-1');
    assert.equal(
      new SettingsStore().resolve({ AWS_PROFILE: 'dev', glue_profile: 'default' }, file).configProfile,
      'default',
    );
  });

  it('a profile without a section reads no keys', () => {
    const r = new SettingsStore().resolve({ AWS_PROFILE: 'ghost' }, file);
    assert.equal(r.configProfile, 'ghost');
    assert.equal(r.values.region, undefined);
  });

  it('AWS_CONFIG_FILE names the file in sources', () => {
    const r = new SettingsStore().resolve({ AWS_CONFIG_FILE: '/etc/aws.ini' }, file);
    assert.equal(describeSource(r.sources.region!), '/etc/aws.ini [default] key region');
  });
});

describe('layers: environment variable forms', () => {
  it('upper-case GLUE_ forms work, and the lower-case form wins', () => {
    assert.equal(new SettingsStore().resolve({ GLUE_WORKER_TYPE: 'G.2X' }, {}).values.worker_type, 'G.2X');
    const both = new SettingsStore().resolve({ GLUE_WORKER_TYPE: 'G.2X', glue_worker_type: 'G.4X' }, {});
    assert.equal(both.values.worker_type, 'G.4X');
    assert.equal(describeSource(both.sources.worker_type!), 'environment variable glue_worker_type');
  });

  it('region order: region, AWS_REGION, glue_region, GLUE_REGION, AWS_DEFAULT_REGION', () => {
    const r = (env: Record<string, string>) => new SettingsStore().resolve(env, {}).values.region;
    assert.equal(r({ AWS_DEFAULT_REGION: 'ca-central-1' }), 'ca-central-1');
    assert.equal(r({ AWS_DEFAULT_REGION: 'ca-central-1', GLUE_REGION: 'eu-north-1' }), 'eu-north-1');
    assert.equal(r({ GLUE_REGION: 'eu-north-1', glue_region: 'eu-west-3' }), 'eu-west-3');
    assert.equal(r({ glue_region: 'eu-west-3', AWS_REGION: 'us-east-2' }), 'us-east-2');
    assert.equal(r({ AWS_REGION: 'us-east-2', region: 'US-WEST-1' }), 'us-west-1');
  });

  it('AWS_DEFAULT_REGION beats the config file (the reference ignored it)', () => {
    const r = new SettingsStore().resolve(
      { AWS_DEFAULT_REGION: 'ca-central-1' },
      { default: { region: 'eu-west-1' } },
    );
    assert.equal(r.values.region, 'ca-central-1');
  });

  it('role and session type aliases', () => {
    assert.equal(new SettingsStore().resolve({ glue_iam_role: ROLE }, {}).values.iam_role, ROLE);
    assert.equal(
      new SettingsStore().resolve({ GLUE_JOB_TYPE: 'gluestreaming' }, {}).values.session_type,
      'streaming',
    );
    assert.equal(
      new SettingsStore().resolve({ glue_session_type: 'streaming' }, {}).values.session_type,
      'streaming',
    );
  });

  it('special variables: request_origin, session_id, userId', () => {
    const r = new SettingsStore().resolve(
      { request_origin: 'GlueStudioNotebook', session_id: 'abc', userId: 'AIDA:me' },
      {},
    );
    assert.equal(r.values.request_origin, 'GlueStudioNotebook');
    assert.equal(r.values.session_id, 'abc');
    assert.equal(r.values.user_id, 'AIDA:me');
  });

  it('blank variables count as unset', () => {
    const r = new SettingsStore().resolve(
      { glue_number_of_workers: '  ' },
      { default: { glue_number_of_workers: '4' } },
    );
    assert.equal(r.values.number_of_workers, 4);
  });

  it('readEnvironment keeps only the variables settings read', () => {
    assert.deepEqual(
      readEnvironment({ glue_region: 'x', HOME: '/root', AWS_CONFIG_FILE: '/c', SECRET: 's' }),
      {
        glue_region: 'x',
        AWS_CONFIG_FILE: '/c',
      },
    );
  });
});

describe('layers: tags merge across all layers', () => {
  it('higher layers win per key', () => {
    const store = new SettingsStore();
    store.set('tags', { team: 'magic' }, '%%tags');
    store.set('tags', { extra: 'x' }, '%%tags');
    const r = store.resolve(
      { glue_tags: '{"team": "env", "env": "env"}' },
      { default: { glue_tags: '{"team": "file", "env": "file", "file": "file"}' } },
    );
    assert.deepEqual(r.values.tags, { team: 'magic', env: 'env', file: 'file', extra: 'x' });
    assert.equal(describeSource(r.tagSources.team), '%%tags');
    assert.equal(describeSource(r.tagSources.env), 'environment variable glue_tags');
    assert.equal(describeSource(r.tagSources.file), '~/.aws/config [default] key glue_tags');
  });

  it('unset clears the magic tags', () => {
    const store = new SettingsStore();
    store.set('tags', { a: '1' }, '%%tags');
    store.unset('tags');
    assert.deepEqual(store.resolve({}, {}).values.tags, {});
  });
});

describe('layers: every error names its layer', () => {
  it('environment variable', () => {
    const e = resolveError(new SettingsStore(), { glue_number_of_workers: 'five' }, {});
    assert.equal(e.issues.length, 1);
    assert.equal(e.where, 'environment variable glue_number_of_workers');
    assert.equal(e.setting, 'number_of_workers');
    assert.match(
      e.message,
      /Invalid number_of_workers "five" from environment variable glue_number_of_workers: not a whole number\. Accepted: a whole number/,
    );
  });

  it('upper-case variable', () => {
    const e = resolveError(new SettingsStore(), { GLUE_IDLE_TIMEOUT: '1h' }, {});
    assert.equal(e.where, 'environment variable GLUE_IDLE_TIMEOUT');
  });

  it('config file section and key', () => {
    const e = resolveError(
      new SettingsStore(),
      { AWS_PROFILE: 'dev' },
      { dev: { glue_worker_type: 'G.3X' } },
    );
    assert.equal(e.where, '~/.aws/config [profile dev] key glue_worker_type');
    assert.match(e.message, /Accepted: one of Standard/);
  });

  it('bad tags JSON in the environment', () => {
    const e = resolveError(new SettingsStore(), { glue_tags: '{team: data}' }, {});
    assert.equal(e.where, 'environment variable glue_tags');
    assert.match(e.message, /not a JSON object/);
  });

  it('invalid AWS_PROFILE', () => {
    const e = resolveError(new SettingsStore(), { AWS_PROFILE: 'a\nb' }, {});
    assert.equal(e.where, 'environment variable AWS_PROFILE');
  });

  it('a bad lower layer is reported even when a higher layer overrides it, together with other problems', () => {
    const store = new SettingsStore();
    store.set('worker_type', 'G.2X', '%worker_type');
    const e = resolveError(store, { glue_timeout: '0' }, { default: { glue_worker_type: 'huge' } });
    assert.deepEqual(
      e.issues.map((i) => i.where),
      ['~/.aws/config [default] key glue_worker_type', 'environment variable glue_timeout'],
    );
    assert.match(e.message, /2 configuration problems/);
  });

  it('magics: set() throws naming the magic, and keeps the old value', () => {
    const store = new SettingsStore();
    store.set('number_of_workers', 4, '%number_of_workers');
    assert.throws(
      () => store.set('number_of_workers', 'lots', '%number_of_workers'),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.where === '%number_of_workers' &&
        /Invalid number_of_workers "lots" from %number_of_workers/.test(e.message),
    );
    assert.equal(store.get('number_of_workers')?.value, 4);
  });
});

describe('SettingsStore: %%configure changes and job arguments', () => {
  it('apply() sets settings, clears on None, and records job arguments', () => {
    const store = new SettingsStore();
    store.set('security_config', 'sec', '%security_config');
    store.apply(
      parseConfigureCell(
        "{'number_of_workers': 3, 'security_config': None, '--enable-spark-ui': True, 'tags': {'a': 'b'}}",
      ),
    );
    const r = store.resolve({}, {});
    assert.equal(r.values.number_of_workers, 3);
    assert.equal(r.values.security_config, undefined);
    assert.deepEqual(r.values.tags, { a: 'b' });
    assert.equal(describeSource(r.sources.number_of_workers!), '%%configure key "number_of_workers"');
    assert.deepEqual(store.jobArguments(), { '--enable-spark-ui': 'true' });
  });

  it('a bad %%configure body changes nothing', () => {
    const store = new SettingsStore();
    store.set('number_of_workers', 2, '%number_of_workers');
    assert.throws(
      () => store.apply(parseConfigureCell('{"number_of_workers": 8, "worker_type": "G.9X", "--x": "1"}')),
      ConfigError,
    );
    assert.equal(store.get('number_of_workers')?.value, 2);
    assert.deepEqual(store.jobArguments(), {});
  });

  it('apply() re-validates hand-made changes before changing anything', () => {
    const store = new SettingsStore();
    assert.throws(
      () =>
        store.apply([
          { kind: 'set', setting: 'number_of_workers', key: 'number_of_workers', value: 3 },
          { kind: 'job_argument', key: 'bad key', value: 'x' },
        ]),
      ConfigError,
    );
    assert.equal(store.get('number_of_workers'), undefined);
  });

  it('setJobArgument validates keys', () => {
    const store = new SettingsStore();
    store.setJobArgument('--TempDir', 's3://b/tmp', '%%configure');
    assert.throws(() => store.setJobArgument('TempDir', 'x', '%%configure'), /-- followed by/);
    store.unsetJobArgument('--TempDir');
    assert.deepEqual(store.jobArguments(), {});
  });

  it('clear() forgets everything; describe() shows values and sources', () => {
    const store = new SettingsStore();
    store.set('region', 'EU-WEST-1', '%region');
    const text = store.describe({ glue_tags: '{"t": "1"}' }, {});
    assert.match(text, /region\s+eu-west-1\s+\(%region\)/);
    assert.match(text, /tags\.t\s+1\s+\(environment variable glue_tags\)/);
    assert.match(text, /glue_version\s+4\.0\s+\(default\)/);
    store.clear();
    assert.equal(store.resolve({}, {}).values.region, undefined);
  });

  it('resolveSettings is pure and takes a snapshot of overrides', () => {
    const r = resolveSettings({ region: { value: 'us-east-1', origin: '%region' } }, {}, {});
    assert.equal(r.values.region, 'us-east-1');
  });
});

describe('loadConfigFile (the edge)', () => {
  it('reads AWS_CONFIG_FILE with [profile NAME] sections, fresh each time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-config-'));
    const file = path.join(dir, 'config');
    try {
      fs.writeFileSync(
        file,
        '[default]\nregion = eu-west-1\n\n[profile dev]\nglue_role_arn = ' +
          ROLE +
          '\nglue_tags = {"a": "b"}\n',
      );
      const sections = await loadConfigFile({ configFilepath: file });
      assert.equal(sections.default?.region, 'eu-west-1');
      assert.equal(sections.dev?.glue_role_arn, ROLE);
      const r = new SettingsStore().resolve({ AWS_PROFILE: 'dev' }, sections);
      assert.equal(r.values.iam_role, ROLE);
      assert.deepEqual(r.values.tags, { a: 'b' });

      fs.writeFileSync(file, '[default]\nregion = eu-north-1\n');
      assert.equal(
        (await loadConfigFile({ configFilepath: file })).default?.region,
        'eu-north-1',
        'not cached',
      );
      assert.deepEqual(await loadConfigFile({ configFilepath: path.join(dir, 'missing') }), {});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
