// Starting a session: build the CreateSession request (role discovery, defaults), show the
// plan, create the session, and wait for READY with a deadline and a status line. A session
// that fails to start is forgotten, and the message says what the service said.
import { randomUUID } from 'node:crypto';
import type { Session } from '@aws-sdk/client-glue';
import type { BackendNotifier } from '../backend';
import { boundedSignal, getSession, awsErrorCode, untilAborted } from './aws-call';
import type { AwsClients } from './clients';
import type { ActiveSession, GlueContext } from './context';
import { GlueKernelError } from './errors';
import { describeEndpoint } from './endpoint-kind';
import { discoverRole } from './identity';
import { minutesText } from '../../text/time';
import { DeadlineError, formatElapsed, isAbortError, pollUntil } from './poll';
import { showDashboard } from './dashboard';
import { errorCode } from './retry';
import type {
  CreateSessionRequest,
  CreateSessionRequestProvider,
  PartialCreateSessionRequest,
  SessionRequestHelpers,
} from './session-request';

/** The session type as people say it ("etl", "streaming"). */
export function commandLabel(name: string | undefined): string {
  if (name === 'glueetl') return 'etl';
  if (name === 'gluestreaming') return 'streaming';
  return name ?? 'etl';
}

/**
 * Creates a session from the request the provider builds, makes it the one in use, and waits
 * for it to be READY. `provider` is read once the clients are there.
 */
export async function createSession(
  ctx: GlueContext,
  provider: () => CreateSessionRequestProvider | undefined,
  notify: BackendNotifier,
  signal: AbortSignal,
): Promise<ActiveSession> {
  notify.info('Trying to create a Glue session for the kernel.');
  const clients = await ctx.clients();
  const buildRequest = provider();
  if (!buildRequest) {
    throw new GlueKernelError(
      'GlueNotConfigured',
      'The Glue backend has no session configuration (no CreateSession request provider was set). This is a bug in the kernel wiring.',
    );
  }
  const helpers = requestHelpers(ctx, clients, notify, signal);
  const partial: PartialCreateSessionRequest = await buildRequest(helpers);
  const request = await completeRequest(ctx, partial, helpers);
  printPlan(request, clients, notify);

  const id = request.Id;
  // The session is recorded before the call, so a shutdown (or interrupt) while CreateSession
  // is in flight still knows the id and stops the session the call may yet create.
  const session: ActiveSession = {
    id,
    clients,
    ready: false,
    requested: request,
    startedAt: Date.now(),
    lastStatementId: -1,
  };
  const attempts = new Set<Promise<unknown>>();
  let createdByAttempt = false;
  const call = ctx.call(
    clients,
    'CreateSession',
    'Creating the Glue session',
    (attempt) => {
      const sent = createAttempt(clients, request, attempt);
      attempts.add(sent);
      sent.then(
        () => (createdByAttempt = true),
        () => undefined,
      );
      void sent.catch(() => undefined).finally(() => attempts.delete(sent));
      return sent;
    },
    signal,
  );
  session.creation = (async () => {
    await call.catch(() => undefined);
    while (attempts.size > 0) await Promise.allSettled([...attempts]);
    return createdByAttempt;
  })();
  ctx.use(session);
  let created: Session | undefined;
  try {
    // An interrupt answers at once; the attempt in flight goes on and `creation` tracks it.
    created = await untilAborted(call, signal);
  } catch (err) {
    // An interrupted create may still succeed: the session stays recorded (not ready), so the
    // next cell waits for it and shutdown stops it. Any other failure created nothing.
    if (!isAbortError(err)) ctx.forget(session);
    throw err;
  }
  session.creation = undefined;
  session.ready = created?.Status === 'READY';
  session.startedAt = created?.CreatedOn?.getTime() ?? session.startedAt;
  if (!session.ready) await waitReady(ctx, session, notify, signal);
  else {
    notify.info(`Session ${id} has been created.`);
    await showDashboard(ctx, session, notify, signal);
  }
  return session;
}

/** One CreateSession attempt; a retry that finds the session its first try made takes it. */
async function createAttempt(
  clients: AwsClients,
  request: CreateSessionRequest & { Id: string },
  attempt: number,
): Promise<Session | undefined> {
  const id = request.Id;
  try {
    return (
      await clients.glue.send(new clients.sdk.glue.CreateSessionCommand(request), {
        abortSignal: boundedSignal(60_000),
      })
    ).Session;
  } catch (err) {
    // A retried create after a timeout can find the session our first try made.
    if (attempt > 1 && errorCode(err) === 'AlreadyExistsException') {
      return (
        await clients.glue.send(new clients.sdk.glue.GetSessionCommand({ Id: id }), {
          abortSignal: boundedSignal(60_000),
        })
      ).Session;
    }
    if (errorCode(err) === 'AlreadyExistsException') {
      throw new GlueKernelError(
        'SessionAlreadyExists',
        `A session with the id ${id} already exists. Use it with %reconnect ${id}, or choose another id (session_id, %session_id_prefix).`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** What the request provider may ask for: the caller's role and user id. */
function requestHelpers(
  ctx: GlueContext,
  clients: AwsClients,
  notify: BackendNotifier,
  signal: AbortSignal,
): SessionRequestHelpers {
  return {
    discoverRole: () =>
      discoverRole(
        {
          getCallerIdentity: (s) => ctx.callerIdentity(clients, s),
          getRoleArn: (roleName, s) =>
            ctx
              .call(
                clients,
                'GetRole',
                `Looking up the role ${roleName} for the session`,
                () =>
                  clients.iam.send(new clients.sdk.iam.GetRoleCommand({ RoleName: roleName }), {
                    abortSignal: s,
                  }),
                // The signal also ends the waits between retries, so an interrupt is prompt.
                s,
              )
              .then((r) => {
                if (!r.Role?.Arn)
                  throw new GlueKernelError(
                    'GlueRoleNotFound',
                    `IAM GetRole returned no ARN for role ${roleName}. Set the role with %iam_role.`,
                  );
                return r.Role.Arn;
              }),
        },
        signal,
      ),
    callerUserId: () => ctx.callerIdentity(clients, signal).then((i) => i.userId),
    notify,
    signal,
  };
}

async function completeRequest(
  ctx: GlueContext,
  partial: PartialCreateSessionRequest,
  helpers: SessionRequestHelpers,
): Promise<CreateSessionRequest & { Id: string }> {
  const request: CreateSessionRequest & { Id: string } = {
    ...partial,
    Id: partial.Id || randomUUID(),
    Role: partial.Role || (await helpers.discoverRole()),
    Command: partial.Command ?? { Name: 'glueetl', PythonVersion: '3' },
    RequestOrigin: partial.RequestOrigin || (ctx.kind === 'spark' ? 'GlueSparkKernel' : 'GluePySparkKernel'),
  };
  return request;
}

/** What the service uses when the request leaves a value out (Glue's documented defaults). */
const SERVICE_DEFAULTS = { workerType: 'G.1X', numberOfWorkers: 5, timeoutMinutes: 2880 };

/** Every effective value of the session about to be created, marking those left to the service. */
export function planLines(r: CreateSessionRequest, client: { region: string; endpoint?: string }): string[] {
  const byService = ' (service default)';
  const lines = [`Session Type: ${commandLabel(r.Command?.Name)}`];
  lines.push(`Glue Version: ${r.GlueVersion ?? 'service default'}`);
  if (r.MaxCapacity !== undefined) lines.push(`Max Capacity: ${r.MaxCapacity} DPU`);
  else {
    lines.push(`Worker Type: ${r.WorkerType ?? SERVICE_DEFAULTS.workerType + byService}`);
    lines.push(`Number of Workers: ${r.NumberOfWorkers ?? SERVICE_DEFAULTS.numberOfWorkers + byService}`);
  }
  const timeout = r.Timeout ?? SERVICE_DEFAULTS.timeoutMinutes;
  // The service's idle timeout defaults to the session timeout.
  lines.push(
    `Idle Timeout: ${minutesText(r.IdleTimeout ?? timeout)}${r.IdleTimeout === undefined ? byService : ''}`,
  );
  lines.push(`Timeout: ${minutesText(timeout)}${r.Timeout === undefined ? byService : ''}`);
  if (r.Role) lines.push(`Role: ${r.Role}`);
  if (r.SecurityConfiguration) lines.push(`Security Configuration: ${r.SecurityConfiguration}`);
  const connections = r.Connections?.Connections ?? [];
  if (connections.length > 0) lines.push(`Connections: ${connections.join(', ')}`);
  lines.push(`Region: ${client.region}`);
  const endpoint = describeEndpoint(client.endpoint);
  if (endpoint) lines.push(`Endpoint: ${endpoint}`);
  lines.push(`Session ID: ${r.Id}`);
  const args = Object.entries(r.DefaultArguments ?? {});
  if (args.length > 0) {
    lines.push('Applying the following default arguments:');
    for (const [k, v] of args) lines.push(`${k} ${v}`);
  }
  return lines;
}

function printPlan(r: CreateSessionRequest, clients: AwsClients, notify: BackendNotifier): void {
  notify.info(planLines(r, clients.settings).join('\n'));
  const idle = r.IdleTimeout ?? r.Timeout ?? SERVICE_DEFAULTS.timeoutMinutes;
  if (idle === SERVICE_DEFAULTS.timeoutMinutes) {
    notify.warn(
      `The idle timeout is the service's default of 48 hours: an idle session keeps running (and costing) for up to 2 days. ` +
        'Set a shorter one with %idle_timeout <minutes> (or glue_idle_timeout in the environment or ~/.aws/config).',
    );
  }
}

/** Polls GetSession until the session leaves PROVISIONING; READY marks it ready, else it is forgotten. */
export async function waitReady(
  ctx: GlueContext,
  session: ActiveSession,
  notify: BackendNotifier,
  signal: AbortSignal,
): Promise<void> {
  notify.info(`Waiting for session ${session.id} to get into ready status...`);
  const started = Date.now();
  const label = `Session ${session.id}`;
  const since = Math.min(session.startedAt, started);
  let final: Session | undefined;
  try {
    final = await pollUntil<Session | undefined>({
      schedule: ctx.schedules.session,
      signal,
      immediate: true,
      deadline: started + ctx.timing.readyTimeoutMs,
      check: async (_attempt, s) => {
        let got: Session | undefined;
        try {
          got = await getSession(
            ctx.call,
            session.clients,
            session.id,
            `Checking on session ${session.id}`,
            s,
          );
        } catch (err) {
          if (awsErrorCode(err) === 'EntityNotFoundException') return { done: true, value: undefined };
          throw err;
        }
        if (got && got.Status !== 'PROVISIONING') return { done: true, value: got };
        return { done: false, last: got?.Status };
      },
      onPending: ({ last }) => {
        const status = typeof last === 'string' ? last : 'PROVISIONING';
        notify.progress({ line: 'session', label, state: status, since });
      },
    });
  } catch (err) {
    if (err instanceof DeadlineError) {
      notify.endProgress(
        'session',
        `${label}: still ${String(err.last ?? 'PROVISIONING')} after ${formatElapsed(Date.now() - since)}.`,
      );
      throw new GlueKernelError(
        'SessionStartTimeout',
        `Session ${session.id} is still ${String(err.last ?? 'PROVISIONING')} after ${formatElapsed(err.elapsedMs)}. ` +
          'It was left starting: run the cell again to keep waiting, or %stop_session to stop it.',
      );
    }
    if (isAbortError(err))
      notify.endProgress(
        'session',
        `${label}: still PROVISIONING after ${formatElapsed(Date.now() - since)}.`,
      );
    throw err;
  }
  // The real time the session took, also when an earlier cell created it.
  const took = formatElapsed(Date.now() - since);
  if (final?.Status === 'READY') {
    session.ready = true;
    notify.endProgress('session', `Session ${session.id} has been created (ready after ${took}).`);
    await showDashboard(ctx, session, notify, signal);
    return;
  }
  ctx.forget(session);
  const status = final?.Status ?? 'NOT_FOUND';
  notify.endProgress('session', `${label}: ${status} after ${took}.`);
  const said = final?.ErrorMessage ? ` The service said: ${final.ErrorMessage}` : '';
  throw new GlueKernelError(
    'SessionFailed',
    `Session ${session.id} failed to reach READY, reaching ${status} instead (after ${took}).${said} ` +
      'Check the session settings (role, Glue version, workers, connections) and run the cell again to create a new session.',
  );
}
