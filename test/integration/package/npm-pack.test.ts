// The published package works on its own: npm pack, npm install -g of the tarball into a
// fresh prefix, glue-kernel install, then a real Jupyter client runs a cell on it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { run } from '../../helpers/kernel-env';
import { jupyterPython, need, REPO_ROOT, runnerPython } from '../../helpers/tools';

test('npm pack → npm install -g → glue-kernel install → a cell runs', { timeout: 600_000 }, async (t) => {
  const python = need(t, jupyterPython(), 'Debian python3-jupyter-client');
  if (!python) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-pack-'));
  try {
    // --ignore-scripts: the suite already built dist/; rebuilding it here would race other tests.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], {
      cwd: REPO_ROOT,
    });
    assert.equal(pack.code, 0, pack.stderr);
    const [{ filename, files }] = JSON.parse(pack.stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    const packed = files.map((f) => f.path);
    assert.ok(packed.includes('dist/src/cli/main.js'));
    assert.ok(packed.includes('dist/src/runner/runner.py'));
    assert.ok(packed.includes('assets/kernelspec/pyspark/logo-64x64.png'));
    assert.ok(packed.includes('assets/kernelspec/spark/logo-64x64.png'));
    assert.ok(
      !packed.some((p) => p.startsWith('test/') || p.startsWith('dist/test/')),
      'tests are not shipped',
    );

    const prefix = path.join(dir, 'prefix');
    const install = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', path.join(dir, filename)],
      {
        timeoutMs: 400_000,
      },
    );
    assert.equal(install.code, 0, install.stderr);
    const bin = path.join(prefix, 'bin', 'glue-kernel');
    const version = await run(bin, ['--version']);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);

    const jupyterDir = path.join(dir, 'jupyter');
    const kernelInstall = await run(bin, [
      'install',
      '--prefix',
      jupyterDir,
      '--backend',
      'local',
      '--env',
      `glue_python=${runnerPython()}`,
    ]);
    assert.equal(kernelInstall.code, 0, kernelInstall.stderr);
    const env = {
      ...process.env,
      JUPYTER_PATH: path.join(jupyterDir, 'share', 'jupyter'),
      JUPYTER_RUNTIME_DIR: path.join(dir, 'rt'),
    };
    const result = await run(
      python,
      [path.join(REPO_ROOT, 'test', 'python', 'execute_once.py'), 'glue_pyspark', 'print(6 * 7)'],
      { env },
    );
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { status: string; stdout: string; argv: string[] };
    assert.equal(parsed.status, 'ok');
    assert.match(parsed.stdout, /42/);
    assert.ok(
      parsed.argv[1].startsWith(prefix),
      `the kernelspec runs the installed package: ${parsed.argv[1]}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
