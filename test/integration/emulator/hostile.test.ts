// Hostile input at the HTTP edge: request lines, paths and bodies that are valid HTTP framing
// but nonsense to the emulator, sent over a raw socket to a live server. Every one must get an
// HTTP answer, never a 500 for input the service would refuse, and the server must stay up.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { GLUE_OPERATIONS } from '../../../src/emulator/model';
import { fakeExecutor } from '../../unit/emulator/fake-executor';
import { smithySign } from '../../unit/emulator/smithy-sign';
import { admin, CREDS, rawRequest, ROLE, startTestEmulator, type TestEmulator } from './harness';

let emu: TestEmulator;
const warnings: string[] = [];
before(async () => {
  emu = await startTestEmulator({
    executor: fakeExecutor().executor,
    logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
  });
});
after(async () => {
  // Known and out of this test's scope: for a missing session StopSession and DeleteSession answer
  // EntityNotFoundException, which their models do not list. Every other contract break fails.
  const known = /^glue:(StopSession|DeleteSession) 400: EntityNotFoundException is not an error of \1$/;
  emu.violations.splice(0, emu.violations.length, ...emu.violations.filter((v) => !known.test(v)));
  await emu.stop();
});

/** Writes raw bytes on a fresh connection; resolves with the status code of the first answer. */
function rawExchange(bytes: Buffer | string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(emu.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s to ${JSON.stringify(String(bytes).slice(0, 200))}`));
    }, 5000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (m) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`closed without an answer: ${JSON.stringify(String(bytes).slice(0, 200))}`));
    });
    socket.end(bytes);
  });
}

function requestBytes(method: string, target: string, headers: string[], body: string): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([
    Buffer.from(
      `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${emu.port}\r\n${headers.map((h) => `${h}\r\n`).join('')}` +
        `Content-Length: ${b.length}\r\nConnection: close\r\n\r\n`,
      'latin1',
    ),
    b,
  ]);
}

async function stillUp(): Promise<void> {
  assert.equal((await admin(emu, 'GET', 'health')).status, 200, 'the emulator is still up');
}

async function signedGlue(operation: string, body: string): Promise<{ status: number; body: string }> {
  const headers = await smithySign({
    host: emu.endpoint.replace('http://', ''),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSGlue.${operation}` },
    body,
    service: 'glue',
    ...CREDS,
  });
  return rawRequest(emu.endpoint, { method: 'POST', headers, body });
}

describe('the HTTP edge under hostile input', () => {
  it('answers request targets that are not URLs (they used to crash the process)', async () => {
    for (const target of ['//[', '//a:99999/', '//[::1', 'http://[/', '//%', '/_emulator/%E0%A4%A', '*']) {
      for (const method of ['GET', 'POST']) {
        const status = await rawExchange(requestBytes(method, target, [], ''));
        assert.ok(status >= 400 && status < 500, `${method} ${target} → ${status}`);
      }
    }
    await stillUp();
  });

  it('treats member names such as constructor and __proto__ as unknown members, not a 500', async () => {
    await signedGlue(
      'CreateSession',
      JSON.stringify({ Id: 'proto', Role: ROLE, Command: { Name: 'glueetl' } }),
    );
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const get = await signedGlue('GetSession', `{"Id":"proto","${name}":{"x":1}}`);
      assert.equal(get.status, 200, `${name}: ${get.body}`);
      const missing = await signedGlue('GetSession', `{"${name}":"proto"}`);
      assert.equal(missing.status, 400, `${name}: ${missing.body}`);
      assert.match(missing.body, /ValidationException/);
      const tags = await signedGlue(
        'TagResource',
        `{"ResourceArn":"arn:aws:glue:us-east-1:123456789012:session/proto","TagsToAdd":{"${name}":"v"}}`,
      );
      assert.equal(tags.status, 200, `${name}: ${tags.body}`);
    }
    await stillUp();
  });

  it('answers random request lines, headers and bodies, and never with a 500', async () => {
    const token = fc.stringMatching(/^[^\r\n]{0,40}$/);
    const targetChar = fc.constantFrom(..."/[]:%?#@!$&'()*+,;=._~-aZ09 \t\u00ff\u0100".split(''));
    const target = fc.oneof(
      fc.stringMatching(/^[^\r\n]{0,60}$/),
      fc.array(targetChar, { maxLength: 40 }).map((cs) => `/${cs.join('')}`),
      fc.array(targetChar, { maxLength: 20 }).map((cs) => `/_emulator/${cs.join('')}`),
      fc.array(targetChar, { maxLength: 20 }).map((cs) => `//${cs.join('')}`),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD', 'BREW');
    const header = fc.oneof(
      fc.constantFrom(
        'X-Amz-Target: AWSGlue.ListSessions',
        'X-Amz-Target: AWSGlue.constructor',
        'X-Amz-Target: AWSGlue.__proto__',
        'Content-Type: application/x-www-form-urlencoded',
        'Content-Type: application/x-amz-json-1.1',
        'Authorization: AWS4-HMAC-SHA256 Credential=x/y/z, SignedHeaders=host, Signature=00',
        'Authorization: Bearer nope',
        'Origin: http://evil.example',
      ),
      fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), token).map(([k, v]) => `${k}: ${v}`),
    );
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json(),
      fc.constantFrom('Action=GetCallerIdentity&Version=2011-06-15', 'Action=constructor', '{"__proto__":1}'),
    );
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, target, fc.array(header, { maxLength: 4 }), body, async (m, t, h, b) => {
        const status = await rawExchange(requestBytes(m, t, h, b));
        seen.set(status, (seen.get(status) ?? 0) + 1);
        return status >= 200 && status < 500;
      }),
      { numRuns: 300, seed: 42 },
    );
    assert.ok(seen.size > 2, `a variety of answers: ${JSON.stringify([...seen])}`);
    await stillUp();
  });

  it('answers any signed JSON body to any operation with a service error or a result, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GLUE_OPERATIONS.filter((op) => op !== 'CreateSession')),
        fc.oneof(
          fc.json(),
          fc
            .dictionary(
              fc.constantFrom(
                'Id',
                'SessionId',
                'constructor',
                '__proto__',
                'Code',
                'ResourceArn',
                'TagsToAdd',
                'NextToken',
              ),
              fc.jsonValue(),
            )
            .map((o) => JSON.stringify(o)),
        ),
        async (op, body) => {
          const r = await signedGlue(op, body);
          return r.status === 200 || (r.status >= 400 && r.status < 500);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
    assert.deepEqual(
      warnings.filter((w) => /failed/.test(w)),
      [],
      'no handler threw',
    );
    await stillUp();
  });
});
