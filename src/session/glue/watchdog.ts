// The kernel's side of the session watchdog: a small Node process, started detached (its own
// process group, so no signal meant for the kernel reaches it) when the first session is
// created, holding a pipe from the kernel. If the kernel dies without saying "clean" (SIGKILL,
// out of memory, a crash), the pipe closes and the watchdog stops the session within 60 s
// instead of leaving it billed until its idle timeout. See watchdog-main.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../log/logger';
import { encodeWatchdogMessage, type GuardedSession, type WatchdogMessage } from './watchdog-protocol';

/** watchdog-main.js next to this file, or next to the bundled CLI (dist/src/cli). */
export function locateWatchdogScript(): string | undefined {
  const candidates = [
    path.join(__dirname, 'watchdog-main.js'),
    path.resolve(__dirname, '..', 'session', 'glue', 'watchdog-main.js'),
  ];
  return candidates.find((c) => fs.existsSync(c));
}

export class SessionWatchdog {
  private child?: ChildProcess;
  private failed = false;

  constructor(private readonly logger?: Logger) {}

  /** From now on the watchdog stops this session if the kernel dies. */
  guard(session: GuardedSession): void {
    this.send({ type: 'guard', session }, true);
  }

  /** Nothing to stop any more. */
  release(): void {
    this.send({ type: 'release' }, false);
  }

  /** The kernel ends cleanly: the watchdog exits without a call. */
  clean(): void {
    this.send({ type: 'clean' }, false);
    this.child?.stdin?.end();
    this.child = undefined;
  }

  /** The watchdog's pid (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private send(message: WatchdogMessage, start: boolean): void {
    if (!this.child && start && !this.failed) this.child = this.start();
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return;
    stdin.write(encodeWatchdogMessage(message));
  }

  private start(): ChildProcess | undefined {
    const script = locateWatchdogScript();
    if (!script) {
      this.failed = true;
      this.logger?.warn('the session watchdog (watchdog-main.js) was not found; rebuild the package');
      return undefined;
    }
    // Argument array, no shell; the pid is only there so people (and tests) can tell whose it is.
    const child = spawn(process.execPath, [script, '--kernel-pid', String(process.pid)], {
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'ignore', 'inherit'],
      windowsHide: true,
    });
    child.on('error', (err) => {
      this.failed = true;
      this.child = undefined;
      this.logger?.warn(`the session watchdog could not start: ${err.message}`);
    });
    child.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe keeps the kernel alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.logger?.debug(`session watchdog started (pid ${child.pid})`);
    return child;
  }
}
