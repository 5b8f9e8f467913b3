import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalPath,
  canonicalQuery,
  parseAmzDate,
  verifySigV4,
  type KnownCredential,
  type SignedRequest,
} from '../../../src/emulator/sigv4';
import { rawHeaders, smithySign } from './smithy-sign';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const DATE = new Date('2026-11-26T08:49:44Z');
const BODY = '{"SessionId":"sess-1","Id":3}';
const table: Record<string, KnownCredential> = {
  [AKID]: { secretAccessKey: SECRET },
  ASIATEMP: { secretAccessKey: 'tempsecret', sessionToken: 'TOKEN123' },
};
const lookup = (id: string): KnownCredential | undefined => table[id];

async function glueRequest(
  over: Partial<Parameters<typeof smithySign>[0]> = {},
  body = BODY,
): Promise<SignedRequest> {
  const headers = await smithySign({
    host: '127.0.0.1:45481',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSGlue.GetStatement',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
    service: 'glue',
    accessKeyId: AKID,
    secretAccessKey: SECRET,
    date: DATE,
    contentSha256: true,
    ...over,
  });
  return { method: 'POST', url: '/', rawHeaders: rawHeaders(headers), body: Buffer.from(body) };
}

describe('SigV4 verifier', () => {
  it('accepts a fixed vector captured from @smithy/signature-v4 5.7.5, and rejects it altered', () => {
    // Captured once with smithySign() (see smithy-sign.ts) for exactly this request.
    const req: SignedRequest = {
      method: 'POST',
      url: '/',
      rawHeaders: [
        'host',
        '127.0.0.1:45481',
        'content-type',
        'application/x-amz-json-1.1',
        'x-amz-target',
        'AWSGlue.GetStatement',
        'content-length',
        '29',
        'x-amz-content-sha256',
        'd1ae68b9a342f54cd0d1219126213817d5dfe4b3195823a8934ec5a585a5d122',
        'x-amz-date',
        '20261126T084944Z',
        'authorization',
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/glue/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=0815f3e9735d808faf1bbbc57bb9c6631ca729724edf1a8b47a00dd245f105da',
      ],
      body: Buffer.from(BODY),
    };
    assert.equal(verifySigV4(req, { lookup, now: DATE }).ok, true);
    const otherHost = {
      ...req,
      rawHeaders: req.rawHeaders.map((h) => (h === '127.0.0.1:45481' ? '127.0.0.1:45482' : h)),
    };
    assert.equal(verifySigV4(otherHost, { lookup, now: DATE }).ok, false);
  });

  it('accepts requests signed by the SDK signer, with and without x-amz-content-sha256', async () => {
    const a = verifySigV4(await glueRequest(), { lookup, now: DATE });
    assert.equal(a.ok, true);
    if (a.ok)
      assert.deepEqual(a.scope, {
        accessKeyId: AKID,
        date: '20261126',
        region: 'us-east-1',
        service: 'glue',
      });
    assert.equal(verifySigV4(await glueRequest({ contentSha256: false }), { lookup, now: DATE }).ok, true);
    // Within the 15-minute window either side.
    assert.equal(
      verifySigV4(await glueRequest(), { lookup, now: new Date(DATE.getTime() + 14 * 60_000) }).ok,
      true,
    );
    assert.equal(
      verifySigV4(await glueRequest(), { lookup, now: new Date(DATE.getTime() - 14 * 60_000) }).ok,
      true,
    );
  });

  it('accepts query-protocol (STS) requests and paths/queries needing encoding', async () => {
    const body =
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAssumed&RoleSessionName=kernel-test';
    const headers = await smithySign({
      host: 'localhost:9',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      service: 'sts',
      region: 'us-east-2',
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      date: DATE,
    });
    assert.equal(
      verifySigV4(
        { method: 'POST', url: '/', rawHeaders: rawHeaders(headers), body: Buffer.from(body) },
        { lookup, now: DATE },
      ).ok,
      true,
    );

    const q = { Action: 'GetRole', RoleName: 'a b+c', Version: '2010-05-08' };
    const h2 = await smithySign({
      method: 'GET',
      host: 'localhost:9',
      path: '/x/y%20z',
      query: q,
      service: 'iam',
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      date: DATE,
    });
    const url = `/x/y%20z?${Object.entries(q)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&')}`;
    assert.equal(
      verifySigV4(
        { method: 'GET', url, rawHeaders: rawHeaders(h2), body: Buffer.alloc(0) },
        { lookup, now: DATE },
      ).ok,
      true,
    );
  });

  it('rejects a wrong secret, a tampered body, a tampered signed header', async () => {
    const wrong = await glueRequest({ secretAccessKey: 'not-the-secret' });
    const r1 = verifySigV4(wrong, { lookup, now: DATE });
    assert.equal(r1.ok, false);
    if (!r1.ok) assert.equal(r1.kind, 'InvalidSignature');

    const good = await glueRequest();
    const tampered = { ...good, body: Buffer.from(BODY.replace('3', '4')) };
    const r2 = verifySigV4(tampered, { lookup, now: DATE });
    assert.ok(!r2.ok && r2.kind === 'InvalidSignature' && /x-amz-content-sha256/.test(r2.message));

    const noHash = await glueRequest({ contentSha256: false });
    const r3 = verifySigV4({ ...noHash, body: Buffer.from(BODY.replace('3', '4')) }, { lookup, now: DATE });
    assert.ok(!r3.ok && r3.kind === 'InvalidSignature' && /does not match the signature/.test(r3.message));

    const r4 = verifySigV4(
      {
        ...good,
        rawHeaders: good.rawHeaders.map((h) => (h === 'AWSGlue.GetStatement' ? 'AWSGlue.DeleteSession' : h)),
      },
      { lookup, now: DATE },
    );
    assert.ok(!r4.ok && r4.kind === 'InvalidSignature');
  });

  it('rejects unknown keys, missing or garbled authorization, and old or future requests', async () => {
    const unknown = await glueRequest({ accessKeyId: 'AKIDUNKNOWN' });
    const r1 = verifySigV4(unknown, { lookup, now: DATE });
    assert.ok(
      !r1.ok &&
        r1.kind === 'UnrecognizedClient' &&
        r1.message === 'The security token included in the request is invalid.',
    );

    const good = await glueRequest();
    const r2 = verifySigV4({ ...good, rawHeaders: good.rawHeaders.slice(0, -2) }, { lookup, now: DATE });
    assert.ok(!r2.ok && r2.kind === 'MissingAuthenticationToken');
    const garbled = good.rawHeaders.map((h) =>
      h.startsWith('AWS4-HMAC-SHA256') ? 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x' : h,
    );
    const r3 = verifySigV4({ ...good, rawHeaders: garbled }, { lookup, now: DATE });
    assert.ok(!r3.ok && r3.kind === 'IncompleteSignature');

    const r4 = verifySigV4(good, { lookup, now: new Date(DATE.getTime() + 16 * 60_000) });
    assert.ok(
      !r4.ok &&
        r4.kind === 'SignatureExpired' &&
        /^Signature expired: 20261126T084944Z is now earlier than/.test(r4.message),
    );
    const r5 = verifySigV4(good, { lookup, now: new Date(DATE.getTime() - 16 * 60_000) });
    assert.ok(!r5.ok && r5.kind === 'SignatureExpired' && /not yet current/.test(r5.message));
  });

  it('checks the session token of temporary credentials, and their expiry', async () => {
    const base = { accessKeyId: 'ASIATEMP', secretAccessKey: 'tempsecret' };
    assert.equal(
      verifySigV4(await glueRequest({ ...base, sessionToken: 'TOKEN123' }), { lookup, now: DATE }).ok,
      true,
    );
    const wrong = verifySigV4(await glueRequest({ ...base, sessionToken: 'TOKEN999' }), {
      lookup,
      now: DATE,
    });
    assert.ok(!wrong.ok && wrong.kind === 'UnrecognizedClient');
    const missing = verifySigV4(await glueRequest(base), { lookup, now: DATE });
    assert.ok(!missing.ok && missing.kind === 'UnrecognizedClient');
    const staticWithToken = verifySigV4(await glueRequest({ sessionToken: 'TOKEN123' }), {
      lookup,
      now: DATE,
    });
    assert.ok(!staticWithToken.ok && staticWithToken.kind === 'UnrecognizedClient');
    const expired = verifySigV4(await glueRequest({ ...base, sessionToken: 'TOKEN123' }), {
      lookup: (id) => (id === 'ASIATEMP' ? { ...table.ASIATEMP, expired: true } : undefined),
      now: DATE,
    });
    assert.ok(!expired.ok && expired.kind === 'ExpiredToken');
  });

  it('canonicalises paths and queries as SigV4 does', () => {
    assert.equal(canonicalPath('/'), '/');
    assert.equal(canonicalPath('/a/./b/../c/'), '/a/c/');
    assert.equal(canonicalPath('/a%20b'), '/a%2520b');
    assert.equal(canonicalQuery('b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
    assert.equal(canonicalQuery('x=a+b&y=%7E*'), 'x=a%20b&y=~%2A');
    assert.equal(parseAmzDate('20261126T084944Z')?.toISOString(), '2026-11-26T08:49:44.000Z');
    assert.equal(parseAmzDate('2026-11-26'), undefined);
  });
});
