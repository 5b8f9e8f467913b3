// The contract between the protocol layer (this folder) and a language implementation.
// The protocol layer owns sockets, signing, busy/idle, execution counting, the execute
// queue and stop_on_error aborts; an Interpreter only answers requests. Nothing here
// knows about Glue.

export type JsonObject = { [key: string]: unknown };

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer?: string;
  codemirror_mode?: string | JsonObject;
  nbconvert_exporter?: string;
}

export interface KernelInfo {
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links?: { text: string; url: string }[];
}

/** A MIME bundle: mime type → value (strings, or JSON objects for application/json). */
export type MimeBundle = Record<string, unknown>;

/** Everything an execution may publish while it runs. Each call is published on IOPub
 * with the execute request as parent, in call order, before the reply is sent. */
export interface OutputSink {
  stream(name: 'stdout' | 'stderr', text: string): void;
  displayData(data: MimeBundle, metadata?: JsonObject, displayId?: string): void;
  updateDisplayData(data: MimeBundle, displayId: string, metadata?: JsonObject): void;
  executeResult(data: MimeBundle, metadata?: JsonObject): void;
  error(ename: string, evalue: string, traceback: string[]): void;
  clearOutput(wait?: boolean): void;
}

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  userExpressions: Record<string, string>;
  allowStdin: boolean;
  stopOnError: boolean;
  /** The execution count this request gets (already incremented when storeHistory). */
  executionCount: number;
}

/** How an execution ended. For `status: 'error'` the protocol layer publishes the IOPub `error`
 * message itself (so a frontend shows it) unless `sink.error()` was already called during this
 * execution; either way it is published once, before the reply. */
export type ExecuteOutcome =
  | { status: 'ok'; userExpressions?: Record<string, unknown>; payload?: JsonObject[] }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

export interface ExecuteContext {
  sink: OutputSink;
  /** Aborted when an interrupt_request (or SIGINT) arrives while this request runs. */
  signal: AbortSignal;
  /** Ask the frontend for input (only when allowStdin). Rejects with StdinNotAllowedError when stdin
   * is not allowed, and with the signal's reason (InterruptedError) when interrupted. */
  input(prompt: string, password: boolean): Promise<string>;
}

export interface CompleteResult {
  matches: string[];
  /** Positions in Unicode code points, as the protocol counts them. */
  cursorStart: number;
  cursorEnd: number;
  metadata?: JsonObject;
}

export interface InspectResult {
  found: boolean;
  data: MimeBundle;
  metadata?: JsonObject;
}

export type IsCompleteResult =
  | { status: 'complete' }
  | { status: 'incomplete'; indent: string }
  | { status: 'invalid' }
  | { status: 'unknown' };

export interface Interpreter {
  kernelInfo(): KernelInfo;
  execute(request: ExecuteRequest, context: ExecuteContext): Promise<ExecuteOutcome>;
  /** cursorPos is in Unicode code points. */
  complete(code: string, cursorPos: number): Promise<CompleteResult>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  /** Called on interrupt_request/SIGINT in addition to aborting the running request's signal. */
  interrupt(): Promise<void>;
  /** Called once on shutdown_request, SIGTERM or parent death, before the process exits. */
  shutdown(restart: boolean): Promise<void>;
}

/** What the protocol layer logs through; the kernel supplies the implementation. */
export interface ProtocolLogger {
  debug(message: string, fields?: JsonObject): void;
  info(message: string, fields?: JsonObject): void;
  warn(message: string, fields?: JsonObject): void;
  error(message: string, fields?: JsonObject): void;
}
