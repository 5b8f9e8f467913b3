// The README's first command, exactly as written, on a fresh clone of the committed HEAD with an
// empty HOME and data directory (so the engine is set up on first use, and nothing of the
// developer's own HOME is read or written): the demo notebook it writes must hold a DataFrame
// result, an HTML table and a PNG, and no error but the deliberate one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { run } from '../../helpers/kernel-env';
import { hasExecutable, jupyterPython, need, REPO_ROOT } from '../../helpers/tools';

type Output = {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
};
type Cell = { cell_type: string; metadata: { tags?: string[] }; outputs?: Output[] };

const joined = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join('') : (value ?? '');

/** The first command of the README's quick start, split into argument arrays at `&&`. */
function readmeFirstCommand(): { line: string; commands: string[][] } {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([^\n]*)\n/.exec(readme);
  assert.ok(block, 'the README has a sh code block');
  const line = block[1].replace(/\s+#.*$/, '').trim();
  return { line, commands: line.split('&&').map((c) => c.trim().split(/\s+/)) };
}

/** What npm's cache is for the real user, so the clone's npm ci reads packages from it. */
function npmCache(): string | undefined {
  const result = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The user's pip configuration file (where pip finds packages: an index, a wheelhouse), if any. */
function userPipConfig(): string | undefined {
  const home = os.homedir();
  const configHome = process.env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return [path.join(configHome, 'pip', 'pip.conf'), path.join(home, '.pip', 'pip.conf')].find((f) =>
    fs.existsSync(f),
  );
}

/** Revenue (quantity × unit_price) per region, from the CSV the demo reads. */
function revenueByRegion(csv: string): Map<string, number> {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.split(',');
  const at = (name: string) => columns.indexOf(name);
  const totals = new Map<string, number>();
  for (const row of rows) {
    const v = row.split(',');
    const region = v[at('region')];
    totals.set(region, (totals.get(region) ?? 0) + Number(v[at('quantity')]) * Number(v[at('unit_price')]));
  }
  return totals;
}

test("the README's first command runs the demo on a fresh clone", { timeout: 1_800_000 }, async (t) => {
  if (!need(t, hasExecutable('git') || undefined, 'git')) return;
  if (!need(t, hasExecutable('npm') || undefined, 'npm')) return;
  const venv = spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
  if (!need(t, venv || undefined, 'python3 with its venv module (Debian: python3-venv)')) return;
  if (!fs.existsSync(path.join(REPO_ROOT, 'src', 'runner', 'python', 'awsglue-compat'))) {
    const message =
      'the demo needs the awsglue compatibility package (src/runner/python/awsglue-compat), which this checkout does not have';
    if (process.env.CI === 'true') throw new Error(message);
    t.skip(message);
    return;
  }

  const { line, commands } = readmeFirstCommand();
  assert.equal(line, 'npm ci && npm run demo', "the README's first command is the demo");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-readme-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const clone = path.join(dir, 'clone');
  const home = path.join(dir, 'home');
  const dataHome = path.join(home, '.local', 'share');
  fs.mkdirSync(dataHome, { recursive: true });
  const cloned = await run('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone]);
  assert.equal(cloned.code, 0, cloned.stderr);

  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(AWS_|glue_|GLUE_|XDG_|JUPYTER)/.test(name)) env[name] = value;
  Object.assign(env, {
    HOME: home,
    XDG_DATA_HOME: dataHome,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });
  // npm reads the packages from the user's cache instead of downloading them all again.
  const cache = npmCache();
  if (cache) env.npm_config_cache = cache;
  // pip installs the engine as this user's pip is configured: a copy of that configuration.
  const pipConfig = userPipConfig();
  if (pipConfig) {
    fs.mkdirSync(path.join(home, '.config', 'pip'), { recursive: true });
    fs.copyFileSync(pipConfig, path.join(home, '.config', 'pip', 'pip.conf'));
  }
  let log = '';
  for (const argv of commands) {
    const result = await run(argv[0], argv.slice(1), { cwd: clone, env, timeoutMs: 1_500_000 });
    log += `$ ${argv.join(' ')}\n${result.stdout}${result.stderr}`;
    assert.equal(result.code, 0, `${argv.join(' ')} failed:\n${log.slice(-6000)}`);
  }
  assert.ok(fs.readdirSync(dataHome).length > 0, 'the engine was set up in the empty data directory');

  const written = fs.readdirSync(path.join(clone, 'examples')).filter((f) => f.endsWith('.out.ipynb'));
  assert.equal(written.length, 1, `one notebook written: ${written.join(', ')}`);
  const file = path.join(clone, 'examples', written[0]);
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Cell[] };
  const outputs = notebook.cells.flatMap((cell) => (cell.outputs ?? []).map((output) => ({ cell, output })));
  const texts = outputs.map(({ output }) => joined(output.text) + joined(output.data?.['text/plain']));

  const totals = revenueByRegion(fs.readFileSync(path.join(clone, 'examples', 'data', 'orders.csv'), 'utf8'));
  for (const [region, revenue] of totals) {
    const row = new RegExp(`${region}\\W[^\\n]*\\b${revenue}\\b`);
    assert.ok(
      texts.some((text) => row.test(text)),
      `a DataFrame result shows ${region}'s revenue ${revenue}`,
    );
  }
  assert.ok(
    outputs.some(({ output }) => /<table/i.test(joined(output.data?.['text/html']))),
    'an HTML table (text/html with <table)',
  );
  const png = outputs.find(({ output }) => output.data?.['image/png']);
  assert.ok(png, 'a PNG chart');
  const bytes = Buffer.from(joined(png.output.data?.['image/png']), 'base64');
  assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')], 'the image is a PNG');
  const errors = outputs.filter(({ output }) => output.output_type === 'error');
  assert.equal(errors.length, 1, `only the deliberate error: ${JSON.stringify(errors.map((e) => e.output))}`);
  assert.ok(errors[0].cell.metadata.tags?.includes('raises-exception'), 'the error is the deliberate one');

  const nbformat = jupyterPython(['nbformat']);
  if (nbformat) {
    const check = await run(nbformat, [
      '-c',
      'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))',
      file,
    ]);
    assert.equal(check.code, 0, check.stderr);
  } else t.diagnostic("Debian's python3-nbformat is not installed: the notebook's schema was not checked");
});
