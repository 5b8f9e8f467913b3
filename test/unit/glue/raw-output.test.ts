import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeRawOutput, rawStatementData } from '../../../src/session/glue/raw-output';

const raw = (data: unknown): string =>
  JSON.stringify({
    Statement: { Id: 1, State: 'AVAILABLE', Output: { Data: data, ExecutionCount: 1, Status: 'ok' } },
  });

describe('raw GetStatement output merge', () => {
  it('adds MimeType, Result, StdOut, StdErr from the raw body', () => {
    const modeled = { Data: { TextPlain: '' }, ExecutionCount: 1, Status: 'ok' };
    const merged = mergeRawOutput(
      modeled,
      raw({
        TextPlain: '',
        MimeType: 'image/png;base64',
        Result: 'iVBORw0KGgo=',
        StdOut: 'out\n',
        StdErr: 'warn\n',
      }),
    );
    assert.deepEqual(merged, {
      Data: {
        TextPlain: '',
        MimeType: 'image/png;base64',
        Result: 'iVBORw0KGgo=',
        StdOut: 'out\n',
        StdErr: 'warn\n',
      },
      ExecutionCount: 1,
      Status: 'ok',
    });
    assert.deepEqual(modeled.Data, { TextPlain: '' }, 'the input is not changed');
  });

  it('keeps the modeled output when there is nothing extra', () => {
    const modeled = { Data: { TextPlain: '2' }, Status: 'ok' };
    assert.equal(mergeRawOutput(modeled, raw({ TextPlain: '2' })), modeled);
    assert.equal(mergeRawOutput(modeled, undefined), modeled);
    assert.equal(mergeRawOutput(modeled, 'not json'), modeled);
    assert.equal(mergeRawOutput(modeled, '{"Statement":{}}'), modeled);
  });

  it('ignores non-string extras and unknown keys; modeled values win', () => {
    const merged = mergeRawOutput(
      { Data: { TextPlain: 'modeled' } },
      raw({ TextPlain: 'raw', MimeType: 42, Result: null, StdOut: 'x', Other: 'y' }),
    );
    assert.deepEqual(merged, { Data: { StdOut: 'x', TextPlain: 'modeled' } });
  });

  it('works when the SDK dropped Output.Data entirely', () => {
    const merged = mergeRawOutput(undefined, raw({ MimeType: 'text/html', Result: '<b>x</b>' }));
    assert.deepEqual(merged, { Data: { MimeType: 'text/html', Result: '<b>x</b>' } });
  });

  it('rawStatementData tolerates odd bodies', () => {
    assert.equal(rawStatementData(''), undefined);
    assert.equal(rawStatementData('[]'), undefined);
    assert.equal(rawStatementData('{"Statement":{"Output":{"Data":[]}}}'), undefined);
    assert.deepEqual(rawStatementData(raw({ A: 'b' })), { A: 'b' });
  });
});
