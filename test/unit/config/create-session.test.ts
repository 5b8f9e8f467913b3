import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateSessionRequest } from '@aws-sdk/client-glue';
import {
  CAPACITY_CONFLICT,
  ConfigError,
  SettingsStore,
  buildCreateSessionRequest,
  ownerTagValue,
  parseConfigureCell,
  type CreateSessionFields,
  type CreateSessionInput,
  type Env,
} from '../../../src/config';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';

function build(
  env: Env,
  extra: Partial<CreateSessionInput> = {},
  store = new SettingsStore(),
): CreateSessionFields {
  return buildCreateSessionRequest({
    settings: store.resolve({ glue_role_arn: ROLE, ...env }, {}),
    kernel: 'pyspark',
    kernelVersion: '0.1.0',
    newId: () => 'uuid-1',
    ...extra,
  });
}

describe('CreateSession request', () => {
  it('is a valid @aws-sdk/client-glue CreateSessionRequest (compile-time check)', () => {
    const request: CreateSessionRequest = build({});
    assert.ok(request);
  });

  it('minimal request: defaults only', () => {
    assert.deepEqual(build({}), {
      Id: 'uuid-1',
      Role: ROLE,
      Command: { Name: 'glueetl', PythonVersion: '3' },
      GlueVersion: '4.0',
      DefaultArguments: { '--glue_kernel_version': '0.1.0', '--enable-glue-datacatalog': 'true' },
      RequestOrigin: 'GluePySparkKernel',
    });
  });

  it('Id: custom id, prefix, random id', () => {
    assert.equal(build({ session_id: 'mine' }).Id, 'mine');
    assert.equal(build({ session_id_prefix: 'team' }).Id, 'team-uuid-1');
    assert.equal(build({ session_id_prefix: 'team', session_id: 'mine' }).Id, 'team-mine');
    const random = buildCreateSessionRequest({
      settings: new SettingsStore().resolve({ glue_role_arn: ROLE }, {}),
      kernel: 'pyspark',
      kernelVersion: '1',
    });
    assert.match(random.Id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.throws(
      () => build({ session_id_prefix: 'p'.repeat(200), session_id: 'i'.repeat(100) }),
      /at most 255/,
    );
  });

  it('Role: from settings, else the fallback, else an error', () => {
    assert.equal(build({}).Role, ROLE);
    const fallback = 'arn:aws:iam::123456789012:role/Discovered';
    assert.equal(
      buildCreateSessionRequest({
        settings: new SettingsStore().resolve({}, {}),
        kernel: 'pyspark',
        kernelVersion: '1',
        fallbackRole: fallback,
      }).Role,
      fallback,
    );
    assert.throws(
      () =>
        buildCreateSessionRequest({
          settings: new SettingsStore().resolve({}, {}),
          kernel: 'pyspark',
          kernelVersion: '1',
        }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /Glue Role ARN not provided/.test(e.message) &&
        /%iam_role/.test(e.message),
    );
  });

  it('Command: glueetl or gluestreaming, PythonVersion 3 for both kernels', () => {
    assert.deepEqual(build({ glue_session_type: 'streaming' }).Command, {
      Name: 'gluestreaming',
      PythonVersion: '3',
    });
    assert.deepEqual(build({}, { kernel: 'spark' }).Command, { Name: 'glueetl', PythonVersion: '3' });
  });

  it('GlueVersion from settings', () => {
    assert.equal(build({ GLUE_VERSION: '5.0' }).GlueVersion, '5.0');
  });

  it('DefaultArguments: fixed ones, settings, then %%configure job arguments, in order', () => {
    const store = new SettingsStore();
    store.apply(
      parseConfigureCell(`{
        'extra_py_files': 's3://b/a.py,s3://b/b.py',
        'extra_jars': ['s3://b/x.jar'],
        'additional_python_modules': 'pandas==2.2',
        'spark_conf': 'spark.a=1 --conf spark.b=2',
        'enable_data_catalog': False,
        '--enable-spark-ui': True,
        '--extra-jars': 's3://b/override.jar',
      }`),
    );
    const args = build({}, { kernel: 'spark', jobArguments: store.jobArguments() }, store).DefaultArguments;
    assert.deepEqual(Object.entries(args), [
      ['--glue_kernel_version', '0.1.0'],
      ['--enable-glue-datacatalog', 'false'],
      ['--session-language', 'scala'],
      ['--extra-py-files', 's3://b/a.py,s3://b/b.py'],
      ['--extra-jars', 's3://b/override.jar'],
      ['--additional-python-modules', 'pandas==2.2'],
      ['--conf', 'spark.a=1 --conf spark.b=2'],
      ['--enable-spark-ui', 'true'],
    ]);
  });

  it('--session-language only for the Spark kernel', () => {
    assert.equal(build({}).DefaultArguments['--session-language'], undefined);
    assert.equal(build({}, { kernel: 'spark' }).DefaultArguments['--session-language'], 'scala');
  });

  it('optional numeric and name fields only when set', () => {
    const r = build({
      glue_timeout: '120',
      glue_idle_timeout: '30',
      glue_number_of_workers: '4',
      glue_worker_type: 'g.2x',
      glue_security_config: 'enc',
      glue_connections: 'c1, c2',
    });
    assert.equal(r.Timeout, 120);
    assert.equal(r.IdleTimeout, 30);
    assert.equal(r.NumberOfWorkers, 4);
    assert.equal(r.WorkerType, 'G.2X');
    assert.equal(r.SecurityConfiguration, 'enc');
    assert.deepEqual(r.Connections, { Connections: ['c1', 'c2'] });
    assert.equal(r.MaxCapacity, undefined);
    assert.equal(build({ glue_max_capacity: '2.5' }).MaxCapacity, 2.5);
    for (const key of [
      'Timeout',
      'IdleTimeout',
      'NumberOfWorkers',
      'WorkerType',
      'MaxCapacity',
      'SecurityConfiguration',
      'Connections',
      'Tags',
    ]) {
      assert.equal(key in build({}), false, key);
    }
  });

  it('max_capacity with worker_type and number_of_workers is the reference error', () => {
    assert.throws(
      () => build({ glue_max_capacity: '2', glue_worker_type: 'G.1X', glue_number_of_workers: '2' }),
      (e: unknown) => e instanceof ConfigError && e.message.includes(CAPACITY_CONFLICT),
    );
    assert.equal(
      CAPACITY_CONFLICT,
      'Either max_capacity or worker_type and number_of_workers must be set, but not both.',
    );
    // One of the pair without the other is refused before CreateSession (the service refuses it too).
    assert.throws(
      () => build({ glue_max_capacity: '2', glue_worker_type: 'G.1X' }),
      (e: unknown) =>
        e instanceof ConfigError && /worker_type and number_of_workers must be set together/.test(e.message),
    );
    assert.throws(() => build({ glue_number_of_workers: '3' }), /set worker_type too/i);
    assert.equal(build({ glue_max_capacity: '2' }).MaxCapacity, 2);
  });

  it('Tags: merged layers plus the owner tag (commas dropped); an explicit owner tag wins', () => {
    const store = new SettingsStore();
    store.set('tags', { team: 'magic' }, '%%tags');
    assert.deepEqual(
      build({ glue_tags: '{"team": "env", "env": "dev"}' }, { owner: 'AROA123:jane,doe' }, store).Tags,
      {
        team: 'magic',
        env: 'dev',
        owner: 'AROA123:janedoe',
      },
    );
    assert.deepEqual(build({ glue_tags: '{"owner": "platform"}' }, { owner: 'AROA123:jane' }).Tags, {
      owner: 'platform',
    });
    assert.equal(ownerTagValue('a,b;c<d>e f'), 'abcde f');
    assert.equal(ownerTagValue('x'.repeat(300)).length, 256);
  });

  it('too many tags once the owner is added', () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 50; i++) tags[`t${i}`] = 'v';
    assert.throws(
      () => build({ glue_tags: JSON.stringify(tags) }, { owner: 'me' }),
      /51 tags \(owner tag included\) is too many \(at most 50\)/,
    );
  });

  it('RequestOrigin: the request_origin env var, else by kernel', () => {
    assert.equal(build({}).RequestOrigin, 'GluePySparkKernel');
    assert.equal(build({}, { kernel: 'spark' }).RequestOrigin, 'GlueSparkKernel');
    assert.equal(build({ request_origin: 'GlueStudioNotebook' }).RequestOrigin, 'GlueStudioNotebook');
  });

  it('accepts plain values as well as ResolvedSettings', () => {
    const values = new SettingsStore().resolve({ glue_role_arn: ROLE }, {}).values;
    assert.equal(
      buildCreateSessionRequest({ settings: values, kernel: 'pyspark', kernelVersion: '1', newId: () => 'x' })
        .Id,
      'x',
    );
  });

  it('checks job argument limits', () => {
    assert.throws(() => build({}, { jobArguments: { '--x': 'v'.repeat(4097) } }), /at most 4096/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 80; i++) many[`--a${i}`] = '1';
    assert.throws(() => build({}, { jobArguments: many }), /too many \(at most 75\)/);
  });
});
