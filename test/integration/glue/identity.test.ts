import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { GetSessionCommand, GlueClient } from '@aws-sdk/client-glue';
import { SettingsStore } from '../../../src/config/layers';
import { GlueBackend } from '../../../src/session/glue/glue-backend';
import { configSessionRequest } from '../../../src/session/glue/session-request';
import { NO_PYTHON, recorder, rig, textOf, type Rig } from './harness';

let rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

describe(
  'GlueBackend: role discovery and credentials through the emulator STS/IAM',
  { skip: NO_PYTHON },
  () => {
    it('with no role configured and IAM-user credentials, says how to set one', async () => {
      const r = await rig({ noRole: true });
      rigs.push(r);
      const { result } = await r.run('print(1)');
      assert.equal(result.kind, 'failed');
      if (result.kind !== 'failed') return;
      assert.equal(result.ename, 'GlueRoleNotFound');
      assert.match(result.message, /%iam_role/);
      assert.match(result.message, /glue_role_arn/);
      assert.equal(r.glueCalls('CreateSession').length, 0);
    });

    it('%%assume_role with a role ARN: the role is assumed through STS, discovered (STS → IAM) and used', async () => {
      const r = await rig({ noRole: true });
      rigs.push(r);
      const who = await r.backend.setAssumeRole(
        { kind: 'role', roleArn: 'arn:aws:iam::123456789012:role/NotebookRole' },
        AbortSignal.timeout(10_000),
      );
      assert.match(who?.arn ?? '', /^arn:aws:sts::123456789012:assumed-role\/NotebookRole\//);
      const { result, notes } = await r.run('print("as role")');
      assert.equal(textOf(result).trim(), 'as role', notes.text());
      const calls = r.emulator.admin.calls().map((c) => c.operation);
      assert.ok(calls.includes('sts:AssumeRole'));
      assert.ok(calls.includes('sts:GetCallerIdentity'));
      assert.ok(calls.includes('iam:GetRole'));
      // The Glue calls were signed with the assumed (ASIA…) key, not the base key.
      const keys = new Set(
        r.emulator.admin
          .calls()
          .filter((c) => c.service === 'glue')
          .map((c) => c.accessKeyId?.slice(0, 4)),
      );
      assert.deepEqual([...keys], ['ASIA']);
      // The session runs as the discovered role, and is tagged with the caller as owner.
      const glue = new GlueClient({
        region: 'us-east-1',
        endpoint: r.emulator.endpoint,
        credentials: r.clientSettings.credentials as { accessKeyId: string; secretAccessKey: string },
      });
      const s = await glue.send(new GetSessionCommand({ Id: r.backend.sessionId! }));
      glue.destroy();
      assert.equal(s.Session?.Role, 'arn:aws:iam::123456789012:role/NotebookRole');
      const rows = new Map((await r.backend.describe(AbortSignal.timeout(10_000)))!.rows);
      assert.match(rows.get('Tags') ?? '', /owner=AROA[A-Z0-9]+:glue-kernel/);
    });

    it('a role that cannot be assumed is reported and the previous credentials stay', async () => {
      const r = await rig();
      rigs.push(r);
      await assert.rejects(
        r.backend.setAssumeRole(
          { kind: 'role', roleArn: 'arn:aws:iam::999999999999:role/Elsewhere' },
          AbortSignal.timeout(10_000),
        ),
        (e: Error & { ename?: string }) => {
          assert.equal(e.ename, 'AccessDenied');
          assert.match(
            e.message,
            /Assuming the role arn:aws:iam::999999999999:role\/Elsewhere failed: AssumeRole returned AccessDenied/,
          );
          assert.match(e.message, /trust policy/);
          return true;
        },
      );
      assert.equal(textOf((await r.run('print(3)')).result).trim(), '3');
    });

    it('the Spark kernel sends its own request origin and session language', async () => {
      const r = await rig();
      rigs.push(r);
      const store = new SettingsStore();
      store.set('iam_role', 'arn:aws:iam::123456789012:role/GlueRole', '%iam_role');
      const spark = new GlueBackend({
        kind: 'spark',
        clientSettings: () => r.clientSettings,
        sessionRequest: configSessionRequest({
          kind: 'spark',
          kernelVersion: '0.0.0-test',
          settings: () => store.resolve({}, {}),
        }),
      });
      try {
        const notes = recorder();
        const result = await spark.run('println(1)', { signal: new AbortController().signal, notify: notes });
        // The emulator runs Python only and refuses Scala sessions at creation; the point here
        // is the request the Spark kernel sends, which the kernel shows before sending it.
        assert.equal(result.kind, 'failed', JSON.stringify(result));
        assert.match(JSON.stringify(result), /runs Python only/);
        assert.match(notes.text(), /--session-language scala/);
        const request = r.emulator.admin
          .calls()
          .filter((c) => c.operation === 'CreateSession')
          .at(-1)?.request as
          { DefaultArguments?: Record<string, string>; RequestOrigin?: string } | undefined;
        assert.equal(request?.DefaultArguments?.['--session-language'], 'scala');
        assert.equal(request?.RequestOrigin, 'GlueSparkKernel');
      } finally {
        await spark.close(AbortSignal.timeout(5000));
      }
    });
  },
);
