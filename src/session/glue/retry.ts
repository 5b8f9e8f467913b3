// Our own retry loop for Glue calls (the Glue client is built with maxAttempts 1): transient
// failures (throttling, InternalServiceException, OperationTimeoutException, 5xx, dropped
// connections) are retried with full-jitter exponential backoff, a bounded number of times,
// and the wait is abortable. Errors that retrying cannot fix (EntityNotFound, InvalidInput,
// AccessDenied, AlreadyExists, IllegalSessionState, validation, bad credentials) fail at once.
// No SDK import: errors are classified by name, status and code, so this stays a pure module.
import { abortableSleep } from './poll';

/** Throttling error names, as the SDK's standard retry strategy lists them. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** Service errors that mean "try again": the service's own trouble, not the request's. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalServiceException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'OperationTimeoutException',
  'ConcurrentModificationException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Never retried, whatever the HTTP status says: retrying cannot change the answer. */
export const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'EntityNotFoundException',
  'InvalidInputException',
  'AccessDeniedException',
  'AccessDenied',
  'AlreadyExistsException',
  'IllegalSessionStateException',
  'ValidationException',
  'ValidationError',
  'IdempotentParameterMismatchException',
  'ResourceNumberLimitExceededException',
  'OperationNotSupportedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'CredentialsProviderError',
  'AbortError',
]);

/** Socket-level failures worth another try (a reset keep-alive socket, a refused connect). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export type ErrorClass = 'throttling' | 'transient' | 'permanent';

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The AWS error code of an SDK error ("EntityNotFoundException"), or the Node code ("ECONNRESET"). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorLike;
  if (typeof e.name === 'string' && e.name !== 'Error' && e.name !== 'TypeError') return e.name;
  if (typeof e.code === 'string') return e.code;
  return undefined;
}

export function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorLike;
  return e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
}

/** Whether an error is worth retrying, and whether it is throttling (which backs off longer). */
export function classifyError(err: unknown, depth = 0): ErrorClass {
  if (typeof err !== 'object' || err === null) return 'permanent';
  const e = err as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  if (PERMANENT_CODES.has(name)) return 'permanent';
  if (THROTTLING_CODES.has(name)) return 'throttling';
  const status = httpStatus(err);
  if (status === 429) return 'throttling';
  if (TRANSIENT_CODES.has(name)) return 'transient';
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name)) return 'transient';
  if (status !== undefined && [500, 502, 503, 504].includes(status)) return 'transient';
  if (e.cause !== undefined && depth < 5) return classifyError(e.cause, depth + 1);
  return 'permanent';
}

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Backoff base for transient errors, ms. */
  baseMs: number;
  /** Backoff base for throttling, ms (longer: the service asked us to slow down). */
  throttleBaseMs: number;
  /** Largest single wait, ms. */
  capMs: number;
  /** 0 ≤ random() < 1; injectable for tests. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseMs: 100,
  throttleBaseMs: 400,
  capMs: 5000,
  random: Math.random,
};

/**
 * The wait before retry number `retry` (1 = the first retry): full jitter,
 * random × min(cap, base × 2^(retry-1)). Never more than capMs.
 */
export function backoffDelay(
  retry: number,
  kind: Exclude<ErrorClass, 'permanent'>,
  policy: RetryPolicy = DEFAULT_RETRY,
): number {
  const base = kind === 'throttling' ? policy.throttleBaseMs : policy.baseMs;
  const ceiling = Math.min(policy.capMs, base * Math.pow(2, Math.max(0, retry - 1)));
  return Math.floor(policy.random() * ceiling);
}

/** The most a call can spend waiting between its tries under a policy (for tests and docs). */
export function maxTotalBackoff(
  kind: Exclude<ErrorClass, 'permanent'>,
  policy: RetryPolicy = DEFAULT_RETRY,
): number {
  let total = 0;
  for (let retry = 1; retry < policy.maxAttempts; retry++) {
    const base = kind === 'throttling' ? policy.throttleBaseMs : policy.baseMs;
    total += Math.min(policy.capMs, base * Math.pow(2, retry - 1));
  }
  return total;
}

export interface RetryInfo {
  attempt: number;
  error: unknown;
  kind: Exclude<ErrorClass, 'permanent'>;
  delayMs: number;
}

export interface RetryOptions {
  signal?: AbortSignal;
  policy?: Partial<RetryPolicy>;
  /** Called before each wait; for logging. */
  onRetry?: (info: RetryInfo) => void;
  /** Override the classification for one call (e.g. retry ResourceNumberLimitExceeded on RunStatement). */
  classify?: (err: unknown) => ErrorClass;
}

/** Marks the last error of a call that was retried until the attempts ran out. */
export interface RetriesExhausted {
  $retriesExhausted?: { attempts: number; kind: ErrorClass };
}

/**
 * Runs `op` (given the 1-based attempt number) until it succeeds, fails with a permanent
 * error, or the attempts run out; the last error is rethrown with `$retriesExhausted` set
 * when it was a retryable one. The abort signal interrupts the waits (AbortError).
 */
export async function withRetry<T>(
  op: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.policy };
  const classify = options.classify ?? classifyError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const kind = classify(error);
      if (kind === 'permanent') throw error;
      if (attempt >= policy.maxAttempts) {
        if (typeof error === 'object' && error !== null) {
          (error as RetriesExhausted).$retriesExhausted = { attempts: attempt, kind };
        }
        throw error;
      }
      const delayMs = backoffDelay(attempt, kind, policy);
      options.onRetry?.({ attempt, error, kind, delayMs });
      await abortableSleep(delayMs, options.signal);
    }
  }
}
