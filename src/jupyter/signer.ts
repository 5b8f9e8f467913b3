// HMAC signatures of Jupyter messages (messaging spec, "The Wire Protocol").
// The signature covers the four JSON frames header ‖ parent_header ‖ metadata ‖ content exactly as
// they travel on the wire, so verification uses the received bytes, never a re-serialisation.
import * as crypto from 'node:crypto';

/** Signs and verifies messages for one connection. An empty key disables signing entirely. */
export class Signer {
  /** The node hash name (e.g. `sha256`), or undefined when signing is disabled. */
  private readonly algorithm: string | undefined;
  private readonly key: Buffer;

  /**
   * @param key the connection file's `key`; empty means "no authentication"
   * @param scheme the connection file's `signature_scheme`, `hmac-<node hash name>`
   */
  constructor(key: string, scheme = 'hmac-sha256') {
    this.key = Buffer.from(key, 'utf8');
    if (key === '') {
      this.algorithm = undefined;
      return;
    }
    this.algorithm = hashOfScheme(scheme);
  }

  /** True when messages are signed and verified (non-empty key). */
  get enabled(): boolean {
    return this.algorithm !== undefined;
  }

  /** Lower-case hex HMAC of the frames, or `""` when signing is disabled. */
  sign(frames: readonly Uint8Array[]): string {
    if (this.algorithm === undefined) return '';
    const hmac = crypto.createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /**
   * Whether `signature` (the signature frame as received) matches the frames. Constant time in the
   * signature's content. Always true when signing is disabled.
   */
  verify(signature: Uint8Array | string, frames: readonly Uint8Array[]): boolean {
    if (this.algorithm === undefined) return true;
    const expected = Buffer.from(this.sign(frames), 'ascii');
    const received = typeof signature === 'string' ? Buffer.from(signature, 'utf8') : Buffer.from(signature);
    if (received.length !== expected.length) return false;
    return crypto.timingSafeEqual(received, expected);
  }
}

/** Maps `hmac-sha256` to `sha256`; throws for anything that is not `hmac-<hash node supports>`. */
export function hashOfScheme(scheme: string): string {
  const match = /^hmac-([A-Za-z0-9-]+)$/.exec(scheme);
  if (!match) throw new Error(`signature_scheme must look like "hmac-sha256", got "${scheme}"`);
  const hash = match[1].toLowerCase();
  if (!crypto.getHashes().includes(hash)) {
    throw new Error(`signature_scheme "${scheme}" names a hash this Node.js does not support`);
  }
  return hash;
}
