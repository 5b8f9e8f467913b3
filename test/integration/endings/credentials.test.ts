// Faults through jupyter_client, the kernel and the emulator: credentials that expire (static
// keys, an assumed role) and a session runner that is killed. Each cell ends within a bound
// with a clear outcome, and the next cell works.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, test } from 'node:test';
import { ACCOUNT, assertError, assertOk, drive, startE2E, stderr, stdout } from '../e2e/harness';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/OtherRole`;

describe('credential and runner faults through jupyter_client', () => {
  test('assumed-role credentials that expire are assumed anew: by the call that meets ExpiredToken, and by a new %%assume_role', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: `%%assume_role\n"${ROLE}"` },
          { code: 'print("as the role")' },
          { admin: 'POST', path: 'credentials/expire' },
          { code: 'print("after expiry")', timeout: 30 },
          { admin: 'POST', path: 'credentials/expire' },
          { code: `%%assume_role\n"${ROLE}"`, timeout: 30 },
          { code: 'print("after the second assume_role")', timeout: 30 },
        ],
      });
      if (!d) return;
      const [assumed, first, expired1, afterExpiry, expired2, again, last] = d.results;
      assertOk(assumed, '%%assume_role');
      assertOk(first, 'first cell');
      assertOk(afterExpiry, 'the cell after expiry recovers by assuming the role again');
      assert.equal(stdout(afterExpiry).trim().split('\n').pop(), 'after expiry');
      assert.ok(afterExpiry.elapsed! < 10, `recovered in ${afterExpiry.elapsed} s`);
      assertOk(again, 'the second %%assume_role');
      assertOk(last, 'the cell after the second %%assume_role');

      const expiredKeys = new Set([
        ...((expired1 as { body?: { expired?: string[] } }).body?.expired ?? []),
        ...((expired2 as { body?: { expired?: string[] } }).body?.expired ?? []),
      ]);
      assert.ok(expiredKeys.size >= 2, 'each expiry expired the key in use');
      // The second %%assume_role asked STS again and checked the new key: its GetCallerIdentity
      // was signed with a key that had not been expired.
      const identities = e2e.calls('sts:GetCallerIdentity');
      const lastIdentity = identities[identities.length - 1];
      assert.equal(lastIdentity.status, 200);
      assert.ok(!expiredKeys.has(lastIdentity.accessKeyId ?? ''), 'checked with a fresh key');
      const assumes = e2e.calls('sts:AssumeRole');
      assert.ok(
        assumes.some(
          (a) => a.seq > (identities[identities.length - 2]?.seq ?? 0) && a.seq < lastIdentity.seq,
        ),
        'the second %%assume_role assumed the role anew',
      );
      // Each expired key failed at most once: the refresh came at the first ExpiredToken.
      const failures = e2e.calls().filter((c) => c.errorCode === 'ExpiredTokenException');
      const perKey = new Map<string, number>();
      for (const f of failures) perKey.set(f.accessKeyId ?? '', (perKey.get(f.accessKeyId ?? '') ?? 0) + 1);
      for (const [key, n] of perKey) assert.equal(n, 1, `key ${key} failed ${n} times`);
    } finally {
      await e2e.stop();
    }
  });

  test('static keys that expire: the cell says so truly within a bound; once renewed, the next cell works', async (t) => {
    const e2e = await startE2E();
    try {
      const key = e2e.emulator.credentials[0].accessKeyId;
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'x = 1\nprint("before")' },
          { admin: 'POST', path: 'credentials/expire', body: { accessKeyId: key } },
          { code: 'print("while expired")', timeout: 30 },
          { admin: 'POST', path: 'credentials/restore', body: { accessKeyId: key } },
          { code: 'print("renewed", x)', timeout: 30 },
        ],
      });
      if (!d) return;
      const [before, , expired, , renewed] = d.results;
      assertOk(before, 'before');
      const error = assertError(expired, 'AwsCredentialsError', 'while expired');
      assert.match(error.evalue ?? '', /expired/);
      assert.match(error.evalue ?? '', /fetched again from their source, they are still expired/);
      assert.ok(expired.elapsed! < 10, `the expired cell ended in ${expired.elapsed} s`);
      // One refresh, then the truth: exactly two calls failed with the expired key.
      const failures = e2e.calls().filter((c) => c.errorCode === 'ExpiredTokenException');
      assert.equal(failures.length, 2, JSON.stringify(failures.map((f) => f.operation)));
      assertOk(renewed, 'renewed');
      assert.match(stdout(renewed), /renewed 1/, 'the same session, variables kept');
    } finally {
      await e2e.stop();
    }
  });

  test('the session runner killed: the cell reports it within a bound, the next cell works', async (t) => {
    const e2e = await startE2E();
    try {
      const d = await drive(t, {
        kernelEnv: e2e.baseEnv(),
        endpoint: e2e.emulator.endpoint,
        adminToken: e2e.emulator.adminToken,
        steps: [
          { code: 'print("before")' },
          { admin: 'POST', path: 'sessions/{ready}/kill-runner' },
          { code: 'print("after the kill")', timeout: 60 },
          { code: 'print("next")', timeout: 60 },
        ],
      });
      if (!d) return;
      const [before, , afterKill, next] = d.results;
      assertOk(before, 'before');
      assert.ok(afterKill.elapsed! < 30, `the cell after the kill ended in ${afterKill.elapsed} s`);
      assert.ok(
        afterKill.status === 'error' || /after the kill/.test(stdout(afterKill)),
        `a clear outcome: ${JSON.stringify(afterKill).slice(0, 1500)}`,
      );
      assertOk(next, 'the next cell works');
      assert.match(stdout(next), /next/);
    } finally {
      await e2e.stop();
    }
  });

  test('an endpoint that is plain http to another host, and NODE_TLS_REJECT_UNAUTHORIZED=0: warned once, in the cell', async (t) => {
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const e2e = await startE2E(address ? { host: '0.0.0.0' } : {});
    try {
      const port = new URL(e2e.emulator.endpoint).port;
      const kernelEnv: Record<string, string> = { ...e2e.baseEnv(), NODE_TLS_REJECT_UNAUTHORIZED: '0' };
      if (address) kernelEnv.AWS_ENDPOINT_URL_GLUE = `http://${address}:${port}`;
      const d = await drive(t, {
        kernelEnv,
        steps: [{ code: 'print("one")' }, { code: '%stop_session' }, { code: 'print("two")' }],
      });
      if (!d) return;
      const [one, , two] = d.results;
      assertOk(one, 'first cell');
      assertOk(two, 'after a new session');
      assert.equal(stderr(one).match(/NODE_TLS_REJECT_UNAUTHORIZED=0 is set/g)?.length, 1, stderr(one));
      if (address)
        assert.match(
          stderr(one),
          new RegExp(`http://${address.replace(/\./g, '\\.')}:${port} is plain http to another host`),
        );
      else
        t.diagnostic('no non-loopback IPv4 address: the plain-http warning is checked by the unit test only');
      assert.doesNotMatch(stderr(two), /NODE_TLS_REJECT_UNAUTHORIZED|plain http/, 'said once');
    } finally {
      await e2e.stop();
    }
  });
});
