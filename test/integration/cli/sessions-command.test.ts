// `glue-kernel sessions list|stop|delete`, the built CLI run as a child process against the
// in-process emulator: sessions created with the JS SDK are listed (table and JSON), stopped
// and deleted; unknown ids and a missing region fail with messages for people; the flags
// override the kernel's settings layers (environment, ~/.aws/config of the profile).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateSessionCommand, GetSessionCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { SessionJson } from '../../../src/cli/sessions-command';
import { emulatorKernelEnv } from '../../../src/notebook/backends';
import { CLI, run, type RunResult } from '../../helpers/kernel-env';
import { runnerPython } from '../../helpers/tools';
import { waitFor } from '../../unit/emulator/fake-executor';
import { CREDS, ROLE, startTestEmulator, type TestEmulator } from '../emulator/harness';

const REGION = 'us-east-1';
const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'glue_region', 'GLUE_REGION'];

let emu: TestEmulator;
let glue: GlueClient;
let env: NodeJS.ProcessEnv;
let tmp: string;

function sessions(args: string[], over: NodeJS.ProcessEnv = env): Promise<RunResult> {
  return run(process.execPath, [CLI, 'sessions', ...args], { env: over, timeoutMs: 60_000 });
}

function without(base: NodeJS.ProcessEnv, ...names: string[]): NodeJS.ProcessEnv {
  const out = { ...base };
  for (const n of names) delete out[n];
  return out;
}

async function status(id: string): Promise<string | undefined> {
  return (await glue.send(new GetSessionCommand({ Id: id }))).Session?.Status;
}

async function create(id: string): Promise<void> {
  await glue.send(
    new CreateSessionCommand({
      Id: id,
      Role: ROLE,
      Command: { Name: 'glueetl', PythonVersion: '3' },
      GlueVersion: '4.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      IdleTimeout: 30,
    }),
  );
  await waitFor(
    `${id} READY`,
    () => status(id),
    (s) => s === 'READY' || s === 'FAILED',
    30_000,
  );
  assert.equal(await status(id), 'READY');
}

function listed(result: RunResult): SessionJson[] {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SessionJson[];
}

before(async () => {
  emu = await startTestEmulator({ python: runnerPython(), provisionMs: 100, region: REGION });
  glue = emu.glue();
  env = emulatorKernelEnv(process.env, emu.endpoint, CREDS, REGION, emu.accountId);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-sessions-'));
  await create('cli-a');
  await create('cli-b');
});
after(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await emu.stop();
});

describe('glue-kernel sessions', () => {
  it('lists every session as a table', async () => {
    const r = await sessions(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^Id\s+Status\s+Glue\s+Capacity\s+IdleTimeout\s+CreatedOn\s+Age$/);
    for (const id of ['cli-a', 'cli-b'])
      assert.ok(
        lines.some((l) =>
          new RegExp(
            `^${id}\\s+READY\\s+4\\.0\\s+2 × G\\.1X\\s+30 min\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+0m$`,
          ).test(l),
        ),
        r.stdout,
      );
    assert.match(r.stdout, /2 sessions in us-east-1 \(endpoint http:\/\/127\.0\.0\.1:\d+\); 2 READY/);
  });

  it('lists every session as JSON', async () => {
    const sessionsJson = listed(await sessions(['list', '--json']));
    assert.deepEqual(
      sessionsJson.map((s) => [s.Id, s.Status]),
      [
        ['cli-a', 'READY'],
        ['cli-b', 'READY'],
      ],
    );
    for (const s of sessionsJson) assert.ok(Math.abs(Date.parse(s.CreatedOn ?? '') - Date.now()) < 120_000);
    for (const s of sessionsJson) {
      assert.deepEqual(
        [s.GlueVersion, s.WorkerType, s.NumberOfWorkers, s.IdleTimeout],
        ['4.0', 'G.1X', 2, 30],
      );
    }
  });

  it('stops a session; stopping it again is not an error', async () => {
    const r = await sessions(['stop', 'cli-a']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Stopped session cli-a\.$/m);
    assert.match((await status('cli-a')) ?? '', /^(STOPPING|STOPPED)$/);
    await waitFor(
      'cli-a STOPPED',
      () => status('cli-a'),
      (s) => s === 'STOPPED',
      10_000,
    );
    assert.equal(await status('cli-b'), 'READY', 'the other session keeps running');

    const again = await sessions(['stop', 'cli-a']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Session cli-a is not running \(STOPPED\): nothing to stop\./);
  });

  it('deletes a session', async () => {
    const r = await sessions(['delete', 'cli-b']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Deleted session cli-b\.$/m);
    await assert.rejects(glue.send(new GetSessionCommand({ Id: 'cli-b' })), {
      name: 'EntityNotFoundException',
    });
    assert.deepEqual(
      listed(await sessions(['list', '--json'])).map((s) => s.Id),
      ['cli-a'],
    );
  });

  it('fails on an unknown id with the service answer, after doing the others', async () => {
    // stop only: the Glue model declares no EntityNotFoundException for DeleteSession (the
    // emulator's answer there breaks the contract the harness checks), but does for GetSession.
    const r = await sessions(['stop', 'no-such-session']);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Session no-such-session was not found in us-east-1 .*EntityNotFoundException/);

    await create('cli-c');
    const mixed = await sessions(['stop', 'no-such-session', 'cli-c']);
    assert.equal(mixed.code, 1);
    assert.match(mixed.stdout, /^Stopped session cli-c\.$/m);
    assert.match(mixed.stderr, /no-such-session was not found/);
    assert.match(mixed.stderr, /1 of 2 sessions could not be stopped\./);
  });

  it('says how to set a region when none is set, before calling AWS', async () => {
    const before = emu.admin.calls().length;
    const r = await sessions(['list'], without(env, ...REGION_VARIABLES));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No AWS region is set\. Give one with --region <region>.*AWS_REGION.*\[default\]/);
    assert.equal(emu.admin.calls().length, before);

    const bad = await sessions(['list', '--region', 'nowhere'], without(env, ...REGION_VARIABLES));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid region "nowhere" from --region/);
  });

  it('takes --region and --endpoint as overrides of the environment', async () => {
    const bare = without(env, ...REGION_VARIABLES, 'AWS_ENDPOINT_URL_GLUE');
    const r = await sessions(['list', '--json', '--region', REGION, '--endpoint', emu.endpoint], bare);
    assert.deepEqual(
      listed(r).map((s) => s.Id),
      ['cli-a', 'cli-c'],
    );
    // A flag wins over the environment: a wrong region variable does not matter.
    const overridden = await sessions(['list', '--json', '--region', REGION], {
      ...env,
      AWS_REGION: 'eu-west-9',
    });
    assert.deepEqual(
      listed(overridden).map((s) => s.Id),
      ['cli-a', 'cli-c'],
    );
  });

  it("reads the region and endpoint from the profile's ~/.aws/config section (--profile)", async () => {
    const config = path.join(tmp, 'config');
    const credentials = path.join(tmp, 'credentials');
    fs.writeFileSync(config, `[profile dev]\nregion = ${REGION}\nglue_endpoint_url = ${emu.endpoint}\n`);
    fs.writeFileSync(
      credentials,
      `[dev]\naws_access_key_id = ${CREDS.accessKeyId}\naws_secret_access_key = ${CREDS.secretAccessKey}\n`,
    );
    const profileEnv = {
      ...without(
        env,
        ...REGION_VARIABLES,
        'AWS_ENDPOINT_URL_GLUE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
      ),
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
    };
    const r = await sessions(['list', '--json', '--profile', 'dev'], profileEnv);
    assert.deepEqual(
      listed(r).map((s) => s.Id),
      ['cli-a', 'cli-c'],
    );
    const noProfile = await sessions(['list'], profileEnv);
    assert.equal(noProfile.code, 1);
    assert.match(noProfile.stderr, /No AWS region is set.*\[default\] section of .*config/);
  });
});
