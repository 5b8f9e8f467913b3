// The driver of runner.py: starts one persistent Python process, sends it statements one at a
// time and turns its events into Glue statement outputs. Used by the kernel's local backend
// (streaming, through onStream) and by the Glue API emulator (folded output).
//
// Channels (see runner.py's docstring for the protocol):
//   fd 3  commands, JSON lines, driver → runner
//   fd 4  events, JSON lines, runner → driver
//   fd 1/2  whatever reaches the real descriptors (subprocesses, C extensions), forwarded as
//         stream text of the running statement; sync markers delimit each statement's share.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describeExit, foldStreams, runnerDiedOutput } from './fold';
import {
  encodeCommand,
  LineSplitter,
  parseEvent,
  SyncScanner,
  TailBuffer,
  type RunnerCommand,
  type RunnerEvent,
  type StreamName,
} from './protocol';
import type { StatementOutput } from './statement-output';

export type EngineName = 'pyspark' | 'duckdb' | 'plain';

export interface RunnerLogger {
  debug(m: string): void;
  warn(m: string): void;
}

export interface RunnerOptions {
  /** The Python interpreter (a path or a name on PATH); default 'python3'. */
  python?: string;
  /** Which engine to start; default: the GLUE_KERNEL_RUNNER_ENGINE variable of `env`, else 'auto'. */
  engine?: 'auto' | EngineName;
  /** The child's environment (default process.env); the runner's own variables are added. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What the user should do when no engine (DuckDB, PySpark) is importable; shown by `spark.…` and `import pyspark`. */
  missingEngineHint?: string;
  /** How long to wait for the ready event (engine start included); default 60 s. */
  startTimeoutMs?: number;
  logger?: RunnerLogger;
}

export interface EngineInfo {
  name: EngineName;
  description: string;
  pythonVersion: string;
}

export interface ExecuteOptions {
  /**
   * Live output. When given, printed text arrives here as the statement runs and is NOT
   * repeated in the result (Data.TextPlain then holds only the final value's repr, if any).
   */
  onStream?: (name: StreamName, text: string) => void;
  /** How tracebacks name this statement's code (default "cell N", counting statements). */
  label?: string;
}

/** start() failed: python missing, crashed, engine unavailable or too slow. */
export class RunnerStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail = '',
  ) {
    super(message);
    this.name = 'RunnerStartError';
  }
}

/** execute() on a runner that is not running (it died or was stopped). */
export class RunnerNotRunningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerNotRunningError';
  }
}

interface Job {
  id: string;
  code: string;
  label?: string;
  executionCount: number;
  onStream?: ExecuteOptions['onStream'];
  stdout: string;
  stderr: string;
  stderrTail: TailBuffer;
  result?: StatementOutput;
  /** Sync markers still awaited before the result may be delivered. */
  awaiting: Set<StreamName>;
  seenMarkers: Set<StreamName>;
  syncTimer?: NodeJS.Timeout;
  resolve(output: StatementOutput): void;
  reject(err: Error): void;
}

const NO_LOGGER: RunnerLogger = { debug: () => undefined, warn: () => undefined };
/** How long a result waits for its fd 1/2 sync markers (e.g. the user closed fd 1). */
const SYNC_WAIT_MS = 1000;
/** After 'exit', how long to wait for the pipes to drain ('close') before settling. */
const DRAIN_WAIT_MS = 250;

/** runner.py next to the compiled file (dist/src/runner/, an installed package), else the source tree. */
export function locateRunnerScript(): string {
  const candidates = [
    path.join(__dirname, 'runner.py'),
    path.resolve(__dirname, '..', '..', '..', 'src', 'runner', 'runner.py'),
  ];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new RunnerStartError(
    `runner.py was not found; looked at ${candidates.join(' and ')}. Rebuild the package (npm run build).`,
  );
}

export class PythonRunner extends EventEmitter {
  private readonly child: ChildProcess;
  private readonly logger: RunnerLogger;
  private readonly python: string;
  private engineInfo?: EngineInfo;
  private readonly queue: Job[] = [];
  private current?: Job;
  private nextId = 1;
  private executed = 0;
  private readonly stderrTail = new TailBuffer();
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  private settled = false;
  private stopping = false;
  private readonly settledWaiters: (() => void)[] = [];
  private readyHandler?: (event: RunnerEvent) => void;

  private constructor(child: ChildProcess, python: string, logger: RunnerLogger) {
    super();
    this.child = child;
    this.python = python;
    this.logger = logger;
  }

  /** Starts runner.py and resolves once its engine is ready. */
  static start(options: RunnerOptions = {}): Promise<PythonRunner> {
    const python = options.python ?? 'python3';
    const logger = options.logger ?? NO_LOGGER;
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    let script: string;
    try {
      script = locateRunnerScript();
    } catch (err) {
      return Promise.reject(err);
    }
    const args = [script, '--command-fd', '3', '--event-fd', '4'];
    if (options.engine) args.push('--engine', options.engine);
    const env: NodeJS.ProcessEnv = {
      ...(options.env ?? process.env),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONIOENCODING: 'utf-8',
      MPLBACKEND: 'Agg',
      ...(options.missingEngineHint
        ? { GLUE_KERNEL_RUNNER_MISSING_ENGINE_HINT: options.missingEngineHint }
        : {}),
    };
    logger.debug(`starting runner: ${python} ${args.join(' ')}`);
    const child = spawn(python, args, {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      env,
      cwd: options.cwd,
      // Its own process group: a Ctrl-C or Jupyter's group-wide SIGINT reaches the runner only
      // through interrupt(), and stop() can end the runner's subprocesses with it.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const runner = new PythonRunner(child, python, logger);
    return runner.waitReady(timeoutMs);
  }

  get engine(): EngineInfo {
    if (!this.engineInfo) throw new Error('the runner has not started');
    return this.engineInfo;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True until the Python process exits. */
  get alive(): boolean {
    return this.exitInfo === undefined && !this.settled;
  }

  /** Runs one statement after those already queued. Resolves with its output, also when the
   * code failed or the process died under it; rejects only when the runner is not running. */
  execute(code: string, options: ExecuteOptions = {}): Promise<StatementOutput> {
    if (!this.alive || this.stopping) return Promise.reject(this.notRunningError());
    return new Promise<StatementOutput>((resolve, reject) => {
      this.queue.push({
        id: String(this.nextId++),
        code,
        label: options.label,
        executionCount: 0,
        onStream: options.onStream,
        stdout: '',
        stderr: '',
        stderrTail: new TailBuffer(4096),
        awaiting: new Set(),
        seenMarkers: new Set(),
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /** Sends SIGINT to the child if a statement is running: KeyboardInterrupt in the statement. */
  interrupt(): boolean {
    if (!this.current || !this.alive || this.current.result) return false;
    try {
      return this.child.kill('SIGINT');
    } catch (err) {
      this.logger.warn(`interrupt failed: ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * Asks the runner to shut down, then SIGTERM, then SIGKILL (each after graceMs); then ends
   * what is left of its process group (processes user code started), SIGKILL after graceMs.
   */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.settled) {
      this.stopping = true;
      for (const job of this.queue.splice(0)) job.reject(this.notRunningError());
      this.send({ cmd: 'shutdown' });
      if (!(await this.waitSettled(graceMs))) {
        this.logger.debug(`runner ${this.pid} did not shut down within ${graceMs} ms: SIGTERM`);
        this.signalGroup('SIGTERM');
        if (!(await this.waitSettled(graceMs))) {
          this.logger.warn(`runner ${this.pid} ignored SIGTERM: SIGKILL`);
          this.signalGroup('SIGKILL');
          await this.waitSettled(5000);
        }
      }
    }
    await this.endGroupRemainder(graceMs);
  }

  /**
   * The runner leads its own process group, and processes user code started (Popen, a server)
   * stay in it after the runner exits: SIGTERM them, and SIGKILL whatever is left after graceMs.
   * The group's id cannot be reused while a member lives, so this never reaches a stranger.
   */
  private async endGroupRemainder(graceMs: number): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || process.platform === 'win32') return;
    if (!signalProcessGroup(pid, 'SIGTERM')) return;
    this.logger.debug(`runner ${pid}: ending the processes left in its group`);
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!signalProcessGroup(pid, 0)) return;
    }
    signalProcessGroup(pid, 'SIGKILL');
  }

  // ------------------------------------------------------------------------------------------

  private waitReady(timeoutMs: number): Promise<PythonRunner> {
    return new Promise<PythonRunner>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.readyHandler = undefined;
        if (err) {
          this.stopping = true;
          if (this.exitInfo === undefined && !this.settled) this.signalGroup('SIGKILL');
          reject(err);
        } else {
          resolve(this);
        }
      };
      const timer = setTimeout(() => {
        finish(this.startError(`did not become ready within ${timeoutMs} ms`));
      }, timeoutMs);
      this.readyHandler = (event) => {
        if (event.event === 'ready') {
          const name = event.engine.name;
          this.engineInfo = {
            name: name === 'pyspark' || name === 'duckdb' ? name : 'plain',
            description: event.engine.description,
            pythonVersion: event.engine.python_version,
          };
          if (event.log) this.logger.debug(`runner start-up output: ${event.log}`);
          this.logger.debug(`runner ${this.pid} ready: ${event.engine.description}`);
          finish();
        } else if (event.event === 'fatal') {
          finish(this.startError(`could not start: ${event.message}`));
        }
      };
      this.child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          finish(
            new RunnerStartError(
              `Python interpreter "${this.python}" was not found (spawn ENOENT). ` +
                "Install Python 3.9 or newer, or set the runner's python option to its path.",
            ),
          );
        } else {
          finish(new RunnerStartError(`could not start the Python runner "${this.python}": ${err.message}`));
        }
      });
      this.child.once('exit', (code, signal) => {
        // Give the pipes a moment so the stderr tail and a fatal event are complete.
        setTimeout(
          () => finish(this.startError(`${describeExit(code, signal)} before it was ready`)),
          DRAIN_WAIT_MS,
        );
      });
      this.attach();
    });
  }

  private startError(what: string): RunnerStartError {
    const tail = this.stderrTail.value.trim();
    const message =
      `The Python runner (${this.python}) ${what}.` + (tail ? `\nIts stderr ended with:\n${tail}` : '');
    return new RunnerStartError(message, tail);
  }

  private attach(): void {
    const child = this.child;
    const events = child.stdio[4] as Readable | null;
    const commands = child.stdio[3] as Writable | null;
    const splitter = new LineSplitter();
    if (events) {
      events.setEncoding('utf8');
      events.on('data', (chunk: string) => {
        for (const line of splitter.push(chunk)) this.onEventLine(line);
      });
      events.on('error', (err) => this.logger.debug(`runner event channel: ${err.message}`));
    }
    commands?.on('error', (err) => this.logger.debug(`runner command channel: ${err.message}`));
    child.on('error', (err) => this.logger.debug(`runner process: ${err.message}`));
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = name === 'stdout' ? child.stdout : child.stderr;
      if (!stream) continue;
      const scanner = new SyncScanner(
        (text) => this.onPipeText(name, text),
        (id) => this.onMarker(name, id),
      );
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => scanner.push(chunk));
      stream.on('end', () => scanner.end());
      stream.on('error', (err) => this.logger.debug(`runner ${name}: ${err.message}`));
    }
    child.on('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      this.logger.debug(`runner ${this.pid} ${describeExit(code, signal)}`);
      setTimeout(() => this.settle(), DRAIN_WAIT_MS);
    });
    child.on('close', () => this.settle());
  }

  private onEventLine(line: string): void {
    const { event, problem } = parseEvent(line);
    if (!event) {
      this.logger.warn(`runner sent a bad event line (${problem}): ${line.slice(0, 200)}`);
      return;
    }
    if (this.readyHandler && (event.event === 'ready' || event.event === 'fatal')) {
      this.readyHandler(event);
      return;
    }
    switch (event.event) {
      case 'stream':
        if (this.current && event.id === this.current.id) this.deliver(this.current, event.name, event.text);
        else this.logger.debug(`runner ${event.name} outside a statement: ${event.text}`);
        break;
      case 'result': {
        const job = this.current;
        if (!job || job.id !== event.id) {
          this.logger.warn(`runner sent a result for statement ${event.id}, which is not running`);
          return;
        }
        job.result = event.output;
        job.awaiting = new Set(event.sync.filter((name) => !job.seenMarkers.has(name)));
        if (job.awaiting.size === 0) {
          this.complete(job);
        } else {
          job.syncTimer = setTimeout(() => {
            this.logger.debug(`statement ${job.id}: no sync marker on ${[...job.awaiting].join(', ')}`);
            this.complete(job);
          }, SYNC_WAIT_MS);
        }
        break;
      }
      case 'log':
        this.logger[event.level](`runner: ${event.message}`);
        break;
      case 'fatal':
        this.logger.warn(`runner: ${event.message}`);
        break;
      case 'ready':
        this.logger.warn('runner sent a second ready event');
        break;
    }
  }

  private onPipeText(name: StreamName, text: string): void {
    if (name === 'stderr') this.stderrTail.push(text);
    const job = this.current;
    if (job && !job.result) this.deliver(job, name, text);
    else if (job && job.awaiting.has(name)) this.deliver(job, name, text);
    else this.logger.debug(`runner ${name} outside a statement: ${text}`);
  }

  private onMarker(name: StreamName, id: string): void {
    const job = this.current;
    if (!job || job.id !== id) return;
    job.seenMarkers.add(name);
    if (job.result && job.awaiting.delete(name) && job.awaiting.size === 0) this.complete(job);
  }

  private deliver(job: Job, name: StreamName, text: string): void {
    if (name === 'stderr') job.stderrTail.push(text);
    if (job.onStream) {
      try {
        job.onStream(name, text);
      } catch (err) {
        this.logger.warn(`onStream callback threw: ${(err as Error).message}`);
      }
    } else if (name === 'stdout') {
      job.stdout += text;
    } else {
      job.stderr += text;
    }
  }

  private complete(job: Job): void {
    if (this.current !== job || !job.result) return;
    clearTimeout(job.syncTimer);
    this.current = undefined;
    job.resolve(job.onStream ? job.result : foldStreams(job.result, job.stdout, job.stderr));
    this.pump();
  }

  private pump(): void {
    if (this.current || this.stopping || !this.alive) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.executionCount = ++this.executed;
    this.send({ cmd: 'execute', id: job.id, code: job.code, ...(job.label ? { label: job.label } : {}) });
  }

  private send(command: RunnerCommand): void {
    const commands = this.child.stdio[3] as Writable | null;
    if (!commands || commands.destroyed || !commands.writable) return;
    commands.write(encodeCommand(command));
  }

  /** The process is gone and its pipes are drained (or we stopped waiting): settle everything. */
  private settle(): void {
    if (this.settled || this.exitInfo === undefined) return;
    this.settled = true;
    const { code, signal } = this.exitInfo;
    const job = this.current;
    this.current = undefined;
    if (job) {
      clearTimeout(job.syncTimer);
      if (job.result) {
        job.resolve(job.onStream ? job.result : foldStreams(job.result, job.stdout, job.stderr));
      } else {
        // The statement's stderr (often the crash report) goes into the traceback, unless it
        // was already streamed live; stdout is folded as usual.
        const died = runnerDiedOutput(
          { code, signal, stopped: this.stopping, stderrTail: job.onStream ? '' : job.stderrTail.value },
          job.executionCount,
        );
        job.resolve(job.onStream ? died : foldStreams(died, job.stdout, ''));
      }
    }
    for (const queued of this.queue.splice(0)) queued.reject(this.notRunningError());
    for (const waiter of this.settledWaiters.splice(0)) waiter();
    // A runner that died on its own leaves its subprocesses behind: end them too.
    if (!this.stopping) void this.endGroupRemainder(1000);
    this.emit('exit', code, signal);
  }

  private waitSettled(ms: number): Promise<boolean> {
    if (this.settled) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.settledWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exitInfo !== undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-pid, signal);
      else this.child.kill(signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  private notRunningError(): RunnerNotRunningError {
    if (this.exitInfo) {
      const how = describeExit(this.exitInfo.code, this.exitInfo.signal);
      return new RunnerNotRunningError(
        `The Python runner is not running: it ${how}${this.stopping ? ' after stop()' : ''}. ` +
          'Its variables are lost; start a new runner.',
      );
    }
    return new RunnerNotRunningError('The Python runner is stopping; start a new runner.');
  }
}

/** Sends `signal` to process group `pgid`; false when no process of the group is left. */
function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
