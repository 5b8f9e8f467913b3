// An AWS call whose credentials expired gets one more try with credentials fetched anew from
// their source (the assumed role is assumed again, the profile or SSO cache is read again):
// the cached copy may be expired before its stated expiry (revoked, clock skew, a role session
// cut short), and waiting for the refresh margin would fail every call until then.
import type { AwsClients } from './clients';
import { errorCode } from './retry';

/** The codes AWS answers with when the signing credentials are expired. */
const EXPIRED_CODES: ReadonlySet<string> = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
]);

export function isExpiredCredentials(err: unknown): boolean {
  return EXPIRED_CODES.has(errorCode(err) ?? '');
}

/** Says that the credentials stayed expired although they were fetched again. */
export class StillExpiredError extends Error {
  constructor(cause: unknown) {
    const said = cause instanceof Error ? cause.message : String(cause);
    super(`${said} (fetched again from their source, they are still expired)`, { cause });
    // errorCode() reads the name: keep the service's code so the error is described as expired.
    this.name = errorCode(cause) ?? 'ExpiredToken';
  }
}

/**
 * Runs `fn`; when it fails because the credentials expired, refreshes them through the
 * clients' provider once and runs `fn` again. A second expiry is reported as such.
 */
export async function withCredentialRefresh<T>(clients: AwsClients, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isExpiredCredentials(err)) throw err;
    await clients.refreshCredentials();
    try {
      return await fn();
    } catch (again) {
      if (isExpiredCredentials(again)) throw new StillExpiredError(again);
      throw again;
    }
  }
}
