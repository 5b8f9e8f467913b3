// One definition per magic: its name, kind, argument syntax, help and handler. The registry
// uses these definitions for parsing, validation, completion, inspection, %help and the
// generated docs/magics.md, so none of those can drift from what the magic really does.
import type { ResolvedSettings, SettingsStore } from '../config';
import type { OutputSink } from '../jupyter/interpreter';
import type { StatementOutput } from '../runner/statement-output';
import type { Backend, BackendNotifier, StatementResult } from '../session/backend';
import type { KernelKind } from '../session/kinds';

export type MagicKind = 'line' | 'cell';

/** A magic's argument was wrong: the message says what was wrong and what is accepted. */
export class MagicUsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
    /** The message already names the cell lines concerned (e.g. a %%configure body's key lines). */
    readonly located = false,
  ) {
    super(message);
    this.name = 'MagicUsageError';
  }
}

/** Where a magic sits in its cell, for messages that name cell lines (1-based). */
export interface MagicPosition {
  /** The magic's own line. */
  line: number;
  /** The first line of a cell magic's body (the line after the magic). */
  bodyLine: number;
}

/** Raised by a handler for a failure that is not the user's syntax (e.g. an AWS error). */
export class MagicFailure extends Error {
  constructor(
    message: string,
    readonly ename = 'MagicError',
    /** The error's traceback lines, when more than "ename: message" helps (e.g. the SQL). */
    readonly traceback?: readonly string[],
  ) {
    super(message);
    this.name = 'MagicFailure';
  }
}

export interface MagicContext {
  kind: KernelKind;
  sink: OutputSink;
  signal: AbortSignal;
  backend: Backend;
  /** The override layer (magics and %%configure). */
  settings: SettingsStore;
  /** Every layer resolved now (environment and ~/.aws/config are read fresh). */
  resolveSettings(): Promise<ResolvedSettings>;
  /** Output channel for backend operations (session creation steps, warnings). */
  notify: BackendNotifier;
  /** The magic registry, for %help. */
  registry: { all(): readonly MagicDefinition[] };
  /** Runs code as a statement in the session (used by %%sql). Renders its output. */
  runStatement(code: string): Promise<void>;
  /**
   * Runs code as a statement in the session with the usual status line, but shows none of
   * its output: returns it, with the text it streamed. A statement that could not run (a
   * failed session, an interrupt) is shown and ends the cell.
   */
  runCaptured(code: string): Promise<CapturedStatement>;
  /** Runs Python in the kernel's local process (%%local); shows its output, ends the cell on error. */
  runLocal(code: string): Promise<void>;
  /** Renders a statement's result as a cell's output (used by %statement); an error fails the cell. */
  showStatementResult(result: StatementResult): void;
  /** Prints a line of information to the cell (stdout). */
  say(text: string): void;
  /** Prints a warning to the cell (stderr). */
  warn(text: string): void;
}

export interface CapturedStatement {
  output: StatementOutput;
  stdout: string;
  stderr: string;
}

export interface MagicDefinition<Args = unknown> {
  /** Name without the leading % or %%. */
  name: string;
  kind: MagicKind;
  /** e.g. "%region <aws-region>" */
  usage: string;
  /** One line for %help and completion metadata. */
  summary: string;
  /** Longer help for inspection and docs (markdown). */
  details?: string;
  /** Group heading used by %help and the docs. */
  group: string;
  /** Backends where the magic does something; others answer with a clear message. */
  backends?: readonly ('local' | 'glue')[];
  /** Parses and validates the text after the magic name (and the body for cell magics). */
  parse(argText: string, body: string, position?: MagicPosition): Args;
  /** Completion candidates for the argument being typed. */
  complete?(partialArgument: string): readonly string[];
  run(args: Args, context: MagicContext): Promise<void> | void;
}

/** A definition with its argument type erased, as the registry stores it. */
export type AnyMagic = MagicDefinition<unknown>;

export function defineMagic<Args>(definition: MagicDefinition<Args>): AnyMagic {
  return definition as unknown as AnyMagic;
}
