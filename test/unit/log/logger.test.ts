import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, parseLogLevel, redactor } from '../../../src/log/logger';

function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: string[] = [];
  return { logger: createLogger(level, 'test', (line) => lines.push(line)), lines };
}

test('secrets never reach a log line', () => {
  const { logger, lines } = capture('debug');
  redactor.register('connection-key-1234');
  logger.info('signed with connection-key-1234', {
    secretAccessKey: 'anything',
    sessionToken: 'x',
    note: 'key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in text',
  });
  const out = lines.join('');
  assert.doesNotMatch(out, /connection-key-1234|wJalrXUtnFEMI|anything/);
  assert.match(out, /signed with \*\*\*/);
  assert.match(out, /"secretAccessKey":"\*\*\*"/);
});

test('levels filter, and setLevel reaches children', () => {
  const { logger, lines } = capture('warn');
  const child = logger.child('sub');
  child.info('hidden');
  child.warn('shown');
  logger.setLevel('debug');
  child.debug('now shown');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /WARN \[test:sub\] shown/);
  assert.match(lines[1], /DEBUG \[test:sub\] now shown/);
});

test('log levels parse leniently with a fallback', () => {
  assert.equal(parseLogLevel('WARNING'), 'warn');
  assert.equal(parseLogLevel(' Debug '), 'debug');
  assert.equal(parseLogLevel('loud'), 'warn');
  assert.equal(parseLogLevel(undefined, 'error'), 'error');
});
