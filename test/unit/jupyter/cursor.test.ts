import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codePointLength, codePointsToUtf16Index, utf16IndexToCodePoints } from '../../../src/jupyter';

describe('cursor code point helpers', () => {
  it('are the identity on BMP text', () => {
    const text = 'héllo wörld';
    for (let i = 0; i <= text.length; i++) {
      assert.equal(codePointsToUtf16Index(text, i), i);
      assert.equal(utf16IndexToCodePoints(text, i), i);
    }
  });

  it('count astral characters as one code point and two code units', () => {
    const text = 'a😀b𝕏c';
    // code points: a 😀 b 𝕏 c  → UTF-16 offsets 0 1 3 4 6 7
    assert.equal(text.length, 7);
    assert.equal(codePointLength(text), 5);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((cp) => codePointsToUtf16Index(text, cp)),
      [0, 1, 3, 4, 6, 7],
    );
    assert.deepEqual(
      [0, 1, 3, 4, 6, 7].map((i) => utf16IndexToCodePoints(text, i)),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(text.slice(codePointsToUtf16Index(text, 3)), '𝕏c');
  });

  it('round-trip every code point position', () => {
    const text = '😀😀 x = "𝄞" + é';
    for (let cp = 0; cp <= codePointLength(text); cp++) {
      assert.equal(utf16IndexToCodePoints(text, codePointsToUtf16Index(text, cp)), cp);
    }
  });

  it('clamp out-of-range positions', () => {
    const text = 'a😀';
    assert.equal(codePointsToUtf16Index(text, -3), 0);
    assert.equal(codePointsToUtf16Index(text, 99), 3);
    assert.equal(utf16IndexToCodePoints(text, -1), 0);
    assert.equal(utf16IndexToCodePoints(text, 99), 2);
    assert.equal(codePointsToUtf16Index(text, Number.NaN), 0);
  });

  it('round an index inside a surrogate pair up to the end of the character', () => {
    assert.equal(utf16IndexToCodePoints('a😀b', 2), 2);
  });

  it('count lone surrogates as one code point', () => {
    const text = 'a\ud800b';
    assert.equal(codePointLength(text), 3);
    assert.equal(codePointsToUtf16Index(text, 2), 2);
  });
});
