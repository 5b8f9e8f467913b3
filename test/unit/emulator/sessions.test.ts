import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { GlueError } from '../../../src/emulator/errors';
import { REPL_UNAVAILABLE, SessionManager, type SessionManagerOptions } from '../../../src/emulator/sessions';
import { fakeExecutor, sleep, waitFor, type FakeExecutorControl } from './fake-executor';

const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';
let managers: SessionManager[] = [];

function setup(extra: Partial<SessionManagerOptions> = {}): { m: SessionManager; fake: FakeExecutorControl } {
  const fake = fakeExecutor();
  const m = new SessionManager({
    executor: fake.executor,
    accountId: '123456789012',
    region: 'us-east-1',
    minuteMs: 1000,
    ...extra,
  });
  managers.push(m);
  return { m, fake };
}

async function ready(m: SessionManager, id = 's1', extra: Record<string, unknown> = {}): Promise<void> {
  m.createSession({ Id: id, Role: ROLE, Command: { Name: 'glueetl', PythonVersion: '3' }, ...extra });
  await waitFor(
    'READY',
    () => m.getSession(id).Status,
    (s) => s === 'READY',
  );
}

async function settled(m: SessionManager, sid: string, id: number) {
  return waitFor(
    `statement ${id}`,
    () => m.getStatement(sid, id),
    (s) => ['AVAILABLE', 'ERROR', 'CANCELLED'].includes(s.State),
  );
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GlueError, `expected a GlueError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an error');
}

afterEach(async () => {
  await Promise.all(managers.map((m) => m.shutdown()));
  managers = [];
});

describe('session state machine', () => {
  it('goes PROVISIONING → READY after the provisioning delay and echoes its settings', async () => {
    const { m } = setup({ provisionMs: 60 });
    const created = m.createSession({
      Id: 's1',
      Role: ROLE,
      Command: { Name: 'glueetl', PythonVersion: '3' },
      WorkerType: 'G.2X',
      NumberOfWorkers: 3,
      Tags: { owner: 'me' },
      DefaultArguments: { '--enable-glue-datacatalog': 'true' },
    });
    assert.equal(created.Status, 'PROVISIONING');
    assert.equal(created.Progress, 0);
    assert.equal(created.MaxCapacity, 6);
    assert.equal(created.IdleTimeout, 2880);
    assert.ok(Math.abs(created.CreatedOn - Date.now() / 1000) < 5, 'CreatedOn is epoch seconds');
    await sleep(20);
    assert.equal(m.getSession('s1').Status, 'PROVISIONING');
    await waitFor(
      'READY',
      () => m.getSession('s1').Status,
      (s) => s === 'READY',
    );
    const s = m.getSession('s1');
    assert.equal(s.Progress, 1);
    assert.equal(typeof s.ExecutionTime, 'number');
    assert.equal(s.DPUSeconds, s.ExecutionTime! * 6);
  });

  it('defaults to 5 G.1X workers, and rejects MaxCapacity with workers, half a worker setting, old Glue versions', () => {
    const { m } = setup();
    const s = m.createSession({ Id: 'd', Role: ROLE, Command: { Name: 'glueetl' } });
    assert.equal(s.WorkerType, 'G.1X');
    assert.equal(s.NumberOfWorkers, 5);
    assert.equal(s.MaxCapacity, 5);
    assert.equal(s.GlueVersion, '4.0');
    const base = { Role: ROLE, Command: { Name: 'glueetl' } };
    assert.equal(
      code(() =>
        m.createSession({ ...base, Id: 'a', MaxCapacity: 2, WorkerType: 'G.1X', NumberOfWorkers: 2 }),
      ),
      'InvalidInputException',
    );
    assert.equal(
      code(() => m.createSession({ ...base, Id: 'b', WorkerType: 'G.1X' })),
      'InvalidInputException',
    );
    assert.equal(
      code(() => m.createSession({ ...base, Id: 'c', NumberOfWorkers: 2 })),
      'InvalidInputException',
    );
    assert.equal(
      code(() => m.createSession({ ...base, Id: 'e', GlueVersion: '1.0' })),
      'InvalidInputException',
    );
    assert.equal(
      code(() => m.createSession({ ...base, Id: 'f', Command: { Name: 'pythonshell' } })),
      'InvalidInputException',
    );
    assert.equal(
      code(() => m.createSession({ ...base, Id: 'd' })),
      'AlreadyExistsException',
    );
    const mc = m.createSession({ ...base, Id: 'g', MaxCapacity: 2.5 });
    assert.equal(mc.MaxCapacity, 2.5);
    assert.equal(mc.WorkerType, undefined);
  });

  it('fails the session when its runner cannot start', async () => {
    const { m, fake } = setup();
    fake.failStart = 'python3 not found';
    m.createSession({ Id: 's1', Role: ROLE, Command: { Name: 'glueetl' } });
    const s = await waitFor(
      'FAILED',
      () => m.getSession('s1'),
      (v) => v.Status === 'FAILED',
    );
    assert.match(s.ErrorMessage ?? '', /python3 not found/);
    assert.equal(typeof s.CompletedOn, 'number');
    assert.equal(
      code(() => m.runStatement('s1', 'print 1')),
      'InvalidInputException',
    );
  });

  it('stops: READY → STOPPING → STOPPED, the runner stopped; stopping again is an illegal state', async () => {
    const { m, fake } = setup();
    await ready(m);
    assert.deepEqual(m.stopSession('s1'), { Id: 's1' });
    assert.equal(m.getSession('s1').Status, 'STOPPING');
    await waitFor(
      'STOPPED',
      () => m.getSession('s1').Status,
      (s) => s === 'STOPPED',
    );
    assert.ok(fake.runners[0].stopped);
    assert.equal(
      code(() => m.stopSession('s1')),
      'IllegalSessionStateException',
    );
    assert.equal(
      code(() => m.getStatement('s1', 0)),
      'IllegalSessionStateException',
    );
    assert.deepEqual(m.deleteSession('s1'), { Id: 's1' });
    assert.equal(
      code(() => m.getSession('s1')),
      'EntityNotFoundException',
    );
  });

  it('times out after IdleTimeout minutes without statements, on the scaled clock', async () => {
    const { m, fake } = setup({ minuteMs: 40 });
    await ready(m, 's1', { IdleTimeout: 2 });
    // Activity keeps it alive: a statement of 60 ms, then idle again.
    const id = m.runStatement('s1', 'sleep 100').Id;
    await sleep(90);
    assert.equal(m.getSession('s1').Status, 'READY', 'not idle while a statement runs');
    await settled(m, 's1', id);
    const s = await waitFor(
      'TIMEOUT',
      () => m.getSession('s1'),
      (v) => v.Status === 'TIMEOUT',
      2000,
    );
    assert.equal(typeof s.CompletedOn, 'number');
    assert.ok(fake.runners[0].stopped);
    assert.equal(
      code(() => m.runStatement('s1', 'print 1')),
      'InvalidInputException',
    );
  });

  it('times out after Timeout minutes however busy', async () => {
    const { m } = setup({ minuteMs: 30 });
    await ready(m, 's1', { Timeout: 3 });
    m.runStatement('s1', 'sleep 5000');
    await waitFor(
      'TIMEOUT',
      () => m.getSession('s1').Status,
      (s) => s === 'TIMEOUT',
      2000,
    );
  });

  it('goes FAILED when the runner dies, and statements then give the REPL-unavailable error', async () => {
    const { m } = setup();
    await ready(m);
    const id = m.runStatement('s1', 'sleep 5000').Id;
    assert.equal(m.killRunner('s1'), true);
    const s = await waitFor(
      'FAILED',
      () => m.getSession('s1'),
      (v) => v.Status === 'FAILED',
    );
    assert.match(s.ErrorMessage ?? '', /exited unexpectedly/);
    assert.throws(
      () => m.getStatement('s1', id),
      (e: GlueError) => e.code === 'IllegalSessionStateException' && e.message === REPL_UNAVAILABLE,
    );
  });

  it('lists with pagination and a tag filter; tags by ARN', async () => {
    const { m } = setup();
    for (let i = 0; i < 5; i++)
      m.createSession({
        Id: `s${i}`,
        Role: ROLE,
        Command: { Name: 'glueetl' },
        Tags: { team: i % 2 ? 'odd' : 'even' },
      });
    const p1 = m.listSessions({ MaxResults: 2 });
    assert.deepEqual(p1.Ids, ['s0', 's1']);
    assert.ok(p1.NextToken);
    const p2 = m.listSessions({ MaxResults: 2, NextToken: p1.NextToken });
    assert.deepEqual(p2.Ids, ['s2', 's3']);
    const p3 = m.listSessions({ MaxResults: 2, NextToken: p2.NextToken });
    assert.deepEqual(p3.Ids, ['s4']);
    assert.equal(p3.NextToken, undefined);
    assert.deepEqual(m.listSessions({ Tags: { team: 'odd' } }).Ids, ['s1', 's3']);
    assert.equal(
      code(() => m.listSessions({ NextToken: 'garbage' })),
      'InvalidInputException',
    );

    const arn = m.sessionArn('s1');
    assert.equal(arn, 'arn:aws:glue:us-east-1:123456789012:session/s1');
    m.tagResource(arn, { a: '1' });
    assert.deepEqual(m.getTags(arn).Tags, { team: 'odd', a: '1' });
    m.untagResource(arn, ['team']);
    assert.deepEqual(m.getTags(arn).Tags, { a: '1' });
    assert.equal(
      code(() => m.getTags(arn.replace('s1', 'nope'))),
      'EntityNotFoundException',
    );
    assert.equal(
      code(() => m.getTags('arn:aws:glue:us-east-1:123456789012:job/x')),
      'InvalidInputException',
    );
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(
      code(() => m.tagResource(arn, many)),
      'InvalidInputException',
    );
  });

  it('limits concurrent sessions', () => {
    const { m } = setup({ maxSessions: 2 });
    m.createSession({ Id: 'a', Role: ROLE, Command: { Name: 'glueetl' } });
    m.createSession({ Id: 'b', Role: ROLE, Command: { Name: 'glueetl' } });
    assert.equal(
      code(() => m.createSession({ Id: 'c', Role: ROLE, Command: { Name: 'glueetl' } })),
      'ResourceNumberLimitExceededException',
    );
  });
});

describe('statement state machine', () => {
  it('runs one statement at a time in order, keeping state; fills in times, progress and execution counts', async () => {
    const { m } = setup();
    await ready(m);
    const a = m.runStatement('s1', 'sleep 80').Id;
    const b = m.runStatement('s1', 'set x 42').Id;
    const c = m.runStatement('s1', 'get x').Id;
    assert.deepEqual([a, b, c], [0, 1, 2]);
    assert.equal(m.getStatement('s1', a).State, 'RUNNING');
    assert.equal(m.getStatement('s1', b).State, 'WAITING');
    assert.equal(m.getStatement('s1', b).Progress, 0);
    const sc = await settled(m, 's1', c);
    assert.equal(sc.State, 'AVAILABLE');
    assert.equal(sc.Output?.Data?.TextPlain, '42');
    assert.equal(sc.Output?.ExecutionCount, 3);
    assert.equal(sc.Progress, 1);
    const sa = m.getStatement('s1', a);
    assert.ok(sa.StartedOn! > 1e12 && sa.CompletedOn! >= sa.StartedOn!, 'epoch milliseconds');
    assert.ok(m.getStatement('s1', b).StartedOn! >= sa.CompletedOn!, 'b started after a completed');
    assert.deepEqual(
      m.listStatements('s1').Statements.map((s) => s.Id),
      [0, 1, 2],
    );
  });

  it('reports a Python exception as AVAILABLE with an error output, and a dead runner as ERROR', async () => {
    const { m } = setup();
    await ready(m);
    const e = await settled(m, 's1', m.runStatement('s1', 'raise ZeroDivisionError division by zero').Id);
    assert.equal(e.State, 'AVAILABLE');
    assert.equal(e.Output?.Status, 'error');
    assert.equal(e.Output?.ErrorName, 'ZeroDivisionError');
    assert.equal(e.Output?.ErrorValue, 'division by zero');
    const id = m.runStatement('s1', 'die').Id;
    await waitFor(
      'FAILED',
      () => m.getSession('s1').Status,
      (s) => s === 'FAILED',
    );
    const d = m.inspectStatement('s1', id);
    assert.equal(d.State, 'ERROR');
    assert.equal(d.Output?.ErrorName, 'RunnerDied');
  });

  it('cancels: a waiting statement at once, a running one through CANCELLING with the runner interrupted and kept', async () => {
    const { m, fake } = setup();
    await ready(m);
    m.runStatement('s1', 'set keep yes');
    const running = m.runStatement('s1', 'sleep 5000').Id;
    const waiting = m.runStatement('s1', 'print never').Id;
    await waitFor(
      'RUNNING',
      () => m.getStatement('s1', running).State,
      (s) => s === 'RUNNING',
    );
    assert.deepEqual(m.cancelStatement('s1', waiting), {});
    assert.equal(m.getStatement('s1', waiting).State, 'CANCELLED');
    fake.runners[0].swallowInterrupts = 1;
    const t0 = Date.now();
    m.cancelStatement('s1', running);
    assert.equal(m.getStatement('s1', running).State, 'CANCELLING');
    const c = await settled(m, 's1', running);
    assert.equal(c.State, 'CANCELLED');
    assert.ok(Date.now() - t0 < 2000, 'cancelled within 2 s even though the first interrupt was swallowed');
    assert.equal(fake.runners[0].interrupts, 2);
    assert.ok(!fake.runners[0].executed.includes('print never'));
    // The interpreter and its state survive.
    const g = await settled(m, 's1', m.runStatement('s1', 'get keep').Id);
    assert.equal(g.Output?.Data?.TextPlain, 'yes');
    // Cancelling a finished statement is a no-op; an unknown id is not found.
    assert.deepEqual(m.cancelStatement('s1', running), {});
    assert.equal(
      code(() => m.cancelStatement('s1', 99)),
      'EntityNotFoundException',
    );
    assert.equal(
      code(() => m.getStatement('nope', 0)),
      'EntityNotFoundException',
    );
  });

  it('refuses statements before READY, and Scala sessions at creation', async () => {
    const { m, fake } = setup({ provisionMs: 200 });
    m.createSession({ Id: 'p', Role: ROLE, Command: { Name: 'glueetl' } });
    assert.throws(
      () => m.runStatement('p', 'print 1'),
      (e: GlueError) => e.code === 'InvalidInputException' && /status=PROVISIONING/.test(e.message),
    );
    const runners = fake.runners.length;
    assert.throws(
      () =>
        m.createSession({
          Id: 'scala',
          Role: ROLE,
          Command: { Name: 'glueetl' },
          DefaultArguments: { '--session-language': 'scala' },
        }),
      (e: GlueError) =>
        e.code === 'InvalidInputException' && /runs Python only.*Scala sessions/.test(e.message),
    );
    assert.equal(fake.runners.length, runners, 'nothing is provisioned for a Scala session');
    assert.equal(
      code(() => m.getSession('scala')),
      'EntityNotFoundException',
    );
  });

  it('shutdown stops every runner and leaves no timers', async () => {
    const { m, fake } = setup();
    await ready(m, 'a');
    await ready(m, 'b');
    m.runStatement('a', 'sleep 10000');
    await m.shutdown();
    assert.ok(fake.runners.every((r) => r.stopped));
    assert.equal(m.getSession('a').Status, 'STOPPED');
  });
});

describe('bounded memory', () => {
  it('keeps only the most recent keepStatements finished statements; older ids are not found', async () => {
    const { m } = setup({ keepStatements: 150 });
    await ready(m);
    const ids: number[] = [];
    for (let i = 0; i < 400; i++) {
      const { Id } = m.runStatement('s1', `print ${i}`);
      ids.push(Id);
      await settled(m, 's1', Id);
    }
    assert.deepEqual(ids, [...Array(400).keys()], 'ids stay consecutive across forgetting');
    assert.equal(m.inspect()[0].statements, 150);
    assert.equal(m.inspect()[0].forgottenStatements, 250);
    assert.equal(
      code(() => m.getStatement('s1', 249)),
      'EntityNotFoundException',
    );
    assert.equal(m.getStatement('s1', 250).Code, 'print 250');
    assert.equal(m.getStatement('s1', 399).Output?.Data?.TextPlain, '399');
    const page1 = m.listStatements('s1');
    assert.deepEqual([page1.Statements[0].Id, page1.Statements.at(-1)?.Id], [250, 349]);
    // Forgetting more between pages does not skip or repeat statements.
    for (let i = 0; i < 20; i++) await settled(m, 's1', m.runStatement('s1', 'x').Id);
    const page2 = m.listStatements('s1', page1.NextToken);
    assert.equal(page2.Statements[0].Id, 350);
    assert.equal(page2.Statements.at(-1)?.Id, 419);
    assert.equal(page2.NextToken, undefined);
  });

  it('never forgets a statement that is still waiting or running', async () => {
    const { m } = setup({ keepStatements: 1 });
    await ready(m);
    const ids = [
      m.runStatement('s1', 'sleep 100').Id,
      m.runStatement('s1', 'sleep 50').Id,
      m.runStatement('s1', 'x').Id,
    ];
    assert.deepEqual(
      ids.map((id) => m.getStatement('s1', id).State),
      ['RUNNING', 'WAITING', 'WAITING'],
    );
    await settled(m, 's1', ids[2]);
    assert.equal(
      code(() => m.getStatement('s1', ids[1])),
      'EntityNotFoundException',
    );
    assert.equal(m.getStatement('s1', ids[2]).State, 'AVAILABLE');
  });
});
