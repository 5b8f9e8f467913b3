// Starting a session: build the CreateSession request (role discovery, defaults), show the
// plan, create the session, and wait for READY with a deadline and a status line. A session
// that fails to start is forgotten, and the message says what the service said.
import { randomUUID } from 'node:crypto';
import type { Session } from '@aws-sdk/client-glue';
import type { BackendNotifier } from '../backend';
import { boundedSignal, getSession, awsErrorCode } from './aws-call';
import type { AwsClients } from './clients';
import type { ActiveSession, GlueContext } from './context';
import { GlueKernelError } from './errors';
import { discoverRole } from './identity';
import { DeadlineError, formatElapsed, pollUntil } from './poll';
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
  printPlan(request, notify);

  const id = request.Id;
  const created = await ctx.call(
    clients,
    'CreateSession',
    'Creating the Glue session',
    async (attempt) => {
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
    },
    signal,
  );
  const session: ActiveSession = {
    id,
    clients,
    ready: created?.Status === 'READY',
    requested: request,
    lastStatementId: -1,
  };
  ctx.use(session);
  if (!session.ready) await waitReady(ctx, session, notify, signal);
  else notify.info(`Session ${id} has been created.`);
  return session;
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

function printPlan(r: CreateSessionRequest, notify: BackendNotifier): void {
  const lines = [`Session Type: ${commandLabel(r.Command?.Name)}`];
  if (r.GlueVersion) lines.push(`Glue Version: ${r.GlueVersion}`);
  if (r.MaxCapacity !== undefined) lines.push(`Max Capacity: ${r.MaxCapacity}`);
  if (r.WorkerType) lines.push(`Worker Type: ${r.WorkerType}`);
  if (r.NumberOfWorkers !== undefined) lines.push(`Number of Workers: ${r.NumberOfWorkers}`);
  if (r.IdleTimeout !== undefined) lines.push(`Idle Timeout: ${r.IdleTimeout}`);
  if (r.Timeout !== undefined) lines.push(`Timeout: ${r.Timeout}`);
  lines.push(`Session ID: ${r.Id}`);
  const args = Object.entries(r.DefaultArguments ?? {});
  if (args.length > 0) {
    lines.push('Applying the following default arguments:');
    for (const [k, v] of args) lines.push(`${k} ${v}`);
  }
  notify.info(lines.join('\n'));
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
  let lastStatus: string | undefined;
  let lastShown = 0;
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
      onPending: ({ elapsedMs, last }) => {
        const status = typeof last === 'string' ? last : 'PROVISIONING';
        if (status !== lastStatus || Date.now() - lastShown >= ctx.timing.statusIntervalMs) {
          notify.status(`Session ${session.id}: ${status}, ${formatElapsed(elapsedMs)} elapsed`);
          lastStatus = status;
          lastShown = Date.now();
        }
      },
    });
  } catch (err) {
    if (err instanceof DeadlineError) {
      throw new GlueKernelError(
        'SessionStartTimeout',
        `Session ${session.id} is still ${String(err.last ?? 'PROVISIONING')} after ${formatElapsed(err.elapsedMs)}. ` +
          'It was left starting: run the cell again to keep waiting, or %stop_session to stop it.',
      );
    }
    throw err;
  }
  const took = formatElapsed(Date.now() - started);
  if (final?.Status === 'READY') {
    session.ready = true;
    notify.info(`Session ${session.id} has been created (ready after ${took}).`);
    return;
  }
  ctx.forget(session);
  const status = final?.Status ?? 'NOT_FOUND';
  const said = final?.ErrorMessage ? ` The service said: ${final.ErrorMessage}` : '';
  throw new GlueKernelError(
    'SessionFailed',
    `Session ${session.id} failed to reach READY, reaching ${status} instead (after ${took}).${said} ` +
      'Check the session settings (role, Glue version, workers, connections) and run the cell again to create a new session.',
  );
}
