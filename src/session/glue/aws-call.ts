// Every AWS call the backend makes goes through here: each attempt waits for a slot in the
// kernel's call budget (call-budget.ts; a throttling answer lowers its rate), failures are
// retried (retry.ts) and turned into messages for people (errors.ts) that name the credentials
// and endpoint in use. Also the calls several modules share (GetSession, the caller's
// identity) and the signal bounds.
import type { Session } from '@aws-sdk/client-glue';
import type { Logger } from '../../log/logger';
import type { CallBudget } from './call-budget';
import type { AwsClients } from './clients';
import { withCredentialRefresh } from './credential-refresh';
import { describeAwsError, type GlueKernelError } from './errors';
import type { CallerIdentity } from './identity';
import { AbortedError, isAbortError } from './poll';
import { classifyError, errorCode, withRetry, type ErrorClass, type RetryPolicy } from './retry';

/** Runs one AWS call with retries; failures become GlueKernelError (code kept) or AbortedError. */
export type AwsCall = <T>(
  clients: AwsClients,
  operation: string,
  doing: string,
  fn: (attempt: number) => Promise<T>,
  signal?: AbortSignal,
  options?: CallOptions,
) => Promise<T>;

/** Per-call changes to the retry loop. */
export interface CallOptions {
  /** e.g. { maxAttempts: 1 } when the caller retries in its own loop (statement polling). */
  retry?: Partial<RetryPolicy>;
  /** e.g. RunStatement retries only throttling: other failures may mean it was accepted. */
  classify?: (err: unknown) => ErrorClass;
}

export type CallerIdentityOf = (clients: AwsClients, signal: AbortSignal) => Promise<CallerIdentity>;

/** The AwsCall of a backend; `options` is read at each call. */
export function awsCaller(options: {
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  budget?: CallBudget;
}): AwsCall {
  return async <T>(
    clients: AwsClients,
    operation: string,
    doing: string,
    fn: (attempt: number) => Promise<T>,
    signal?: AbortSignal,
    call: CallOptions = {},
  ): Promise<T> => {
    const attempt = async (n: number): Promise<T> => {
      await options.budget?.acquire(signal);
      try {
        return await fn(n);
      } catch (err) {
        if (classifyError(err) === 'throttling') {
          options.budget?.throttled();
          options.logger?.info(
            `${operation} was throttled; this kernel now makes at most ${options.budget?.allowedRate().toFixed(1) ?? '?'} Glue calls per second`,
          );
        }
        throw err;
      }
    };
    try {
      return await withRetry((n) => withCredentialRefresh(clients, () => attempt(n)), {
        signal,
        policy: { ...options.retry, ...call.retry },
        classify: call.classify,
        onRetry: (r) =>
          options.logger?.debug(
            `${operation}: ${errorCode(r.error) ?? 'error'}; retry ${r.attempt} in ${r.delayMs} ms`,
          ),
      });
    } catch (err) {
      if (isAbortError(err) || signal?.aborted) throw new AbortedError(signal?.reason);
      const described = describeAwsError(err, {
        operation,
        doing,
        credentialSource: credentialSource(clients),
        where: clients.settings.endpoint ?? `the AWS endpoints in ${clients.settings.region}`,
      });
      const kept = described as GlueKernelError & { code?: string; errorClass?: ErrorClass };
      kept.code = errorCode(err);
      kept.errorClass = classifyError(err);
      throw described;
    }
  };
}

/** The AWS error code an AwsCall kept on the error it threw. */
export function awsErrorCode(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

/** Whether the failure an AwsCall threw was throttling, transient (worth another try) or permanent. */
export function awsErrorClass(err: unknown): ErrorClass {
  return (err as { errorClass?: ErrorClass }).errorClass ?? classifyError(err);
}

function credentialSource(clients: AwsClients): string {
  const s = clients.settings;
  if (s.assumeRole?.kind === 'role') return `the role ${s.assumeRole.roleArn} assumed with %%assume_role`;
  if (s.assumeRole?.kind === 'credentials') return 'the keys given with %%assume_role';
  if (s.profile) return `profile ${s.profile}`;
  if (s.credentials) return 'the configured credentials';
  return 'the default credential chain (environment, ~/.aws, container or instance role)';
}

/** How long the shared GetCallerIdentity may take, whoever waits for it. */
const IDENTITY_TIMEOUT_MS = 60_000;

/**
 * STS GetCallerIdentity, asked once per clients (a failure is forgotten, so it is asked again).
 * The one call is shared, so it is bounded by its own timeout rather than by the first
 * caller's signal; each caller stops waiting when its own signal aborts.
 */
export function callerIdentityCache(call: AwsCall): CallerIdentityOf {
  const identities = new WeakMap<AwsClients, Promise<CallerIdentity>>();
  return (clients, signal) => {
    let p = identities.get(clients);
    if (!p) {
      const bound = AbortSignal.timeout(IDENTITY_TIMEOUT_MS);
      p = call(
        clients,
        'GetCallerIdentity',
        'Finding out who your AWS credentials belong to',
        () => clients.sts.send(new clients.sdk.sts.GetCallerIdentityCommand({}), { abortSignal: bound }),
        bound,
      ).then((r) => ({ arn: r.Arn ?? '', userId: r.UserId ?? '', account: r.Account ?? '' }));
      identities.set(clients, p);
      p.catch(() => identities.delete(clients));
    }
    return untilAborted(p, signal);
  };
}

/** The promise's result, or AbortedError as soon as the signal aborts (the work goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function getSession(
  call: AwsCall,
  clients: AwsClients,
  id: string,
  doing: string,
  signal?: AbortSignal,
): Promise<Session | undefined> {
  return call(
    clients,
    'GetSession',
    doing,
    () => clients.glue.send(new clients.sdk.glue.GetSessionCommand({ Id: id }), { abortSignal: signal }),
    signal,
  ).then((r) => r.Session);
}

/**
 * A signal that aborts when any of the given signals does, or after `ms`. Built on a plain timer
 * (kept alive by Node's timer list) so the bound never depends on how AbortSignal.any holds an
 * AbortSignal.timeout source.
 */
export function boundedSignal(ms: number, ...signals: (AbortSignal | undefined)[]): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${ms} ms.`, 'TimeoutError')),
    ms,
  );
  timer.unref();
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
