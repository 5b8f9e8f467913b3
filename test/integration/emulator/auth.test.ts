// SigV4 on the wire: wrong secrets, unknown keys, tampered bodies and replayed old requests
// are rejected; STS and IAM answer in their own protocol on the same port, and credentials
// from the emulator's STS AssumeRole work (session token) until they expire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSessionCommand,
  GetSessionCommand,
  GlueServiceException,
  ListSessionsCommand,
} from '@aws-sdk/client-glue';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { smithySign } from '../../unit/emulator/smithy-sign';
import { admin, CREDS, rawRequest, ROLE, startTestEmulator, type TestEmulator } from './harness';

let emu: TestEmulator;
before(async () => {
  emu = await startTestEmulator({
    provisionMs: 0,
    executor: { name: 'none', start: () => Promise.reject(new Error('no runner in this test')) },
  });
});
after(async () => emu.stop());

async function errorOf(
  p: Promise<unknown>,
): Promise<GlueServiceException & { $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as GlueServiceException & { $metadata: { httpStatusCode?: number } };
  }
  assert.fail('expected an error');
}

async function signedGlue(
  body: string,
  over: { date?: Date; secret?: string; target?: string } = {},
): Promise<Record<string, string>> {
  return smithySign({
    host: emu.endpoint.replace('http://', ''),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': over.target ?? 'AWSGlue.ListSessions',
    },
    body,
    service: 'glue',
    accessKeyId: CREDS.accessKeyId,
    secretAccessKey: over.secret ?? CREDS.secretAccessKey,
    date: over.date,
    contentSha256: true,
  });
}

describe('SigV4 on the wire', () => {
  it('rejects a wrong secret and an unknown key with the errors AWS gives', async () => {
    const wrong = await errorOf(
      emu
        .glue({ credentials: { ...CREDS, secretAccessKey: 'wrong' }, maxAttempts: 1 })
        .send(new ListSessionsCommand({})),
    );
    assert.equal(wrong.name, 'InvalidSignatureException');
    assert.equal(wrong.$metadata.httpStatusCode, 400);
    assert.match(wrong.message, /signature we calculated does not match/);
    const unknown = await errorOf(
      emu
        .glue({ credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } })
        .send(new ListSessionsCommand({})),
    );
    assert.equal(unknown.name, 'UnrecognizedClientException');
    assert.equal(unknown.message, 'The security token included in the request is invalid.');
    const unsigned = await rawRequest(emu.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSGlue.ListSessions', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(JSON.parse(unsigned.body).__type, 'MissingAuthenticationTokenException');
  });

  it('accepts a correctly signed raw request and rejects it with a tampered body', async () => {
    const body = '{"MaxResults":5}';
    const headers = await signedGlue(body);
    const ok = await rawRequest(emu.endpoint, { method: 'POST', headers, body });
    assert.equal(ok.status, 200, ok.body);
    assert.ok(ok.headers['x-amzn-requestid']);
    assert.ok(ok.headers.date, 'a Date header for clock-skew correction');
    const tampered = await rawRequest(emu.endpoint, { method: 'POST', headers, body: '{"MaxResults":6}' });
    assert.equal(tampered.status, 400);
    assert.equal(JSON.parse(tampered.body).__type, 'InvalidSignatureException');
    assert.match(String(tampered.headers['x-amzn-errortype']), /^InvalidSignatureException/);
    // Same length, different bytes, hash header removed: the signature itself fails.
    const noHash = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-amz-content-sha256'));
    const tampered2 = await rawRequest(emu.endpoint, {
      method: 'POST',
      headers: noHash,
      body: '{"MaxResults":6}',
    });
    assert.equal(JSON.parse(tampered2.body).__type, 'InvalidSignatureException');
    const retargeted = await rawRequest(emu.endpoint, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'AWSGlue.DeleteSession' },
      body,
    });
    assert.equal(JSON.parse(retargeted.body).__type, 'InvalidSignatureException');
  });

  it('rejects a replayed request signed more than 15 minutes ago', async () => {
    const body = '{}';
    const headers = await signedGlue(body, { date: new Date(Date.now() - 16 * 60_000) });
    const replay = await rawRequest(emu.endpoint, { method: 'POST', headers, body });
    assert.equal(replay.status, 400);
    const err = JSON.parse(replay.body);
    assert.equal(err.__type, 'InvalidSignatureException');
    assert.match(err.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const future = await rawRequest(emu.endpoint, {
      method: 'POST',
      headers: await signedGlue(body, { date: new Date(Date.now() + 16 * 60_000) }),
      body,
    });
    assert.match(JSON.parse(future.body).message, /not yet current/);
  });

  it('lets the SDK correct a skewed clock from the Date header, as with AWS', async () => {
    const skewed = emu.glue({ systemClockOffset: -20 * 60_000 });
    const out = await skewed.send(new ListSessionsCommand({}));
    assert.equal(out.$metadata.attempts, 2, 'first attempt rejected as expired, second corrected');
  });

  it('refuses a signature scoped to another service', async () => {
    const body = '{}';
    const headers = await smithySign({
      host: emu.endpoint.replace('http://', ''),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSGlue.ListSessions' },
      body,
      service: 'sts',
      ...CREDS,
    });
    const r = await rawRequest(emu.endpoint, { method: 'POST', headers, body });
    assert.match(JSON.parse(r.body).message, /scoped to correct service: 'glue'/);
  });
});

describe('STS and IAM on the same port', () => {
  const stsClient = (credentials = CREDS) =>
    new STSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials });

  it('answers GetCallerIdentity and IAM GetRole (query protocol, XML)', async () => {
    const sts = stsClient();
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, emu.accountId);
    assert.equal(me.Arn, `arn:aws:iam::${emu.accountId}:user/emulator`);
    assert.match(me.UserId ?? '', /^AIDA/);
    const iam = new IAMClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDS });
    const role = await iam.send(new GetRoleCommand({ RoleName: 'GlueRole' }));
    assert.equal(role.Role?.Arn, ROLE);
    assert.ok(role.Role?.CreateDate instanceof Date);
    assert.match(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? ''), /glue\.amazonaws\.com/);
    const bad = await errorOf(iam.send(new GetRoleCommand({ RoleName: 'bad name!' })));
    assert.equal(bad.name, 'ValidationError');
    const wrong = await errorOf(
      stsClient({ ...CREDS, secretAccessKey: 'nope' }).send(new GetCallerIdentityCommand({})),
    );
    assert.equal(wrong.name, 'SignatureDoesNotMatch');
    const unknown = await errorOf(
      stsClient({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    );
    assert.equal(unknown.name, 'InvalidClientTokenId');
    sts.destroy();
    iam.destroy();
  });

  it('issues AssumeRole credentials that work (with their session token) until they expire', async () => {
    const sts = stsClient();
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'kernel-test', DurationSeconds: 900 }),
    );
    const c = assumed.Credentials!;
    assert.match(c.AccessKeyId ?? '', /^ASIA/);
    assert.ok(c.SessionToken);
    assert.ok(c.Expiration instanceof Date && c.Expiration.getTime() > Date.now() + 800_000);
    assert.equal(
      assumed.AssumedRoleUser?.Arn,
      `arn:aws:sts::${emu.accountId}:assumed-role/GlueRole/kernel-test`,
    );
    const temp = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const who = await stsClient(temp).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, assumed.AssumedRoleUser?.Arn);
    const glue = emu.glue({ credentials: temp, maxAttempts: 1 });
    await glue.send(new ListSessionsCommand({}));
    const noToken = await errorOf(
      emu
        .glue({ credentials: { accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey } })
        .send(new ListSessionsCommand({})),
    );
    assert.equal(noToken.name, 'UnrecognizedClientException');
    const badRole = await errorOf(
      sts.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/Other', RoleSessionName: 'x1' }),
      ),
    );
    assert.equal(badRole.name, 'AccessDenied');
    const badName = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'x' })));
    assert.equal(badName.name, 'ValidationError');

    const expired = await admin(emu, 'POST', 'credentials/expire', { accessKeyId: temp.accessKeyId });
    assert.deepEqual(expired.json, { expired: [temp.accessKeyId] });
    const e = await errorOf(glue.send(new GetSessionCommand({ Id: 'whatever' })));
    assert.equal(e.name, 'ExpiredTokenException');
    sts.destroy();
  });

  it('is reached through AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM with no code change', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: emu.endpoint,
      AWS_ENDPOINT_URL_IAM: emu.endpoint,
      AWS_ENDPOINT_URL_GLUE: emu.endpoint,
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_PROFILE;
    try {
      const sts = new STSClient({});
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, emu.accountId);
      const iam = new IAMClient({});
      assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'GlueRole' }))).Role?.Arn, ROLE);
      const { GlueClient } = await import('@aws-sdk/client-glue');
      const glue = new GlueClient({});
      const s = await glue.send(
        new CreateSessionCommand({ Id: 'env-1', Role: ROLE, Command: { Name: 'glueetl' } }),
      );
      assert.equal(s.Session?.Id, 'env-1');
      for (const c of [sts, iam, glue]) c.destroy();
    } finally {
      process.env = saved;
    }
  });
});
