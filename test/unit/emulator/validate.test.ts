import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLUE_MODEL } from '../../../src/emulator/model';
import { validateShape, validationMessage } from '../../../src/emulator/validate';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';
const input = (shape: string, v: unknown) => validateShape(shape, v, { mode: 'input' });
const output = (shape: string, v: unknown) => validateShape(shape, v, { mode: 'output' });

describe('model-driven validation', () => {
  it('carries the rules of the Glue model for the session operations', () => {
    assert.equal(GLUE_MODEL.metadata.targetPrefix, 'AWSGlue');
    assert.equal(GLUE_MODEL.shapes.OrchestrationStatementCodeString.max, 68000);
    assert.deepEqual(GLUE_MODEL.shapes.CreateSessionRequest.required, ['Id', 'Role', 'Command']);
    assert.equal(Object.keys(GLUE_MODEL.operations).length, 14);
  });

  it('has the 2026 operations and SessionType from the JS SDK schemas', () => {
    assert.deepEqual(GLUE_MODEL.shapes.GlueResourceType.enum, ['JOB', 'SESSION']);
    assert.deepEqual(GLUE_MODEL.shapes.SessionType.enum, ['LIVY', 'SPARK_CONNECT']);
    assert.equal(GLUE_MODEL.shapes.Session.members?.SessionType.shape, 'SessionType');
    assert.equal(GLUE_MODEL.shapes.Session.members?.DPUSeconds.shape !== undefined, true);
    assert.ok(GLUE_MODEL.operations.GetSessionEndpoint.errors.includes('OperationNotSupportedException'));
    assert.deepEqual(
      input('GetDashboardUrlRequest', { ResourceId: 's-1', ResourceType: 'STEP' }).map((v) => v.path),
      ['resourceType'],
    );
    assert.equal(input('GetDashboardUrlRequest', { ResourceType: 'SESSION' }).length, 1);
    assert.deepEqual(
      input('CreateSessionRequest', { Id: 'a', Role: ROLE, Command: {}, SessionType: 'X' }).length,
      1,
    );
  });

  it('accepts a full, valid CreateSession request', () => {
    const v = input('CreateSessionRequest', {
      Id: 'sess-1',
      Role: ROLE,
      Command: { Name: 'glueetl', PythonVersion: '3' },
      Timeout: 2880,
      IdleTimeout: 60,
      DefaultArguments: { '--enable-glue-datacatalog': 'true' },
      Connections: { Connections: ['c1'] },
      NumberOfWorkers: 5,
      WorkerType: 'G.1X',
      GlueVersion: '4.0',
      Tags: { owner: 'me' },
      RequestOrigin: 'ts-glue-kernel',
      Unknown: 'ignored like the service does',
    });
    assert.deepEqual(v, []);
  });

  it('reports required members, lengths, patterns, enums, ranges and map limits in the service wording', () => {
    const v = input('CreateSessionRequest', {
      Id: '',
      Role: 'not-a-role-arn-at-all',
      Command: { Name: 'glueetl', PythonVersion: '4' },
      Timeout: 0,
      WorkerType: 'G.3X',
      GlueVersion: '4',
      DefaultArguments: { 'bad key!': 'x' },
      Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
    });
    const by = (path: string) => v.filter((x) => x.path === path).map((x) => x.message);
    assert.deepEqual(by('id'), [
      "Value '' at 'id' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
    assert.match(
      by('role')[0],
      /Member must satisfy regular expression pattern: arn:aws\[\^:\]\*:iam::\[0-9\]\*:role\/\.\+/,
    );
    assert.match(by('command.pythonVersion')[0], /regular expression pattern/);
    assert.match(by('timeout')[0], /Member must have value greater than or equal to 1/);
    assert.match(by('workerType')[0], /Member must satisfy enum value set: \[Standard, G.1X/);
    assert.match(by('glueVersion')[0], /regular expression pattern/);
    assert.match(by('defaultArguments.key')[0], /regular expression pattern/);
    assert.match(by('tags')[0], /Member must have length less than or equal to 50/);
    assert.ok(v.every((x) => x.kind === 'constraint'));
    assert.match(validationMessage(v), /^\d+ validation errors detected: Value '' at 'id'/);

    const missing = input('CreateSessionRequest', {});
    assert.deepEqual(
      missing.map((x) => x.message),
      ['id', 'role', 'command'].map(
        (p) => `Value null at '${p}' failed to satisfy constraint: Member must not be null`,
      ),
    );
  });

  it('bounds Code at 68,000 characters and ListSessions.MaxResults at 1..1000', () => {
    assert.deepEqual(input('RunStatementRequest', { SessionId: 's', Code: 'x'.repeat(68000) }), []);
    assert.equal(input('RunStatementRequest', { SessionId: 's', Code: 'x'.repeat(68001) }).length, 1);
    assert.equal(input('ListSessionsRequest', { MaxResults: 0 }).length, 1);
    assert.equal(input('ListSessionsRequest', { MaxResults: 1001 }).length, 1);
    assert.deepEqual(input('ListSessionsRequest', { MaxResults: 1000 }), []);
  });

  it('treats names as single-line strings and counts surrogate pairs as the model pattern allows', () => {
    assert.equal(input('GetSessionRequest', { Id: 'a\nb' }).length, 1);
    assert.deepEqual(input('GetSessionRequest', { Id: 'naïve 😀 name' }), []);
  });

  it('reports type errors (serialization) separately from constraint errors', () => {
    const v = input('GetStatementRequest', { SessionId: 3, Id: '1' });
    assert.deepEqual(
      v.map((x) => x.kind),
      ['type', 'type'],
    );
    assert.equal(input('GetStatementRequest', { SessionId: 's', Id: 1.5 })[0].kind, 'type');
    assert.equal(input('GetStatementRequest', { SessionId: 's', Id: 2 ** 31 })[0].kind, 'type');
    assert.equal(input('CreateSessionRequest', [])[0].kind, 'type');
  });

  it('checks responses strictly: unknown members, timestamp units, the documented extensions', () => {
    const session = {
      Id: 's',
      CreatedOn: Date.now() / 1000,
      Status: 'READY',
      Role: ROLE,
      Command: { Name: 'glueetl' },
      Progress: 1,
    };
    assert.deepEqual(output('GetSessionResponse', { Session: session }), []);
    assert.equal(
      output('GetSessionResponse', { Session: { ...session, CreatedOn: Date.now() } }).length,
      1,
      'ms instead of s',
    );
    assert.equal(
      output('GetSessionResponse', { Session: { ...session, CreatedOn: new Date().toISOString() } }).length,
      1,
    );
    assert.equal(output('GetSessionResponse', { Session: { ...session, Status: 'RUNNING' } }).length, 1);
    assert.equal(output('GetSessionResponse', { Session: { ...session, Extra: 1 } }).length, 1);
    const statement = {
      Id: 0,
      Code: '%matplot plt',
      State: 'AVAILABLE',
      Output: {
        Data: { TextPlain: '', MimeType: 'image/png', Result: 'iVBOR' },
        ExecutionCount: 1,
        Status: 'ok',
      },
      Progress: 1,
      StartedOn: Date.now(),
      CompletedOn: Date.now(),
    };
    assert.deepEqual(output('GetStatementResponse', { Statement: statement }), []);
    const bad = { ...statement, Output: { ...statement.Output, Status: 'fine', Data: { Html: '<b>' } } };
    assert.equal(output('GetStatementResponse', { Statement: bad }).length, 2);
  });
});
