import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callerIdentityCache, untilAborted, type AwsCall } from '../../../src/session/glue/aws-call';
import type { AwsClients } from '../../../src/session/glue/clients';
import { isAbortError } from '../../../src/session/glue/poll';

test('untilAborted: the result, or an abort error as soon as the signal aborts', async () => {
  assert.equal(await untilAborted(Promise.resolve(7), new AbortController().signal), 7);
  const controller = new AbortController();
  const never = new Promise<number>(() => undefined);
  const waiting = untilAborted(never, controller.signal);
  controller.abort();
  await assert.rejects(waiting, (e: unknown) => isAbortError(e));
});

test('the shared GetCallerIdentity is not ended by the first caller interrupting', async () => {
  let calls = 0;
  let finish: (value: unknown) => void = () => undefined;
  // A stand-in AwsCall that answers when the test says so; it ignores the clients.
  const call = (() => {
    calls += 1;
    return new Promise((resolve) => (finish = resolve));
  }) as unknown as AwsCall;
  const identityOf = callerIdentityCache(call);
  const clients = {} as AwsClients;
  const first = new AbortController();
  const firstWait = identityOf(clients, first.signal);
  const secondWait = identityOf(clients, new AbortController().signal);
  first.abort();
  await assert.rejects(firstWait, (e: unknown) => isAbortError(e));
  finish({ Arn: 'arn:aws:sts::1:assumed-role/R/s', UserId: 'AIDA:s', Account: '1' });
  assert.deepEqual(await secondWait, {
    arn: 'arn:aws:sts::1:assumed-role/R/s',
    userId: 'AIDA:s',
    account: '1',
  });
  assert.equal(calls, 1, 'one GetCallerIdentity for both callers');
});
