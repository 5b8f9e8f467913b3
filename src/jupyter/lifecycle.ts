// Process lifecycle helpers for the kernel CLI: exit when the launcher dies, and turn signals into
// interrupt / clean shutdown instead of Node's default "die at once".

/** Whether a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export interface WatchParentOptions {
  /** Poll interval, default 1000 ms. */
  intervalMs?: number;
}

/**
 * Calls `onGone` once when the launcher `pid` (JPY_PARENT_PID) is gone: it no longer exists, or this
 * process was re-parented (its ppid changed from what it was when watching started, e.g. to 1 or a
 * subreaper). When launched directly by `pid` that is `process.ppid !== pid`; comparing with the
 * starting ppid also keeps a kernel started through a wrapper from exiting at once.
 * Ignores pid <= 1 and non-numbers. The timer does not keep the process alive. Returns a stop function.
 */
export function watchParent(pid: number, onGone: () => void, options: WatchParentOptions = {}): () => void {
  if (!Number.isInteger(pid) || pid <= 1) return () => undefined;
  const startPpid = process.ppid;
  const timer = setInterval(() => {
    const reparented = process.ppid !== startPpid;
    if (reparented || !processExists(pid)) {
      clearInterval(timer);
      onGone();
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Parses JPY_PARENT_PID (or another value); undefined when missing or not a positive integer. */
export function parentPidFromEnv(value: string | undefined = process.env.JPY_PARENT_PID): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const pid = Number(value.trim());
  return pid > 1 ? pid : undefined;
}

export interface SignalHandlers {
  /** SIGINT: interrupt the current execution. The kernel keeps running. */
  onInterrupt: () => void;
  /** SIGTERM (and SIGHUP): shut down cleanly. Called once per signal received. */
  onTerminate: (signal: NodeJS.Signals) => void;
}

/** Installs the handlers (replacing Node's default exit on these signals). Returns an uninstall function. */
export function installSignalHandlers(handlers: SignalHandlers): () => void {
  const onInt = () => handlers.onInterrupt();
  const onTerm = (signal: NodeJS.Signals) => handlers.onTerminate(signal);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
  };
}
