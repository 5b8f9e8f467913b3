// The one top-level wrapper: whatever a request handler throws outside the operation's own error
// handling becomes a logged 500 carrying the request id, and the server goes on answering.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { CredentialStore } from '../../../src/emulator/credentials';
import { EmulatorServer } from '../../../src/emulator/server';
import { SessionManager } from '../../../src/emulator/sessions';
import { fakeExecutor } from '../../unit/emulator/fake-executor';
import { smithySign } from '../../unit/emulator/smithy-sign';
import { CREDS, rawRequest } from './harness';

const warnings: string[] = [];
let server: EmulatorServer;
let endpoint: string;
before(async () => {
  // A credential store that fails the way a bug would: not with a service error.
  const broken = {
    accountId: '123456789012',
    lookup: () => {
      throw new TypeError('lookup exploded');
    },
  } as unknown as CredentialStore;
  server = new EmulatorServer({
    sessions: new SessionManager({
      executor: fakeExecutor().executor,
      accountId: '123456789012',
      region: 'us-east-1',
    }),
    credentials: broken,
    adminEnabled: () => false,
    adminToken: 'unused',
    info: () => ({}),
    logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
  });
  const address = await server.listen('127.0.0.1', 0);
  endpoint = `http://127.0.0.1:${address.port}`;
});
after(async () => server.close());

it('turns an unexpected throw into a 500 with the request id, logs it, and keeps serving', async () => {
  const body = '{}';
  for (let i = 0; i < 3; i++) {
    const headers = await smithySign({
      host: endpoint.replace('http://', ''),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSGlue.ListSessions' },
      body,
      service: 'glue',
      ...CREDS,
    });
    const r = await rawRequest(endpoint, { method: 'POST', headers, body });
    assert.equal(r.status, 500);
    const requestId = String(r.headers['x-amzn-requestid']);
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    const parsed = JSON.parse(r.body) as { __type: string; message: string };
    assert.equal(parsed.__type, 'InternalServiceException');
    assert.ok(parsed.message.includes(requestId), parsed.message);
    assert.ok(
      warnings.some((w) => w.includes(requestId) && w.includes('lookup exploded')),
      'logged with the request id and the cause',
    );
  }
  assert.equal(warnings.length, 3);
});
