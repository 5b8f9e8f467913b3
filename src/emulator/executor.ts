// How the emulator runs statement code. The state machines (sessions.ts) only see this small
// interface, so unit tests plug in a fake; the default executor starts one local Python
// runner (src/runner/python-runner.ts) per session.
import type { StatementOutput } from '../runner/statement-output';

export interface RunnerExit {
  code: number | null;
  signal: string | null;
}

/** One session's interpreter: a long-lived process that keeps its variables between statements. */
export interface StatementRunner {
  /** Runs one statement; resolves with the Glue-shaped output (errors included), never rejects for user errors. */
  execute(code: string): Promise<StatementOutput>;
  /** Interrupts the running statement (KeyboardInterrupt); false if nothing could be signalled. */
  interrupt(): boolean;
  /** Stops the interpreter (graceful, then forced after graceMs). */
  stop(graceMs?: number): Promise<void>;
  /** Kills the interpreter at once (the admin path's "kill runner"). */
  kill(): void;
  readonly alive: boolean;
  readonly pid?: number;
  /** Called once if the interpreter exits without stop() having been called. */
  onUnexpectedExit(listener: (exit: RunnerExit) => void): void;
}

export interface ExecutorSessionInfo {
  id: string;
  defaultArguments: Record<string, string>;
}

export interface StatementExecutor {
  readonly name: string;
  start(session: ExecutorSessionInfo): Promise<StatementRunner>;
}

export interface PythonExecutorOptions {
  /** The Python that runs statements (--python), used as is; unset: the managed environment. */
  python?: string;
  engine?: 'auto' | 'pyspark' | 'duckdb' | 'plain';
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  logger?: { debug(m: string): void; warn(m: string): void };
}

export const EMULATOR_MISSING_ENGINE_HINT =
  "Give the emulator a Python that has duckdb or pyspark: start it with --python PATH (glue-kernel emulator --python PATH, or glue-kernel run --python PATH), or without --python to use glue-kernel's managed environment.";

/** The real executor: one src/runner PythonRunner per session. */
export function pythonExecutor(options: PythonExecutorOptions = {}): StatementExecutor {
  let managedPython: Promise<string> | undefined;
  const pythonFor = (): Promise<string> => {
    if (options.python) return Promise.resolve(options.python);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ensureEngineEnv } = require('../runner/engine-env') as typeof import('../runner/engine-env');
    managedPython ??= ensureEngineEnv({
      env: options.env,
      onProgress: (line) =>
        options.logger ? options.logger.warn(`emulator: ${line}`) : process.stderr.write(`${line}\n`),
    }).catch((error: unknown) => {
      managedPython = undefined; // a later session tries again
      throw error;
    });
    return managedPython;
  };
  return {
    name: 'python',
    async start(): Promise<StatementRunner> {
      // Loaded on first use, so an emulator with a fake executor never touches the runner.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { PythonRunner } = require('../runner/python-runner') as typeof import('../runner/python-runner');
      const runner = await PythonRunner.start({
        python: await pythonFor(),
        missingEngineHint: EMULATOR_MISSING_ENGINE_HINT,
        engine: options.engine,
        startTimeoutMs: options.startTimeoutMs,
        env: options.env,
        logger: options.logger,
      });
      let stopping = false;
      const listeners: ((exit: RunnerExit) => void)[] = [];
      runner.on('exit', (code: unknown, signal: unknown) => {
        if (stopping) return;
        const exit: RunnerExit = {
          code: typeof code === 'number' ? code : null,
          signal: typeof signal === 'string' ? signal : null,
        };
        for (const l of listeners) l(exit);
      });
      return {
        execute: (code) => runner.execute(code),
        interrupt: () => runner.interrupt(),
        stop: async (graceMs) => {
          stopping = true;
          await runner.stop(graceMs);
        },
        kill: () => {
          // The runner leads its own process group: kill the group, so its children go too.
          for (const target of [-runner.pid, runner.pid]) {
            try {
              process.kill(target, 'SIGKILL');
              return;
            } catch {
              // not a group leader, or already gone
            }
          }
        },
        get alive() {
          return runner.alive;
        },
        pid: runner.pid,
        onUnexpectedExit: (l) => {
          listeners.push(l);
        },
      };
    },
  };
}
