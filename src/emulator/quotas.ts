// API quotas, as Glue enforces them per account: `glue-kernel emulator --rate LIMIT` gives each
// access key a token bucket (LIMIT calls per second, bursts up to LIMIT), for all operations
// together ("20") or per operation ("GetStatement=5"); a call that finds a bucket empty is
// answered ThrottlingException, as Glue does, and logged as throttled. Rules combine: with
// "20,GetStatement=5" a GetStatement needs a token from both buckets.

export interface RateRule {
  /** A Glue operation name, or '*' for all calls of an access key together. */
  operation: string;
  /** Tokens per second, and the bucket's size (at least one). */
  perSecond: number;
}

const OPERATION = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * Parses `--rate` values: each is a comma-separated list of LIMIT (all operations) or
 * OPERATION=LIMIT, LIMIT a number of calls per second from 0.1 to 100000.
 */
export function parseRateSpec(values: readonly string[]): RateRule[] {
  const rules: RateRule[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      const operation = eq < 0 ? '*' : item.slice(0, eq).trim();
      const limitText = eq < 0 ? item : item.slice(eq + 1).trim();
      if (operation !== '*' && !OPERATION.test(operation))
        throw new Error(`--rate: '${operation}' is not a Glue operation name (e.g. GetStatement=5)`);
      const limit = Number(limitText);
      if (!/^\d+(\.\d+)?$/.test(limitText) || !(limit >= 0.1 && limit <= 100_000))
        throw new Error(
          `--rate: '${item}' needs a limit in calls per second from 0.1 to 100000 (e.g. --rate 20 or --rate GetStatement=5)`,
        );
      if (rules.some((r) => r.operation === operation))
        throw new Error(`--rate: ${operation === '*' ? 'the overall limit' : operation} is given twice`);
      rules.push({ operation, perSecond: limit });
    }
  }
  return rules;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateQuotas {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rules: readonly RateRule[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for this call from every matching bucket; false (nothing taken) when one is empty. */
  take(accessKeyId: string, operation: string): boolean {
    if (this.rules.length === 0) return true;
    const t = this.now();
    const matching = this.rules
      .filter((r) => r.operation === '*' || r.operation === operation)
      .map((r) => ({ rule: r, bucket: this.bucket(`${accessKeyId}\u0000${r.operation}`, r, t) }));
    if (matching.some((m) => m.bucket.tokens < 1)) return false;
    for (const m of matching) m.bucket.tokens -= 1;
    return true;
  }

  private bucket(key: string, rule: RateRule, t: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: Math.max(1, rule.perSecond), at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(Math.max(1, rule.perSecond), b.tokens + ((t - b.at) / 1000) * rule.perSecond);
    b.at = t;
    return b;
  }
}
