// The local backend: statements run in a persistent Python process on this machine (the
// same runner the emulator uses), for offline work and demos. PySpark is used when it is
// installed, DuckDB's PySpark-compatible API when it is not, plain Python otherwise.
import type { Logger } from '../../log/logger';
import { EngineEnvError, ensureEngineEnv } from '../../runner/engine-env';
import { PythonRunner } from '../../runner/python-runner';
import type { Backend, BackendNotifier, RunOptions, SessionSummary, StatementResult } from '../backend';
import type { KernelKind } from '../kinds';

export interface LocalBackendOptions {
  kind: KernelKind;
  /** glue_python: used as is. Unset: the managed environment (created on first use). */
  python?: string;
  /** The managed environment's folder (engine_dir) and pip index (pip_index_url). */
  engineDir?: string;
  pipIndexUrl?: string;
  engine?: 'auto' | 'pyspark' | 'duckdb' | 'plain';
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export const SCALA_UNAVAILABLE =
  'Local execution of Scala is not available: the local backend runs Python only. ' +
  'Use the Glue PySpark kernel locally, or run this Glue Spark kernel on the Glue backend ' +
  '(unset glue_backend, or set glue_backend=glue) with an AWS account or the emulator.';

export class LocalBackend implements Backend {
  readonly name = 'local' as const;
  private runner?: PythonRunner;
  private starting?: Promise<PythonRunner>;
  private startedAt?: Date;
  private statements = 0;
  private python?: string;

  constructor(private readonly options: LocalBackendOptions) {}

  hasSession(): boolean {
    return this.runner?.alive === true;
  }

  private async ensureRunner(notify: BackendNotifier): Promise<PythonRunner> {
    if (this.runner?.alive) return this.runner;
    if (this.runner && !this.runner.alive) {
      notify.warn(
        'The local Python process had exited; starting a new one. Variables from earlier cells are gone.',
      );
      this.runner = undefined;
    }
    this.starting ??= this.startRunner(notify);
    try {
      const runner = await this.starting;
      this.runner = runner;
      this.startedAt = new Date();
      this.statements = 0;
      notify.info(
        `Local session started: ${runner.engine.description} (Python ${runner.engine.pythonVersion}).`,
      );
      return runner;
    } finally {
      this.starting = undefined;
    }
  }

  private async startRunner(notify: BackendNotifier): Promise<PythonRunner> {
    const explicit = this.options.python;
    const python =
      explicit ??
      (await ensureEngineEnv({
        dir: this.options.engineDir,
        pipIndexUrl: this.options.pipIndexUrl,
        env: this.options.env,
        onProgress: (line, kind) => (kind === 'step' ? notify.info(line) : notify.status(line)),
      }));
    this.python = python;
    return PythonRunner.start({
      python,
      engine: this.options.engine ?? 'auto',
      env: this.options.env,
      missingEngineHint: explicit
        ? `Install duckdb (or pyspark) into ${explicit} (glue_python), or unset glue_python to use ` +
          "glue-kernel's managed environment, and restart the kernel."
        : undefined,
      logger: { debug: (m) => this.options.logger.debug(m), warn: (m) => this.options.logger.warn(m) },
    });
  }

  async run(code: string, { signal, notify, executionCount }: RunOptions): Promise<StatementResult> {
    if (this.options.kind === 'spark')
      return { kind: 'failed', ename: 'LocalScalaUnavailable', message: SCALA_UNAVAILABLE };
    let runner: PythonRunner;
    try {
      runner = await this.ensureRunner(notify);
    } catch (error) {
      if (error instanceof EngineEnvError)
        return { kind: 'failed', ename: 'EngineSetupError', message: error.message };
      return {
        kind: 'failed',
        ename: 'LocalRunnerError',
        message: `${error instanceof Error ? error.message : String(error)} Set glue_python to a working Python 3 (e.g. glue_python=/usr/bin/python3).`,
      };
    }
    const onAbort = (): void => {
      runner.interrupt();
    };
    if (signal.aborted) return { kind: 'cancelled', message: 'Interrupted before the statement started.' };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const output = await runner.execute(code, {
        onStream: (name, text) => notify.stream(name, text),
        // ipykernel's way of naming a cell in a traceback: the prompt the user sees.
        label: executionCount !== undefined ? `cell In[${executionCount}]` : undefined,
      });
      this.statements++;
      return { kind: 'output', output, state: 'AVAILABLE' };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async describe(): Promise<SessionSummary | undefined> {
    const runner = this.runner;
    if (!runner?.alive) return undefined;
    return {
      rows: [
        ['Backend', 'local (no AWS session)'],
        ['Engine', runner.engine.description],
        ['Python', `${this.python ?? this.options.python ?? ''} (${runner.engine.pythonVersion})`],
        ['Process', String(runner.pid)],
        ['Started', this.startedAt?.toISOString() ?? ''],
        ['Statements', String(this.statements)],
      ],
    };
  }

  async stopSession(notify: BackendNotifier): Promise<boolean> {
    const runner = this.runner;
    if (!runner?.alive) return false;
    notify.info(`Stopping local session (process ${runner.pid}).`);
    this.runner = undefined;
    await runner.stop();
    notify.info('Stopped session.');
    return true;
  }

  async close(signal: AbortSignal): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    await Promise.race([
      runner.stop(500),
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
    ]);
  }
}
