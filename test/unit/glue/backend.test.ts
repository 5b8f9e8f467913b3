import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { memoizeCredentials, REFRESH_MARGIN_MS } from '../../../src/session/glue/clients';
import { GlueBackend } from '../../../src/session/glue/glue-backend';
import { awsError, fakeAws, silent, type Handler } from './fake-clients';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';
const ready = { Id: 's-1', Status: 'READY' };

function backend(
  handlers: Record<string, Handler>,
  extra: Partial<ConstructorParameters<typeof GlueBackend>[0]> = {},
) {
  const fake = fakeAws(handlers);
  const b = new GlueBackend({
    kind: 'pyspark',
    clientSettings: () => ({ region: 'us-east-1' }),
    sessionRequest: () => ({ Id: 's-1', Role: ROLE }),
    clientFactory: fake.factory,
    retry: { baseMs: 1, throttleBaseMs: 1, capMs: 2 },
    schedules: {
      statement: { firstMs: 1, growth: 1, capMs: 1 },
      session: { firstMs: 1, growth: 1, capMs: 1 },
      cancel: { firstMs: 1, growth: 1, capMs: 1 },
    },
    ...extra,
  });
  return { b, fake };
}

const run = (b: GlueBackend, code = 'x') =>
  b.run(code, { signal: new AbortController().signal, notify: silent });

describe('GlueBackend (scripted clients)', () => {
  it('CreateSession: AlreadyExists on a retry is our own session → GetSession, success', async () => {
    let creates = 0;
    const { b, fake } = backend({
      CreateSession: () => {
        creates++;
        throw creates === 1
          ? awsError('OperationTimeoutException')
          : awsError('AlreadyExistsException', 'Session already exists.');
      },
      GetSession: () => ({ Session: ready }),
      GetDashboardUrl: () => ({ Url: 'https://spark-ui.example/s-1' }),
      RunStatement: () => ({ Id: 0 }),
      GetStatement: () => ({
        Statement: { Id: 0, State: 'AVAILABLE', Output: { Status: 'ok', Data: { TextPlain: 'hi' } } },
      }),
    });
    const { ranMs, ...r } = await run(b);
    assert.ok(typeof ranMs === 'number' && ranMs >= 0, 'a statement that ran says how long');
    assert.deepEqual(r, {
      kind: 'output',
      state: 'AVAILABLE',
      output: { Status: 'ok', Data: { TextPlain: 'hi' } },
    });
    assert.equal(creates, 2);
    assert.deepEqual(
      fake.calls.map((c) => c.op),
      ['CreateSession', 'CreateSession', 'GetSession', 'GetDashboardUrl', 'RunStatement', 'GetStatement'],
    );
  });

  it('CreateSession: AlreadyExists on the first try is someone else’s session → a clear error', async () => {
    const { b } = backend({ CreateSession: () => Promise.reject(awsError('AlreadyExistsException')) });
    const r = await run(b);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') {
      assert.equal(r.ename, 'SessionAlreadyExists');
      assert.match(r.message, /%reconnect s-1/);
    }
    assert.equal(b.hasSession(), false);
  });

  it('fills in Id, Command and RequestOrigin, and discovers the role when the provider leaves it out', async () => {
    let request: Record<string, unknown> = {};
    const { b } = backend(
      {
        GetCallerIdentity: () => ({
          Arn: 'arn:aws:sts::123456789012:assumed-role/Studio/me',
          UserId: 'AROA1:me',
          Account: '123456789012',
        }),
        GetRole: (i) => ({ Role: { Arn: `arn:aws:iam::123456789012:role/${String(i.RoleName)}` } }),
        CreateSession: (i) => {
          request = i;
          return { Session: { Id: i.Id, Status: 'READY' } };
        },
        RunStatement: () => ({ Id: 1 }),
        GetStatement: () => ({ Statement: { Id: 1, State: 'AVAILABLE', Output: { Status: 'ok' } } }),
      },
      { kind: 'spark', sessionRequest: () => ({ GlueVersion: '5.0' }) },
    );
    assert.equal((await run(b)).kind, 'output');
    assert.match(String(request.Id), /^[0-9a-f-]{36}$/);
    assert.equal(request.Role, 'arn:aws:iam::123456789012:role/Studio');
    assert.deepEqual(request.Command, { Name: 'glueetl', PythonVersion: '3' });
    assert.equal(request.RequestOrigin, 'GlueSparkKernel');
  });

  it('a statement in ERROR is a failed result with the output error fields', async () => {
    const { b } = backend({
      CreateSession: () => ({ Session: ready }),
      RunStatement: () => ({ Id: 2 }),
      GetStatement: () => ({
        Statement: {
          Id: 2,
          State: 'ERROR',
          Output: {
            Status: 'error',
            ErrorName: 'Py4JError',
            ErrorValue: 'gateway died',
            Traceback: ['Traceback…\n', 'Py4JError: gateway died\n'],
          },
        },
      }),
    });
    const r = await run(b);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') {
      assert.equal(r.ename, 'Py4JError');
      assert.match(r.message, /gateway died/);
    }
    assert.ok(b.hasSession(), 'a statement error does not end the session');
  });

  it('IllegalSessionState with the session still READY: the error is reported, the session kept', async () => {
    const { b } = backend({
      CreateSession: () => ({ Session: ready }),
      GetSession: () => ({ Session: ready }),
      RunStatement: () => ({ Id: 3 }),
      GetStatement: () =>
        Promise.reject(
          awsError('IllegalSessionStateException', 'Session unavailable, fail to call ReplServer'),
        ),
    });
    const r = await run(b);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') {
      assert.match(r.message, /fail to call ReplServer/);
      assert.match(r.message, /still READY/);
    }
    assert.ok(b.hasSession());
  });

  it('InvalidInput on RunStatement with the session STOPPED: SessionStopped, forgotten', async () => {
    let status = 'READY';
    const { b } = backend({
      CreateSession: () => ({ Session: ready }),
      GetSession: () => ({ Session: { Id: 's-1', Status: status } }),
      RunStatement: () => {
        status = 'STOPPED';
        throw awsError('InvalidInputException', 'Session is not ready, session_id=s-1, status=STOPPED');
      },
    });
    const r = await run(b);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') {
      assert.equal(r.ename, 'SessionStopped');
      assert.match(r.message, /variables defined in the old one are gone/);
    }
    assert.equal(b.hasSession(), false);
  });

  it('a config error from the provider is a failed result, not an exception', async () => {
    const { b } = backend(
      {},
      {
        sessionRequest: () =>
          Promise.reject(Object.assign(new Error('Invalid worker_type "G.9X"'), { name: 'ConfigError' })),
      },
    );
    const r = await run(b);
    assert.deepEqual(r, { kind: 'failed', ename: 'ConfigError', message: 'Invalid worker_type "G.9X"' });
  });

  it('a missing region says how to set one', async () => {
    const b = new GlueBackend({
      kind: 'pyspark',
      clientSettings: () => ({ region: '' }),
      sessionRequest: () => ({ Role: ROLE }),
    });
    const r = await run(b);
    assert.equal(r.kind, 'failed');
    if (r.kind === 'failed') {
      assert.equal(r.ename, 'RegionNotSet');
      assert.match(r.message, /%region/);
      assert.match(r.message, /AWS_REGION/);
    }
  });

  it('close() is bounded by its signal even when StopSession hangs', async () => {
    const { b } = backend({
      CreateSession: () => ({ Session: ready }),
      RunStatement: () => ({ Id: 0 }),
      GetStatement: () => ({ Statement: { Id: 0, State: 'AVAILABLE', Output: { Status: 'ok' } } }),
      StopSession: (_i, o) =>
        new Promise((_res, rej) =>
          o.abortSignal?.addEventListener('abort', () =>
            rej(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          ),
        ),
    });
    await run(b);
    const t0 = Date.now();
    // AbortSignal.timeout's timer does not hold the event loop open (a kernel has sockets that do).
    const keepAlive = setTimeout(() => undefined, 5000);
    await b.close(AbortSignal.timeout(100));
    clearTimeout(keepAlive);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(b.hasSession(), false);
  });
});

describe('credentials', () => {
  it('memoizeCredentials reuses until near expiry, then refreshes; concurrent callers share one fetch', async () => {
    let now = 0;
    let fetches = 0;
    const provider = async () => {
      fetches++;
      return { accessKeyId: `ASIA${fetches}`, secretAccessKey: 's', expiration: new Date(now + 60 * 60_000) };
    };
    const p = memoizeCredentials(provider, () => now);
    const [a, b2] = await Promise.all([p(), p()]);
    assert.equal(fetches, 1);
    assert.equal(a, b2);
    now += 30 * 60_000;
    assert.equal((await p()).accessKeyId, 'ASIA1');
    now += 30 * 60_000 - REFRESH_MARGIN_MS + 1;
    assert.equal((await p()).accessKeyId, 'ASIA2', 'refreshed within the margin');
    const failing = memoizeCredentials(async () => {
      throw new Error('nope');
    });
    await assert.rejects(failing(), /nope/);
    await assert.rejects(failing(), /nope/, 'a failure is not cached as a value');
  });
});

describe('startup cost', () => {
  it('loading the Glue backend and constructing it does not load the AWS SDK', () => {
    const dist = path.resolve(__dirname, '..', '..', '..', 'src', 'session', 'glue', 'index.js');
    const script = [
      `const g = require(${JSON.stringify(dist)});`,
      "new g.GlueBackend({ kind: 'pyspark', clientSettings: () => ({ region: 'us-east-1' }) });",
      "const loaded = Object.keys(require.cache).filter((k) => k.includes('@aws-sdk'));",
      'process.stdout.write(JSON.stringify({ loaded, flag: g.sdkLoaded() }));',
    ].join('\n');
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { loaded: [], flag: false });
  });
});
