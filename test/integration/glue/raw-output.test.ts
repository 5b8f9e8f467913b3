// The raw-output middleware over real HTTP, without the emulator or Python: a loopback server
// answers GetStatement with the extended Data fields the SDK model drops.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createClients, type AwsClients } from '../../../src/session/glue/clients';

describe('raw GetStatement output through the SDK', () => {
  let server: http.Server;
  let clients: AwsClients;
  const bodies: Record<string, unknown> = {};

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const op = String(req.headers['x-amz-target'] ?? '').replace('AWSGlue.', '');
        const answer = bodies[op];
        const status = op === 'StopSession' ? 500 : answer === undefined ? 400 : 200;
        const error = op === 'StopSession' ? 'InternalServiceException' : 'UnknownOperationException';
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer ?? { __type: error, message: op }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    clients = createClients({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
  });
  after(async () => {
    clients?.destroy();
    await new Promise((r) => server.close(r));
  });

  it('merges MimeType/Result/StdOut/StdErr into Statement.Output.Data', async () => {
    bodies.GetStatement = {
      Statement: {
        Id: 3,
        State: 'AVAILABLE',
        Output: {
          Status: 'ok',
          ExecutionCount: 3,
          Data: {
            TextPlain: '',
            MimeType: 'image/png;base64',
            Result: 'iVBORw0KGgo=',
            StdOut: 'o',
            StdErr: 'e',
          },
        },
      },
    };
    const r = await clients.glue.send(new clients.sdk.glue.GetStatementCommand({ SessionId: 's', Id: 3 }));
    assert.deepEqual(r.Statement?.Output?.Data, {
      TextPlain: '',
      MimeType: 'image/png;base64',
      Result: 'iVBORw0KGgo=',
      StdOut: 'o',
      StdErr: 'e',
    });
    assert.equal(r.Statement?.Output?.ExecutionCount, 3, 'the modeled fields are still parsed');
  });

  it('leaves other operations and plain outputs alone', async () => {
    bodies.GetStatement = {
      Statement: { Id: 1, State: 'AVAILABLE', Output: { Status: 'ok', Data: { TextPlain: '2' } } },
    };
    const r = await clients.glue.send(new clients.sdk.glue.GetStatementCommand({ SessionId: 's', Id: 1 }));
    assert.deepEqual(r.Statement?.Output?.Data, { TextPlain: '2' });
    bodies.GetSession = { Session: { Id: 's', Status: 'READY', CreatedOn: 1700000000.5 } };
    const s = await clients.glue.send(new clients.sdk.glue.GetSessionCommand({ Id: 's' }));
    assert.equal(s.Session?.Status, 'READY');
    assert.ok(s.Session?.CreatedOn instanceof Date);
  });

  it('errors still deserialize into the modeled exception, after one attempt (maxAttempts 1)', async () => {
    let calls = 0;
    const count = (): void => void calls++;
    server.prependListener('request', count);
    try {
      await assert.rejects(
        clients.glue.send(new clients.sdk.glue.StopSessionCommand({ Id: 's' })),
        (e: Error) => e.name === 'InternalServiceException',
      );
      assert.equal(calls, 1, 'the SDK itself does not retry a 500: retry.ts does');
    } finally {
      server.off('request', count);
    }
  });
});
