// Who calls AWS, end to end: a kernel whose credentials are an assumed role (issued by the
// emulator's STS) finds its session role by itself (GetCallerIdentity → GetRole), tags the
// session with its owner, and %%assume_role (a role ARN, or a dict of keys) changes the key that
// signs every later Glue call.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  ACCOUNT,
  assertError,
  assertOk,
  drive,
  requestOf,
  startE2E,
  stdout,
  type Credentials,
  type E2E,
} from './harness';

describe('role discovery, owner tag and %%assume_role through jupyter_client', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.stop();
  });

  async function assume(role: string, sessionName: string): Promise<Credentials & { userId: string }> {
    const r = await e2e.sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        RoleSessionName: sessionName,
      }),
    );
    const c = r.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
      userId: r.AssumedRoleUser!.AssumedRoleId!,
    };
  }

  test('no role configured: derived from the assumed role; then %%assume_role signs the next sessions', async (t) => {
    const notebook = await assume('NotebookRole', 'studio-user');
    const given = await assume('GivenKeysRole', 'given');
    const [envPair] = e2e.emulator.credentials;
    const since = e2e.lastSeq();
    const env = e2e.baseEnv();
    delete env.glue_role_arn;
    const d = await drive(t, {
      kernelEnv: {
        ...env,
        AWS_ACCESS_KEY_ID: notebook.accessKeyId,
        AWS_SECRET_ACCESS_KEY: notebook.secretAccessKey,
        AWS_SESSION_TOKEN: notebook.sessionToken!,
      },
      steps: [
        { code: 'v = "first"\nprint(v)' },
        { code: '%%assume_role\n"arn:aws:iam::123456789012:role/OtherRole"' },
        { code: 'print(v, "still on the first session")' },
        { code: '%stop_session' },
        { code: 'print("second")' },
        {
          code:
            '%%assume_role\n' +
            `{'aws_access_key_id': '${given.accessKeyId}', 'aws_secret_access_key': '${given.secretAccessKey}', 'aws_session_token': '${given.sessionToken}'}`,
        },
        { code: '%stop_session\nprint("third")' },
        { code: '%%assume_role\n"arn:aws:iam::999999999999:role/ForeignRole"' },
        { code: '%%assume_role\n"not-an-arn"' },
      ],
    });
    if (!d) return;
    const [first, assumed, stillFirst, stop, second, givenKeys, third, foreign, notArn] = d.results;
    const calls = e2e.calls(undefined, since);
    const ops = (op: string) => calls.filter((c) => c.operation === op);

    // Role discovery with the notebook's assumed-role credentials.
    assertOk(first, 'first cell');
    const creates = ops('CreateSession');
    assert.equal(creates.length, 3);
    assert.equal(creates[0].accessKeyId, notebook.accessKeyId);
    const gci = ops('sts:GetCallerIdentity');
    assert.equal(gci[0].accessKeyId, notebook.accessKeyId);
    const getRole = ops('iam:GetRole');
    assert.deepEqual(requestOf(getRole, 0), {
      Action: 'GetRole',
      Version: '2010-05-08',
      RoleName: 'NotebookRole',
    });
    assert.ok(
      gci[0].seq < getRole[0].seq && getRole[0].seq < creates[0].seq,
      'GetCallerIdentity → GetRole → CreateSession',
    );
    const a = requestOf(creates, 0) as { Role: string; Tags: Record<string, string> };
    assert.equal(a.Role, `arn:aws:iam::${ACCOUNT}:role/NotebookRole`);
    assert.equal(a.Tags.owner, notebook.userId, 'the owner tag is the caller UserId');
    assert.match(notebook.userId, /^AROA[0-9A-F]+:studio-user$/);

    // %%assume_role with an ARN: AssumeRole with the current credentials; the running session keeps its own.
    assertOk(assumed, '%%assume_role ARN');
    assert.match(
      stdout(assumed),
      /Role assumed successfully: now calling AWS as arn:aws:sts::123456789012:assumed-role\/OtherRole\//,
    );
    const assumeRole = ops('sts:AssumeRole');
    assert.deepEqual(
      assumeRole.map((c) => [c.request?.RoleArn, c.status]),
      [
        ['arn:aws:iam::123456789012:role/OtherRole', 200],
        ['arn:aws:iam::999999999999:role/ForeignRole', 403],
      ],
      'one AssumeRole per %%assume_role ARN (the dict form calls none)',
    );
    assert.equal(assumeRole[0].accessKeyId, notebook.accessKeyId);
    const assumeRequest = requestOf(assumeRole);
    assert.equal(assumeRequest.RoleArn, 'arn:aws:iam::123456789012:role/OtherRole');
    assert.equal(typeof assumeRequest.RoleSessionName, 'string');
    const logged = JSON.stringify(calls.map((c) => c.request));
    for (const secret of [
      notebook.secretAccessKey,
      notebook.sessionToken!,
      given.secretAccessKey,
      given.sessionToken!,
      envPair.secretAccessKey,
    ])
      assert.ok(!logged.includes(secret), 'the call log holds no secret or token');

    assertOk(stillFirst, 'the first session still runs');
    assert.match(stdout(stillFirst), /first still on the first session/);
    const runs = ops('RunStatement');
    assert.equal(runs[1].accessKeyId, notebook.accessKeyId, 'the existing session keeps its credentials');
    assertOk(stop, '%stop_session');
    assert.equal(ops('StopSession')[0].accessKeyId, notebook.accessKeyId);

    // The next session is created and driven with the assumed key; its role is discovered from it.
    assertOk(second, 'second session');
    const otherKey = creates[1].accessKeyId!;
    assert.match(otherKey, /^ASIA/);
    assert.notEqual(otherKey, notebook.accessKeyId);
    assert.notEqual(otherKey, envPair.accessKeyId);
    const b = requestOf(creates, 1) as { Role: string; Tags: Record<string, string> };
    assert.equal(b.Role, `arn:aws:iam::${ACCOUNT}:role/OtherRole`);
    assert.match(b.Tags.owner ?? '', /^AROA[0-9A-F]+:/);
    assert.notEqual(b.Tags.owner, a.Tags.owner);
    const secondSession = (b as unknown as { Id: string }).Id;
    const glueOfSecond = calls.filter(
      (c) => c.service === 'glue' && c.seq > creates[1].seq && c.request?.SessionId === secondSession,
    );
    assert.ok(glueOfSecond.length >= 2);
    for (const c of glueOfSecond)
      assert.equal(c.accessKeyId, otherKey, `${c.operation} signed with the assumed key`);

    // %%assume_role with a dict of keys: used as given.
    assertOk(givenKeys, '%%assume_role dict');
    assert.match(stdout(givenKeys), /assumed-role\/GivenKeysRole\/given/);
    assertOk(third, 'third session');
    assert.equal(creates[2].accessKeyId, given.accessKeyId);
    assert.equal(
      (requestOf(creates, 2) as { Role: string }).Role,
      `arn:aws:iam::${ACCOUNT}:role/GivenKeysRole`,
    );
    assert.equal(
      ops('StopSession')[1].accessKeyId,
      otherKey,
      'the second session is stopped with its own key',
    );

    // Refused roles and malformed bodies say so, and change nothing.
    const refused = assertError(foreign, /AccessDenied/, 'a role of another account');
    assert.match(refused.evalue ?? '', /ForeignRole/);
    const bad = assertError(notArn, 'UsageError', 'not an ARN');
    assert.match(
      bad.evalue ?? '',
      /%%assume_role: must be at least 20 characters long.*Accepted: an IAM role ARN/,
    );
    assert.doesNotMatch(bad.evalue ?? '', /not-an-arn/, 'the body is not echoed: it may hold a secret');
  });
});
