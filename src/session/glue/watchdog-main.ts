// The session watchdog process (started by watchdog.ts): reads the kernel's messages on stdin;
// when stdin closes without "clean", the kernel died, so it stops the guarded session with the
// same region, endpoint, profile and role (retrying for up to 55 s), then exits. After "clean",
// or with nothing guarded, it exits without a call.
import { createClients } from './clients';
import { errorCode } from './retry';
import { parseWatchdogMessage, type GuardedSession } from './watchdog-protocol';

/** Every StopSession attempt ends within the 60 s the watchdog promises. */
const STOP_DEADLINE_MS = 55_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Codes that say there is nothing (more) to stop. */
const DONE_CODES = new Set(['IllegalSessionStateException']);

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} WARN [glue-kernel:watchdog] ${message}\n`);
}

export async function stopGuardedSession(
  session: GuardedSession,
  deadlineMs = STOP_DEADLINE_MS,
): Promise<boolean> {
  const clients = createClients({
    region: session.region,
    endpoint: session.endpoint,
    stsEndpoint: session.stsEndpoint,
    profile: session.profile,
    assumeRole: session.assumeRole,
  });
  const deadline = Date.now() + deadlineMs;
  let notFound = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await clients.glue.send(new clients.sdk.glue.StopSessionCommand({ Id: session.id }), {
          abortSignal: AbortSignal.timeout(Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()))),
        });
        log(`the kernel ended without stopping session ${session.id}: stopped it`);
        return true;
      } catch (err) {
        const code = errorCode(err) ?? 'error';
        if (DONE_CODES.has(code)) return true;
        // A CreateSession the kernel sent just before it died may land after this call.
        if (code === 'EntityNotFoundException' && ++notFound >= 3) return false;
        const wait = Math.min(1000 * 2 ** (attempt - 1), 8000);
        if (Date.now() + wait >= deadline) {
          log(
            `could not stop session ${session.id} (${code}); stop it with: glue-kernel sessions stop ${session.id}`,
          );
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  } finally {
    clients.destroy();
  }
}

function main(): void {
  let guarded: GuardedSession | undefined;
  let clean = false;
  let buffer = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const message = parseWatchdogMessage(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (message?.type === 'guard') guarded = message.session;
      else if (message?.type === 'release') guarded = undefined;
      else if (message?.type === 'clean') clean = true;
    }
  });
  process.stdin.on('end', () => {
    if (clean || !guarded) process.exit(0);
    void stopGuardedSession(guarded).finally(() => process.exit(0));
  });
  // Signals for the kernel's process group never reach this one (it is detached); a hang-up of
  // the terminal must not end the guard either.
  process.on('SIGHUP', () => undefined);
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();
