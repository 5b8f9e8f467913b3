// Completion values in the order people expect: G.1X, G.2X, G.12X (not G.12X before G.2X),
// and G.025X (a quarter worker: a leading zero starts a fraction) before G.1X.

function numberOf(run: string): number {
  return run.length > 1 && run.startsWith('0') ? Number(`0.${run.slice(1)}`) : Number(run);
}

/** Compares text with its digit runs taken as numbers; otherwise case-insensitively. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    const digits = /^\d/.test(x) && /^\d/.test(y);
    const order = digits ? numberOf(x) - numberOf(y) : x.toLowerCase().localeCompare(y.toLowerCase());
    if (order !== 0) return order;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
