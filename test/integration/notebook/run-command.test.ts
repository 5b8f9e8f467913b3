// `glue-kernel run` as CI uses it: parameters (-p, -f) injected after the parameters cell, a
// failing cell, a raises-exception cell, --dry-run and bad input. Every written notebook is
// validated by Debian's python3-nbformat.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CLI, run } from '../../helpers/kernel-env';
import { jupyterPython, need, runnerPython } from '../../helpers/tools';

type Cell = {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
};
type Output = { output_type: string; name?: string; text?: string; ename?: string; evalue?: string };
type Notebook = { cells: Cell[] };

function code(source: string, tags?: string[]) {
  return { cell_type: 'code', source, metadata: tags ? { tags } : {}, outputs: [], execution_count: null };
}

function writeNotebook(dir: string, cells: unknown[]): string {
  const file = path.join(dir, 'in.ipynb');
  const notebook = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { name: 'glue_pyspark', display_name: 'Glue PySpark', language: 'python' } },
    cells: [{ cell_type: 'markdown', source: '# test', metadata: {} }, ...cells],
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
  return file;
}

function glueRun(args: string[], cwd: string) {
  return run(process.execPath, [CLI, 'run', '--backend', 'local', '--python', runnerPython(), ...args], {
    cwd,
    env: { ...process.env, CI: undefined, glue_log_level: undefined },
  });
}

function stdoutOf(cell: Cell): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
    .map((o) => o.text)
    .join('');
}

/** Validates with Debian's nbformat; undefined when the test was skipped for lack of it. */
async function assertValid(t: TestContext, file: string): Promise<Notebook | undefined> {
  const python = need(t, jupyterPython(['nbformat']), "Debian's python3-nbformat");
  if (!python) return undefined;
  const check = await run(python, [
    '-c',
    'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")',
    file,
  ]);
  assert.equal(check.stdout.trim(), 'valid', check.stderr);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-run-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('-p and -f parameters are injected after the parameters cell; -p wins; types are Python’s', async (t) => {
  const dir = tempDir(t);
  const file = writeNotebook(dir, [
    code('n = 1\nratio = 0.5\nlabel = "default"\nitems = []\nflag = False', ['parameters']),
    code(
      'print(repr(n), type(n).__name__, repr(ratio), type(ratio).__name__, repr(label), repr(items), repr(flag))',
    ),
    code('import os\nprint(os.path.basename(os.getcwd()))'),
  ]);
  fs.writeFileSync(path.join(dir, 'params.json'), JSON.stringify({ flag: true, n: 99, label: 'from file' }));
  const out = path.join(dir, 'out.ipynb');
  const result = await glueRun(
    [
      'in.ipynb',
      '-o',
      out,
      '-f',
      'params.json',
      '-p',
      'n=5',
      '-p',
      'ratio=2.0',
      '-p',
      'label=hello world',
      '-p',
      'items=[1, "a"]',
    ],
    dir,
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /Parameters injected as cell 3, after the cell tagged "parameters"/);
  assert.match(result.stdout, /4 code cells in [\d.]+ s: 4 ok, 0 failed/);
  const notebook = await assertValid(t, out);
  if (!notebook) return;
  const injected = notebook.cells[2];
  assert.deepEqual(injected.metadata.tags, ['injected-parameters']);
  assert.deepEqual(injected.source, [
    '# Parameters\n',
    'flag = True\n',
    'n = 5\n',
    'label = "hello world"\n',
    'ratio = 2.0\n',
    'items = [1, "a"]',
  ]);
  assert.equal(stdoutOf(notebook.cells[3]), "5 int 2.0 float 'hello world' [1, 'a'] True\n");
  assert.equal(stdoutOf(notebook.cells[4]), `${path.basename(dir)}\n`, 'cells run in the notebook’s folder');
  const input = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  assert.equal(input.cells.length, 4, 'the input notebook is left as it was');
});

test('a failing cell: exit status 1, later cells not run, the notebook written with the error', async (t) => {
  const dir = tempDir(t);
  writeNotebook(dir, [
    code('x = 1\nprint("first")'),
    code('1/0', ['raises-exception']),
    code('raise ValueError("boom " + str(x))'),
    code('print("never")'),
  ]);
  const out = path.join(dir, 'out.ipynb');
  const result = await glueRun(['in.ipynb', '-o', out], dir);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /failed as expected \(raises-exception\)/);
  assert.match(result.stdout, /4 code cells in [\d.]+ s: 1 ok, 1 failed as expected, 1 failed, 1 not run\./);
  assert.match(
    result.stdout,
    /Cell 4 \(raise ValueError\("boom " \+ str\(x\)\)\) failed: ValueError: boom 1\n/,
  );
  assert.match(
    result.stdout,
    /The 1 cell after it did not run\. The notebook with the error is in .*out\.ipynb/,
  );
  const notebook = await assertValid(t, out);
  if (!notebook) return;
  assert.match(stdoutOf(notebook.cells[1]), /(^|\n)first\n$/, 'after the engine line of the first cell');
  assert.equal(notebook.cells[2].outputs?.find((o) => o.output_type === 'error')?.ename, 'ZeroDivisionError');
  const error = notebook.cells[3].outputs?.find((o) => o.output_type === 'error');
  assert.deepEqual([error?.ename, error?.evalue], ['ValueError', 'boom 1']);
  assert.deepEqual(notebook.cells[4].outputs, [], 'the cell after the failure did not run');

  const allowed = await glueRun(['in.ipynb', '-o', out, '--allow-errors'], dir);
  assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
  const all = await assertValid(t, out);
  assert.equal(all && stdoutOf(all.cells[4]), 'never\n');
});

test('--dry-run lists the cells it would run, with the injected parameters, and runs nothing', async (t) => {
  const dir = tempDir(t);
  writeNotebook(dir, [
    code('n = 1', ['parameters']),
    code('\n\nopen("ran.txt", "w").write("ran")'),
    code('1/0', ['raises-exception']),
  ]);
  const out = path.join(dir, 'out.ipynb');
  const result = await glueRun(['in.ipynb', '-o', out, '--dry-run', '-p', 'n=2'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(
    result.stdout,
    'Would run in.ipynb on the Glue PySpark kernel (local backend):\n' +
      'Parameters injected as cell 3, after the cell tagged "parameters".\n' +
      '    2  parameters           n = 1\n' +
      '    3  injected-parameters  # Parameters\n' +
      '    4  code                 open("ran.txt", "w").write("ran")\n' +
      '    5  raises-exception     1/0\n' +
      'Nothing was run (--dry-run).\n',
  );
  assert.ok(!fs.existsSync(out), 'no notebook written');
  assert.ok(!fs.existsSync(path.join(dir, 'ran.txt')), 'no cell ran');
});

test('bad parameters are refused before anything runs, saying what to fix', async (t) => {
  const dir = tempDir(t);
  writeNotebook(dir, [code('open("ran.txt", "w").write("ran")')]);
  const out = path.join(dir, 'out.ipynb');
  const badName = await glueRun(['in.ipynb', '-o', out, '-p', '1x=3'], dir);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /glue-kernel: -p 1x=3: "1x" is not a valid Python variable name/);
  fs.writeFileSync(path.join(dir, 'list.json'), '[1, 2]');
  const badFile = await glueRun(['in.ipynb', '-o', out, '-f', 'list.json'], dir);
  assert.equal(badFile.code, 1);
  assert.match(badFile.stderr, /-f list\.json: expected a JSON object of NAME: VALUE pairs/);
  const missing = await glueRun(['in.ipynb', '-o', out, '-f', 'nope.json'], dir);
  assert.match(missing.stderr, /-f nope\.json: not a readable JSON file/);
  assert.ok(!fs.existsSync(out) && !fs.existsSync(path.join(dir, 'ran.txt')), 'nothing ran, nothing written');
});
