// %%configure end to end: every key, in JSON and in Python dict form, "--" job arguments passed
// through, and bad bodies that change nothing and never reach Glue.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCredentials } from '../../../src/emulator';
import {
  ACCOUNT,
  assertError,
  assertOk,
  drive,
  requestOf,
  startE2E,
  stderr,
  stdout,
  tempHome,
  type E2E,
  type Step,
  type StepResult,
} from './harness';

interface CreateRequest {
  Id: string;
  Role: string;
  Command: { Name: string; PythonVersion: string };
  GlueVersion: string;
  MaxCapacity?: number;
  NumberOfWorkers?: number;
  WorkerType?: string;
  IdleTimeout?: number;
  Timeout?: number;
  SecurityConfiguration?: string;
  Connections?: { Connections: string[] };
  DefaultArguments: Record<string, string>;
  Tags: Record<string, string>;
  RequestOrigin: string;
}

describe('%%configure through jupyter_client', () => {
  let e2e: E2E;
  const envPair = generateCredentials();
  const profilePair = generateCredentials();
  let home: ReturnType<typeof tempHome>;
  before(async () => {
    e2e = await startE2E({ credentials: [envPair, profilePair] });
    home = tempHome(
      `[profile conf]\naws_access_key_id = ${profilePair.accessKeyId}\naws_secret_access_key = ${profilePair.secretAccessKey}\n`,
    );
  });
  after(async () => {
    await e2e?.stop();
    home?.cleanup();
  });

  test('every key in JSON and Python form; unknown keys and type errors change nothing', async (t) => {
    const endpoint = e2e.emulator.endpoint;
    const json = JSON.stringify(
      {
        profile: 'conf',
        endpoint,
        region: 'US-EAST-1',
        iam_role: `arn:aws:iam::${ACCOUNT}:role/ConfRole`,
        session_id: 'conf-json',
        session_id_prefix: 'cfg',
        max_capacity: 2,
        connections: ['c1', 'c2'],
        glue_version: '4.0',
        security_config: 'sc1',
        idle_timeout: 15,
        timeout: 60,
        tags: { from: 'configure' },
        extra_py_files: 's3://b/x.py',
        extra_jars: ['s3://b/j1.jar', 's3://b/j2.jar'],
        additional_python_modules: 'polars,--upgrade',
        spark_conf: { 'spark.a': '1', 'spark.b': 2 },
        session_type: 'streaming',
        enable_data_catalog: false,
        '--enable-spark-ui': 'true',
        '--job-bookmark-option': 'job-bookmark-disable',
        '--user-jars-first': true,
        '--number': 7,
      },
      null,
      1,
    );
    const python = [
      '# a Python dict literal: single quotes, True/None, a comment, an unquoted version',
      '{',
      "    'max_capacity': None,      # clears the JSON cell's value",
      "    'session_id': None,",
      "    'number_of_workers': 2, 'worker_type': 'g.1x',",
      "    'session_type': 'glueetl',",
      "    'enable_data_catalog': True,",
      `    'endpoint_url': '${endpoint}',`,
      "    'glue_version': 5.0,",
      "    'tags': {'second': 'yes'},",
      "    '--enable-spark-ui': 'false',",
      '}',
    ].join('\n');
    const labelled: [string, Step][] = [
      ['type error', { code: '%%configure\n{"number_of_workers": "many", "idle_timeout": 5}' }],
      ['line magic type error', { code: '%idle_timeout soon\nprint("must not run")' }],
      ['unknown key', { code: '%%configure\n{"worker_type": "G.8X", "idle_timout": 5, "-conf": "x"}' }],
      ['nothing changed', { code: '%settings' }],
      ['not a dict', { code: "%%configure\n['worker_type', 'G.1X']" }],
      ['empty', { code: '%%configure\n{}' }],
      ['json', { code: `%%configure\n${json}` }],
      ['first session', { code: 'print("json session")' }],
      ['stop', { code: '%stop_session' }],
      ['python', { code: `%%configure -f\n${python}` }],
      ['second session', { code: 'print("python session")' }],
      ['too many', { code: '%%configure\n{"max_capacity": 3}' }],
      ['still workers', { code: '%stop_session\nprint("needs a new session")' }],
    ];
    const d = await drive(t, {
      kernelEnv: {
        ...e2e.baseEnv(),
        AWS_CONFIG_FILE: home.configFile,
        AWS_ENDPOINT_URL_GLUE: 'http://127.0.0.1:1',
      },
      endpoint,
      steps: labelled.map(([, s]) => s),
    });
    if (!d) return;
    const r = new Map<string, StepResult>(labelled.map(([label], i) => [label, d.results[i]]));
    const cell = (label: string): StepResult => r.get(label)!;

    // A type error, before any session: the cell fails and nothing reaches Glue.
    const typeError = assertError(cell('type error'), 'UsageError', '%%configure type error');
    assert.match(typeError.evalue ?? '', /number_of_workers/);
    assert.match(typeError.evalue ?? '', /not a whole number/);
    assert.match(typeError.evalue ?? '', /Nothing was changed/);
    const lineError = assertError(cell('line magic type error'), 'UsageError', '%idle_timeout soon');
    assert.match(lineError.evalue ?? '', /idle[ _]timeout/i);
    assert.equal(stdout(cell('line magic type error')), '', 'the code after the bad magic did not run');

    // An unknown key: the nearest key is suggested, and the valid key beside it is not applied.
    const unknown = assertError(cell('unknown key'), 'UsageError', 'unknown key');
    assert.match(unknown.evalue ?? '', /"idle_timout".*did you mean "idle_timeout"\?/s);
    assert.match(unknown.evalue ?? '', /two hyphens, e\.g\. --conf/);
    assertOk(cell('nothing changed'), '%settings');
    assert.doesNotMatch(stdout(cell('nothing changed')), /worker_type|idle_timeout|number_of_workers/);
    assertError(cell('not a dict'), 'UsageError', 'a list body');
    const empty = assertError(cell('empty'), 'UsageError', 'an empty body');
    assert.match(empty.evalue ?? '', /No configuration values were provided/);
    assert.equal(e2e.calls('CreateSession').length, 3, 'only the three good sessions were created');
    assert.equal(
      e2e.calls().filter((c) => c.seq < e2e.calls('CreateSession')[0].seq && c.service === 'glue').length,
      0,
      'no Glue call before the first good session',
    );

    // The JSON body: every key lands in the CreateSession request.
    assertOk(cell('json'), 'JSON %%configure');
    assert.match(
      stdout(cell('json')),
      /^The following configurations have been updated: \{.*"session_type":"streaming".*\}/,
    );
    assertOk(cell('first session'), 'first session');
    const creates = e2e.calls('CreateSession');
    const a = requestOf(creates, 0) as unknown as CreateRequest;
    assert.equal(creates[0].accessKeyId, profilePair.accessKeyId, 'profile → credentials');
    assert.equal(a.Id, 'cfg-conf-json');
    assert.equal(a.Role, `arn:aws:iam::${ACCOUNT}:role/ConfRole`);
    assert.deepEqual(a.Command, { Name: 'gluestreaming', PythonVersion: '3' });
    assert.equal(a.GlueVersion, '4.0');
    assert.equal(a.MaxCapacity, 2);
    assert.equal(a.NumberOfWorkers, undefined);
    assert.equal(a.WorkerType, undefined, 'G.8X from the rejected cell was not applied');
    assert.equal(a.IdleTimeout, 15);
    assert.equal(a.Timeout, 60);
    assert.equal(a.SecurityConfiguration, 'sc1');
    assert.deepEqual(a.Connections, { Connections: ['c1', 'c2'] });
    assert.equal(a.Tags.from, 'configure');
    assert.ok(a.Tags.owner);
    const { '--glue_kernel_version': version, ...args } = a.DefaultArguments;
    assert.ok(version);
    assert.deepEqual(args, {
      '--enable-glue-datacatalog': 'false',
      '--extra-py-files': 's3://b/x.py',
      '--extra-jars': 's3://b/j1.jar,s3://b/j2.jar',
      '--additional-python-modules': 'polars,--upgrade',
      '--conf': 'spark.a=1 --conf spark.b=2',
      '--enable-spark-ui': 'true',
      '--job-bookmark-option': 'job-bookmark-disable',
      '--user-jars-first': 'true',
      '--number': '7',
    });
    assert.match(stdout(cell('first session')), /json session/);
    assert.equal(requestOf(e2e.calls('StopSession')).Id, 'cfg-conf-json');

    // The Python dict body: None clears, values are normalised, tags merge, -f is ignored.
    assertOk(cell('python'), 'Python %%configure');
    assertOk(cell('second session'), 'second session');
    const b = requestOf(creates, 1) as unknown as CreateRequest;
    assert.match(b.Id, /^cfg-[0-9a-f-]{36}$/, 'session_id cleared; the prefix stays');
    assert.equal(b.MaxCapacity, undefined);
    assert.equal(b.NumberOfWorkers, 2);
    assert.equal(b.WorkerType, 'G.1X');
    assert.equal(b.Command.Name, 'glueetl');
    assert.equal(b.GlueVersion, '5.0');
    assert.equal(b.DefaultArguments['--enable-glue-datacatalog'], 'true');
    assert.equal(b.DefaultArguments['--enable-spark-ui'], 'false');
    assert.equal(
      b.DefaultArguments['--job-bookmark-option'],
      'job-bookmark-disable',
      'earlier job arguments stay',
    );
    assert.deepEqual({ from: b.Tags.from, second: b.Tags.second }, { from: 'configure', second: 'yes' });

    // max_capacity with workers already set is refused at the magic (issue 9.11): nothing is
    // stored, and the next session still has the workers.
    const tooMany = assertError(cell('too many'), 'ConfigError', 'max_capacity with workers');
    assert.match(
      tooMany.evalue ?? '',
      /max_capacity cannot be set together with worker_type \(worker_type was set by %%configure key "worker_type"\).*Nothing was changed/s,
    );
    assertOk(cell('still workers'), 'a session with the workers');
    const c = requestOf(creates, 2) as unknown as CreateRequest;
    assert.equal(c.MaxCapacity, undefined);
    assert.equal(c.NumberOfWorkers, 2);
    assert.equal(e2e.calls('CreateSession').length, 3, 'no fourth CreateSession');
  });

  // Issue 7.4 and 7.9: one-line bodies as %help shows them, values shown with their types,
  // and -f stopping the live session so that the next one gets the new configuration.
  test('%%configure -f stops the session; without -f the change waits for the next one', async (t) => {
    const since = e2e.lastSeq();
    const d = await drive(t, {
      kernelEnv: e2e.baseEnv(),
      steps: [
        { code: '%%configure {"number_of_workers": 2, "worker_type": "G.1X"}' },
        { code: 'print("first")' },
        { code: '%%configure {"idle_timeout": 120}' },
        { code: '%%configure -f {"idle_timeout": "90"}  # restart with it' },
        { code: 'print("second")' },
        { code: "%%tags {'team': 'one-line'}" },
      ],
    });
    if (!d) return;
    const [workers, first, later, force, second, tags] = d.results;
    assertOk(workers, 'one-line %%configure');
    assert.equal(
      stdout(workers).trim(),
      'The following configurations have been updated: {"number_of_workers":2,"worker_type":"G.1X"}',
    );
    assertOk(first, 'first session');
    const creates = e2e.calls('CreateSession', since);
    const firstId = (requestOf(creates, 0) as unknown as CreateRequest).Id;

    assertOk(later, '%%configure without -f');
    assert.match(stdout(later), /updated: \{"idle_timeout":120\}/);
    assert.match(stderr(later), /already connected to a session .*applies to the next session/s);

    assertOk(force, '%%configure -f');
    assert.match(stdout(force), /updated: \{"idle_timeout":90\}/, 'the value with its type, not "90"');
    assert.match(stdout(force), new RegExp(`Stopped the current session \\(${firstId}\\) \\(-f\\)`));
    assert.doesNotMatch(stderr(force), /already connected/);

    assertOk(second, 'second session');
    assert.equal(creates.length, 2);
    const b = requestOf(creates, 1) as unknown as CreateRequest;
    assert.notEqual(b.Id, firstId);
    // The second session is stopped too once the driver kills the kernel (by the watchdog).
    assert.deepEqual(
      e2e
        .calls('StopSession', since)
        .map((c) => c.request?.Id)
        .filter((id) => id !== b.Id),
      [firstId],
      'only -f stopped the first session',
    );
    assert.equal(b.IdleTimeout, 90);
    assert.equal(b.NumberOfWorkers, 2);
    assertOk(tags, 'one-line %%tags');
    assert.match(stdout(tags), /Tag \{"team":"one-line"\} added to the current session and for new sessions/);
  });
});
