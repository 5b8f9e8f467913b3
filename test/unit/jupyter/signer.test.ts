import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Signer, hashOfScheme } from '../../../src/jupyter';

const b = (s: string) => Buffer.from(s, 'utf8');
// RFC-style well-known vector: HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog").
const FOX = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
const FOX_FRAMES = [b('The quick '), b('brown fox '), b('jumps over '), b('the lazy dog')];

describe('Signer', () => {
  it('signs the concatenated frames with lower-case hex HMAC-SHA256', () => {
    const signer = new Signer('key');
    assert.equal(signer.enabled, true);
    assert.equal(signer.sign(FOX_FRAMES), FOX);
    assert.equal(signer.sign([b('The quick brown fox jumps over the lazy dog')]), FOX);
  });

  it('verifies a correct signature given as bytes or string', () => {
    const signer = new Signer('key');
    assert.equal(signer.verify(FOX, FOX_FRAMES), true);
    assert.equal(signer.verify(Buffer.from(FOX, 'ascii'), FOX_FRAMES), true);
  });

  it('rejects wrong signatures of the same length, other lengths and upper case, without throwing', () => {
    const signer = new Signer('key');
    const flipped = (FOX[0] === 'f' ? 'e' : 'f') + FOX.slice(1);
    assert.equal(signer.verify(flipped, FOX_FRAMES), false);
    assert.equal(signer.verify(FOX.slice(0, -1), FOX_FRAMES), false);
    assert.equal(signer.verify(`${FOX}00`, FOX_FRAMES), false);
    assert.equal(signer.verify('', FOX_FRAMES), false);
    assert.equal(signer.verify(FOX.toUpperCase(), FOX_FRAMES), false);
    assert.equal(new Signer('other').verify(FOX, FOX_FRAMES), false);
    // The frames are signed as bytes: changing one byte anywhere changes the signature.
    assert.equal(
      signer.verify(FOX, [b('The quick '), b('brown fox '), b('jumps over '), b('the lazy cog')]),
      false,
    );
  });

  it('disables signing and verification for an empty key', () => {
    const signer = new Signer('');
    assert.equal(signer.enabled, false);
    assert.equal(signer.sign(FOX_FRAMES), '');
    assert.equal(signer.verify('', FOX_FRAMES), true);
    assert.equal(signer.verify('anything', FOX_FRAMES), true);
  });

  it('supports other hmac-<hash> schemes', () => {
    const signer = new Signer('key', 'hmac-sha512');
    assert.equal(signer.sign(FOX_FRAMES).length, 128);
    assert.equal(signer.verify(signer.sign(FOX_FRAMES), FOX_FRAMES), true);
    assert.equal(hashOfScheme('hmac-sha256'), 'sha256');
  });

  it('refuses unknown or malformed schemes', () => {
    assert.throws(() => new Signer('key', 'sha256'), /hmac-sha256/);
    assert.throws(() => new Signer('key', 'hmac-nothash'), /does not support/);
    assert.throws(() => new Signer('key', 'hmac-'), /hmac-sha256/);
  });
});
