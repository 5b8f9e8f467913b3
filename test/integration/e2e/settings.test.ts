// The settings layers end to end, with a temporary HOME: ~/.aws/config ([default] and
// [profile dev]), environment variables (glue_* and GLUE_*, AWS_PROFILE, AWS_DEFAULT_REGION)
// and magics, as the CreateSession request and %settings/%status show them; tags merged across
// layers; invalid values named with their layer.
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
  stdout,
  tempHome,
  type E2E,
} from './harness';

const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe('settings layers through jupyter_client', () => {
  let e2e: E2E;
  const envPair = generateCredentials();
  const devPair = generateCredentials();
  before(async () => {
    e2e = await startE2E({ credentials: [envPair, devPair] });
  });
  after(async () => {
    await e2e?.stop();
  });

  /** The emulator environment without the settings this suite puts in other layers. */
  function env(without: string[]): Record<string, string> {
    const base = e2e.baseEnv();
    for (const name of ['AWS_CONFIG_FILE', 'glue_role_arn', ...without]) delete base[name];
    return base;
  }

  test('AWS_PROFILE=dev reads [profile dev]; env beats the file; magics beat both; tags merge', async (t) => {
    const home = tempHome(
      [
        '[default]',
        'region = ap-south-1',
        `glue_role_arn = ${ROLE('DefaultFileRole')}`,
        'glue_version = 3.0',
        'session_id_prefix = fromdefault',
        'glue_number_of_workers = 7',
        'glue_tags = {"layer": "default-file", "defaultfile": "yes"}',
        '',
        '[profile dev]',
        `aws_access_key_id = ${devPair.accessKeyId}`,
        `aws_secret_access_key = ${devPair.secretAccessKey}`,
        'region = eu-west-1',
        `glue_iam_role = ${ROLE('DevFileRole')}`,
        'glue_version = 4.0',
        'session_id_prefix = fromdevfile',
        'glue_idle_timeout = 45',
        'glue_extra_py_files = s3://dev/a.py, s3://dev/b.py',
        'glue_tags = {"layer": "dev-file", "devfile": "yes", "shared": "file"}',
        '',
      ].join('\n'),
    );
    try {
      const d = await drive(t, {
        // Credentials come from the dev profile only.
        kernelEnv: {
          ...env(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']),
          AWS_PROFILE: 'dev',
          AWS_DEFAULT_REGION: 'us-east-1',
          glue_version: '5.0',
          GLUE_SESSION_ID_PREFIX: 'fromenv',
          GLUE_WORKER_TYPE: 'g.2x',
          glue_number_of_workers: '3',
          glue_tags: '{"layer": "env", "env": "yes", "shared": "env"}',
        },
        clientEnv: { HOME: home.home },
        steps: [
          {
            code: '%session_id_prefix frommagic\n%number_of_workers 6\n%%tags\n{"layer": "magic", "magic": "yes"}',
          },
          { code: '%settings' },
          { code: 'print("layers")' },
          { code: '%status' },
        ],
      });
      if (!d) return;
      const [set, settings, code, status] = d.results;
      assertOk(set, 'magics');
      assertOk(settings, '%settings');
      const shown = stdout(settings);
      const source = (name: string) => new RegExp(`^${name}\\s.*\\((.*)\\)$`, 'm').exec(shown)?.[1];
      assert.equal(source('iam_role'), '~/.aws/config [profile dev] key glue_iam_role', shown);
      assert.equal(source('glue_version'), 'environment variable glue_version');
      assert.equal(source('session_id_prefix'), '%session_id_prefix');
      assert.equal(source('worker_type'), 'environment variable GLUE_WORKER_TYPE');
      assert.equal(source('number_of_workers'), '%number_of_workers');
      assert.equal(source('idle_timeout'), '~/.aws/config [profile dev] key glue_idle_timeout');
      assert.equal(source('region'), 'environment variable AWS_DEFAULT_REGION');
      assert.equal(source('profile'), 'environment variable AWS_PROFILE');

      assertOk(code, 'first code cell');
      const creates = e2e.calls('CreateSession');
      assert.equal(creates.length, 1);
      assert.equal(creates[0].accessKeyId, devPair.accessKeyId, 'AWS_PROFILE=dev signs with the dev keys');
      const req = requestOf(creates) as {
        Id: string;
        Role: string;
        GlueVersion: string;
        NumberOfWorkers: number;
        WorkerType: string;
        IdleTimeout: number;
        DefaultArguments: Record<string, string>;
        Tags: Record<string, string>;
      };
      assert.equal(req.Role, ROLE('DevFileRole'), 'the dev section, not [default]');
      assert.equal(req.GlueVersion, '5.0', 'env beats the file');
      assert.match(req.Id, /^frommagic-/, 'the magic beats env and file');
      assert.equal(req.NumberOfWorkers, 6);
      assert.equal(req.WorkerType, 'G.2X');
      assert.equal(req.IdleTimeout, 45);
      assert.equal(req.DefaultArguments['--extra-py-files'], 's3://dev/a.py,s3://dev/b.py');
      const { owner, ...tags } = req.Tags;
      assert.ok(owner);
      assert.deepEqual(tags, { layer: 'magic', magic: 'yes', env: 'yes', shared: 'env', devfile: 'yes' });
      assertOk(status, '%status');
      assert.match(stdout(status), /Region\s+us-east-1/, 'AWS_DEFAULT_REGION beats the file region');
    } finally {
      home.cleanup();
    }
  });

  test('[default] without a profile; lower-case env names; region from the file', async (t) => {
    const home = tempHome(
      [
        '[default]',
        'region = us-east-1',
        `glue_iam_role = ${ROLE('DefaultFileRole')}`,
        'glue_glue_version = 3.0',
        'glue_session_id_prefix = fromdefault',
        'glue_job_type = streaming',
        'glue_connections = a, b',
        'spark_conf = spark.x=1',
        'glue_tags = {"layer": "default-file"}',
        '[profile dev]',
        `glue_iam_role = ${ROLE('DevFileRole')}`,
        '',
      ].join('\n'),
    );
    try {
      const d = await drive(t, {
        kernelEnv: { ...env(['AWS_REGION']), glue_security_config: 'sec-env', GLUE_TIMEOUT: '90' },
        clientEnv: { HOME: home.home },
        steps: [{ code: 'print("default")' }],
      });
      if (!d) return;
      assertOk(d.results[0], 'code');
      const req = requestOf(e2e.calls('CreateSession').slice(-1)) as {
        Id: string;
        Role: string;
        GlueVersion: string;
        Command: { Name: string };
        Connections: { Connections: string[] };
        SecurityConfiguration: string;
        Timeout: number;
        DefaultArguments: Record<string, string>;
        Tags: Record<string, string>;
      };
      assert.equal(e2e.calls('CreateSession').slice(-1)[0].accessKeyId, envPair.accessKeyId);
      assert.equal(req.Role, ROLE('DefaultFileRole'));
      assert.equal(req.GlueVersion, '3.0');
      assert.match(req.Id, /^fromdefault-/);
      assert.equal(req.Command.Name, 'gluestreaming');
      assert.deepEqual(req.Connections, { Connections: ['a', 'b'] });
      assert.equal(req.DefaultArguments['--conf'], 'spark.x=1');
      assert.equal(req.SecurityConfiguration, 'sec-env');
      assert.equal(req.Timeout, 90);
      assert.equal(req.Tags.layer, 'default-file');
    } finally {
      home.cleanup();
    }
  });

  test('an invalid value in the environment or the file is an error naming its layer', async (t) => {
    const home = tempHome(
      ['[default]', 'glue_idle_timeout = soon', 'glue_worker_type = G.9X', ''].join('\n'),
    );
    const createsBefore = e2e.calls('CreateSession').length;
    try {
      const d = await drive(t, {
        kernelEnv: { ...e2e.baseEnv(), AWS_CONFIG_FILE: home.configFile, GLUE_NUMBER_OF_WORKERS: 'lots' },
        clientEnv: { HOME: home.home },
        steps: [
          { code: 'print("never")' },
          // A magic over the bad values does not hide them: every layer is checked.
          { code: '%number_of_workers 2\n%idle_timeout 5\n%worker_type G.1X\nprint("still never")' },
          { code: '%settings' },
        ],
      });
      if (!d) return;
      const [first, overridden, settings] = d.results;
      const error = assertError(first, 'ConfigError', 'invalid layers');
      assert.match(error.evalue ?? '', /3 configuration problems/);
      assert.match(
        error.evalue ?? '',
        /number_of_workers "lots" from environment variable GLUE_NUMBER_OF_WORKERS: not a whole number/,
      );
      assert.match(
        error.evalue ?? '',
        new RegExp(
          `idle_timeout "soon" from ${home.configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[default\\] key glue_idle_timeout`,
        ),
      );
      assert.match(
        error.evalue ?? '',
        /worker_type "G\.9X" from .* \[default\] key glue_worker_type: not one of the accepted values/,
      );
      assertError(overridden, 'ConfigError', 'still invalid under magics');
      assertError(settings, 'ConfigError', '%settings reports it too');
      assert.equal(e2e.calls('CreateSession').length, createsBefore, 'no CreateSession');
    } finally {
      home.cleanup();
    }
  });
});
