// Which service an endpoint URL reaches, in words, so nobody mistakes the emulator for a billed
// AWS session, or a billed session for the emulator.

/** undefined for the default AWS endpoints; otherwise the URL and what it is. */
export function describeEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  let host: string;
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return `${endpoint} (not a valid URL)`;
  }
  if (/\.amazonaws\.com(\.cn)?$/.test(host) || /\.api\.aws$/.test(host))
    return `${endpoint} (an AWS endpoint: sessions are billed)`;
  if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host))
    return `${endpoint} (a local endpoint such as the glue-kernel emulator: not AWS, nothing billed)`;
  return `${endpoint} (not an AWS address: make sure you know what it is)`;
}
