// Session lifecycle end to end: a session that reaches TIMEOUT (forced through the emulator's
// admin path, or by a one-minute idle timeout on a fast emulator clock) is reported plainly and
// replaced by a new one with a warning; kernel restart and shutdown stop the session.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, assertOk, drive, requestOf, startE2E, stderr, stdout } from './harness';

/** One emulator minute, in ms: %idle_timeout 1 ends an idle session this fast. */
const MINUTE_MS = 2000;

describe('session lifecycle through jupyter_client', () => {
  test('TIMEOUT: the next cell says so plainly; the one after creates a new session with a warning', async (t) => {
    const e2e = await startE2E({ minuteMs: MINUTE_MS });
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'remote = "state"\nprint(remote)' },
          { admin: 'POST', path: 'sessions/{ready}/timeout' },
          { code: 'print("after the forced timeout")' },
          { code: '%idle_timeout 1\nprint(remote)' },
          { code: 'print("on the second session")' },
          { sleep: (MINUTE_MS * 2.5) / 1000 },
          { code: 'print("after the idle timeout")' },
          { code: 'print("on the third session")' },
        ],
      });
      if (!d) return;
      const [first, , timedOut, second, onSecond, , idled, third] = d.results;
      const creates = e2e.calls('CreateSession');
      assert.equal(
        creates.length,
        3,
        'three sessions: the first, after the forced timeout, after the idle timeout',
      );
      const ids = creates.map((c) => requestOf([c]).Id as string);
      assertOk(first, 'first');

      // The forced TIMEOUT: a plain message naming the session, no new session yet.
      const timeout = assertError(timedOut, 'SessionTimeout', 'the cell after the timeout');
      assert.match(timeout.evalue ?? '', new RegExp(`Session ${ids[0]} reached TIMEOUT status`));
      assert.match(
        timeout.evalue ?? '',
        /The next code cell starts a new session; variables defined in the old one are gone\./,
      );
      assert.doesNotMatch(stdout(timedOut), /Trying to create a Glue session/);
      const beforeSecond = e2e.calls().filter((c) => c.seq < creates[1].seq);
      assert.ok(
        beforeSecond.some((c) => c.operation === 'GetSession' && c.request?.Id === ids[0]),
        'the status was checked',
      );

      // The cell after it: a new session, with a warning that the remote state is gone.
      assertError(second, 'NameError', 'remote state is gone');
      assert.match(
        stderr(second),
        new RegExp(
          `The previous session ${ids[0]} ended \\(TIMEOUT\\); a new session is being created\\. Variables defined in the old session are gone`,
        ),
      );
      assert.equal(requestOf(creates, 1).IdleTimeout, 1);
      assertOk(onSecond, 'the second session works');
      assert.match(stdout(onSecond), /on the second session/);

      // The idle timeout: the same, without the admin path.
      const idle = assertError(idled, 'SessionTimeout', 'idle timeout');
      assert.match(
        idle.evalue ?? '',
        new RegExp(`Session ${ids[1]} reached TIMEOUT status \\(its idle timeout is 1 minute`),
      );
      assertOk(third, 'third session');
      assert.match(stderr(third), new RegExp(`The previous session ${ids[1]} ended \\(TIMEOUT\\)`));
      assert.match(stdout(third), /on the third session/);
      assert.notEqual(ids[2], ids[1]);
    } finally {
      await e2e.stop();
    }
  });

  test('kernel restart and shutdown stop the session (StopSession)', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        steps: [
          { code: 'print("first kernel")' },
          { restart: true },
          { code: 'print("after restart")' },
          { code: '%session_id' },
          { shutdown: true },
        ],
      });
      if (!d) return;
      const [first, restarted, afterRestart, sessionId, shutdown] = d.results;
      assertOk(first, 'first');
      assert.equal(restarted.restarted, true);
      assertOk(afterRestart, 'after restart');
      assert.equal(afterRestart.execution_count, 1, 'a new kernel process');
      assert.equal(shutdown.shutdown, true);
      assert.ok((shutdown as { elapsed?: number }).elapsed! < 5, 'graceful shutdown is quick');

      const creates = e2e.calls('CreateSession').map((c) => requestOf([c]).Id as string);
      const stops = e2e.calls('StopSession');
      assert.equal(creates.length, 2);
      assert.deepEqual(
        stops.map((c) => c.request?.Id),
        creates,
        'restart stops the first session, shutdown the second',
      );
      assert.ok(stops.every((c) => c.status === 200));
      assert.equal(stdout(sessionId), `Current active Session ID: ${creates[1]}\n`);
      const stopOfFirst = stops[0].seq;
      const createOfSecond = e2e.calls('CreateSession')[1].seq;
      assert.ok(
        stopOfFirst < createOfSecond,
        'the first session was stopped by the restart, before the next cell',
      );
      const statuses = (await (await fetch(`${e2e.emulator.endpoint}/_emulator/sessions`)).json()) as {
        sessions: { id: string; status: string }[];
      };
      for (const id of creates)
        assert.match(statuses.sessions.find((s) => s.id === id)?.status ?? '', /^STOPP(ING|ED)$/, id);
    } finally {
      await e2e.stop();
    }
  });
});
