// Every magic of the reference, typed into a real Jupyter client, against the emulator:
// what the notebook shows, and what the emulator received (CreateSession fields, StopSession,
// DeleteSession, TagResource, GetSession/GetTags behind %status, ListSessions, RunStatement).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateSessionCommand } from '@aws-sdk/client-glue';
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

const MAGICS = [
  'help',
  'profile',
  'region',
  'endpoint',
  'iam_role',
  'idle_timeout',
  'timeout',
  'session_id_prefix',
  'session_id',
  'status',
  'list_sessions',
  'stop_session',
  'reconnect',
  'glue_version',
  'number_of_workers',
  'worker_type',
  'security_config',
  'connections',
  'extra_py_files',
  'extra_jars',
  'additional_python_modules',
  'spark_conf',
  'streaming',
  'etl',
  'session_type',
  'configure',
  'tags',
  'assume_role',
  'sql',
  'display',
  'local',
  'delete_session',
  'matplot',
];

const ROLE = `arn:aws:iam::${ACCOUNT}:role/E2EMagicRole`;
const EXTERNAL = 'external-e2e';

describe('every magic, through jupyter_client, against the emulator', () => {
  let e2e: E2E;
  const envPair = generateCredentials();
  const profilePair = generateCredentials();
  let home: ReturnType<typeof tempHome>;
  before(async () => {
    e2e = await startE2E({ credentials: [envPair, profilePair] });
    home = tempHome(
      `[profile e2e]\naws_access_key_id = ${profilePair.accessKeyId}\naws_secret_access_key = ${profilePair.secretAccessKey}\n`,
    );
    // A session made outside the kernel, for %reconnect and %list_sessions.
    await e2e.glue().send(
      new CreateSessionCommand({
        Id: EXTERNAL,
        Role: ROLE,
        Command: { Name: 'glueetl', PythonVersion: '3' },
      }),
    );
  });
  after(async () => {
    await e2e?.stop();
    home?.cleanup();
  });

  test('session magics and settings magics map onto the Glue API', async (t) => {
    const endpoint = e2e.emulator.endpoint;
    const labelled: [string, Step][] = [
      ['help', { code: '%help' }],
      ['no session', { code: '%session_id\n%status' }],
      [
        'settings',
        {
          code: [
            '# every setting magic of the reference, as a user types them',
            '%profile e2e',
            '%region US-EAST-1',
            `%endpoint ${endpoint}`,
            `%iam_role ${ROLE}`,
            '%idle_timeout 30',
            '%timeout 120',
            '%session_id_prefix e2e.magic',
            '%glue_version "5.0"',
            '%number_of_workers 3',
            '%worker_type G.2X',
            '%security_config sec-e2e',
            '%connections conn1, conn2',
            '%extra_py_files s3://bucket/a.py,s3://bucket/b.zip',
            '%extra_jars [s3://bucket/x.jar]',
            '%additional_python_modules pyarrow==14.0.0,boto3',
            '%spark_conf spark.sql.shuffle.partitions=4 --conf spark.executor.memory=2g',
            '%etl',
            '%streaming',
          ].join('\n'),
        },
      ],
      ['spark_conf shown', { code: '%spark_conf' }],
      ['tags before session', { code: '%%tags\n{"team": "data", "cost-center": "1234"}' }],
      ['list before', { code: '%list_sessions' }],
      ['first code', { code: 'x = 6 * 7\nprint("x is", x)' }],
      ['session_id', { code: '%session_id' }],
      ['status', { code: '%status' }],
      ['change while running', { code: '%number_of_workers 4' }],
      ['tags with session', { code: '%%tags\n{"stage": "e2e"}' }],
      ['sql', { code: '%%sql\nSELECT 40 + 2 AS answer' }],
      ['list with session', { code: '%list_sessions' }],
      ['stop', { code: '%stop_session' }],
      ['status after stop', { code: '%status' }],
      ['second session', { code: '%etl\nprint(x)' }],
      ['reconnect', { code: `%reconnect ${EXTERNAL}` }],
      ['on external', { code: 'print("hello from", "external")' }],
      ['delete current', { code: '%delete_session' }],
      ['reconnect missing', { code: '%reconnect no-such-session' }],
      ['third session', { code: '%session_type GlueStreaming\nprint("third")' }],
      ['delete by id', { code: `%delete_session ${EXTERNAL}` }],
    ];
    const d = await drive(t, {
      kernelEnv: {
        ...e2e.baseEnv(),
        AWS_CONFIG_FILE: home.configFile,
        // Only %endpoint leads to the emulator: nothing listens on port 1.
        AWS_ENDPOINT_URL_GLUE: 'http://127.0.0.1:1',
      },
      endpoint,
      steps: labelled.map(([, s]) => s),
    });
    if (!d) return;
    const r = new Map<string, StepResult>(labelled.map(([label], i) => [label, d.results[i]]));
    const cell = (label: string): StepResult => {
      const c = r.get(label);
      assert.ok(c, label);
      return c;
    };

    // %help lists every magic with its syntax.
    assertOk(cell('help'), '%help');
    const help = cell('help').outputs?.find((o) => o.type === 'display_data');
    assert.ok(help?.markdown, 'help is markdown display_data');
    for (const name of MAGICS) {
      const prefix = ['configure', 'tags', 'assume_role', 'sql', 'local'].includes(name) ? '%%' : '%';
      assert.ok(help.markdown.includes(`${prefix}${name}`), `%help mentions ${prefix}${name}`);
    }

    assertOk(cell('no session'), 'no session');
    assert.equal(stdout(cell('no session')), 'There is no current session.\nThere is no current session.\n');

    // The settings cell: one confirmation per magic, and nothing called AWS yet.
    assertOk(cell('settings'), 'settings');
    const said = stdout(cell('settings'));
    assert.equal(said.match(/^Setting new /gm)?.length, 18, said);
    assert.match(said, /Setting new region to: us-east-1\n/);
    assert.match(said, /Setting new connections to: conn1,conn2\n/);
    assert.equal(stderr(cell('settings')), '');
    assert.match(
      stdout(cell('spark_conf shown')),
      /Current Spark configuration: spark\.sql\.shuffle\.partitions=4 --conf spark\.executor\.memory=2g/,
    );
    assert.match(
      stdout(cell('tags before session')),
      /Tag \{"team":"data","cost-center":"1234"\} added for new sessions/,
    );

    // %list_sessions goes through %endpoint (the environment's endpoint is dead) with the profile's key.
    assertOk(cell('list before'), '%list_sessions');
    const listed = cell('list before').outputs?.find((o) => o.type === 'display_data');
    assert.match(listed?.plain ?? '', new RegExp(`${EXTERNAL}\\s+READY`));
    assert.match(
      listed?.markdown ?? '',
      /\| Id \| Status \| Glue \| Capacity \| IdleTimeout \| CreatedOn \| Age \|/,
    );
    const listCalls = e2e.calls('ListSessions');
    assert.ok(listCalls.length >= 2);
    assert.equal(listCalls[0].accessKeyId, profilePair.accessKeyId, '%profile e2e signs the calls');

    // The first code cell creates the session with every setting.
    assertOk(cell('first code'), 'first code');
    assert.match(stdout(cell('first code')), /x is 42/);
    const creates = e2e.calls('CreateSession');
    assert.equal(creates.length, 4, 'the external session and three of the kernel');
    const first = requestOf(creates, 1) as {
      Id: string;
      Role: string;
      Command: { Name: string };
      GlueVersion: string;
      NumberOfWorkers: number;
      WorkerType: string;
      IdleTimeout: number;
      Timeout: number;
      SecurityConfiguration: string;
      Connections: { Connections: string[] };
      DefaultArguments: Record<string, string>;
      Tags: Record<string, string>;
      RequestOrigin: string;
    };
    assert.equal(creates[1].accessKeyId, profilePair.accessKeyId);
    assert.match(first.Id, /^e2e\.magic-[0-9a-f-]{36}$/);
    assert.equal(first.Role, ROLE);
    assert.deepEqual(first.Command, { Name: 'gluestreaming', PythonVersion: '3' });
    assert.equal(first.GlueVersion, '5.0');
    assert.equal(first.NumberOfWorkers, 3);
    assert.equal(first.WorkerType, 'G.2X');
    assert.equal(first.IdleTimeout, 30);
    assert.equal(first.Timeout, 120);
    assert.equal(first.SecurityConfiguration, 'sec-e2e');
    assert.deepEqual(first.Connections, { Connections: ['conn1', 'conn2'] });
    assert.equal(first.RequestOrigin, 'GluePySparkKernel');
    assert.equal(first.DefaultArguments['--extra-py-files'], 's3://bucket/a.py,s3://bucket/b.zip');
    assert.equal(first.DefaultArguments['--extra-jars'], 's3://bucket/x.jar');
    assert.equal(first.DefaultArguments['--additional-python-modules'], 'pyarrow==14.0.0,boto3');
    assert.equal(
      first.DefaultArguments['--conf'],
      'spark.sql.shuffle.partitions=4 --conf spark.executor.memory=2g',
    );
    assert.equal(first.DefaultArguments['--enable-glue-datacatalog'], 'true');
    assert.ok(first.DefaultArguments['--glue_kernel_version'], 'the kernel version is sent');
    assert.equal(first.DefaultArguments['--session-language'], undefined);
    assert.equal(first.Tags.team, 'data');
    assert.equal(first.Tags['cost-center'], '1234');
    assert.match(first.Tags.owner ?? '', /^AIDA/, 'owner tag from STS GetCallerIdentity UserId');
    const printed = stdout(cell('first code'));
    assert.match(printed, /Session Type: streaming/);
    assert.match(printed, new RegExp(`Session ID: ${first.Id.replace(/\./g, '\\.')}`));

    assert.equal(stdout(cell('session_id')), `Current active Session ID: ${first.Id}\n`);

    // %status reads GetSession and GetTags from the emulator.
    assertOk(cell('status'), '%status');
    const status = stdout(cell('status'));
    for (const row of [
      /Status\s+READY/,
      /Session Type\s+streaming/,
      /Worker Type\s+G\.2X/,
      /Number of Workers\s+3/,
      /Idle Timeout\s+30/,
      /Timeout\s+120/,
      /GlueVersion\s+5\.0/,
      /Region\s+us-east-1/,
      /Connections\s+conn1, conn2/,
      new RegExp(`Role\\s+${ROLE}`),
      /team=data/,
      /owner=AIDA/,
      /--extra-jars s3:\/\/bucket\/x\.jar/,
    ])
      assert.match(status, row);
    const getTags = e2e.calls('GetTags');
    assert.equal(getTags.length, 1);
    assert.equal(requestOf(getTags).ResourceArn, `arn:aws:glue:us-east-1:${ACCOUNT}:session/${first.Id}`);

    // A setting changed while a session runs: stored, with a note that it applies to the next one.
    assertOk(cell('change while running'), 'change while running');
    assert.match(
      stderr(cell('change while running')),
      new RegExp(
        `already connected to a session \\(${first.Id.replace(/\./g, '\\.')}\\).*applies to the next session`,
        's',
      ),
    );

    // %%tags with a session tags it now (TagResource) and for new sessions.
    assertOk(cell('tags with session'), '%%tags');
    assert.match(stdout(cell('tags with session')), /added to the current session and for new sessions/);
    const tagResource = e2e.calls('TagResource');
    assert.equal(tagResource.length, 1);
    assert.deepEqual(requestOf(tagResource).TagsToAdd, { stage: 'e2e' });

    // %%sql runs the query (as a string literal) in the session and shows a table.
    assertOk(cell('sql'), '%%sql');
    const runs = e2e.calls('RunStatement');
    assert.ok(String(requestOf(runs, 1).Code).includes('spark.sql("SELECT 40 + 2 AS answer")'));
    const sqlTable = cell('sql').outputs?.find((o) => o.type === 'display_data' && o.html);
    assert.match(sqlTable?.plain ?? '', /answer[\s\S]*42\n1 row\.$/);

    const listedNow = cell('list with session').outputs?.find((o) => o.type === 'display_data');
    assert.ok(listedNow?.plain?.includes(`${first.Id} *`), 'the current session is marked');
    assert.match(stdout(cell('list with session')), /2 sessions \(\* = this kernel's session\)/);

    // %stop_session → StopSession on the current session.
    assertOk(cell('stop'), '%stop_session');
    assert.match(
      stdout(cell('stop')),
      new RegExp(`Stopping session: ${first.Id.replace(/\./g, '\\.')}[\\s\\S]*Stopped session`),
    );
    // Only this one: later sessions are stopped when the driver ends the kernel.
    const stops = e2e.calls('StopSession').filter((c) => c.request?.Id === first.Id);
    assert.equal(stops.length, 1);
    assert.equal(requestOf(stops).Id, first.Id);
    assert.equal(stdout(cell('status after stop')), 'There is no current session.\n');

    // The next session has the setting changed while the first ran, the %%tags tags, and %etl; remote state is gone.
    assertError(cell('second session'), 'NameError', 'x is gone with the first session');
    const second = requestOf(creates, 2) as typeof first;
    assert.notEqual(second.Id, first.Id);
    assert.equal(second.NumberOfWorkers, 4);
    assert.equal(second.Command.Name, 'glueetl');
    assert.equal(second.Tags.stage, 'e2e');
    assert.equal(second.Tags.team, 'data');

    // %reconnect to a live session: no StopSession for the old one, a note saying so.
    assertOk(cell('reconnect'), '%reconnect');
    assert.match(stdout(cell('reconnect')), new RegExp(`Switched to session ${EXTERNAL} \\(READY\\)`));
    assert.match(stderr(cell('reconnect')), new RegExp(`NOTE: session ${second.Id} was not stopped`));
    assertOk(cell('on external'), 'code on the reconnected session');
    assert.match(stdout(cell('on external')), /hello from external/);
    const onExternal = runs.find((c) => c.request?.Code === 'print("hello from", "external")');
    assert.equal(onExternal?.request?.SessionId, EXTERNAL);

    // %delete_session without an id deletes the current session.
    assertOk(cell('delete current'), '%delete_session');
    assert.match(
      stdout(cell('delete current')),
      new RegExp(`Deleted session ${EXTERNAL}\\. The next code cell starts a new session\\.`),
    );
    const deletes = e2e.calls('DeleteSession');
    assert.equal(requestOf(deletes, 0).Id, EXTERNAL);

    assertError(cell('reconnect missing'), 'SessionNotFound', '%reconnect to a missing session');
    assert.match(cell('reconnect missing').evalue ?? '', /no-such-session was not found in us-east-1/);

    // %session_type (any case, Glue's names too) → Command.Name; and the session deleted before is really gone.
    assertOk(cell('third session'), 'third session');
    const third = requestOf(creates, 3) as typeof first;
    assert.equal(third.Command.Name, 'gluestreaming');
    assertError(cell('delete by id'), 'SessionNotFound', 'deleting a deleted session');
    assert.equal(deletes.length, 2);
    assert.equal(requestOf(deletes, 1).Id, EXTERNAL);
    assert.equal(deletes[1].errorCode, 'EntityNotFoundException');

    // Nothing went to the dead endpoint from the environment: every Glue call reached the emulator.
    for (const c of e2e.calls()) assert.equal(c.status < 500, true, `${c.operation} ${c.status}`);
    // Every output was published before its reply.
    for (const [label] of labelled) assert.equal(cell(label).output_before_reply, true, label);
  });
});
