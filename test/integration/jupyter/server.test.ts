// KernelClient ↔ KernelServer over real ZeroMQ on 127.0.0.1 with a fake Interpreter.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as zmq from 'zeromq';
import {
  KernelClient,
  KernelServer,
  MessageFactory,
  Signer,
  channelAddress,
  decodeMessage,
  encodeMessage,
  type ConnectionInfo,
  type JsonObject,
  type JupyterMessage,
  type ProtocolLogger,
  type SentEvent,
} from '../../../src/jupyter';
import { FakeInterpreter } from './fixtures/fake-interpreter';

interface LogLine {
  level: string;
  message: string;
  fields?: JsonObject;
}

function recordingLogger(lines: LogLine[]): ProtocolLogger {
  const at = (level: string) => (message: string, fields?: JsonObject) =>
    lines.push({ level, message, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function localConnection(key = crypto.randomBytes(16).toString('hex')): ConnectionInfo {
  return {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: 0,
    iopub_port: 0,
    stdin_port: 0,
    control_port: 0,
    hb_port: 0,
    key,
    signature_scheme: 'hmac-sha256',
  };
}

interface Harness {
  server: KernelServer;
  client: KernelClient;
  interpreter: FakeInterpreter;
  sent: SentEvent[];
  logs: LogLine[];
}

async function startHarness(): Promise<Harness> {
  const interpreter = new FakeInterpreter();
  const sent: SentEvent[] = [];
  const logs: LogLine[] = [];
  const server = await KernelServer.start({
    connection: localConnection(),
    interpreter,
    logger: recordingLogger(logs),
    onSent: (event) => sent.push(event),
  });
  const client = await KernelClient.connect(server.connection);
  await client.waitForReady(10_000);
  return { server, client, interpreter, sent, logs };
}

async function stopHarness(h: Harness): Promise<void> {
  await h.client.close();
  await h.server.close();
}

function sentFor(h: Harness, msgId: string): string[] {
  return h.sent
    .filter((e) => e.parentMsgId === msgId)
    .map((e) => (e.msgType === 'status' ? `status:${String(e.content.execution_state)}` : e.msgType));
}

function outputTypes(outputs: JupyterMessage[]): string[] {
  return outputs.map((m) => m.header.msg_type);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('KernelServer with KernelClient', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await stopHarness(h);
  });

  it('binds ephemeral ports and reports them', () => {
    for (const port of [
      h.server.connection.shell_port,
      h.server.connection.iopub_port,
      h.server.connection.stdin_port,
      h.server.connection.control_port,
      h.server.connection.hb_port,
    ]) {
      assert.ok(port > 0);
    }
  });

  it('answers kernel_info with busy → reply → idle', async () => {
    const statuses: string[] = [];
    const reply = await h.client.request('kernel_info_request', {}, 'shell', {
      waitForIdle: true,
      onIopub: (m) => statuses.push(m.header.msg_type),
    });
    assert.equal(reply.header.msg_type, 'kernel_info_reply');
    assert.equal(reply.header.version, '5.3');
    assert.equal(reply.content.status, 'ok');
    assert.equal(reply.content.protocol_version, '5.3');
    assert.equal(reply.content.implementation, 'fake');
    assert.deepEqual(sentFor(h, reply.parent_header.msg_id as string), [
      'status:busy',
      'kernel_info_reply',
      'status:idle',
    ]);
    assert.equal(reply.header.session, h.server.session);
  });

  it('answers kernel_info on control too', async () => {
    const reply = await h.client.request('kernel_info_request', {}, 'control');
    assert.equal(reply.content.status, 'ok');
  });

  it('publishes outputs before the reply and the reply before idle', async () => {
    const seen: string[] = [];
    const { reply, outputs } = await h.client.execute('print:hello\ndisplay:pic\nresult:42', {
      onOutput: (m) => seen.push(m.header.msg_type),
    });
    assert.equal(reply.content.status, 'ok');
    const count = reply.content.execution_count as number;
    assert.deepEqual(outputTypes(outputs), ['execute_input', 'stream', 'display_data', 'execute_result']);
    assert.deepEqual(seen, outputTypes(outputs));
    assert.deepEqual(outputs[0].content, {
      code: 'print:hello\ndisplay:pic\nresult:42',
      execution_count: count,
    });
    assert.deepEqual(outputs[1].content, { name: 'stdout', text: 'hello\n' });
    assert.deepEqual(outputs[2].content, {
      data: { 'text/plain': 'pic' },
      metadata: {},
      transient: { display_id: 'd1' },
    });
    assert.deepEqual(outputs[3].content, {
      execution_count: count,
      data: { 'text/plain': '42' },
      metadata: {},
    });
    assert.deepEqual(reply.content.payload, []);
    assert.deepEqual(reply.content.user_expressions, {});
    assert.deepEqual(sentFor(h, reply.parent_header.msg_id as string), [
      'status:busy',
      'execute_input',
      'stream',
      'display_data',
      'execute_result',
      'execute_reply',
      'status:idle',
    ]);
    for (const m of outputs) assert.equal(m.parent_header.msg_id, reply.parent_header.msg_id);
  });

  it('counts executions: store_history increments, silent publishes nothing', async () => {
    const first = await h.client.execute('result:a');
    const n = first.reply.content.execution_count as number;
    const unstored = await h.client.execute('result:b', { storeHistory: false });
    assert.equal(unstored.reply.content.execution_count, n);
    assert.deepEqual(outputTypes(unstored.outputs), ['execute_input', 'execute_result']);
    const silent = await h.client.execute('print:quiet\nfail:x', {
      silent: true,
      userExpressions: { a: 'x' },
    });
    assert.equal(silent.reply.content.status, 'error');
    assert.equal(silent.reply.content.execution_count, n);
    assert.deepEqual(silent.outputs, []);
    const silentOk = await h.client.execute('print:quiet', { silent: true, userExpressions: { a: 'x' } });
    assert.deepEqual(silentOk.outputs, []);
    assert.deepEqual(silentOk.reply.content.user_expressions, {
      a: { status: 'ok', data: { 'text/plain': 'X' }, metadata: {} },
    });
    const next = await h.client.execute('result:c');
    assert.equal(next.reply.content.execution_count, n + 1);
    const last = h.interpreter.executed.at(-1);
    assert.equal(last?.executionCount, n + 1);
    assert.equal(h.interpreter.executed.at(-2)?.storeHistory, false);
    assert.equal(h.interpreter.executed.at(-2)?.silent, true);
  });

  it('sends an error reply and one error output', async () => {
    const { reply, outputs } = await h.client.execute('print:before\nfail:boom');
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'FakeError');
    assert.equal(reply.content.evalue, 'boom');
    assert.deepEqual(reply.content.traceback, ['FakeError: boom']);
    assert.equal(typeof reply.content.execution_count, 'number');
    assert.deepEqual(outputTypes(outputs), ['execute_input', 'stream', 'error']);
    const viaSink = await h.client.execute('sink-error:once');
    assert.deepEqual(outputTypes(viaSink.outputs), ['execute_input', 'error']);
    const thrown = await h.client.execute('throw:bug');
    assert.equal(thrown.reply.content.status, 'error');
    assert.equal(thrown.reply.content.evalue, 'bug');
  });

  it('aborts execute requests already queued when one fails (stop_on_error)', async () => {
    const failing = h.client.execute('sleep:150\nfail:stop');
    await h.interpreter.started();
    const queued1 = h.client.execute('print:never1');
    const queued2 = h.client.execute('print:never2');
    await sleep(50); // both are in the server's queue while the first still runs
    const executedBefore = h.interpreter.executed.length;
    const [r0, r1, r2] = await Promise.all([failing, queued1, queued2]);
    assert.equal(r0.reply.content.status, 'error');
    for (const r of [r1, r2]) {
      assert.equal(r.reply.content.status, 'aborted');
      assert.equal(r.reply.content.execution_count, r0.reply.content.execution_count);
      assert.deepEqual(r.outputs, []);
      assert.deepEqual(sentFor(h, r.reply.parent_header.msg_id as string), [
        'status:busy',
        'execute_reply',
        'status:idle',
      ]);
    }
    assert.equal(h.interpreter.executed.length, executedBefore);
    const afterwards = await h.client.execute('print:runs');
    assert.equal(afterwards.reply.content.status, 'ok');
  });

  it('does not abort the queue when stop_on_error is false', async () => {
    const failing = h.client.execute('sleep:100\nfail:soft', { stopOnError: false });
    await h.interpreter.started();
    const queued = h.client.execute('print:runs');
    const [r0, r1] = await Promise.all([failing, queued]);
    assert.equal(r0.reply.content.status, 'error');
    assert.equal(r1.reply.content.status, 'ok');
  });

  it('drops messages with a wrong or missing signature and keeps serving', async () => {
    const dealer = new zmq.Dealer({ linger: 0 });
    dealer.connect(channelAddress(h.server.connection, 'shell'));
    const replies: JupyterMessage[] = [];
    const goodSigner = new Signer(h.server.connection.key);
    void (async () => {
      for await (const frames of dealer) {
        const decoded = decodeMessage(frames, goodSigner);
        if (decoded.ok) replies.push(decoded.message);
      }
    })();
    const factory = new MessageFactory();
    const executedBefore = h.interpreter.executed.length;
    const warningsBefore = h.logs.filter((l) => l.level === 'warn').length;
    const request = factory.message('execute_request', { code: 'print:evil', silent: false });
    await dealer.send(encodeMessage(request, new Signer('not-the-key')));
    await dealer.send(
      encodeMessage(factory.message('execute_request', { code: 'print:unsigned' }), new Signer('')),
    );
    await dealer.send([Buffer.from('garbage')]);
    await until(() => h.logs.filter((l) => l.level === 'warn').length >= warningsBefore + 3);
    await sleep(100);
    assert.equal(h.interpreter.executed.length, executedBefore);
    assert.equal(replies.length, 0);
    const warnings = h.logs.filter((l) => l.level === 'warn').slice(warningsBefore);
    assert.deepEqual(
      warnings.map((w) => [w.fields?.reason, w.fields?.msg_type]),
      [
        ['bad-signature', 'execute_request'],
        ['bad-signature', 'execute_request'],
        ['no-delimiter', null],
      ],
    );
    // Nothing secret in the logs.
    const logText = JSON.stringify(h.logs);
    assert.ok(!logText.includes(h.server.connection.key));
    assert.ok(!logText.includes('evil'));
    // A correctly signed request from the same socket is served.
    await dealer.send(encodeMessage(factory.message('kernel_info_request', {}), goodSigner));
    await until(() => replies.length === 1);
    assert.equal(replies[0].header.msg_type, 'kernel_info_reply');
    dealer.close();
    const { reply } = await h.client.execute('print:still-alive');
    assert.equal(reply.content.status, 'ok');
  });

  it('drops replayed messages (same signature), across shell and control, and logs that once', async () => {
    const dealers = { shell: new zmq.Dealer({ linger: 0 }), control: new zmq.Dealer({ linger: 0 }) };
    dealers.shell.connect(channelAddress(h.server.connection, 'shell'));
    dealers.control.connect(channelAddress(h.server.connection, 'control'));
    const signer = new Signer(h.server.connection.key);
    const replies: string[] = [];
    for (const dealer of Object.values(dealers))
      void (async () => {
        for await (const frames of dealer) {
          const decoded = decodeMessage(frames, signer);
          if (decoded.ok) replies.push(decoded.message.header.msg_type);
        }
      })();
    const executedBefore = h.interpreter.executed.length;
    const logsBefore = h.logs.length;
    const frames = encodeMessage(
      new MessageFactory().message('execute_request', { code: 'print:once', silent: false }),
      signer,
    );
    for (let i = 0; i < 3; i++) {
      await dealers.shell.send(frames);
      await dealers.control.send(frames);
    }
    await until(() => replies.length >= 1);
    // A later, fresh request is served: the replays were dropped, not queued.
    await dealers.shell.send(encodeMessage(new MessageFactory().message('kernel_info_request', {}), signer));
    await until(() => replies.includes('kernel_info_reply'));
    await sleep(100);
    assert.deepEqual(
      h.interpreter.executed.slice(executedBefore).map((r) => r.code),
      ['print:once'],
      'executed once, not six times',
    );
    assert.deepEqual(replies, ['execute_reply', 'kernel_info_reply']);
    const replayLogs = h.logs.slice(logsBefore).filter((l) => /replayed/.test(l.message));
    assert.equal(replayLogs.length, 1, 'five duplicates, one log line');
    for (const dealer of Object.values(dealers)) dealer.close();
  });

  it('serves control while an execute runs and interrupt aborts its signal', async () => {
    const running = h.client.execute('sleep:20000');
    await h.interpreter.started();
    const signal = h.interpreter.signals.at(-1) as AbortSignal;
    const t0 = Date.now();
    const info = await h.client.request('kernel_info_request', {}, 'control', { timeoutMs: 2000 });
    assert.equal(info.content.status, 'ok');
    assert.equal(await h.client.heartbeat(1000), true);
    assert.equal(signal.aborted, false);
    const interruptsBefore = h.interpreter.interrupts;
    const reply = await h.client.interrupt(2000);
    assert.equal(reply.header.msg_type, 'interrupt_reply');
    assert.equal(reply.content.status, 'ok');
    const { reply: execReply } = await running;
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as Error).name, 'InterruptedError');
    assert.equal(h.interpreter.interrupts, interruptsBefore + 1);
    assert.equal(execReply.content.status, 'error');
    assert.equal(execReply.content.ename, 'KeyboardInterrupt');
  });

  it('serves other shell requests while an execute runs', async () => {
    const running = h.client.execute('sleep:300');
    await h.interpreter.started();
    const reply = await h.client.request('is_complete_request', { code: 'x' }, 'shell', { timeoutMs: 250 });
    assert.equal(reply.content.status, 'complete');
    await running;
  });

  it('round-trips stdin input and refuses it when allow_stdin is false', async () => {
    const prompts: string[] = [];
    const { reply, outputs } = await h.client.execute('input:Name? ', {
      onInput: (prompt, password) => {
        prompts.push(`${prompt}|${password}`);
        return 'Ada';
      },
    });
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(prompts, ['Name? |false']);
    assert.deepEqual(
      outputs.filter((m) => m.header.msg_type === 'stream').map((m) => m.content.text),
      ['got Ada\n'],
    );
    const refused = await h.client.execute('input:Name? ', { allowStdin: false });
    assert.equal(refused.reply.content.status, 'error');
    assert.equal(refused.reply.content.ename, 'StdinNotAllowedError');
  });

  it('interrupt aborts a pending input request', async () => {
    const running = h.client.execute('input:wait', { onInput: () => new Promise<string>(() => undefined) });
    await h.interpreter.started();
    await sleep(50);
    await h.client.interrupt();
    const { reply } = await running;
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'InterruptedError');
  });

  it('echoes heartbeats', async () => {
    assert.equal(await h.client.heartbeat(1000), true);
    assert.equal(await h.client.heartbeat(1000), true);
  });

  it('answers complete, inspect and is_complete with code-point cursors', async () => {
    // 5 code points, 6 UTF-16 code units: the protocol counts code points.
    const code = '😀 pri';
    const complete = await h.client.request('complete_request', { code, cursor_pos: 5 });
    assert.deepEqual(complete.content, {
      status: 'ok',
      matches: ['print', 'printf'],
      cursor_start: 2,
      cursor_end: 5,
      metadata: {},
    });
    const noCursor = await h.client.request('complete_request', { code });
    assert.equal(noCursor.content.cursor_end, 5);
    const inspect = await h.client.request('inspect_request', { code: 'ab', cursor_pos: 1, detail_level: 1 });
    assert.deepEqual(inspect.content, {
      status: 'ok',
      found: true,
      data: { 'text/plain': 'ab@1/1' },
      metadata: {},
    });
    const incomplete = await h.client.request('is_complete_request', { code: 'for:' });
    assert.deepEqual(incomplete.content, { status: 'incomplete', indent: '  ' });
    const invalid = await h.client.request('is_complete_request', { code: '!' });
    assert.deepEqual(invalid.content, { status: 'invalid' });
    const bad = await h.client.request('complete_request', { code: 42 });
    assert.equal(bad.content.status, 'error');
    assert.equal(bad.content.ename, 'InvalidRequest');
  });

  it('answers history requests from this process', async () => {
    await h.client.execute('result:h1');
    await h.client.execute('result:h2');
    const tail = await h.client.request('history_request', {
      hist_access_type: 'tail',
      n: 2,
      output: true,
      raw: true,
    });
    const entries = tail.content.history as [number, number, [string, string | null]][];
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries.map((e) => e[2]),
      [
        ['result:h1', 'h1'],
        ['result:h2', 'h2'],
      ],
    );
    const [session, line] = entries[0];
    const range = await h.client.request('history_request', {
      hist_access_type: 'range',
      session,
      start: line,
      stop: line + 1,
      output: false,
      raw: true,
    });
    assert.deepEqual(range.content.history, [[session, line, 'result:h1']]);
    const search = await h.client.request('history_request', {
      hist_access_type: 'search',
      pattern: 'result:h?',
      unique: true,
      output: false,
      raw: true,
    });
    assert.deepEqual(
      (search.content.history as [number, number, string][]).map((e) => e[2]),
      ['result:h1', 'result:h2'],
    );
  });

  it('answers comm_info and closes comms for unknown targets', async () => {
    const info = await h.client.request('comm_info_request', {});
    assert.deepEqual(info.content, { status: 'ok', comms: {} });
    const closes: JupyterMessage[] = [];
    const off = h.client.onIopubMessage((m) => {
      if (m.header.msg_type === 'comm_close') closes.push(m);
    });
    const factory = new MessageFactory();
    const open = factory.message('comm_open', { comm_id: 'c-1', target_name: 'nobody', data: {} });
    // comm_open has no reply: send it raw and wait for the comm_close.
    const dealer = new zmq.Dealer({ linger: 0 });
    dealer.connect(channelAddress(h.server.connection, 'shell'));
    await dealer.send(encodeMessage(open, new Signer(h.server.connection.key)));
    await until(() => closes.length === 1);
    assert.deepEqual(closes[0].content, { comm_id: 'c-1', data: {} });
    assert.equal(closes[0].parent_header.msg_id, open.header.msg_id);
    assert.deepEqual(sentFor(h, open.header.msg_id), ['status:busy', 'comm_close', 'status:idle']);
    off();
    dealer.close();
  });

  it('brackets unknown message types with busy/idle and sends no reply', async () => {
    const factory = new MessageFactory();
    const dealer = new zmq.Dealer({ linger: 0 });
    dealer.connect(channelAddress(h.server.connection, 'shell'));
    const unknown = factory.message('frobnicate_request', {});
    await dealer.send(encodeMessage(unknown, new Signer(h.server.connection.key)));
    await until(() => sentFor(h, unknown.header.msg_id).length === 2);
    assert.deepEqual(sentFor(h, unknown.header.msg_id), ['status:busy', 'status:idle']);
    dealer.close();
  });
});

describe('KernelServer shutdown', () => {
  it('replies to shutdown_request, shuts the interpreter down and resolves closed', async () => {
    const h = await startHarness();
    try {
      const reply = await h.client.shutdown(true, 5000);
      assert.deepEqual(reply.content, { status: 'ok', restart: true });
      const closed = await h.server.closed;
      assert.deepEqual(closed, { restart: true, reason: 'shutdown_request' });
      assert.deepEqual(h.interpreter.shutdowns, [true]);
      assert.equal(await h.client.heartbeat(300), false);
    } finally {
      await h.client.close();
    }
  });

  it('accepts shutdown_request on shell and aborts a running execute', async () => {
    const h = await startHarness();
    try {
      const running = h.client.execute('sleep:20000').catch((error: unknown) => error);
      await h.interpreter.started();
      const reply = await h.client.request('shutdown_request', { restart: false }, 'shell');
      assert.deepEqual(reply.content, { status: 'ok', restart: false });
      await h.server.closed;
      assert.equal(h.interpreter.signals.at(-1)?.aborted, true);
      assert.deepEqual(h.interpreter.shutdowns, [false]);
      await h.client.close();
      await running;
    } finally {
      await h.client.close();
    }
  });

  it('shutdown() is idempotent', async () => {
    const h = await startHarness();
    await Promise.all([h.server.shutdown(false, 'SIGTERM'), h.server.shutdown(false, 'again')]);
    assert.deepEqual(await h.server.closed, { restart: false, reason: 'SIGTERM' });
    assert.deepEqual(h.interpreter.shutdowns, [false]);
    await h.client.close();
  });
});

describe('KernelServer with an empty key', () => {
  it('sends empty signatures and accepts unsigned messages', async () => {
    const interpreter = new FakeInterpreter();
    const logs: LogLine[] = [];
    const server = await KernelServer.start({
      connection: localConnection(''),
      interpreter,
      logger: recordingLogger(logs),
    });
    const client = await KernelClient.connect(server.connection);
    try {
      const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0], /connection key is empty.*not signed/);
      const reply = await client.waitForReady(10_000);
      assert.equal(reply.content.status, 'ok');
      const { reply: exec } = await client.execute('print:x');
      assert.equal(exec.content.status, 'ok');
    } finally {
      await client.close();
      await server.close();
    }
  });
});
