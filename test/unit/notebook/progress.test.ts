import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar, RunProgress } from '../../../src/notebook/progress';
import type { CellReport } from '../../../src/notebook/run-notebook';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 60, write: (text: string) => writes.push(text) };
}

const report = (status: CellReport['status'], index = 0): CellReport => ({
  index,
  status,
  expectedError: false,
  executionCount: 1,
  durationMs: 1234,
  outputs: [],
});

test('the bar fills with the cells done', () => {
  assert.equal(progressBar(0, 4, 8), '░░░░░░░░ 0/4');
  assert.equal(progressBar(1, 4, 8), '██░░░░░░ 1/4');
  assert.equal(progressBar(4, 4, 8), '████████ 4/4');
});

test('on a terminal a bar is drawn and cleared in place around the outputs', () => {
  const out = stream(true);
  const progress = new RunProgress(out);
  progress.cellStarted({ position: 1, total: 2, index: 3, source: '\nprint("hi")\nmore' });
  progress.output('hi\n');
  progress.cellFinished(report('ok', 3), false);
  progress.finish();
  const text = out.writes.join('');
  assert.match(text, /── \[1\/2\] cell 4: print\("hi"\)\n/);
  assert.match(text, /\r\x1b\[2K░+ 0\/2 {2}cell 4 running · \d\.\d s/);
  assert.ok(text.indexOf('hi\n') > text.indexOf('running'), 'output comes after the bar was drawn');
  assert.match(text, /\r\x1b\[2Khi\n/, 'the bar is cleared before output is written');
  assert.match(text, /ok · 1\.2 s\n$/);
  for (const line of text.split(/\r|\n/)) assert.ok(line.length <= 60 + 4, `fits the terminal: ${line}`);
});

test('elsewhere only plain lines are written, and a failed cell says so', () => {
  const out = stream(false);
  const progress = new RunProgress(out);
  progress.cellStarted({ position: 2, total: 2, index: 0, source: '1/0' });
  progress.output('partial');
  progress.cellFinished(report('error'), false);
  progress.finish();
  const text = out.writes.join('');
  assert.ok(!text.includes('\r') && !text.includes('\x1b'), JSON.stringify(text));
  assert.equal(text, '\n── [2/2] cell 1: 1/0\npartial\n   FAILED · 1.2 s\n');
});
