import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NO_PYTHON, recorder, rig, textOf, type Rig } from './harness';

let rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});
async function make(...args: Parameters<typeof rig>): Promise<Rig> {
  const r = await rig(...args);
  rigs.push(r);
  return r;
}

describe('GlueBackend against the emulator: interrupts, ends and faults', { skip: NO_PYTHON }, () => {
  it('an interrupt cancels time.sleep(60) within 2 s and keeps the session and its variables', async () => {
    const r = await make();
    assert.equal(textOf((await r.run('kept = "yes"\nprint(kept)')).result).trim(), 'yes');
    const id = r.backend.sessionId;
    const ac = new AbortController();
    const running = r.run('import time\ntime.sleep(60)', ac.signal);
    await new Promise((res) => setTimeout(res, 500));
    const t0 = Date.now();
    ac.abort();
    const { result } = await running;
    const ms = Date.now() - t0;
    assert.equal(result.kind, 'cancelled', JSON.stringify(result));
    assert.ok(ms < 2000, `cancelled after ${ms} ms`);
    assert.equal(r.glueCalls('CancelStatement').length, 1);
    assert.equal(r.backend.sessionId, id, 'same session');
    assert.equal(textOf((await r.run('print(kept)')).result).trim(), 'yes');
  });

  it('TIMEOUT: reported plainly, forgotten, and the next cell starts a new session with a warning', async () => {
    // One API minute = 400 ms, IdleTimeout 1: the session times out 400 ms after it goes idle.
    // A budget that never makes a call wait: the session must not idle out between the calls.
    const r = await make({
      emulator: { minuteMs: 400 },
      settings: { idle_timeout: 1 },
      backend: { apiRate: 100 },
    });
    assert.equal(textOf((await r.run('v = 1\nprint(v)')).result).trim(), '1');
    const old = r.backend.sessionId!;
    await new Promise((res) => setTimeout(res, 900));
    const { result } = await r.run('print(v)');
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'SessionTimeout');
    assert.match(result.message, new RegExp(`Session ${old} reached TIMEOUT`));
    assert.match(
      result.message,
      /The next code cell starts a new session; variables defined in the old one are gone\./,
    );
    assert.equal(r.backend.hasSession(), false);
    const next = await r.run('print(v)');
    assert.ok(
      next.notes.lines.some((l) => l.kind === 'warn' && l.text.includes(old) && /TIMEOUT/.test(l.text)),
      next.notes.text(),
    );
    assert.notEqual(r.backend.sessionId, old);
    assert.equal(next.result.kind, 'output');
    if (next.result.kind === 'output') assert.equal(next.result.output.ErrorName, 'NameError');
  });

  it('a session that FAILED while provisioning shows the service ErrorMessage', async () => {
    const r = await make({ emulator: { provisionMs: 3000 }, settings: { session_id: 'doomed-1' } });
    const running = r.run('print(1)');
    await new Promise((res) => setTimeout(res, 300));
    await r.admin('POST', 'sessions/doomed-1/fail', {
      message: 'Subnet subnet-123 has no free IP addresses.',
    });
    const { result } = await running;
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'SessionFailed');
    assert.match(result.message, /doomed-1/);
    assert.match(result.message, /FAILED/);
    assert.match(result.message, /Subnet subnet-123 has no free IP addresses\./);
    assert.equal(r.backend.hasSession(), false);
  });

  it('waiting for READY has a deadline, shows status and elapsed time, and the next cell keeps waiting', async () => {
    const r = await make({
      emulator: { provisionMs: 1500 },
      // A budget wide enough that the 400 ms deadline, not the call budget, ends the wait.
      backend: { readyTimeoutMs: 400, apiRate: 100 },
    });
    const first = await r.run('print("late")');
    assert.equal(first.result.kind, 'failed');
    if (first.result.kind === 'failed') {
      assert.equal(first.result.ename, 'SessionStartTimeout');
      assert.match(first.result.message, /still PROVISIONING/);
    }
    assert.ok(
      first.notes.lines.some((l) => l.kind === 'progress:session' && /: PROVISIONING$/.test(l.text)) &&
        first.notes.lines.some(
          (l) => l.kind === 'end:session' && /still PROVISIONING after \d+ ms/.test(l.text),
        ),
      first.notes.text(),
    );
    assert.ok(r.backend.hasSession(), 'the session is kept');
    await new Promise((res) => setTimeout(res, 1300));
    assert.equal(textOf((await r.run('print("late")')).result).trim(), 'late');
    assert.equal(r.glueCalls('CreateSession').length, 1);
  });

  it('throttling, 500s and connection resets injected through the admin path are retried transparently', async () => {
    const r = await rig({ backend: { retry: { baseMs: 5, throttleBaseMs: 10 } } });
    rigs.push(r);
    await r.fault({ operation: 'CreateSession', kind: 'throttle', count: 2 });
    await r.fault({ operation: 'GetSession', kind: 'error500', count: 1 });
    await r.fault({ operation: 'RunStatement', kind: 'error', code: 'OperationTimeoutException', count: 1 });
    await r.fault({ operation: 'GetStatement', kind: 'throttle', count: 2 });
    await r.fault({ operation: 'GetStatement', kind: 'reset', count: 1 });
    const { result } = await r.run('print("through")');
    assert.equal(textOf(result).trim(), 'through');
    assert.equal(r.glueCalls('CreateSession').filter((c) => c.errorCode === 'ThrottlingException').length, 2);
    assert.equal(r.glueCalls('CreateSession').filter((c) => c.status === 200).length, 1);
  });

  it('throttling that does not stop ends in a message that says to try again', async () => {
    const r = await make({ backend: { retry: { baseMs: 1, throttleBaseMs: 2, maxAttempts: 3 } } });
    assert.equal(textOf((await r.run('print(1)')).result).trim(), '1');
    await r.fault({ operation: 'RunStatement', kind: 'throttle', count: 10 });
    const { result } = await r.run('print(2)');
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'Throttled');
    assert.match(result.message, /try again/i);
    assert.equal(r.glueCalls('RunStatement').filter((c) => c.errorCode === 'ThrottlingException').length, 3);
  });

  it('AccessDenied is not retried and names the permission', async () => {
    const r = await make();
    await r.fault({
      operation: 'CreateSession',
      kind: 'error',
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: glue:CreateSession',
    });
    const { result } = await r.run('print(1)');
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'AccessDenied');
    assert.match(result.message, /glue:CreateSession/);
    assert.match(result.message, /iam:PassRole/);
    assert.equal(r.glueCalls('CreateSession').length, 1);
  });

  it('close() stops the session (no orphan)', async () => {
    const r = await make();
    await r.run('print(1)');
    const id = r.backend.sessionId!;
    await r.backend.close(AbortSignal.timeout(5000));
    assert.equal(r.glueCalls('StopSession').length, 1);
    const { sessions } = (await r.admin('GET', 'sessions')) as { sessions: { id: string; status: string }[] };
    const s = sessions.find((x) => x.id === id);
    assert.ok(s && (s.status === 'STOPPED' || s.status === 'STOPPING'), JSON.stringify(s));
  });

  it('credentials rejected by the service get advice on refreshing them', async () => {
    const r = await make();
    r.clientSettings.credentials = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'nope' };
    const { result } = await r.run('print(1)');
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.ename, 'AwsCredentialsError');
    assert.match(result.message, /aws sso login/);
    assert.doesNotMatch(result.message, /AKIAUNKNOWNKEY000000/);
  });
});

describe('GlueBackend against the emulator: sessions for the magics', { skip: NO_PYTHON }, () => {
  it('listSessions reads every page', async () => {
    const r = await make();
    await r.run('print(1)');
    const current = r.backend.sessionId!;
    // Four more sessions, created directly.
    const { GlueClient, CreateSessionCommand } = await import('@aws-sdk/client-glue');
    const c = r.clientSettings.credentials as { accessKeyId: string; secretAccessKey: string };
    const glue = new GlueClient({ region: 'us-east-1', endpoint: r.emulator.endpoint, credentials: c });
    for (let i = 0; i < 4; i++) {
      await glue.send(
        new CreateSessionCommand({
          Id: `other-${i}`,
          Role: 'arn:aws:iam::123456789012:role/GlueRole',
          Command: { Name: 'glueetl', PythonVersion: '3' },
        }),
      );
    }
    glue.destroy();
    const before = r.glueCalls('ListSessions').length;
    const list = await r.backend.listSessions(AbortSignal.timeout(10_000), { pageSize: 2 });
    assert.equal(r.glueCalls('ListSessions').length - before, 3, 'three pages of two');
    assert.deepEqual(
      list.map((s) => s.id).sort(),
      [current, 'other-0', 'other-1', 'other-2', 'other-3'].sort(),
    );
    assert.deepEqual(
      list.filter((s) => s.current).map((s) => s.id),
      [current],
    );
    assert.ok(list.every((s) => s.status && s.createdOn instanceof Date));
  });

  it('reconnect switches without stopping the old session; deleteSession deletes', async () => {
    const r = await make();
    await r.run('where = "first"');
    const first = r.backend.sessionId!;
    await r.backend.stopSession(recorder());
    await r.run('where = "second"');
    const second = r.backend.sessionId!;
    // A stopped session cannot be reconnected to.
    await assert.rejects(r.backend.reconnect(first, recorder(), AbortSignal.timeout(10_000)), /STOPP/);
    await assert.rejects(
      r.backend.reconnect('no-such-session', recorder(), AbortSignal.timeout(10_000)),
      (e: Error & { ename?: string }) => e.ename === 'SessionNotFound',
    );
    await assert.rejects(
      r.backend.reconnect('  ', recorder(), AbortSignal.timeout(10_000)),
      /%reconnect <session-id>/,
    );
    // Make a third session elsewhere, then switch to it.
    const { GlueClient, CreateSessionCommand } = await import('@aws-sdk/client-glue');
    const glue = new GlueClient({
      region: 'us-east-1',
      endpoint: r.emulator.endpoint,
      credentials: r.clientSettings.credentials as { accessKeyId: string; secretAccessKey: string },
    });
    await glue.send(
      new CreateSessionCommand({
        Id: 'third',
        Role: 'arn:aws:iam::123456789012:role/GlueRole',
        Command: { Name: 'glueetl', PythonVersion: '3' },
      }),
    );
    glue.destroy();
    const notes = recorder();
    await r.backend.reconnect('third', notes, AbortSignal.timeout(10_000));
    assert.equal(r.backend.sessionId, 'third');
    assert.ok(
      notes.lines.some((l) => l.kind === 'warn' && l.text.includes(second) && /not stopped/.test(l.text)),
      notes.text(),
    );
    const { result } = await r.run('print("on third")');
    assert.equal(textOf(result).trim(), 'on third');
    // The old one is still READY.
    const { sessions } = (await r.admin('GET', 'sessions')) as { sessions: { id: string; status: string }[] };
    assert.equal(sessions.find((s) => s.id === second)?.status, 'READY');
    // Delete it by id, then the current one.
    const dn = recorder();
    assert.equal(await r.backend.deleteSession(second, dn, AbortSignal.timeout(10_000)), second);
    assert.equal(r.backend.sessionId, 'third');
    assert.equal(await r.backend.deleteSession(undefined, dn, AbortSignal.timeout(10_000)), 'third');
    assert.equal(r.backend.hasSession(), false);
    await assert.rejects(
      r.backend.deleteSession(undefined, dn, AbortSignal.timeout(10_000)),
      /no current session/,
    );
  });
});
