import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { MimeBundle, OutputSink } from '../../../src/jupyter/interpreter';
import { progressBar, progressText, StatusDisplay, wholeSeconds } from '../../../src/kernel/status-display';

interface Sent {
  kind: 'display' | 'update';
  id: string;
  text: string;
  at: number;
}

/** A sink that records what a notebook would receive, on a clock the test moves. */
function rig(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  let clock = 100_000;
  const sent: Sent[] = [];
  const text = (d: MimeBundle) => String(d['text/plain']);
  const sink = {
    displayData: (d: MimeBundle, _m?: unknown, id?: string) =>
      sent.push({ kind: 'display', id: id ?? '', text: text(d), at: clock }),
    updateDisplayData: (d: MimeBundle, id: string) =>
      sent.push({ kind: 'update', id, text: text(d), at: clock }),
  } as unknown as OutputSink;
  const display = new StatusDisplay(sink, { now: () => clock });
  return {
    sent,
    display,
    now: () => clock,
    advance(ms: number) {
      for (let i = 0; i < ms; i += 50) {
        clock += 50;
        t.mock.timers.tick(50);
      }
    },
  };
}

describe('StatusDisplay', () => {
  it('formats whole seconds and a bar', () => {
    assert.equal(wholeSeconds(999), '0 s');
    assert.equal(wholeSeconds(12_400), '12 s');
    assert.equal(wholeSeconds(185_000), '3 min 05 s');
    assert.equal(progressBar(0.42), '[████████░░░░░░░░░░░░] 42%');
    const report = { line: 'statement' as const, label: 'In [3]', state: 'RUNNING', since: 0 };
    assert.equal(
      progressText({ ...report, fraction: 0.5 }, 2500),
      'In [3]: RUNNING [██████████░░░░░░░░░░] 50%, 2 s elapsed',
    );
    assert.equal(
      progressText({ ...report, fraction: 0 }, 2500),
      'In [3]: RUNNING, 2 s elapsed',
      'no bar at 0',
    );
    assert.equal(
      progressText({ ...report, fraction: 1 }, 2500),
      'In [3]: RUNNING, 2 s elapsed',
      'no bar at 1',
    );
  });

  it('ticks once a second from its own timer, with no reports in between', (t) => {
    const r = rig(t);
    r.display.progress({ line: 'session', label: 'Session s', state: 'PROVISIONING', since: r.now() });
    r.advance(3100);
    assert.deepEqual(
      r.sent.map((s) => s.text),
      ['0', '1', '2', '3'].map((n) => `Session s: PROVISIONING, ${n} s elapsed`),
    );
    r.display.close();
    r.advance(3000);
    assert.equal(r.sent.length, 4, 'close() stops the ticker');
  });

  it('sends at most two updates a second per line, the last state always', (t) => {
    const r = rig(t);
    const since = r.now();
    for (let i = 0; i < 40; i++) {
      r.display.progress({
        line: 'statement',
        label: 'In [1]',
        state: 'RUNNING',
        since,
        fraction: (i + 1) / 100,
      });
      r.advance(50);
    }
    r.advance(600);
    const times = r.sent.map((s) => s.at);
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i] - times[i - 1] >= 500, `${times[i] - times[i - 1]} ms`);
    assert.match(r.sent[r.sent.length - 1].text, /40%/, 'the newest report is what shows');
    r.display.close();
  });

  it('keeps session and statement on separate lines, in order, and end() replaces a line', (t) => {
    const r = rig(t);
    r.display.progress({ line: 'session', label: 'Session s', state: 'PROVISIONING', since: r.now() });
    r.advance(1000);
    r.display.end('session', 'Session s has been created (ready after 1 s).');
    r.display.progress({ line: 'statement', label: 'In [7]', state: 'RUNNING', since: r.now() });
    r.advance(1000);
    r.display.end('statement', 'In [7]: Statement finished in 1.0 s.');
    r.advance(2000);
    const ids = [...new Set(r.sent.map((s) => s.id))];
    assert.equal(ids.length, 2);
    assert.equal(r.sent[0].kind, 'display');
    assert.equal(r.sent[0].id, ids[0]);
    const last = (id: string) => r.sent.filter((s) => s.id === id).pop()?.text;
    assert.equal(last(ids[0]), 'Session s has been created (ready after 1 s).');
    assert.equal(last(ids[1]), 'In [7]: Statement finished in 1.0 s.');
    assert.ok(r.display.shown('session') && r.display.shown('statement'));
    const count = r.sent.length;
    r.advance(3000);
    assert.equal(r.sent.length, count, 'nothing ticks once both lines ended');
  });
});
