// The managed environment's folder, status, lock and failure paths (the full build with pip is
// tested in test/integration/cli/setup-command.test.ts, with pip failing).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  checkEngineEnv,
  ENGINE_MARKER,
  engineDirFromEnv,
  EngineEnvError,
  ensureEngineEnv,
  removeEngineEnv,
} from '../../../src/runner/engine-env';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-env-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Anything an attempt left in the parent folder (temporary builds, locks, a half-made env). */
function leftovers(): string[] {
  return fs.readdirSync(root);
}

describe('engineDirFromEnv', () => {
  it('uses XDG_DATA_HOME, else ~/.local/share; glue_engine_dir overrides both', () => {
    assert.equal(engineDirFromEnv({ HOME: '/home/u', XDG_DATA_HOME: '/data' }), '/data/glue-kernel/engine');
    assert.equal(engineDirFromEnv({ HOME: '/home/u' }), '/home/u/.local/share/glue-kernel/engine');
    assert.equal(
      engineDirFromEnv({ HOME: '/home/u', XDG_DATA_HOME: 'relative' }),
      '/home/u/.local/share/glue-kernel/engine',
      'a relative XDG_DATA_HOME is ignored, as the XDG spec says',
    );
    assert.equal(
      engineDirFromEnv({ HOME: '/home/u', glue_engine_dir: '~/engines/glue' }),
      '/home/u/engines/glue',
    );
    assert.equal(
      engineDirFromEnv({ HOME: '/home/u', GLUE_ENGINE_DIR: '/opt/glue-engine' }),
      '/opt/glue-engine',
    );
  });
});

describe('checkEngineEnv', () => {
  it('tells missing, incomplete and ready apart', () => {
    const dir = path.join(root, 'engine');
    assert.equal(checkEngineEnv({ dir }).state, 'missing');
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const broken = checkEngineEnv({ dir });
    assert.equal(broken.state, 'broken');
    fs.writeFileSync(path.join(dir, 'bin', 'python'), '');
    const manifest = {
      python: '3.11.2',
      packages: { duckdb: '1.5.6' },
      basePython: 'python3',
      createdAt: 'now',
    };
    fs.writeFileSync(path.join(dir, ENGINE_MARKER), JSON.stringify(manifest));
    const ready = checkEngineEnv({ dir });
    assert.equal(ready.state, 'ready');
    assert.equal(ready.state === 'ready' && ready.python, path.join(dir, 'bin', 'python'));
  });
});

describe('ensureEngineEnv failures leave nothing behind', () => {
  it('no Python: says what to install', async () => {
    const dir = path.join(root, 'engine');
    await assert.rejects(
      ensureEngineEnv({ dir, basePython: path.join(root, 'no-such-python3') }),
      (error: Error) =>
        error instanceof EngineEnvError &&
        /Python 3 was not found .*sudo apt-get install python3 python3-venv.*glue_python/.test(error.message),
    );
    assert.deepEqual(leftovers(), []);
  });

  it('a Python whose venv module is missing: names python3-venv', async (t) => {
    const python = ['/usr/bin/python3', 'python3'].find(
      (p) => spawnSync(p, ['-c', 'pass'], { stdio: 'ignore' }).status === 0,
    );
    if (!python) return t.skip('no python3');
    // A real Python with its venv module shadowed, as on Debian without python3-venv.
    const shadow = path.join(root, 'shadow');
    fs.mkdirSync(path.join(shadow, 'venv'), { recursive: true });
    fs.writeFileSync(
      path.join(shadow, 'venv', '__init__.py'),
      'raise ImportError("No module named \'ensurepip\'")\n',
    );
    const dir = path.join(root, 'engine');
    await assert.rejects(
      ensureEngineEnv({ dir, basePython: python, env: { ...process.env, PYTHONPATH: shadow } }),
      (error: Error) =>
        error instanceof EngineEnvError &&
        /cannot create virtual environments.*install python3-venv \(sudo apt-get install python3-venv, or python3\.\d+-venv\)/.test(
          error.message,
        ),
    );
    assert.deepEqual(leftovers(), ['shadow']);
  });
});

describe('the lock', () => {
  it('waits for a live owner and reports it, takes over a dead one', async () => {
    const dir = path.join(root, 'engine');
    fs.mkdirSync(dir);
    const lock = `${dir}.lock`;
    // A live owner: this process. removeEngineEnv must wait until the lock is gone.
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), `${process.pid}\n`);
    const lines: string[] = [];
    let done = false;
    const removing = removeEngineEnv({ dir, onProgress: (line) => lines.push(line) }).then(
      () => (done = true),
    );
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(done, false, 'waits while the owner lives');
    assert.ok(fs.existsSync(dir));
    assert.deepEqual(lines, [
      `Waiting for another glue-kernel process (pid ${process.pid}) that is creating the Python environment…`,
    ]);
    fs.rmSync(lock, { recursive: true });
    await removing;
    assert.deepEqual(leftovers(), [], 'removed, and the lock released');

    // A dead owner: a finished child's pid.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    fs.mkdirSync(dir);
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), `${child.stdout}\n`);
    await removeEngineEnv({ dir });
    assert.deepEqual(leftovers(), []);
  });
});
