// The real kernel process (local backend) driven over ZeroMQ by our client: forged messages,
// interrupt, stop_on_error, history, parent death, SIGINT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KernelClient, type JupyterMessage } from '../../../src/jupyter';
import {
  newConnectionInfo,
  startKernelProcess,
  type StartedKernel,
} from '../../../src/notebook/run-notebook';
import { CLI } from '../../helpers/kernel-env';
import { runnerPython } from '../../helpers/tools';

const localEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  glue_backend: 'local',
  glue_python: runnerPython(),
});

function streamText(outputs: JupyterMessage[], name = 'stdout'): string {
  return outputs
    .filter((m) => m.header.msg_type === 'stream' && (m.content as { name: string }).name === name)
    .map((m) => (m.content as { text: string }).text)
    .join('');
}

describe('kernel process on the local backend', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernelProcess('pyspark', localEnv());
  });
  after(async () => {
    await kernel?.stop();
  });

  test('variables persist and the first cell names the engine', async () => {
    const first = await kernel.client.execute('x = 20\nprint("x set")');
    assert.equal((first.reply.content as { status: string }).status, 'ok');
    const text = streamText(first.outputs);
    assert.match(text, /Local session started: .*\(Python 3\.\d+/);
    assert.match(text, /x set/);
    const second = await kernel.client.execute('x + 22');
    assert.match(streamText(second.outputs), /^42\n$/);
  });

  test('a message signed with the wrong key is not executed, and the kernel keeps serving', async () => {
    const marker = path.join(os.tmpdir(), `glue-kernel-forged-${process.pid}`);
    fs.rmSync(marker, { force: true });
    const forger = await KernelClient.connect({ ...kernel.client.connection, key: 'not-the-key' });
    try {
      await assert.rejects(
        forger.execute(`open(${JSON.stringify(marker)}, "w").write("ran")`, { timeoutMs: 1500 }),
      );
    } finally {
      await forger.close();
    }
    assert.equal(fs.existsSync(marker), false, 'the forged request must not run');
    const ok = await kernel.client.execute('x');
    assert.match(streamText(ok.outputs), /20/);
  });

  test('interrupt during time.sleep(30) returns within 2 s and keeps earlier variables', async () => {
    const started = Date.now();
    const running = kernel.client.execute('import time\ntime.sleep(30)');
    await new Promise((r) => setTimeout(r, 500));
    await kernel.client.interrupt();
    const result = await running;
    const elapsed = Date.now() - started - 500;
    assert.ok(elapsed < 2000, `interrupt took ${elapsed} ms`);
    const content = result.reply.content as { status: string; ename?: string };
    assert.equal(content.status, 'error');
    assert.equal(content.ename, 'KeyboardInterrupt');
    const after = await kernel.client.execute('x * 2');
    assert.match(streamText(after.outputs), /40/);
  });

  test('an error aborts the requests queued behind it (stop_on_error)', async () => {
    const failing = kernel.client.execute('import time\ntime.sleep(0.5)\nraise RuntimeError("boom")');
    const queued = kernel.client.execute('print("must not run")');
    const [a, b] = await Promise.all([failing, queued]);
    assert.equal((a.reply.content as { status: string }).status, 'error');
    assert.equal((b.reply.content as { status: string }).status, 'aborted');
    assert.equal(streamText(b.outputs), '');
  });

  test('errors are Jupyter error messages with only the user frames', async () => {
    const result = await kernel.client.execute('def f():\n    return 1/0\nf()');
    const error = result.outputs.find((m) => m.header.msg_type === 'error');
    assert.ok(error);
    const content = error.content as { ename: string; traceback: string[] };
    assert.equal(content.ename, 'ZeroDivisionError');
    assert.ok(content.traceback.some((l) => l.includes('return 1/0')));
    assert.ok(!content.traceback.some((l) => l.includes('runner.py')), content.traceback.join('\n'));
    // Frames are named after the prompt the user sees, as ipykernel does.
    const count = (result.reply.content as { execution_count: number }).execution_count;
    assert.ok(
      content.traceback.some((l) => l.includes(`File "<cell In[${count}]>"`)),
      content.traceback.join('\n'),
    );
  });

  test('user_expressions are evaluated in the session after the cell', async () => {
    const result = await kernel.client.execute('y = 3', {
      userExpressions: { product: 'x * y', broken: '1/0' },
    });
    const expressions = (
      result.reply.content as {
        user_expressions: Record<string, { status: string; data?: Record<string, string>; ename?: string }>;
      }
    ).user_expressions;
    assert.deepEqual(expressions.product, { status: 'ok', data: { 'text/plain': '60' }, metadata: {} });
    assert.equal(expressions.broken.status, 'error');
    assert.equal(expressions.broken.ename, 'ZeroDivisionError');
  });

  test('history: tail and search over this kernel inputs', async () => {
    const tail = await kernel.client.request(
      'history_request',
      { hist_access_type: 'tail', n: 2, output: false, raw: true },
      'shell',
    );
    const history = (tail.content as { history: [number, number, string][] }).history;
    assert.equal(history.length, 2);
    const search = await kernel.client.request(
      'history_request',
      { hist_access_type: 'search', pattern: 'x = 20*', output: false, raw: true, n: 10 },
      'shell',
    );
    const found = (search.content as { history: [number, number, string][] }).history;
    assert.ok(found.some(([, , input]) => input.startsWith('x = 20')));
  });

  test('unknown magics suggest the nearest name; magic-only cells do not start anything', async () => {
    const result = await kernel.client.execute('%stop_sesion');
    const content = result.reply.content as { status: string; evalue: string };
    assert.equal(content.status, 'error');
    assert.match(content.evalue, /Did you mean %stop_session\?/);
  });
});

test('the kernel exits when its parent process dies', async () => {
  const connection = await newConnectionInfo();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-parent-'));
  const file = path.join(dir, 'conn.json');
  fs.writeFileSync(file, JSON.stringify(connection));
  // A parent process that starts the kernel (JPY_PARENT_PID = itself), prints its pid, then waits.
  const parentScript = `
    const { spawn } = require('child_process');
    const k = spawn(process.execPath, ${JSON.stringify([CLI, 'kernel', '--kind', 'pyspark', '-f', file])},
      { env: { ...process.env, JPY_PARENT_PID: String(process.pid) }, stdio: 'ignore', detached: true });
    console.log(k.pid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentScript], {
    env: localEnv(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kernelPid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const client = await KernelClient.connect(connection);
  try {
    await client.waitForReady(20_000);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    let alive = true;
    while (Date.now() < deadline && alive) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        process.kill(kernelPid, 0);
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the kernel should exit within 10 s of its parent dying');
  } finally {
    // On any failure above, the parent must not outlive the test either.
    parent.kill('SIGKILL');
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      process.kill(kernelPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

test('SIGINT does not kill the kernel; SIGTERM shuts it down cleanly', async () => {
  const kernel = await startKernelProcess('pyspark', localEnv());
  try {
    kernel.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    const info = await kernel.client.request('kernel_info_request', {}, 'shell');
    assert.equal((info.content as { status: string }).status, 'ok');
    const exited = new Promise<number | null>((resolve) =>
      kernel.child.once('exit', (code) => resolve(code)),
    );
    kernel.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    await kernel.stop();
  }
});
