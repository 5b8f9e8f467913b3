import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MimeBundle, OutputSink } from '../../../src/jupyter/interpreter';
import { renderOutput, renderResult } from '../../../src/kernel/render';

type Event = [string, ...unknown[]];
function recordingSink(): { sink: OutputSink; events: Event[] } {
  const events: Event[] = [];
  const sink: OutputSink = {
    stream: (name, text) => events.push(['stream', name, text]),
    displayData: (data: MimeBundle, metadata) => events.push(['display_data', data, metadata]),
    updateDisplayData: (data, id) => events.push(['update_display_data', data, id]),
    executeResult: (data) => events.push(['execute_result', data]),
    error: (ename, evalue, traceback) => events.push(['error', ename, evalue, traceback]),
    clearOutput: (wait) => events.push(['clear_output', wait]),
  };
  return { sink, events };
}

test('text output becomes a stdout stream ending in a newline', () => {
  const { sink, events } = recordingSink();
  assert.deepEqual(renderOutput({ Status: 'ok', Data: { TextPlain: 'a\n2' } }, sink), { status: 'ok' });
  assert.deepEqual(events, [['stream', 'stdout', 'a\n2\n']]);
});

test('an error output is a real Jupyter error with its traceback, not a stdout line', () => {
  const { sink, events } = recordingSink();
  const outcome = renderOutput(
    {
      Status: 'error',
      ErrorName: 'ZeroDivisionError',
      ErrorValue: 'division by zero',
      Traceback: [
        'Traceback (most recent call last):\n',
        '  File "<stdin>", line 1, in <module>\n',
        'ZeroDivisionError: division by zero\n',
      ],
    },
    sink,
  );
  assert.equal(outcome.status, 'error');
  assert.deepEqual(events, [
    [
      'error',
      'ZeroDivisionError',
      'division by zero',
      [
        'Traceback (most recent call last):',
        '  File "<stdin>", line 1, in <module>',
        'ZeroDivisionError: division by zero',
      ],
    ],
  ]);
});

test('%matplot output is display data with the PNG and its printed text', () => {
  const { sink, events } = recordingSink();
  renderOutput(
    { Status: 'ok', Data: { MimeType: 'image/png', Result: 'iVBORw0KGgo=', StdOut: 'plotted' } },
    sink,
  );
  assert.deepEqual(events, [
    ['stream', 'stdout', 'plotted\n'],
    ['display_data', { 'image/png': 'iVBORw0KGgo=' }, { 'image/png': { width: 640, height: 480 } }],
  ]);
});

test('base64 text payloads are decoded; JSON becomes an object', () => {
  const { sink, events } = recordingSink();
  renderOutput(
    {
      Status: 'ok',
      Data: { MimeType: 'text/html;base64', Result: Buffer.from('<b>x</b>').toString('base64') },
    },
    sink,
  );
  renderOutput({ Status: 'ok', Data: { MimeType: 'application/json', Result: '{"a":1}' } }, sink);
  assert.deepEqual(events[0][1], { 'text/html': '<b>x</b>' });
  assert.deepEqual(events[1][1], { 'application/json': { a: 1 } });
});

test('cancelled and failed statements end the cell with an error', () => {
  const { sink, events } = recordingSink();
  assert.equal(
    renderResult({ kind: 'cancelled', message: 'Statement 3 was cancelled.' }, sink).status,
    'error',
  );
  assert.equal(
    renderResult({ kind: 'failed', ename: 'SessionTimeout', message: 'gone' }, sink).status,
    'error',
  );
  assert.deepEqual(
    events.map((e) => [e[0], e[1]]),
    [
      ['error', 'KeyboardInterrupt'],
      ['error', 'SessionTimeout'],
    ],
  );
});
