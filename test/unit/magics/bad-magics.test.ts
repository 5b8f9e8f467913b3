// The corpus of bad magic lines and bodies (test/data/bad-magics.json), each run through the
// kernel as a cell: the real cell splitter, registry, magic parsers and settings store. Each
// must end in the error it names, change no setting, start no session, print nothing else,
// never crash (no KernelError), and never show a secret it was given.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SettingsStore } from '../../../src/config';
import type { ExecuteOutcome, MimeBundle, OutputSink } from '../../../src/jupyter/interpreter';
import { GlueInterpreter } from '../../../src/kernel/glue-interpreter';
import { createLogger } from '../../../src/log/logger';
import { createRegistry } from '../../../src/magics';
import { createBackend } from '../../../src/session/factory';

interface Entry {
  cell: string;
  /** A regular expression the error message must match. */
  error: string;
  ename?: string;
  /** A cell run first, which must succeed. */
  setup?: string;
  /** Text that must appear in no output. */
  secret?: string;
}

const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'data', 'bad-magics.json');
const { entries } = JSON.parse(fs.readFileSync(CORPUS, 'utf8')) as { entries: Entry[] };

interface Recorded {
  streams: string[];
  displays: MimeBundle[];
  errors: { ename: string; evalue: string; traceback: string[] }[];
}

function recordingSink(): { sink: OutputSink; out: Recorded } {
  const out: Recorded = { streams: [], displays: [], errors: [] };
  const sink: OutputSink = {
    stream: (_name, text) => void out.streams.push(text),
    displayData: (data) => void out.displays.push(data),
    updateDisplayData: (data) => void out.displays.push(data),
    executeResult: (data) => void out.displays.push(data),
    error: (ename, evalue, traceback) => void out.errors.push({ ename, evalue, traceback }),
    clearOutput: () => undefined,
  };
  return { sink, out };
}

function kernel(): { interpreter: GlueInterpreter; settings: SettingsStore; hasSession: () => boolean } {
  const settings = new SettingsStore();
  const logger = createLogger('error', 'bad-magics', () => undefined);
  // A Glue backend with no region: any AWS call would fail with a RegionError, which no
  // entry expects, so an entry that reached AWS would fail the test.
  const backend = createBackend({
    kind: 'pyspark',
    logger,
    initial: undefined,
    resolve: async () => settings.resolve({}, {}),
    jobArguments: () => settings.jobArguments(),
  });
  const interpreter = new GlueInterpreter({
    kind: 'pyspark',
    backend,
    registry: createRegistry('pyspark'),
    logger,
    settings,
    env: {},
  });
  return { interpreter, settings, hasSession: () => backend.hasSession() };
}

async function run(
  interpreter: GlueInterpreter,
  code: string,
): Promise<{ outcome: ExecuteOutcome; out: Recorded }> {
  const { sink, out } = recordingSink();
  const outcome = await interpreter.execute(
    {
      code,
      silent: false,
      storeHistory: true,
      userExpressions: {},
      allowStdin: false,
      stopOnError: true,
      executionCount: 1,
    },
    { sink, signal: new AbortController().signal, input: async () => '' },
  );
  return { outcome, out };
}

function stateOf(settings: SettingsStore): string {
  return JSON.stringify({ overrides: settings.snapshot(), jobArguments: settings.jobArguments() });
}

function label(cell: string): string {
  const oneLine = JSON.stringify(cell);
  return oneLine.length > 90 ? `${oneLine.slice(0, 89)}…` : oneLine;
}

describe('the corpus of bad magic lines and bodies', () => {
  it('has at least 150 entries, each distinct', () => {
    assert.ok(entries.length >= 150, `${entries.length} entries`);
    assert.equal(new Set(entries.map((e) => `${e.setup ?? ''}\u0001${e.cell}`)).size, entries.length);
  });

  for (const entry of entries) {
    it(label(entry.cell), async () => {
      const { interpreter, settings, hasSession } = kernel();
      if (entry.setup !== undefined) {
        const setup = await run(interpreter, entry.setup);
        assert.equal(setup.outcome.status, 'ok', `setup: ${JSON.stringify(setup.out.errors)}`);
      }
      const before = stateOf(settings);
      const { outcome, out } = await run(interpreter, entry.cell);
      assert.equal(outcome.status, 'error', `expected an error, got ${JSON.stringify(out)}`);
      assert.ok(outcome.status === 'error');
      assert.equal(outcome.ename, entry.ename ?? 'UsageError', outcome.evalue);
      assert.match(outcome.evalue, new RegExp(entry.error, 's'));
      assert.equal(out.errors.length, 1, 'one error output');
      assert.equal(out.errors[0].evalue, outcome.evalue, 'the error output and the reply agree');
      assert.deepEqual(out.streams, [], 'nothing else is printed');
      assert.equal(stateOf(settings), before, 'no setting changed');
      assert.equal(hasSession(), false, 'no session');
      if (entry.secret !== undefined) {
        const shown = JSON.stringify({ outcome, out });
        assert.ok(!shown.includes(entry.secret), 'the secret is not shown');
      }
    });
  }
});

// The same kernel path for lines written as people write them (issue 8.5): a comment after
// the argument is dropped for every line magic; a # inside a value stays.
describe('magic lines with comments', () => {
  it('applies the value before the comment, and keeps a # inside a value', async () => {
    const { interpreter, settings } = kernel();
    const { outcome, out } = await run(
      interpreter,
      [
        '%worker_type G.2X  # bigger workers',
        '%number_of_workers 4\t# four',
        '%session_id_prefix team#1',
        '%idle_timeout 30 # minutes',
        '%extra_py_files s3://bucket/a.py,s3://bucket/b.py  # two files',
        '%%configure {"--conf": "spark.x=#1"}  # a job argument',
      ].join('\n'),
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(out.errors));
    assert.equal(settings.get('worker_type')?.value, 'G.2X');
    assert.equal(settings.get('number_of_workers')?.value, 4);
    assert.equal(settings.get('session_id_prefix')?.value, 'team#1');
    assert.equal(settings.get('idle_timeout')?.value, 30);
    assert.deepEqual(settings.get('extra_py_files')?.value, ['s3://bucket/a.py', 's3://bucket/b.py']);
    assert.deepEqual(settings.jobArguments(), { '--conf': 'spark.x=#1' });
    assert.match(out.streams.join(''), /Setting new worker type to: G\.2X\n/);
  });
});
