import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GlueKernelError, describeAwsError, iamAction, safeMessage } from '../../../src/session/glue/errors';

function awsError(name: string, message: string, status = 400, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, { $metadata: { httpStatusCode: status } }, extra);
}

const ctx = {
  operation: 'CreateSession',
  doing: 'Creating the Glue session',
  credentialSource: 'profile dev',
  where: 'us-east-1',
};

describe('errors for people', () => {
  it('expired or invalid credentials say how to refresh them', () => {
    for (const e of [
      awsError('ExpiredTokenException', 'The security token included in the request is expired', 403),
      awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      new Error(
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login',
      ),
    ]) {
      const d = describeAwsError(e, ctx);
      assert.equal(d.ename, 'AwsCredentialsError', e.message);
      assert.match(d.message, /aws sso login/);
      assert.match(d.message, /profile dev/);
    }
  });

  it('AccessDenied names the permission', () => {
    const d = describeAwsError(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/jane is not authorized to perform: glue:CreateSession',
      ),
      ctx,
    );
    assert.equal(d.ename, 'AccessDenied');
    assert.match(d.message, /glue:CreateSession/);
    assert.match(d.message, /iam:PassRole/);
    assert.equal(iamAction('GetCallerIdentity'), 'sts:GetCallerIdentity');
    assert.equal(iamAction('GetRole'), 'iam:GetRole');
  });

  it('throttling after retries says to try again', () => {
    const e = Object.assign(awsError('ThrottlingException', 'Rate exceeded'), {
      $retriesExhausted: { attempts: 5, kind: 'throttling' },
    });
    const d = describeAwsError(e, { ...ctx, operation: 'GetStatement', doing: 'Checking on statement 3' });
    assert.equal(d.ename, 'Throttled');
    assert.match(d.message, /try again/i);
    assert.match(d.message, /5 attempts/);
  });

  it('network errors point at region, endpoint and proxy; TLS problems never suggest turning verification off', () => {
    const d = describeAwsError(
      Object.assign(new Error('getaddrinfo ENOTFOUND glue.xx-east-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      ctx,
    );
    assert.equal(d.ename, 'NetworkError');
    assert.match(d.message, /%region/);
    const tls = describeAwsError(
      Object.assign(new Error('self-signed certificate in certificate chain'), {
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      }),
      ctx,
    );
    assert.match(tls.message, /NODE_EXTRA_CA_CERTS/);
    assert.doesNotMatch(tls.message, /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED/);
  });

  it('never shows keys, secrets or tokens', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    const token = 'IQoJb3JpZ2luX2VjE' + 'A'.repeat(200);
    const e = awsError(
      'InvalidSignatureException',
      `bad signature for AKIAIOSFODNN7EXAMPLE with ${secret} token ${token}`,
    );
    const d = describeAwsError(e, ctx);
    assert.doesNotMatch(d.message, /AKIAIOSFODNN7EXAMPLE/);
    assert.ok(!d.message.includes(secret));
    assert.ok(!d.message.includes(token));
    assert.ok(!safeMessage(e).includes(secret));
  });

  it('other service errors say what failed and what the service said', () => {
    const d = describeAwsError(awsError('EntityNotFoundException', 'Session s-1 not found.'), {
      operation: 'GetSession',
      doing: 'Reading session s-1',
    });
    assert.equal(d.ename, 'EntityNotFound');
    assert.match(
      d.message,
      /^Reading session s-1 failed: GetSession returned EntityNotFoundException: Session s-1 not found\./,
    );
    const kept = new GlueKernelError('X', 'y');
    assert.equal(describeAwsError(kept, ctx), kept);
  });
});
