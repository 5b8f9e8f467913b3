// Replay protection: a signed message is accepted once. An attacker who can see the traffic
// (or a confused client) can otherwise send the same signed execute_request again and run it
// again. jupyter_client keeps the same kind of history (Session.digest_history, 2**16 entries)
// and rejects a duplicate signature. Only meaningful when signing is on: with an empty key
// every signature is "" and nothing can be told apart.

export const SIGNATURE_HISTORY_SIZE = 2 ** 16;

/** A bounded set of the signatures seen, oldest forgotten first. */
export class SignatureHistory {
  private readonly seen = new Set<string>();
  /** Duplicates dropped so far. */
  duplicates = 0;

  constructor(readonly limit = SIGNATURE_HISTORY_SIZE) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`limit must be a positive integer, got ${limit}`);
  }

  /** Records the signature; false (and counts a duplicate) when it was already seen. */
  accept(signature: string): boolean {
    if (this.seen.has(signature)) {
      this.duplicates += 1;
      return false;
    }
    this.seen.add(signature);
    if (this.seen.size > this.limit) {
      // A Set iterates in insertion order: the first value is the oldest.
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
