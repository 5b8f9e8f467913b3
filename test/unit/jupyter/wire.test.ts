import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DELIMITER,
  MessageFactory,
  Signer,
  decodeMessage,
  encodeMessage,
  type JupyterMessage,
} from '../../../src/jupyter';
import { SignatureHistory } from '../../../src/jupyter/replay';

const signer = new Signer('secret-key');
const factory = new MessageFactory({ session: 'sess', username: 'tester' });
const b = (s: string) => Buffer.from(s, 'utf8');

function sample(): JupyterMessage {
  const request = factory.message('execute_request', { code: 'print("é😀")', silent: false });
  return factory.message(
    'execute_reply',
    { status: 'ok', execution_count: 1 },
    {
      parent: request.header,
      identities: [Buffer.from([0, 1, 2, 255]), b('second-id')],
      metadata: { started: 'now' },
      buffers: [Buffer.from([9, 8, 7]), Buffer.alloc(0)],
    },
  );
}

/** Frames with the signature computed over the given raw JSON frames. */
function rawFrames(
  header: string,
  parent = '{}',
  metadata = '{}',
  content = '{}',
  ids: Buffer[] = [],
): Buffer[] {
  const signed = [b(header), b(parent), b(metadata), b(content)];
  return [...ids, b(DELIMITER), b(signer.sign(signed)), ...signed];
}

const header = JSON.stringify({
  msg_id: 'm1',
  msg_type: 'kernel_info_request',
  session: 's',
  username: 'u',
  date: '2026-01-01T00:00:00.000Z',
  version: '5.3',
});

describe('wire codec', () => {
  it('round-trips a message with identities and buffers', () => {
    const message = sample();
    const frames = encodeMessage(message, signer);
    assert.equal(frames[2].toString(), DELIMITER);
    assert.match(frames[3].toString(), /^[0-9a-f]{64}$/);
    const decoded = decodeMessage(frames, signer);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.message, message);
    assert.deepEqual(decoded.message.buffers, [Buffer.from([9, 8, 7]), Buffer.alloc(0)]);
  });

  it('verifies the received bytes, not a re-serialisation', () => {
    const spaced = header.replace(/,/g, ', ');
    const decoded = decodeMessage(rawFrames(spaced, '{ }', '{}', '{"a": 1}'), signer);
    assert.ok(decoded.ok);
    assert.equal(decoded.message.header.msg_type, 'kernel_info_request');
    assert.deepEqual(decoded.message.content, { a: 1 });
  });

  it('reports a missing delimiter', () => {
    const decoded = decodeMessage([b('id'), b('sig'), b(header)], signer);
    assert.ok(!decoded.ok);
    assert.equal(decoded.error.kind, 'no-delimiter');
    assert.equal(decoded.error.name, 'WireError');
  });

  it('reports too few frames after the delimiter', () => {
    const decoded = decodeMessage([b(DELIMITER), b('sig'), b(header), b('{}')], signer);
    assert.ok(!decoded.ok);
    assert.equal(decoded.error.kind, 'too-few-frames');
  });

  it('reports a bad signature with the msg_type for logging', () => {
    const frames = rawFrames(header);
    frames[1] = b('0'.repeat(64));
    const decoded = decodeMessage(frames, signer);
    assert.ok(!decoded.ok);
    assert.equal(decoded.error.kind, 'bad-signature');
    assert.equal(decoded.error.msgType, 'kernel_info_request');
    assert.ok(!decoded.error.message.includes('0'.repeat(64)));
  });

  it('reports a missing signature when a key is set', () => {
    const frames = rawFrames(header);
    frames[1] = b('');
    const decoded = decodeMessage(frames, signer);
    assert.ok(!decoded.ok);
    assert.equal(decoded.error.kind, 'bad-signature');
  });

  it('reports bad JSON in any of the four frames', () => {
    for (const [h, p, m, c] of [
      ['{not json', '{}', '{}', '{}'],
      [header, '[]', '{}', '{}'],
      [header, '{}', 'null', '{}'],
      [header, '{}', '{}', '"text"'],
    ]) {
      const decoded = decodeMessage(rawFrames(h, p, m, c), signer);
      assert.ok(!decoded.ok);
      assert.equal(decoded.error.kind, 'bad-json');
    }
  });

  it('reports missing header fields', () => {
    const noId = JSON.stringify({ msg_type: 'x', session: 's', username: 'u', date: 'd' });
    const decoded = decodeMessage(rawFrames(noId), signer);
    assert.ok(!decoded.ok);
    assert.equal(decoded.error.kind, 'bad-header');
    assert.equal(decoded.error.msgType, 'x');
    assert.match(decoded.error.message, /msg_id/);
    const badType = JSON.stringify({ msg_id: 'm', msg_type: 7, session: 's', username: 'u', date: 'd' });
    const second = decodeMessage(rawFrames(badType), signer);
    assert.ok(!second.ok);
    assert.equal(second.error.kind, 'bad-header');
    assert.equal(second.error.msgType, undefined);
  });

  it('accepts unsigned messages when the key is empty', () => {
    const none = new Signer('');
    const frames = encodeMessage(sample(), none);
    assert.equal(frames[3].toString(), '');
    const decoded = decodeMessage(frames, none);
    assert.ok(decoded.ok);
  });

  it('keeps the routing ids exactly', () => {
    const ids = [Buffer.from([0, 0x6b, 0x8b, 0x45, 0x67]), b('x')];
    const decoded = decodeMessage(rawFrames(header, '{}', '{}', '{}', ids), signer);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.message.identities, ids);
  });
});

describe('replay protection', () => {
  it('reports a verified signature seen before as a duplicate, and keeps the history bounded', () => {
    const history = new SignatureHistory(2);
    const [m1, m2, m3] = [1, 2, 3].map(() =>
      encodeMessage(factory.message('execute_request', { code: 'x' }), signer),
    );
    assert.equal(decodeMessage(m1, signer, history).ok, true);
    const again = decodeMessage(m1, signer, history);
    assert.equal(again.ok ? 'ok' : again.error.kind, 'duplicate-signature');
    assert.equal(history.duplicates, 1);
    // A forged message never enters the history.
    assert.equal(
      decodeMessage(encodeMessage(factory.message('x', {}), new Signer('k2')), signer, history).ok,
      false,
    );
    assert.equal(history.size, 1);
    assert.equal(decodeMessage(m2, signer, history).ok, true);
    assert.equal(decodeMessage(m3, signer, history).ok, true);
    assert.equal(history.size, 2, 'the oldest signature was forgotten');
    assert.equal(decodeMessage(m1, signer, history).ok, true, 'forgotten, so accepted again');
    // With signing off every signature is "" and nothing is recorded.
    const unsigned = new Signer('');
    const frames = encodeMessage(factory.message('execute_request', {}), unsigned);
    assert.equal(decodeMessage(frames, unsigned, history).ok, true);
    assert.equal(decodeMessage(frames, unsigned, history).ok, true);
  });
});
