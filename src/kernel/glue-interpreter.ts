// The kernel proper: implements the protocol layer's Interpreter. A cell is split into
// magics and code; magics run here, code runs as a statement on the backend, and the
// result is rendered by the same renderer whatever the backend.
import { randomUUID } from 'node:crypto';
import type {
  CompleteResult,
  ExecuteContext,
  ExecuteOutcome,
  ExecuteRequest,
  InspectResult,
  Interpreter,
  IsCompleteResult,
  KernelInfo,
  OutputSink,
} from '../jupyter/interpreter';
import { ConfigError, loadConfigFile, type ResolvedSettings, type SettingsStore } from '../config';
import type { Logger } from '../log/logger';
import { splitCell, type MagicInvocation } from '../magics/cell-splitter';
import { MagicRegistry } from '../magics/registry';
import {
  MagicFailure,
  MagicUsageError,
  type AnyMagic,
  type CapturedStatement,
  type MagicContext,
} from '../magics/types';
import type { StatementOutput } from '../runner/statement-output';
import {
  SILENT_NOTIFIER,
  type Backend,
  type BackendNotifier,
  type StatementResult,
} from '../session/backend';
import type { KernelKind } from '../session/kinds';
import { checkComplete } from './completeness';
import { errorOutcome, renderOutput, renderResult } from './render';
import { kernelInfoFor } from './kernel-info';
import { ensureEngineEnv } from '../runner/engine-env';
import { LocalPython } from './local-python';
import { StatusDisplay } from './status-display';

export interface GlueInterpreterOptions {
  kind: KernelKind;
  backend: Backend;
  registry: MagicRegistry;
  logger: Logger;
  /** The override layer the magics write to. */
  settings: SettingsStore;
  /** The environment the other layers are read from. */
  env: NodeJS.ProcessEnv;
  /** How long shutdown may spend stopping the session (jupyter_client allows ~2.5 s before SIGTERM). */
  shutdownBudgetMs?: number;
}

/** Errors of the backends carry an ename (SessionTimeout, RegionNotSet, AccessDenied…) and a message for people. */
function hasEname(error: unknown): error is Error & { ename: string } {
  return error instanceof Error && typeof (error as { ename?: unknown }).ename === 'string';
}

/** Thrown inside a cell to end it with an error already rendered. */
class CellError extends Error {
  constructor(readonly outcome: ExecuteOutcome & { status: 'error' }) {
    super(outcome.evalue);
  }
}

/** Writes a line to a stream, ending it with a newline. */
function line(sink: OutputSink, name: 'stdout' | 'stderr', text: string): void {
  sink.stream(name, text.endsWith('\n') ? text : text + '\n');
}

export interface CellNotifier extends BackendNotifier {
  /** The progress lines of this cell (session, statement). */
  readonly display: StatusDisplay;
  /** The cell is over: stops the elapsed-time ticker. */
  close(): void;
}

/**
 * Information and warnings are stream lines; progress (session provisioning, the statement)
 * is one display per wait, updated in place (see status-display.ts), so a long wait shows a
 * live line instead of a growing log.
 */
export function notifierFor(sink: OutputSink): CellNotifier {
  let statusId: string | undefined;
  const display = new StatusDisplay(sink);
  return {
    display,
    stream: (name, text) => sink.stream(name, text),
    info: (text) => line(sink, 'stdout', text),
    warn: (text) => line(sink, 'stderr', text),
    status: (text) => {
      if (statusId === undefined) {
        statusId = `glue-status-${randomUUID()}`;
        sink.displayData({ 'text/plain': text }, {}, statusId);
      } else {
        sink.updateDisplayData({ 'text/plain': text }, statusId);
      }
    },
    progress: (report) => display.progress(report),
    endProgress: (which, summary) => display.end(which, summary),
    close: () => display.close(),
  };
}

export class GlueInterpreter implements Interpreter {
  private readonly kind: KernelKind;
  private readonly backend: Backend;
  private readonly registry: MagicRegistry;
  private readonly log: Logger;
  private readonly settings: SettingsStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly shutdownBudgetMs: number;
  /** The Python process of %%local and %%sql -o, started on first use. */
  private readonly localPython: LocalPython;

  constructor(options: GlueInterpreterOptions) {
    this.kind = options.kind;
    this.backend = options.backend;
    this.registry = options.registry;
    this.log = options.logger;
    this.settings = options.settings;
    this.env = options.env;
    this.shutdownBudgetMs = options.shutdownBudgetMs ?? 2000;
    this.localPython = new LocalPython({
      // glue_python as is, else the managed environment the local backend uses (pandas included).
      python: async () => {
        const { values } = await this.resolveSettings();
        return (
          values.python ??
          ensureEngineEnv({ dir: values.engine_dir, pipIndexUrl: values.pip_index_url, env: this.env })
        );
      },
      env: this.env,
      logger: { debug: (m) => this.log.debug(m), warn: (m) => this.log.warn(m) },
    });
  }

  kernelInfo(): KernelInfo {
    return kernelInfoFor(this.kind, this.backend.name);
  }

  async execute(request: ExecuteRequest, context: ExecuteContext): Promise<ExecuteOutcome> {
    // VS Code and other frontends run silent housekeeping cells; they must not start a
    // session (and its bill) before the user's first real cell.
    if (request.silent && !this.backend.hasSession()) return { status: 'ok' };
    try {
      await this.runCell(request.code, context, request.executionCount);
      const userExpressions = await this.evaluateUserExpressions(request.userExpressions, context.signal);
      return userExpressions ? { status: 'ok', userExpressions } : { status: 'ok' };
    } catch (error) {
      if (error instanceof CellError) return error.outcome;
      return this.reportError(error, context.sink);
    }
  }

  /**
   * user_expressions are evaluated as statements in the current session, each as a MIME
   * bundle or an error; they never start a session of their own.
   */
  private async evaluateUserExpressions(
    expressions: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown> | undefined> {
    const names = Object.keys(expressions);
    if (names.length === 0) return undefined;
    // A Map, not an object: an expression named "__proto__" must be a key, not a prototype.
    const results = new Map<string, unknown>();
    for (const name of names) {
      if (!this.backend.hasSession()) {
        results.set(name, {
          status: 'error',
          ename: 'NoSession',
          evalue: 'There is no session to evaluate it in.',
          traceback: [],
        });
        continue;
      }
      const result = await this.backend.run(expressions[name], { signal, notify: SILENT_NOTIFIER });
      if (result.kind === 'output' && (result.output.Status ?? 'ok').toLowerCase() === 'ok') {
        results.set(name, {
          status: 'ok',
          data: { 'text/plain': result.output.Data?.TextPlain ?? '' },
          metadata: {},
        });
      } else if (result.kind === 'output') {
        const { ErrorName = 'Error', ErrorValue = '', Traceback = [] } = result.output;
        results.set(name, { status: 'error', ename: ErrorName, evalue: ErrorValue, traceback: Traceback });
      } else {
        results.set(name, {
          status: 'error',
          ename: result.kind === 'cancelled' ? 'KeyboardInterrupt' : result.ename,
          evalue: result.message,
          traceback: [],
        });
      }
    }
    return Object.fromEntries(results);
  }

  private async runCell(cell: string, context: ExecuteContext, executionCount: number): Promise<void> {
    const { sink, signal } = context;
    const split = splitCell(cell);
    if (split.shellEscapes.length > 0) {
      const first = split.shellEscapes[0];
      throw new MagicUsageError(
        `Shell commands are not run by glue-kernel (line ${first.line + 1}: !${first.argText}). ` +
          'Install session packages with %additional_python_modules, or run the command in a terminal.',
      );
    }
    const magicNotify = notifierFor(sink);
    const magicContext = this.magicContext(sink, signal, executionCount, magicNotify);
    // Parse every magic before running any, so a typo later in the cell changes nothing.
    const lineMagics = split.lineMagics.map((m) => this.parseInvocation(m, 'line', ''));
    const cellMagic = split.cellMagic
      ? this.parseInvocation(split.cellMagic, 'cell', split.cellMagic.body)
      : undefined;
    try {
      for (const { magic, args } of lineMagics) await magic.run(args, magicContext);
      if (cellMagic) await cellMagic.magic.run(cellMagic.args, magicContext);
    } finally {
      magicNotify.close();
    }
    if (split.code.trim() !== '') await this.runStatement(split.code, sink, signal, executionCount);
  }

  /** Resolves a magic and parses its arguments; errors name the cell line. */
  private parseInvocation(
    invocation: MagicInvocation,
    kind: 'line' | 'cell',
    body: string,
  ): { magic: AnyMagic; args: unknown } {
    const magic = this.registry.resolve(invocation.name, kind);
    const position = { line: invocation.line + 1, bodyLine: invocation.line + 2 };
    try {
      return { magic, args: magic.parse(invocation.argText, body, position) };
    } catch (error) {
      if (error instanceof MagicUsageError && error.located) throw error;
      if (error instanceof MagicUsageError) {
        throw new MagicUsageError(
          `${error.message} (line ${invocation.line + 1})`,
          error.usage ?? magic.usage,
        );
      }
      throw error;
    }
  }

  private async runStatement(
    code: string,
    sink: OutputSink,
    signal: AbortSignal,
    executionCount: number,
  ): Promise<void> {
    const result = await this.runWithStatus(code, sink, signal, executionCount);
    const outcome = renderResult(result, sink);
    if (outcome.status === 'error') throw new CellError(outcome);
  }

  /** Runs a statement with its progress line; `onStream` takes its streams instead of the cell. */
  private async runWithStatus(
    code: string,
    sink: OutputSink,
    signal: AbortSignal,
    executionCount: number,
    onStream?: BackendNotifier['stream'],
  ): Promise<StatementResult> {
    const live = notifierFor(sink);
    const notify: CellNotifier = onStream ? { ...live, stream: onStream } : live;
    let result: StatementResult;
    try {
      result = await this.backend.run(code, { signal, notify, executionCount });
    } finally {
      live.close();
    }
    // Only the statement's own time, and only when one ran and the cell showed progress.
    if (result.ranMs !== undefined && live.display.anyShown()) {
      const seconds = (result.ranMs / 1000).toFixed(1);
      live.endProgress(
        'statement',
        result.kind === 'output'
          ? `In [${executionCount}]: Statement finished in ${seconds} s.`
          : `In [${executionCount}]: Statement ended after ${seconds} s.`,
      );
    }
    return result;
  }

  /** A statement whose output the calling magic interprets (%%sql, %display). */
  private async runCaptured(
    code: string,
    sink: OutputSink,
    signal: AbortSignal,
    executionCount: number,
  ): Promise<CapturedStatement> {
    let stdout = '';
    let stderr = '';
    const result = await this.runWithStatus(code, sink, signal, executionCount, (name, text) => {
      if (name === 'stdout') stdout += text;
      else stderr += text;
    });
    if (result.kind !== 'output') {
      const outcome = renderResult(result, sink);
      if (outcome.status === 'error') throw new CellError(outcome);
      throw new Error('a statement without output rendered as ok');
    }
    return { output: result.output, stdout, stderr };
  }

  private async runLocal(
    code: string,
    sink: OutputSink,
    signal: AbortSignal,
    executionCount: number,
  ): Promise<void> {
    let output: StatementOutput;
    try {
      output = await this.localPython.run(code, {
        signal,
        onStream: (name, text) => sink.stream(name, text),
        label: `cell In[${executionCount}]`,
        onStart: (description) => line(sink, 'stdout', description),
      });
    } catch (error) {
      throw new MagicFailure(
        `${error instanceof Error ? error.message : String(error)} ` +
          'Set glue_python to a working Python 3 with pandas (e.g. glue_python=/usr/bin/python3).',
        'LocalPythonError',
      );
    }
    const outcome = renderOutput(output, sink);
    // Figures drawn before an error are shown (and closed) too, as IPython does.
    for (const figure of await this.localPython.takeFigures(signal)) renderOutput(figure, sink);
    if (outcome.status === 'error') throw new CellError(outcome);
  }

  private magicContext(
    sink: OutputSink,
    signal: AbortSignal,
    executionCount: number,
    notify: CellNotifier,
  ): MagicContext {
    return {
      kind: this.kind,
      sink,
      signal,
      backend: this.backend,
      registry: this.registry,
      settings: this.settings,
      resolveSettings: () => this.resolveSettings(),
      notify,
      runStatement: (code) => this.runStatement(code, sink, signal, executionCount),
      runCaptured: (code) => this.runCaptured(code, sink, signal, executionCount),
      runLocal: (code) => this.runLocal(code, sink, signal, executionCount),
      showStatementResult: (result) => {
        const outcome = renderResult(result, sink);
        if (outcome.status === 'error') throw new CellError(outcome);
      },
      say: (text) => line(sink, 'stdout', text),
      warn: (text) => line(sink, 'stderr', text),
    };
  }

  /** Every layer, read now: the environment and ~/.aws/config may have changed. */
  async resolveSettings(): Promise<ResolvedSettings> {
    return this.settings.resolve(this.env, await loadConfigFile());
  }

  private reportError(error: unknown, sink: OutputSink): ExecuteOutcome {
    let ename: string;
    let evalue: string;
    let traceback: string[];
    if (error instanceof MagicUsageError) {
      ename = 'UsageError';
      evalue = error.message;
      traceback = [`UsageError: ${error.message}`, ...(error.usage ? [`Usage: ${error.usage}`] : [])];
    } else if (error instanceof ConfigError) {
      ename = 'ConfigError';
      evalue = error.message;
      traceback = [`ConfigError: ${error.message}`];
    } else if (error instanceof MagicFailure && error.traceback) {
      ename = error.ename;
      evalue = error.message;
      traceback = [...error.traceback];
    } else if (error instanceof MagicFailure || hasEname(error)) {
      ename = error.ename;
      evalue = error.message;
      traceback = [`${error.ename}: ${error.message}`];
    } else {
      // Our own bug or an unexpected failure: say so plainly, keep the stack for the log only.
      ename = 'KernelError';
      evalue = error instanceof Error ? error.message : String(error);
      traceback = [
        `KernelError: ${evalue}`,
        'The kernel log (stderr of the kernel process) has the details.',
      ];
      this.log.error('unexpected error in a cell', {
        error: error instanceof Error ? error.stack : String(error),
      });
    }
    sink.error(ename, evalue, traceback);
    return errorOutcome(ename, evalue, traceback);
  }

  async complete(code: string, cursorPos: number): Promise<CompleteResult> {
    const chars = [...code];
    const before = chars.slice(0, cursorPos).join('');
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.slice(lineStart);
    const { matches, replaceFrom } = this.registry.complete(line);
    const startUtf16 = lineStart + replaceFrom;
    return {
      matches,
      cursorStart: [...code.slice(0, startUtf16)].length,
      cursorEnd: cursorPos,
      metadata: {},
    };
  }

  async inspect(code: string, cursorPos: number): Promise<InspectResult> {
    const chars = [...code];
    const before = chars.slice(0, cursorPos).join('');
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = code.indexOf('\n', before.length);
    const line = code.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const help = this.registry.inspect(line);
    if (!help) return { found: false, data: {}, metadata: {} };
    return { found: true, data: { 'text/plain': help.plain, 'text/markdown': help.markdown }, metadata: {} };
  }

  async isComplete(code: string): Promise<IsCompleteResult> {
    return checkComplete(code, this.kind);
  }

  async interrupt(): Promise<void> {
    // The running request's AbortSignal is what the backend listens to; nothing else to do.
    this.log.info('interrupt requested');
  }

  async shutdown(restart: boolean): Promise<void> {
    this.log.info('shutting down', { restart });
    const budget = AbortSignal.timeout(this.shutdownBudgetMs);
    const localClosed = this.localPython.close().catch((error: unknown) => {
      this.log.warn('could not stop the local Python process', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
    try {
      await this.backend.close(budget);
      await localClosed;
    } catch (error) {
      this.log.warn('could not stop the session cleanly', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
