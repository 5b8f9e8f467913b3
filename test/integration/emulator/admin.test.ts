// The admin path: scripted faults (as the SDK sees them), forced session states, runner kills,
// the call log; and its absence whenever the server is not bound to loopback.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import {
  CreateSessionCommand,
  GetSessionCommand,
  GetStatementCommand,
  ListSessionsCommand,
  RunStatementCommand,
} from '@aws-sdk/client-glue';
import { runEmulatorCli, startEmulator } from '../../../src/emulator';
import { fakeExecutor, waitFor } from '../../unit/emulator/fake-executor';
import { admin, rawRequest, ROLE, startTestEmulator, type TestEmulator } from './harness';

let emu: TestEmulator;
before(async () => {
  emu = await startTestEmulator({ executor: fakeExecutor().executor });
});
after(async () => emu.stop());

async function errorName(p: Promise<unknown>): Promise<{ name: string; fault?: string; code?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $fault?: string; code?: string };
    return { name: e.name, fault: e.$fault, code: e.code };
  }
  return { name: 'no error' };
}

describe('faults', () => {
  it('throttles, fails with 500, delays and resets the next N calls of an operation', async () => {
    const once = emu.glue({ maxAttempts: 1 });
    assert.equal(
      (await admin(emu, 'POST', 'faults', { operation: 'ListSessions', kind: 'throttle', count: 2 })).status,
      200,
    );
    assert.equal((await errorName(once.send(new ListSessionsCommand({})))).name, 'ThrottlingException');
    // The default client retries throttling: the second throttle is absorbed, then it succeeds.
    await emu.glue().send(new ListSessionsCommand({}));

    await admin(emu, 'POST', 'faults', { operation: 'GetSession', kind: 'error500' });
    const e500 = await errorName(once.send(new GetSessionCommand({ Id: 'x' })));
    assert.deepEqual([e500.name, e500.fault], ['InternalServiceException', 'server']);

    await admin(emu, 'POST', 'faults', {
      operation: 'GetSession',
      kind: 'error',
      code: 'OperationTimeoutException',
    });
    assert.equal(
      (await errorName(once.send(new GetSessionCommand({ Id: 'x' })))).name,
      'OperationTimeoutException',
    );

    await admin(emu, 'POST', 'faults', { operation: 'ListSessions', kind: 'delay', delayMs: 300 });
    const t0 = Date.now();
    await once.send(new ListSessionsCommand({}));
    assert.ok(Date.now() - t0 >= 290);

    await admin(emu, 'POST', 'faults', { operation: '*', kind: 'reset' });
    const reset = await errorName(once.send(new ListSessionsCommand({})));
    assert.match(`${reset.name} ${reset.code}`, /ECONNRESET|socket hang up|TimeoutError/i);
    assert.deepEqual((await admin(emu, 'GET', 'faults')).json, { faults: [] });

    const bad = await admin(emu, 'POST', 'faults', { operation: 'ListSessions', kind: 'explode' });
    assert.equal(bad.status, 400);
  });

  it('logs every API call with operation, time, status and latency', async () => {
    await admin(emu, 'DELETE', 'calls');
    await emu.glue().send(new ListSessionsCommand({}));
    await errorName(emu.glue().send(new GetSessionCommand({ Id: 'nope' })));
    const { calls } = (await admin(emu, 'GET', 'calls')).json as { calls: Record<string, unknown>[] };
    assert.deepEqual(
      calls.map((c) => [c.service, c.operation, c.status, c.errorCode]),
      [
        ['glue', 'ListSessions', 200, undefined],
        ['glue', 'GetSession', 400, 'EntityNotFoundException'],
      ],
    );
    for (const c of calls) {
      assert.equal(typeof c.latencyMs, 'number');
      assert.ok(!Number.isNaN(Date.parse(String(c.time))));
    }
    const since = calls[0].seq as number;
    assert.equal(
      ((await admin(emu, 'GET', `calls?since=${since}`)).json as { calls: unknown[] }).calls.length,
      1,
    );
  });
});

describe('forced states', () => {
  it('forces FAILED and TIMEOUT, and kills runners (the session goes FAILED)', async () => {
    const glue = emu.glue();
    for (const id of ['f1', 'f2', 'f3'])
      await glue.send(new CreateSessionCommand({ Id: id, Role: ROLE, Command: { Name: 'glueetl' } }));
    for (const id of ['f1', 'f2', 'f3'])
      await waitFor(
        'READY',
        async () => (await glue.send(new GetSessionCommand({ Id: id }))).Session?.Status,
        (s) => s === 'READY',
      );
    assert.equal((await admin(emu, 'POST', 'sessions/f1/fail', { message: 'disk full' })).status, 200);
    const f1 = (await glue.send(new GetSessionCommand({ Id: 'f1' }))).Session!;
    assert.deepEqual([f1.Status, f1.ErrorMessage], ['FAILED', 'disk full']);
    await admin(emu, 'POST', 'sessions/f2/timeout');
    assert.equal((await glue.send(new GetSessionCommand({ Id: 'f2' }))).Session?.Status, 'TIMEOUT');
    const timedOut = await errorName(glue.send(new RunStatementCommand({ SessionId: 'f2', Code: '1' })));
    assert.equal(timedOut.name, 'InvalidInputException', 'what the reference kernel expects after TIMEOUT');

    const { Id } = await glue.send(new RunStatementCommand({ SessionId: 'f3', Code: 'sleep 5000' }));
    const inspect = (await admin(emu, 'GET', 'sessions')).json as {
      sessions: { id: string; runnerAlive: boolean; running?: number }[];
    };
    assert.equal(inspect.sessions.find((s) => s.id === 'f3')?.running, Id);
    assert.deepEqual((await admin(emu, 'POST', 'sessions/f3/kill-runner')).json, { killed: true });
    await waitFor(
      'FAILED',
      async () => (await glue.send(new GetSessionCommand({ Id: 'f3' }))).Session?.Status,
      (s) => s === 'FAILED',
    );
    assert.equal(
      (await errorName(glue.send(new GetStatementCommand({ SessionId: 'f3', Id })))).name,
      'IllegalSessionStateException',
    );
    assert.equal((await admin(emu, 'POST', 'sessions/missing/fail')).status, 404);
  });

  it('answers the admin path only for a loopback Host header', async () => {
    assert.equal((await admin(emu, 'GET', 'health')).status, 200);
    const rebound = await rawRequest(`${emu.endpoint}/_emulator/health`, {
      headers: { host: 'evil.example:80' },
    });
    assert.notEqual(rebound.status, 200);
  });
});

describe('admin security', () => {
  it('needs the per-run token for state changes and call-log reads, and says how to send it', async () => {
    for (const [method, path] of [
      ['POST', 'faults'],
      ['DELETE', 'faults'],
      ['GET', 'calls'],
      ['DELETE', 'calls'],
      ['POST', 'sessions/x/fail'],
      ['POST', 'credentials/expire'],
    ]) {
      for (const token of [null, 'wrong', `${emu.adminToken}x`]) {
        const r = await admin(emu, method, path, method === 'POST' ? {} : undefined, token);
        assert.equal(r.status, 401, `${method} ${path} with ${token === null ? 'no' : 'a wrong'} token`);
        assert.match(JSON.stringify(r.json), /Authorization: Bearer <token>/);
      }
    }
    assert.deepEqual((await admin(emu, 'GET', 'faults')).json, { faults: [] }, 'nothing was added');
    for (const path of ['health', 'info', 'sessions', 'faults'])
      assert.equal((await admin(emu, 'GET', path, undefined, null)).status, 200, `GET ${path} is open`);
  });

  it('refuses what a web page can send cross-site: an Origin header or a simple-request content type', async () => {
    const auth = { authorization: `Bearer ${emu.adminToken}` };
    const fault = JSON.stringify({ operation: 'ListSessions', kind: 'throttle' });
    const origin = await rawRequest(`${emu.endpoint}/_emulator/faults`, {
      method: 'POST',
      headers: { ...auth, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: fault,
    });
    assert.equal(origin.status, 403);
    assert.equal(
      (await rawRequest(`${emu.endpoint}/_emulator/health`, { headers: { origin: 'null' } })).status,
      403,
    );
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const r = await rawRequest(`${emu.endpoint}/_emulator/faults`, {
        method: 'POST',
        headers: { ...auth, 'content-type': type },
        body: fault,
      });
      assert.equal(r.status, 415, type);
    }
    assert.deepEqual((await admin(emu, 'GET', 'faults')).json, { faults: [] }, 'no fault was added');
  });

  it('answers malformed percent-encoding in an admin path with 400', async () => {
    for (const path of ['%E0%A4%A', 'sessions/%ZZ/fail', '%']) {
      const r = await admin(emu, 'POST', path, {});
      assert.equal(r.status, 400, path);
    }
    assert.equal((await admin(emu, 'GET', 'health')).status, 200, 'still up');
  });
});

describe('binding', () => {
  it('has no admin path when bound to 0.0.0.0 (called over loopback)', async () => {
    const wide = await startEmulator({ host: '0.0.0.0', executor: fakeExecutor().executor });
    try {
      assert.equal(wide.adminEnabled, false);
      assert.equal(wide.endpoint, `http://127.0.0.1:${wide.port}`);
      for (const path of ['health', 'calls', 'faults', 'sessions']) {
        const r = await rawRequest(`${wide.endpoint}/_emulator/${path}`);
        assert.notEqual(r.status, 200, path);
        assert.doesNotMatch(r.body, /"calls"|"faults"|"sessions"|"endpoint"/);
      }
      const post = await rawRequest(`${wide.endpoint}/_emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ operation: '*', kind: 'reset' }),
      });
      assert.notEqual(post.status, 200);
    } finally {
      await wide.stop();
    }
  });

  it('CLI: prints the endpoint first, then generated credentials; warns when not loopback; stops on SIGTERM', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      let out = '';
      let err = '';
      const signals = new EventEmitter();
      const done = runEmulatorCli(
        { host, port: '0', provisionMs: '0' },
        {
          stdout: { write: (t: string) => (out += t) },
          stderr: { write: (t: string) => (err += t) },
          signals: signals as never,
        },
      );
      await waitFor(
        'endpoint line',
        () => out,
        (o) => o.includes('\n'),
      );
      const lines = out.trim().split('\n');
      assert.match(lines[0], /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(lines[1], /^AWS_ACCESS_KEY_ID=AKIA[A-Z2-7]{16}$/);
      assert.match(lines[2], /^AWS_SECRET_ACCESS_KEY=\S{40}$/);
      if (host === '0.0.0.0') assert.match(err, /WARNING.*not to loopback/);
      else assert.doesNotMatch(err, /WARNING/);
      if (host === '127.0.0.1') {
        await waitFor(
          'token line',
          () => out,
          (o) => o.includes('GLUE_EMULATOR_ADMIN_TOKEN='),
        );
        const token = /^GLUE_EMULATOR_ADMIN_TOKEN=([A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
        assert.ok(token, out);
        const calls = (authorization?: string) =>
          rawRequest(`${lines[0]}/_emulator/calls`, { headers: authorization ? { authorization } : {} });
        assert.equal((await calls(`Bearer ${token}`)).status, 200, 'the printed token is accepted');
        assert.equal((await calls()).status, 401);
      } else assert.doesNotMatch(out, /ADMIN_TOKEN/, 'no admin path, no token');
      const health = await rawRequest(`${lines[0]}/_emulator/health`);
      assert.equal(health.status === 200, host === '127.0.0.1');
      signals.emit('SIGTERM');
      assert.equal(await done, 0);
      await assert.rejects(rawRequest(`${lines[0]}/`), /ECONNREFUSED/);
    }
    let err = '';
    const code = await runEmulatorCli(
      { credentials: ['no-colon'] },
      { stdout: { write: () => 0 }, stderr: { write: (t: string) => (err += t) } },
    );
    assert.equal(code, 2);
    assert.match(err, /ACCESS_KEY_ID:SECRET/);
  });
});
