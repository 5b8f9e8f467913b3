// The JavaScript SDK v3 against the emulator with the real Python runner: a full session
// lifecycle, then the service errors the SDK must map to its exception classes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AlreadyExistsException,
  CancelStatementCommand,
  CreateSessionCommand,
  DeleteSessionCommand,
  EntityNotFoundException,
  GetSessionCommand,
  GetStatementCommand,
  GetTagsCommand,
  GlueServiceException,
  IllegalSessionStateException,
  InvalidInputException,
  ListSessionsCommand,
  ListStatementsCommand,
  RunStatementCommand,
  StopSessionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
  paginateListSessions,
  type GlueClient,
  type Statement,
} from '@aws-sdk/client-glue';
import { runnerPython } from '../../helpers/tools';
import { waitFor } from '../../unit/emulator/fake-executor';
import { ROLE, startTestEmulator, type TestEmulator } from './harness';

let emu: TestEmulator;
let glue: GlueClient;

async function waitReady(id: string): Promise<void> {
  await waitFor(
    `${id} READY`,
    async () => (await glue.send(new GetSessionCommand({ Id: id }))).Session?.Status,
    (s) => s === 'READY' || s === 'FAILED',
    30_000,
  );
  const s = (await glue.send(new GetSessionCommand({ Id: id }))).Session;
  assert.equal(s?.Status, 'READY', `session ${id}: ${s?.ErrorMessage}`);
}

async function run(sessionId: string, code: string): Promise<Statement> {
  const { Id } = await glue.send(new RunStatementCommand({ SessionId: sessionId, Code: code }));
  assert.equal(typeof Id, 'number');
  return waitFor(
    `statement ${Id}`,
    async () => (await glue.send(new GetStatementCommand({ SessionId: sessionId, Id }))).Statement!,
    (s) => ['AVAILABLE', 'ERROR', 'CANCELLED'].includes(s.State ?? ''),
    30_000,
  );
}

async function rejects<T extends Error>(
  p: Promise<unknown>,
  cls: new (...a: never[]) => T,
  message?: RegExp,
): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(
      err instanceof cls,
      `expected ${cls.name}, got ${(err as Error).name}: ${(err as Error).message}`,
    );
    if (message) assert.match((err as Error).message, message);
    return err as T;
  }
  assert.fail(`expected ${cls.name}`);
}

before(async () => {
  emu = await startTestEmulator({ python: runnerPython(), provisionMs: 100 });
  glue = emu.glue();
});
after(async () => emu.stop());

describe('JS SDK v3 against the emulator', () => {
  it('runs a session through its whole lifecycle', async () => {
    const created = await glue.send(
      new CreateSessionCommand({
        Id: 'js-1',
        Role: ROLE,
        Command: { Name: 'glueetl', PythonVersion: '3' },
        IdleTimeout: 60,
        WorkerType: 'G.1X',
        NumberOfWorkers: 2,
        GlueVersion: '4.0',
        DefaultArguments: { '--enable-glue-datacatalog': 'true' },
        Tags: { owner: 'me', team: 'data' },
        RequestOrigin: 'glue-kernel-test',
      }),
    );
    assert.equal(created.Session?.Status, 'PROVISIONING');
    assert.ok(created.Session?.CreatedOn instanceof Date);
    assert.ok(
      Math.abs(created.Session!.CreatedOn!.getTime() - Date.now()) < 10_000,
      'CreatedOn parsed from epoch seconds',
    );
    assert.ok(created.$metadata.requestId);
    await rejects(
      glue.send(new RunStatementCommand({ SessionId: 'js-1', Code: '1' })),
      InvalidInputException,
      /not ready.*PROVISIONING/,
    );
    await waitReady('js-1');

    const assign = await run('js-1', 'x = 41');
    assert.equal(assign.State, 'AVAILABLE');
    assert.equal(assign.Output?.Status, 'ok');
    const printed = await run('js-1', 'print("hello", x + 1)');
    assert.equal(printed.Output?.Data?.TextPlain, 'hello 42');
    const value = await run('js-1', 'x + 1');
    assert.equal(value.Output?.Data?.TextPlain, '42');
    assert.ok(value.StartedOn! > 1e12 && value.CompletedOn! >= value.StartedOn!, 'epoch milliseconds');
    assert.equal(value.Progress, 1);
    assert.ok(value.Output!.ExecutionCount! > printed.Output!.ExecutionCount!);
    const failed = await run('js-1', '1/0');
    assert.equal(failed.State, 'AVAILABLE');
    assert.equal(failed.Output?.Status, 'error');
    assert.equal(failed.Output?.ErrorName, 'ZeroDivisionError');
    assert.equal(failed.Output?.ErrorValue, 'division by zero');
    assert.ok(failed.Output?.Traceback?.some((l) => l.includes('ZeroDivisionError')));

    // Cancel a long statement: CANCELLED within 2 s, the interpreter's state kept.
    const { Id: sleepId } = await glue.send(
      new RunStatementCommand({ SessionId: 'js-1', Code: 'import time\ntime.sleep(60)' }),
    );
    const { Id: queuedId } = await glue.send(new RunStatementCommand({ SessionId: 'js-1', Code: 'x = 0' }));
    await waitFor(
      'RUNNING',
      async () =>
        (await glue.send(new GetStatementCommand({ SessionId: 'js-1', Id: sleepId }))).Statement?.State,
      (s) => s === 'RUNNING',
    );
    assert.equal(
      (await glue.send(new GetStatementCommand({ SessionId: 'js-1', Id: queuedId }))).Statement?.State,
      'WAITING',
    );
    await glue.send(new CancelStatementCommand({ SessionId: 'js-1', Id: queuedId }));
    const t0 = Date.now();
    await glue.send(new CancelStatementCommand({ SessionId: 'js-1', Id: sleepId }));
    const cancelled = await waitFor(
      'CANCELLED',
      async () => (await glue.send(new GetStatementCommand({ SessionId: 'js-1', Id: sleepId }))).Statement!,
      (s) => s.State === 'CANCELLED',
      5000,
    );
    assert.ok(Date.now() - t0 < 2000, `cancelled in ${Date.now() - t0} ms`);
    assert.ok(cancelled.Output, 'a cancelled statement still has Output');
    assert.equal(
      (await glue.send(new GetStatementCommand({ SessionId: 'js-1', Id: queuedId }))).Statement?.State,
      'CANCELLED',
    );
    assert.equal(
      (await run('js-1', 'x')).Output?.Data?.TextPlain,
      '41',
      'state survives the cancel; the queued x = 0 never ran',
    );

    const listed = await glue.send(new ListStatementsCommand({ SessionId: 'js-1' }));
    assert.deepEqual(
      listed.Statements?.map((s) => s.Id),
      [...Array(listed.Statements!.length).keys()],
    );

    // Tags through the session ARN.
    const arn = `arn:aws:glue:us-east-1:${emu.accountId}:session/js-1`;
    assert.deepEqual((await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags, {
      owner: 'me',
      team: 'data',
    });
    await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { stage: 'test' } }));
    await glue.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: ['team'] }));
    assert.deepEqual((await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags, {
      owner: 'me',
      stage: 'test',
    });

    // List with a tag filter and the paginator.
    await glue.send(
      new CreateSessionCommand({
        Id: 'js-2',
        Role: ROLE,
        Command: { Name: 'glueetl' },
        Tags: { owner: 'other' },
      }),
    );
    assert.deepEqual((await glue.send(new ListSessionsCommand({ Tags: { owner: 'me' } }))).Ids, ['js-1']);
    const pages: string[][] = [];
    for await (const page of paginateListSessions({ client: glue, pageSize: 1 }, {}))
      pages.push(page.Ids ?? []);
    assert.deepEqual(pages.flat(), ['js-1', 'js-2']);
    assert.ok(pages.length >= 2);

    // Stop, then the session refuses statements; delete, then it is gone.
    assert.equal((await glue.send(new StopSessionCommand({ Id: 'js-1' }))).Id, 'js-1');
    const stopped = await waitFor(
      'STOPPED',
      async () => (await glue.send(new GetSessionCommand({ Id: 'js-1' }))).Session!,
      (s) => s.Status === 'STOPPED',
    );
    assert.ok(stopped.CompletedOn instanceof Date);
    assert.ok((stopped.ExecutionTime ?? 0) > 0);
    assert.equal(stopped.DPUSeconds, stopped.ExecutionTime! * 2);
    await rejects(glue.send(new StopSessionCommand({ Id: 'js-1' })), IllegalSessionStateException);
    await rejects(
      glue.send(new GetStatementCommand({ SessionId: 'js-1', Id: 0 })),
      IllegalSessionStateException,
    );
    await glue.send(new DeleteSessionCommand({ Id: 'js-1' }));
    await glue.send(new DeleteSessionCommand({ Id: 'js-2' }));
    await rejects(glue.send(new GetSessionCommand({ Id: 'js-1' })), EntityNotFoundException, /js-1/);
  });

  it('returns the service errors the SDK maps to its exception classes', async () => {
    const base = { Role: ROLE, Command: { Name: 'glueetl' } };
    // The SDK does not validate: the emulator must.
    await rejects(
      glue.send(new CreateSessionCommand({ Id: 'e1' } as never)),
      ValidationException,
      /Value null at 'role'/,
    );
    await rejects(
      glue.send(new CreateSessionCommand({ ...base, Id: 'e1', GlueVersion: 'four' })),
      ValidationException,
      /glueVersion/,
    );
    await rejects(
      glue.send(
        new CreateSessionCommand({ ...base, Id: 'e1', WorkerType: 'G.3X' as never, NumberOfWorkers: 2 }),
      ),
      ValidationException,
      /enum/,
    );
    await rejects(
      glue.send(new CreateSessionCommand({ ...base, Id: 'x'.repeat(256) })),
      ValidationException,
      /less than or equal to 255/,
    );
    await rejects(
      glue.send(
        new CreateSessionCommand({
          ...base,
          Id: 'e1',
          MaxCapacity: 2,
          WorkerType: 'G.1X',
          NumberOfWorkers: 2,
        }),
      ),
      InvalidInputException,
      /MaxCapacity/,
    );
    await rejects(
      glue.send(new CreateSessionCommand({ ...base, Id: 'e1', GlueVersion: '1.0' })),
      InvalidInputException,
      /2\.0/,
    );
    await glue.send(new CreateSessionCommand({ ...base, Id: 'e1' }));
    await rejects(glue.send(new CreateSessionCommand({ ...base, Id: 'e1' })), AlreadyExistsException);
    await rejects(glue.send(new GetSessionCommand({ Id: 'missing' })), EntityNotFoundException);
    await rejects(
      glue.send(new RunStatementCommand({ SessionId: 'missing', Code: '1' })),
      EntityNotFoundException,
    );
    await waitReady('e1');
    await rejects(
      glue.send(new RunStatementCommand({ SessionId: 'e1', Code: 'x'.repeat(68001) })),
      ValidationException,
      /68000/,
    );
    await rejects(
      glue.send(new GetStatementCommand({ SessionId: 'e1', Id: 12345 })),
      EntityNotFoundException,
    );
    await rejects(glue.send(new ListSessionsCommand({ MaxResults: 0 })), ValidationException);
    await rejects(glue.send(new ListSessionsCommand({ NextToken: 'nope' })), InvalidInputException);
    // Type errors are SerializationException (not modeled: the base class carries the name).
    const ser = await rejects(
      glue.send(new GetStatementCommand({ SessionId: 'e1', Id: 'one' as never })),
      GlueServiceException,
    );
    assert.equal(ser.name, 'SerializationException');
    await glue.send(new DeleteSessionCommand({ Id: 'e1' }));
  });
});
