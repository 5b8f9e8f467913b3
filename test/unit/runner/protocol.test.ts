// Pure parts of the runner driver: event parsing, line splitting, sync markers, output folding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldStreams, runnerDiedOutput, trimTrailingNewline } from '../../../src/runner/fold';
import {
  LineSplitter,
  parseEvent,
  SYNC_END,
  SYNC_START,
  SyncScanner,
  TailBuffer,
} from '../../../src/runner/protocol';

describe('LineSplitter', () => {
  it('reassembles lines split across chunks and keeps the unfinished tail', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('{"a":'), []);
    assert.deepEqual(s.push('1}\n{"b":2}\n{"c"'), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(s.push(':3}\n\n'), ['{"c":3}']);
    assert.equal(s.rest(), '');
  });
});

describe('parseEvent', () => {
  it('accepts each event kind', () => {
    assert.deepEqual(parseEvent('{"event":"stream","id":"1","name":"stdout","text":"hi\\n"}').event, {
      event: 'stream',
      id: '1',
      name: 'stdout',
      text: 'hi\n',
    });
    const ready = parseEvent(
      '{"event":"ready","engine":{"name":"plain","description":"d","python_version":"3.11.2"},"log":""}',
    );
    assert.equal(ready.event?.event, 'ready');
    const result = parseEvent(
      '{"event":"result","id":"2","output":{"Status":"ok"},"sync":["stdout","bogus","stderr"]}',
    );
    assert.deepEqual(result.event, {
      event: 'result',
      id: '2',
      output: { Status: 'ok' },
      sync: ['stdout', 'stderr'],
    });
    assert.deepEqual(parseEvent('{"event":"fatal","message":"m"}').event, { event: 'fatal', message: 'm' });
    assert.deepEqual(parseEvent('{"event":"log","level":"warn","message":"m"}').event, {
      event: 'log',
      level: 'warn',
      message: 'm',
    });
  });

  it('reports malformed lines instead of throwing', () => {
    assert.match(parseEvent('not json').problem ?? '', /not JSON/);
    assert.match(parseEvent('[1]').problem ?? '', /not an event/);
    assert.match(
      parseEvent('{"event":"stream","id":"1","name":"stdin","text":"x"}').problem ?? '',
      /malformed stream/,
    );
    assert.match(parseEvent('{"event":"result","id":3,"output":{}}').problem ?? '', /malformed result/);
  });
});

describe('SyncScanner', () => {
  const marker = (id: string): string => SYNC_START + id + SYNC_END;
  function scan(chunks: string[]): { text: string; markers: string[]; pieces: string[] } {
    const pieces: string[] = [];
    const markers: string[] = [];
    const s = new SyncScanner(
      (t) => pieces.push(t),
      (id) => markers.push(id),
    );
    for (const c of chunks) s.push(c);
    s.end();
    return { text: pieces.join(''), markers, pieces };
  }

  it('strips markers and reports their ids in order', () => {
    const r = scan([`a\n${marker('1')}b${marker('2')}c`]);
    assert.equal(r.text, 'a\nbc');
    assert.deepEqual(r.markers, ['1', '2']);
  });

  it('reassembles a marker split at every possible point', () => {
    const whole = `before${marker('17')}after`;
    for (let i = 1; i < whole.length; i++) {
      for (let j = i + 1; j < whole.length; j++) {
        const r = scan([whole.slice(0, i), whole.slice(i, j), whole.slice(j)]);
        assert.equal(r.text, 'beforeafter', `split at ${i},${j}`);
        assert.deepEqual(r.markers, ['17']);
      }
    }
  });

  it('passes text on at once when it cannot start a marker', () => {
    const pieces: string[] = [];
    const s = new SyncScanner(
      (t) => pieces.push(t),
      () => undefined,
    );
    s.push('hello\n');
    assert.deepEqual(pieces, ['hello\n']);
    s.push('x\x1e');
    assert.deepEqual(pieces, ['hello\n', 'x'], 'a possible marker start is held back');
    s.push('y');
    assert.deepEqual(pieces, ['hello\n', 'x', '\x1ey']);
  });
});

describe('TailBuffer', () => {
  it('keeps only the end', () => {
    const t = new TailBuffer(5);
    for (let i = 0; i < 100; i++) t.push(String(i % 10));
    assert.equal(t.value, '56789');
  });
});

describe('foldStreams', () => {
  it('puts stdout before the final value, trimming one trailing newline (like Glue: print("a"); 1+1 → "a\\n2")', () => {
    assert.deepEqual(foldStreams({ Status: 'ok', ExecutionCount: 1, Data: { TextPlain: '2' } }, 'a\n', ''), {
      Status: 'ok',
      ExecutionCount: 1,
      Data: { TextPlain: 'a\n2' },
    });
    assert.equal(foldStreams({ Status: 'ok', Data: {} }, 'a\n', '').Data?.TextPlain, 'a');
    assert.equal(
      foldStreams({ Status: 'ok', Data: {} }, '', '').Data?.TextPlain,
      '',
      'TextPlain is always present for ok',
    );
    assert.equal(foldStreams({ Status: 'ok', Data: {} }, 'a\n\n', '').Data?.TextPlain, 'a\n');
  });

  it('puts stderr in StdErr only when there is some', () => {
    assert.deepEqual(foldStreams({ Status: 'ok', Data: {} }, '', 'warn\n').Data, {
      TextPlain: '',
      StdErr: 'warn',
    });
    assert.equal(foldStreams({ Status: 'ok', Data: {} }, 'x', '').Data?.StdErr, undefined);
  });

  it('folds stdout into StdOut for rich (MimeType) outputs', () => {
    const out = foldStreams(
      { Status: 'ok', Data: { MimeType: 'image/png', Result: 'AAA', StdOut: '<Figure>' } },
      'plotted\n',
      '',
    );
    assert.deepEqual(out.Data, { MimeType: 'image/png', Result: 'AAA', StdOut: 'plotted\n<Figure>' });
    const plain = foldStreams({ Status: 'ok', Data: { MimeType: 'text/html', Result: '<b/>' } }, '', '');
    assert.deepEqual(plain.Data, { MimeType: 'text/html', Result: '<b/>' });
  });

  it('keeps what an erroring statement printed', () => {
    const out = foldStreams(
      { Status: 'error', ErrorName: 'ValueError', ErrorValue: 'x', Data: {}, Traceback: [] },
      'partial\n',
      'e\n',
    );
    assert.deepEqual(out.Data, { TextPlain: 'partial', StdErr: 'e' });
    assert.deepEqual(foldStreams({ Status: 'error', Data: {} }, '', '').Data, {});
  });
});

describe('runnerDiedOutput', () => {
  it('says how the process ended and that variables are lost', () => {
    const out = runnerDiedOutput(
      { code: null, signal: 'SIGKILL', stopped: false, stderrTail: 'Fatal Python error: x\n' },
      4,
    );
    assert.equal(out.Status, 'error');
    assert.equal(out.ErrorName, 'RunnerDied');
    assert.equal(out.ExecutionCount, 4);
    assert.match(out.ErrorValue ?? '', /killed by signal SIGKILL/);
    assert.match(out.ErrorValue ?? '', /variables are lost/);
    assert.deepEqual(out.Traceback?.[0], 'Fatal Python error: x\n');
    const stopped = runnerDiedOutput({ code: 0, signal: null, stopped: true, stderrTail: '' });
    assert.match(stopped.ErrorValue ?? '', /was stopped/);
    assert.equal(stopped.Traceback?.length, 1);
  });

  it('trims a trailing newline', () => {
    assert.equal(trimTrailingNewline('a\r\n'), 'a');
    assert.equal(trimTrailingNewline('a'), 'a');
  });
});
