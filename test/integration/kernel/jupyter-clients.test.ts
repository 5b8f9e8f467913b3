// The kernel under Jupyter's own clients: nbclient (papermill/nbconvert), jupyter console
// (multi-line input, Ctrl-C) and jupyter kernelspec list.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CLI, installedKernelEnv, run } from '../../helpers/kernel-env';
import { DEBIAN_PYTHON, hasExecutable, jupyterPython, need, REPO_ROOT } from '../../helpers/tools';

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'glue_pyspark', display_name: 'Glue PySpark', language: 'python' } },
    cells: cells.map((source) => ({
      cell_type: 'code',
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
  });
}

test('nbclient executes a notebook on glue_pyspark', async (t) => {
  const python = need(t, jupyterPython(['nbclient', 'nbformat']), 'Debian python3-nbclient');
  if (!python) return;
  const kernels = installedKernelEnv();
  try {
    const file = path.join(kernels.dir, 'nb.ipynb');
    fs.writeFileSync(
      file,
      notebook(['%help', 'a = 21', 'print("answer:", a * 2)', 'for i in range(2):\n    print(i)']),
    );
    const result = await run(
      python,
      [path.join(REPO_ROOT, 'test', 'python', 'run_nbclient.py'), file, 'glue_pyspark'],
      {
        env: kernels.env,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const cells = JSON.parse(result.stdout) as {
      execution_count: number;
      outputs: { output_type: string; text?: string; data?: Record<string, string> }[];
    }[];
    assert.equal(cells.length, 4);
    assert.ok(
      cells[0].outputs.some(
        (o) => o.output_type === 'display_data' && o.data?.['text/markdown']?.includes('%stop_session'),
      ),
    );
    const text = cells[2].outputs
      .filter((o) => o.output_type === 'stream')
      .map((o) => o.text)
      .join('');
    assert.match(text, /answer: 42/);
    assert.deepEqual(
      cells.map((c) => c.execution_count),
      [1, 2, 3, 4],
    );
    assert.match(cells[3].outputs.map((o) => o.text).join(''), /0\n1\n/);
  } finally {
    kernels.cleanup();
  }
});

test('jupyter kernelspec list shows both kernels after glue-kernel install --user', async (t) => {
  const jupyter = need(
    t,
    hasExecutable('jupyter') && fs.existsSync('/usr/bin/jupyter-kernelspec') ? 'jupyter' : undefined,
    "Debian's jupyter-client (jupyter kernelspec)",
  );
  if (!jupyter) return;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const name of ['XDG_DATA_HOME', 'JUPYTER_DATA_DIR', 'JUPYTER_PATH']) delete env[name];
  try {
    const install = await run(process.execPath, [CLI, 'install', '--user'], { env });
    assert.equal(install.code, 0, install.stderr);
    const list = await run('jupyter', ['kernelspec', 'list', '--json'], { env });
    assert.equal(list.code, 0, list.stderr);
    const specs = (
      JSON.parse(list.stdout) as {
        kernelspecs: Record<
          string,
          { resource_dir: string; spec: { argv: string[]; display_name: string; interrupt_mode?: string } }
        >;
      }
    ).kernelspecs;
    assert.equal(specs.glue_pyspark?.spec.display_name, 'Glue PySpark');
    assert.equal(specs.glue_spark?.spec.display_name, 'Glue Spark');
    assert.equal(specs.glue_pyspark.spec.interrupt_mode, 'message');
    assert.ok(path.isAbsolute(specs.glue_pyspark.spec.argv[0]), 'argv starts with an absolute path to node');
    assert.ok(specs.glue_pyspark.resource_dir.startsWith(home));
    assert.ok(fs.existsSync(path.join(specs.glue_pyspark.resource_dir, 'logo-64x64.png')));
    const uninstall = await run(process.execPath, [CLI, 'uninstall', '--user'], { env });
    assert.equal(uninstall.code, 0);
    const after = JSON.parse((await run('jupyter', ['kernelspec', 'list', '--json'], { env })).stdout) as {
      kernelspecs: Record<string, unknown>;
    };
    assert.equal(after.kernelspecs.glue_pyspark, undefined);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

async function waitForPane(session: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = (await run('tmux', ['capture-pane', '-p', '-t', session, '-S', '-200'])).stdout;
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${pattern} in the console; screen:\n${screen}`);
}

interface ConsoleSession {
  send(...keys: string[]): Promise<unknown>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
}

async function withConsole(
  t: TestContext,
  extraArgs: string[],
  body: (console: ConsoleSession) => Promise<void>,
): Promise<void> {
  const available = need(
    t,
    fs.existsSync('/usr/bin/jupyter-console') && hasExecutable('tmux') ? true : undefined,
    'Debian jupyter-console and tmux',
  );
  if (!available) return;
  const kernels = installedKernelEnv();
  const session = `glue-console-${process.pid}-${extraArgs.length}`;
  const envArgs = Object.entries({
    JUPYTER_PATH: kernels.env.JUPYTER_PATH,
    JUPYTER_RUNTIME_DIR: kernels.env.JUPYTER_RUNTIME_DIR,
    HOME: kernels.dir,
  }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const send = (...keys: string[]) => run('tmux', ['send-keys', '-t', session, ...keys]);
  try {
    const started = await run('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '200',
      '-y',
      '50',
      ...envArgs,
      DEBIAN_PYTHON,
      '-m',
      'jupyter_console',
      '--kernel',
      'glue_pyspark',
      ...extraArgs,
    ]);
    assert.equal(started.code, 0, started.stderr);
    // Debian's jupyter-console 6.4.4 with Python 3.11 sometimes reports a prompt_toolkit
    // event-loop error at start-up and waits for Enter; that is the console, not the kernel.
    const start = await waitForPane(session, /In \[1\]|Press ENTER to continue/, 60_000);
    if (/Press ENTER to continue/.test(start)) {
      await send('Enter');
      await waitForPane(session, /In \[1\]/, 10_000);
    }
    await body({ send, waitFor: (pattern, timeoutMs) => waitForPane(session, pattern, timeoutMs) });
  } finally {
    await run('tmux', ['kill-session', '-t', session]).catch(() => undefined);
    kernels.cleanup();
  }
}

test('jupyter console: multi-line input uses the kernel is_complete', async (t) => {
  await withConsole(t, [], async ({ send, waitFor }) => {
    await send('def double(x):', 'Enter');
    // The console asks the kernel (is_complete) and indents the continuation line itself.
    await waitFor(/\.\.\.:/, 10_000);
    await send('return x * 2', 'Enter');
    await waitFor(/\.\.\.:\s+return x \* 2\s*\n\s*\.\.\.:/, 10_000);
    await send('Enter');
    await waitFor(/In \[2\]/, 60_000);
    await send('double(21)', 'Enter');
    await waitFor(/^42$/m, 30_000);
  });
});

// Debian's jupyter-console 6.4.4 relays Ctrl-C to the kernel only in --simple-prompt mode
// (with the prompt_toolkit UI the KeyboardInterrupt "escapes interact()" for every kernel,
// ipykernel included), so the interrupt is checked there.
test('jupyter console: Ctrl-C interrupts a running cell and keeps the variables', async (t) => {
  await withConsole(t, ['--simple-prompt'], async ({ send, waitFor }) => {
    await send('x = 21', 'Enter');
    await waitFor(/In \[2\]/, 60_000);
    await send('import time; time.sleep(30)', 'Enter');
    await new Promise((r) => setTimeout(r, 1000));
    const interruptedAt = Date.now();
    await send('C-c');
    await waitFor(/KeyboardInterrupt/, 5_000);
    assert.ok(Date.now() - interruptedAt < 3000, 'Ctrl-C interrupted the statement promptly');
    await waitFor(/In \[3\]/, 10_000);
    await send('print(x * 2)', 'Enter');
    await waitFor(/^42$/m, 30_000);
  });
});
