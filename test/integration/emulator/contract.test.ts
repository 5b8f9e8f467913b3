// The response contract, end to end: one scenario that calls every operation (successes and
// errors) and checks that every response validated against the model, that every operation
// was covered, and that %matplot's extended output (beyond the public model) is present raw.
// (Every other integration test checks its own responses the same way, through harness.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelStatementCommand,
  CreateSessionCommand,
  DeleteSessionCommand,
  GetDashboardUrlCommand,
  GetSessionCommand,
  GetSessionEndpointCommand,
  GetStatementCommand,
  GetTagsCommand,
  ListSessionsCommand,
  ListStatementsCommand,
  RunStatementCommand,
  StopSessionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type GlueClient,
} from '@aws-sdk/client-glue';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GLUE_OPERATIONS } from '../../../src/emulator/model';
import { need, runnerPython, runnerPythonWith } from '../../helpers/tools';
import { waitFor } from '../../unit/emulator/fake-executor';
import { checkResponse } from './contract';
import { CREDS, ROLE, startTestEmulator, type TestEmulator } from './harness';

let emu: TestEmulator;
let glue: GlueClient;
before(async () => {
  emu = await startTestEmulator({ python: runnerPython(), provisionMs: 20 });
  glue = emu.glue({ maxAttempts: 1 });
});
after(async () => emu.stop());

async function settle(sessionId: string, code: string): Promise<number> {
  const { Id } = await glue.send(new RunStatementCommand({ SessionId: sessionId, Code: code }));
  await waitFor(
    'statement',
    async () => (await glue.send(new GetStatementCommand({ SessionId: sessionId, Id }))).Statement?.State,
    (s) => s === 'AVAILABLE' || s === 'ERROR',
    30_000,
  );
  return Id!;
}

const swallow = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);

describe('response contract', () => {
  it('every response of a scenario covering all operations matches the Glue model', async (t) => {
    const matplotlib = runnerPythonWith(['matplotlib']) !== undefined;
    await glue.send(
      new CreateSessionCommand({
        Id: 'c-1',
        Role: ROLE,
        Command: { Name: 'glueetl', PythonVersion: '3' },
        Description: 'contract',
        Tags: { a: 'b' },
      }),
    );
    await waitFor(
      'READY',
      async () => (await glue.send(new GetSessionCommand({ Id: 'c-1' }))).Session?.Status,
      (s) => s === 'READY',
      30_000,
    );
    await settle('c-1', 'print("hi")');
    await settle('c-1', 'import nonexistent_module_xyz');
    const plot = matplotlib
      ? await settle(
          'c-1',
          'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\n%matplot plt',
        )
      : undefined;
    const { Id: longId } = await glue.send(
      new RunStatementCommand({ SessionId: 'c-1', Code: 'import time; time.sleep(30)' }),
    );
    await glue.send(new CancelStatementCommand({ SessionId: 'c-1', Id: longId }));
    await waitFor(
      'CANCELLED',
      async () =>
        (await glue.send(new GetStatementCommand({ SessionId: 'c-1', Id: longId }))).Statement?.State,
      (s) => s === 'CANCELLED',
    );
    await glue.send(new ListStatementsCommand({ SessionId: 'c-1' }));
    await glue.send(new ListSessionsCommand({ MaxResults: 1 }));
    const arn = `arn:aws:glue:us-east-1:${emu.accountId}:session/c-1`;
    await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { c: 'd' } }));
    await glue.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: ['a'] }));
    await glue.send(new GetTagsCommand({ ResourceArn: arn }));
    const { Url } = await glue.send(
      new GetDashboardUrlCommand({ ResourceId: 'c-1', ResourceType: 'SESSION' }),
    );
    const page = await fetch(Url!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Session c-1 \(Glue emulator\)<\/h1>/);
    assert.equal(
      (await fetch(Url!.replace(/token=[^&]+/, 'token=wrong'))).status,
      404,
      'the token is the key',
    );
    // A LIVY session has no Spark Connect endpoint: the one answer GetSessionEndpoint gives here.
    await swallow(glue.send(new GetSessionEndpointCommand({ SessionId: 'c-1' })));
    // Errors of every family.
    await swallow(glue.send(new GetSessionCommand({ Id: 'missing' })));
    await swallow(
      glue.send(new CreateSessionCommand({ Id: 'c-1', Role: ROLE, Command: { Name: 'glueetl' } })),
    );
    await swallow(glue.send(new CreateSessionCommand({ Id: '', Role: 'x', Command: {} })));
    await swallow(glue.send(new GetStatementCommand({ SessionId: 'c-1', Id: 999 })));
    await swallow(
      glue.send(new GetTagsCommand({ ResourceArn: 'arn:aws:glue:us-east-1:123456789012:job/x' })),
    );
    await swallow(
      emu
        .glue({ credentials: { ...CREDS, secretAccessKey: 'wrong' }, maxAttempts: 1 })
        .send(new ListSessionsCommand({})),
    );
    emu.admin.addFault({ operation: 'GetSession', kind: 'throttle' });
    await swallow(glue.send(new GetSessionCommand({ Id: 'c-1' })));
    emu.admin.addFault({ operation: 'GetSession', kind: 'error500' });
    await swallow(glue.send(new GetSessionCommand({ Id: 'c-1' })));
    await glue.send(new StopSessionCommand({ Id: 'c-1' }));
    await swallow(glue.send(new StopSessionCommand({ Id: 'c-1' })));
    await swallow(glue.send(new RunStatementCommand({ SessionId: 'c-1', Code: '1' })));
    await glue.send(new DeleteSessionCommand({ Id: 'c-1' }));
    const sts = new STSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDS });
    await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();

    assert.deepEqual(emu.violations, []);
    const ok = new Set(
      emu.responses.filter((r) => r.service === 'glue' && r.status === 200).map((r) => r.operation),
    );
    assert.deepEqual(
      GLUE_OPERATIONS.filter((op) => !ok.has(op) && op !== 'GetSessionEndpoint'),
      [],
      'every operation answered successfully at least once',
    );
    const errors = new Set(
      emu.responses.filter((r) => r.status >= 400).map((r) => JSON.parse(r.body).__type as string),
    );
    for (const code of [
      'EntityNotFoundException',
      'AlreadyExistsException',
      'ValidationException',
      'InvalidInputException',
      'IllegalSessionStateException',
      'InvalidSignatureException',
      'ThrottlingException',
      'InternalServiceException',
      'OperationNotSupportedException',
    ])
      assert.ok(errors.has(code), `${code} was exercised`);

    // %matplot: the extended fields the SDK drops are in the raw body, and Result is a PNG.
    if (!need(t, matplotlib || undefined, `matplotlib for the runner Python (${runnerPython()})`)) return;
    const raw = emu.responses
      .filter((r) => r.operation === 'GetStatement' && r.status === 200)
      .map(
        (r) =>
          JSON.parse(r.body) as {
            Statement: { Id: number; State: string; Output?: { Data?: Record<string, string> } };
          },
      )
      .find((b) => b.Statement.Id === plot && b.Statement.State === 'AVAILABLE');
    const data = raw?.Statement.Output?.Data ?? {};
    assert.equal(data.MimeType, 'image/png', JSON.stringify(raw?.Statement.Output).slice(0, 500));
    assert.equal(
      Buffer.from(data.Result ?? '', 'base64')
        .subarray(1, 4)
        .toString('latin1'),
      'PNG',
    );
  });

  it('the checker itself catches what breaks the SDKs', () => {
    const base = {
      service: 'glue' as const,
      status: 200,
      contentType: 'application/x-amz-json-1.1',
      requestId: '00000000-0000-4000-8000-000000000000',
    };
    const session = { Id: 's', Status: 'READY', Role: ROLE, Command: {}, Progress: 1 };
    assert.deepEqual(
      checkResponse({
        ...base,
        operation: 'GetSession',
        body: JSON.stringify({ Session: { ...session, CreatedOn: Date.now() / 1000 } }),
      }),
      [],
    );
    assert.equal(
      checkResponse({
        ...base,
        operation: 'GetSession',
        body: JSON.stringify({ Session: { ...session, CreatedOn: new Date().toISOString() } }),
      }).length,
      1,
    );
    assert.equal(
      checkResponse({
        ...base,
        operation: 'GetStatement',
        body: JSON.stringify({ Statement: { Id: 1, State: 'AVAILABLE', StartedOn: Date.now() / 1000 } }),
      }).length,
      3,
      'not an integer long, not ms, no Output',
    );
    assert.equal(
      checkResponse({
        ...base,
        status: 400,
        operation: 'GetSession',
        body: JSON.stringify({ __type: 'AlreadyExistsException', Message: 'x' }),
      }).length,
      1,
    );
    assert.equal(
      checkResponse({
        ...base,
        status: 500,
        operation: 'GetSession',
        body: JSON.stringify({ __type: 'InternalServiceException' }),
      }).length,
      1,
    );
  });
});
