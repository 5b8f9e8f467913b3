// The server driven by Debian's real jupyter_client (a libzmq peer we did not write): a child node
// process runs the fake kernel, a Python script uses BlockingKernelClient against it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { newConnectionInfo } from '../../../src/notebook/run-notebook';
import { jupyterPython, need } from '../../helpers/tools';

const PYTHON_SCRIPT = String.raw`
import json, sys
from jupyter_client import BlockingKernelClient

kc = BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file()
kc.start_channels()
kc.wait_for_ready(timeout=30)
result = {}

outputs = []
reply = kc.execute_interactive("print:hello\nresult:42", timeout=15,
                               output_hook=lambda m: outputs.append([m["msg_type"], m["content"]]))
result["ok"] = {"reply": reply["content"], "outputs": outputs}

outputs = []
reply = kc.execute_interactive("fail:boom", timeout=15,
                               output_hook=lambda m: outputs.append([m["msg_type"], m["content"]]))
result["error"] = {"reply": reply["content"], "outputs": outputs}

outputs = []
reply = kc.execute_interactive("input:Name? ", timeout=15, allow_stdin=True,
                               stdin_hook=lambda m: kc.input("Grace"),
                               output_hook=lambda m: outputs.append([m["msg_type"], m["content"]]))
result["input"] = {"reply": reply["content"], "outputs": outputs}

result["complete"] = kc.complete("pri", 3, reply=True, timeout=10)["content"]
result["history"] = kc.history(hist_access_type="tail", n=3, output=False, raw=True, reply=True, timeout=10)["content"]
result["hb"] = kc.hb_channel.is_beating()
print(json.dumps(result))
sys.stdout.flush()
kc.shutdown()
kc.stop_channels()
`;

function run(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

it('jupyter_client.BlockingKernelClient drives the server', { timeout: 90_000 }, async (t) => {
  const python = need(t, jupyterPython(), "Debian's python3-jupyter-client");
  if (!python) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-jc-'));
  const connectionFile = path.join(dir, 'kernel.json');
  const scriptFile = path.join(dir, 'drive.py');
  const connection = { ...(await newConnectionInfo()), kernel_name: 'fake' };
  fs.writeFileSync(connectionFile, JSON.stringify(connection), { mode: 0o600 });
  fs.writeFileSync(scriptFile, PYTHON_SCRIPT);

  const kernelScript = path.join(__dirname, 'fixtures', 'fake-kernel.js');
  const kernel = spawn(process.execPath, [kernelScript, connectionFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let kernelStderr = '';
  kernel.stderr?.on('data', (d: Buffer) => (kernelStderr += d.toString()));
  try {
    const driven = await run(python, [scriptFile, connectionFile], 60_000);
    assert.equal(driven.code, 0, `python failed:\n${driven.stderr}\nkernel:\n${kernelStderr}`);
    const result = JSON.parse(driven.stdout.trim().split('\n').at(-1) as string);

    assert.equal(result.ok.reply.status, 'ok');
    assert.equal(result.ok.reply.execution_count, 1);
    assert.deepEqual(result.ok.outputs, [
      ['status', { execution_state: 'busy' }],
      ['execute_input', { code: 'print:hello\nresult:42', execution_count: 1 }],
      ['stream', { name: 'stdout', text: 'hello\n' }],
      ['execute_result', { execution_count: 1, data: { 'text/plain': '42' }, metadata: {} }],
      ['status', { execution_state: 'idle' }],
    ]);

    assert.equal(result.error.reply.status, 'error');
    assert.equal(result.error.reply.ename, 'FakeError');
    assert.equal(result.error.reply.execution_count, 2);
    assert.deepEqual(
      result.error.outputs.map((o: [string, unknown]) => o[0]),
      ['status', 'execute_input', 'error', 'status'],
    );

    assert.equal(result.input.reply.status, 'ok');
    assert.ok(result.input.outputs.some((o: [string, { text?: string }]) => o[1].text === 'got Grace\n'));

    assert.deepEqual(result.complete.matches, ['print', 'printf']);
    assert.equal(result.complete.cursor_start, 0);
    assert.deepEqual(
      result.history.history.map((e: [number, number, string]) => e[2]),
      ['print:hello\nresult:42', 'fail:boom', 'input:Name? '],
    );
    assert.equal(result.hb, true);

    assert.equal(await exited(kernel, 10_000), 0, `kernel did not exit cleanly:\n${kernelStderr}`);
    assert.match(kernelStderr, /closed \(shutdown_request\)/);
  } finally {
    if (kernel.exitCode === null) kernel.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// jupyter_client's own Session signs one execute_request; the script sends those exact frames three
// times on shell and three times on control, then runs a fresh cell, and reports every stream.
const REPLAY_SCRIPT = String.raw`
import json, sys, zmq
from jupyter_client import BlockingKernelClient

kc = BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file()
kc.start_channels()
kc.wait_for_ready(timeout=30)
msg = kc.session.msg("execute_request", {"code": "print:replayed", "silent": False, "store_history": True,
                                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
frames = kc.session.serialize(msg)
ctx = zmq.Context.instance()
sockets = []
for channel in ("shell", "control"):
    s = ctx.socket(zmq.DEALER)
    s.connect(kc._make_url(channel))
    sockets.append(s)
for _ in range(3):
    for s in sockets:
        s.send_multipart(frames)
texts = []
def read_until_idle(msg_id):
    while True:
        m = kc.get_iopub_msg(timeout=15)
        if m["msg_type"] == "stream":
            texts.append(m["content"]["text"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" and m["parent_header"].get("msg_id") == msg_id:
            return
read_until_idle(msg["header"]["msg_id"])
read_until_idle(kc.execute("print:after"))
print(json.dumps({"texts": texts}))
sys.stdout.flush()
for s in sockets:
    s.close(linger=0)
kc.shutdown()
kc.stop_channels()
`;

it(
  'a message replayed with jupyter_client (same signed frames, shell and control) runs once',
  { timeout: 90_000 },
  async (t) => {
    const python = need(t, jupyterPython(), "Debian's python3-jupyter-client");
    if (!python) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-replay-'));
    const connectionFile = path.join(dir, 'kernel.json');
    const scriptFile = path.join(dir, 'replay.py');
    fs.writeFileSync(
      connectionFile,
      JSON.stringify({ ...(await newConnectionInfo()), kernel_name: 'fake' }),
      {
        mode: 0o600,
      },
    );
    fs.writeFileSync(scriptFile, REPLAY_SCRIPT);
    const kernel = spawn(
      process.execPath,
      [path.join(__dirname, 'fixtures', 'fake-kernel.js'), connectionFile],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let kernelStderr = '';
    kernel.stderr?.on('data', (d: Buffer) => (kernelStderr += d.toString()));
    try {
      const driven = await run(python, [scriptFile, connectionFile], 60_000);
      assert.equal(driven.code, 0, `python failed:\n${driven.stderr}\nkernel:\n${kernelStderr}`);
      const { texts } = JSON.parse(driven.stdout.trim().split('\n').at(-1) as string) as { texts: string[] };
      assert.deepEqual(texts, ['replayed\n', 'after\n'], 'the replayed request ran once; the next cell ran');
      assert.equal(await exited(kernel, 10_000), 0, `kernel did not exit cleanly:\n${kernelStderr}`);
      assert.equal(kernelStderr.match(/replayed message/g)?.length, 1, `logged once:\n${kernelStderr}`);
    } finally {
      if (kernel.exitCode === null) kernel.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
