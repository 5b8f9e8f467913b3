import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError } from '../../../src/session/glue/poll';
import {
  DEFAULT_RETRY,
  backoffDelay,
  classifyError,
  maxTotalBackoff,
  withRetry,
  type RetriesExhausted,
} from '../../../src/session/glue/retry';

/** An error shaped like the SDK's: name = code, $metadata.httpStatusCode. */
function awsError(name: string, status = 400, extra: Record<string, unknown> = {}): Error {
  const e = new Error(`${name} happened`);
  e.name = name;
  Object.assign(
    e,
    { $metadata: { httpStatusCode: status }, $fault: status >= 500 ? 'server' : 'client' },
    extra,
  );
  return e;
}

function netError(code: string): Error {
  return Object.assign(new Error(`socket ${code}`), { code });
}

describe('classifyError', () => {
  it('throttling', () => {
    for (const name of [
      'ThrottlingException',
      'Throttling',
      'TooManyRequestsException',
      'RequestLimitExceeded',
    ]) {
      assert.equal(classifyError(awsError(name)), 'throttling', name);
    }
    assert.equal(classifyError(awsError('SomethingNew', 429)), 'throttling');
  });

  it('transient', () => {
    assert.equal(classifyError(awsError('InternalServiceException', 500)), 'transient');
    assert.equal(classifyError(awsError('OperationTimeoutException', 400)), 'transient');
    assert.equal(classifyError(awsError('ConcurrentModificationException', 400)), 'transient');
    assert.equal(classifyError(awsError('Unknown', 503)), 'transient');
    assert.equal(classifyError(awsError('SyntaxError', 502)), 'transient', '5xx with an unparseable body');
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED'])
      assert.equal(classifyError(netError(code)), 'transient', code);
    assert.equal(
      classifyError(Object.assign(new Error('wrapped'), { cause: netError('ECONNRESET') })),
      'transient',
    );
  });

  it('never retries what retrying cannot fix', () => {
    for (const name of [
      'EntityNotFoundException',
      'InvalidInputException',
      'AccessDeniedException',
      'AlreadyExistsException',
      'IllegalSessionStateException',
      'ValidationException',
      'UnrecognizedClientException',
      'ExpiredTokenException',
      'ResourceNumberLimitExceededException',
    ]) {
      assert.equal(classifyError(awsError(name)), 'permanent', name);
    }
    // Even when a proxy turns it into a 5xx.
    assert.equal(classifyError(awsError('AccessDeniedException', 503)), 'permanent');
    assert.equal(classifyError(new Error('plain')), 'permanent');
    assert.equal(classifyError(netError('ENOTFOUND')), 'permanent', 'a wrong host name does not fix itself');
    assert.equal(classifyError(undefined), 'permanent');
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling, capped', () => {
    const max = { ...DEFAULT_RETRY, random: () => 0.999999 };
    const min = { ...DEFAULT_RETRY, random: () => 0 };
    assert.equal(backoffDelay(1, 'transient', min), 0);
    assert.ok(backoffDelay(1, 'transient', max) < DEFAULT_RETRY.baseMs);
    assert.ok(backoffDelay(2, 'transient', max) < 2 * DEFAULT_RETRY.baseMs);
    assert.ok(backoffDelay(1, 'throttling', max) < DEFAULT_RETRY.throttleBaseMs);
    assert.ok(
      backoffDelay(1, 'throttling', max) > backoffDelay(1, 'transient', max),
      'throttling waits longer',
    );
    for (let r = 1; r < 30; r++) assert.ok(backoffDelay(r, 'throttling', max) <= DEFAULT_RETRY.capMs);
  });

  it('bounds the total time one call can spend retrying', () => {
    assert.ok(maxTotalBackoff('transient') <= 2000, `${maxTotalBackoff('transient')} ms`);
    assert.ok(maxTotalBackoff('throttling') <= 10_000, `${maxTotalBackoff('throttling')} ms`);
  });
});

describe('withRetry', () => {
  const fast = { baseMs: 1, throttleBaseMs: 2, capMs: 5 };

  it('retries transient errors and returns the eventual success', async () => {
    let n = 0;
    const retries: string[] = [];
    const v = await withRetry(
      async (attempt) => {
        n = attempt;
        if (attempt === 1) throw awsError('ThrottlingException');
        if (attempt === 2) throw awsError('InternalServiceException', 500);
        return 'done';
      },
      { policy: fast, onRetry: (r) => retries.push(r.kind) },
    );
    assert.equal(v, 'done');
    assert.equal(n, 3);
    assert.deepEqual(retries, ['throttling', 'transient']);
  });

  it('fails at once on a permanent error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('EntityNotFoundException');
        },
        { policy: fast },
      ),
      (e: unknown) =>
        (e as Error).name === 'EntityNotFoundException' &&
        (e as RetriesExhausted).$retriesExhausted === undefined,
    );
    assert.equal(calls, 1);
  });

  it('stops after maxAttempts and marks the error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('ThrottlingException');
        },
        { policy: { ...fast, maxAttempts: 4 } },
      ),
      (e: unknown) =>
        (e as RetriesExhausted).$retriesExhausted?.attempts === 4 &&
        (e as RetriesExhausted).$retriesExhausted?.kind === 'throttling',
    );
    assert.equal(calls, 4);
  });

  it('an abort interrupts the backoff wait', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    let calls = 0;
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('ThrottlingException');
        },
        {
          signal: ac.signal,
          policy: { maxAttempts: 10, throttleBaseMs: 60_000, capMs: 60_000, random: () => 0.99 },
        },
      ),
      (e: unknown) => e instanceof AbortedError,
    );
    assert.equal(calls, 1);
    assert.ok(Date.now() - t0 < 1000);
  });

  it('a custom classification can make an error retryable for one call', async () => {
    let n = 0;
    await withRetry(
      async (attempt) => {
        n = attempt;
        if (attempt < 2) throw awsError('ResourceNumberLimitExceededException');
        return 1;
      },
      {
        policy: fast,
        classify: (e) =>
          (e as Error).name === 'ResourceNumberLimitExceededException' ? 'transient' : 'permanent',
      },
    );
    assert.equal(n, 2);
  });
});
