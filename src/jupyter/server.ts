// The kernel side of the Jupyter protocol: five sockets, busy/idle bracketing, the execute queue,
// execution counting, stop_on_error aborts, stdin, history, interrupt and shutdown.
//
// Every request on shell or control is answered as: status busy (parent = request) → side effects
// on IOPub → reply → status idle. Executes run one at a time in arrival order; every other request
// (shell or control) is answered as it arrives, so interrupt/shutdown/kernel_info/complete are
// served while a long execution runs. The heartbeat echoes on its own loop.
import * as zmq from 'zeromq';
import { z } from 'zod';
import { channelAddress, type ChannelName, type ConnectionInfo } from './connection';
import { codePointLength } from './cursor';
import { InterruptedError, StdinNotAllowedError } from './errors';
import { ExecutionHistory } from './history';
import type {
  ExecuteContext,
  ExecuteOutcome,
  Interpreter,
  JsonObject,
  MimeBundle,
  OutputSink,
  ProtocolLogger,
} from './interpreter';
import { describeError, silentLogger } from './logger';
import {
  MessageFactory,
  PROTOCOL_VERSION,
  parentMsgId,
  type JupyterMessage,
  type ParentHeader,
} from './messages';
import { Signer } from './signer';
import { SendQueue, SocketClosedError } from './socket-queue';
import { receiveMessages } from './receive';
import { SignatureHistory } from './replay';
import { encodeMessage } from './wire';

export type RequestChannel = 'shell' | 'control';

export interface KernelServerOptions {
  connection: ConnectionInfo;
  interpreter: Interpreter;
  logger?: ProtocolLogger;
  /** This kernel's session id (header.session of everything it sends). Default: a fresh uuid. */
  session?: string;
  username?: string;
  /** The session number reported in history entries. Default 1. */
  historySession?: number;
  /** ZMQ_LINGER for the sockets on close, so the last replies still go out. Default 1000 ms. */
  lingerMs?: number;
  /** Observes every message once zeromq has accepted it, in send order (tests, diagnostics). */
  onSent?: (event: SentEvent) => void;
}

export interface SentEvent {
  channel: ChannelName;
  msgType: string;
  parentMsgId: string | undefined;
  content: JsonObject;
}

export interface ServerClosed {
  restart: boolean;
  /** What ended the server: 'shutdown_request', or the reason given to shutdown()/close(). */
  reason: string;
}

interface QueuedExecute {
  channel: RequestChannel;
  message: JupyterMessage;
}

interface Execution {
  message: JupyterMessage;
  controller: AbortController;
  silent: boolean;
  storeHistory: boolean;
  allowStdin: boolean;
  count: number;
  finished: boolean;
  errorPublished: boolean;
}

interface PendingInput {
  requestMsgId: string;
  resolve(value: string): void;
  reject(error: unknown): void;
}

// Request contents, read leniently: missing or null optional fields take the spec's defaults.
const boolOr = (fallback: boolean) =>
  z
    .boolean()
    .nullish()
    .transform((v) => v ?? fallback);
const ExecuteContent = z.looseObject({
  code: z.string(),
  silent: boolOr(false),
  store_history: z.boolean().nullish(),
  user_expressions: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? {}),
  // ipykernel's default; jupyter_client always sends the field.
  allow_stdin: boolOr(false),
  stop_on_error: boolOr(true),
});
const CompleteContent = z.looseObject({ code: z.string(), cursor_pos: z.number().int().nullish() });
const InspectContent = z.looseObject({
  code: z.string(),
  cursor_pos: z.number().int().nullish(),
  detail_level: z.number().int().nullish(),
});
const IsCompleteContent = z.looseObject({ code: z.string() });
const HistoryContent = z.looseObject({
  output: boolOr(false),
  hist_access_type: z.string().nullish(),
  session: z.number().int().nullish(),
  start: z.number().int().nullish(),
  stop: z.number().int().nullish(),
  n: z.number().int().nullish(),
  pattern: z.string().nullish(),
  unique: boolOr(false),
});
const CommOpenContent = z.looseObject({ comm_id: z.string(), target_name: z.string().nullish() });

class InvalidRequestError extends Error {
  constructor(msgType: string, error: z.ZodError) {
    super(
      `${msgType} content is invalid: ${error.issues.map((i) => `${i.path.join('.') || '(content)'} ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidRequest';
  }
}

function parseContent<T extends z.ZodType>(schema: T, message: JupyterMessage): z.output<T> {
  const result = schema.safeParse(message.content);
  if (!result.success) throw new InvalidRequestError(message.header.msg_type, result.error);
  return result.data;
}

function errorContent(error: unknown): JsonObject {
  const e = error instanceof Error ? error : new Error(String(error));
  return { status: 'error', ename: e.name, evalue: e.message, traceback: [] };
}

export class KernelServer {
  /** The connection actually served: port 0 in the input is replaced by the bound port. */
  readonly connection: ConnectionInfo;
  /** Resolves once the sockets are closed (after shutdown_request, shutdown() or close()). */
  readonly closed: Promise<ServerClosed>;

  private readonly interpreter: Interpreter;
  private readonly logger: ProtocolLogger;
  private readonly signer: Signer;
  /** One history for shell, control and stdin: a message replayed on another channel is a replay too. */
  private readonly replays = new SignatureHistory();
  private readonly factory: MessageFactory;
  private readonly history: ExecutionHistory;
  private readonly queues: Record<'shell' | 'control' | 'stdin' | 'iopub', SendQueue>;
  private readonly loops: Promise<void>[] = [];
  private readonly onSent: ((event: SentEvent) => void) | undefined;

  private executionCount = 0;
  private readonly pendingExecutes: QueuedExecute[] = [];
  private executeLoopRunning = false;
  private running: Execution | undefined;
  private pendingInput: PendingInput | undefined;
  private state: 'serving' | 'shutting-down' | 'closing' | 'closed' = 'serving';
  private shutdownPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  private resolveClosed!: (value: ServerClosed) => void;

  private constructor(
    options: KernelServerOptions,
    connection: ConnectionInfo,
    private readonly sockets: {
      shell: zmq.Router;
      control: zmq.Router;
      stdin: zmq.Router;
      iopub: zmq.Publisher;
      hb: zmq.Reply;
    },
  ) {
    this.connection = connection;
    this.interpreter = options.interpreter;
    this.logger = options.logger ?? silentLogger;
    this.onSent = options.onSent;
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.factory = new MessageFactory({ session: options.session, username: options.username });
    this.history = new ExecutionHistory(options.historySession ?? 1);
    this.queues = {
      shell: new SendQueue(sockets.shell),
      control: new SendQueue(sockets.control),
      stdin: new SendQueue(sockets.stdin),
      iopub: new SendQueue(sockets.iopub),
    };
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Binds the five sockets, starts serving and publishes `status: starting`. */
  static async start(options: KernelServerOptions): Promise<KernelServer> {
    const linger = options.lingerMs ?? 1000;
    const sockets = {
      shell: new zmq.Router({ linger }),
      control: new zmq.Router({ linger }),
      stdin: new zmq.Router({ linger }),
      iopub: new zmq.Publisher({ linger }),
      hb: new zmq.Reply({ linger: 0 }),
    };
    const info = { ...options.connection };
    try {
      for (const channel of ['shell', 'control', 'stdin', 'iopub', 'hb'] as const) {
        const port = await bind(sockets[channel], info, channel);
        setPort(info, channel, port);
      }
    } catch (error) {
      for (const socket of Object.values(sockets)) socket.close();
      throw error;
    }
    const server = new KernelServer(options, info, sockets);
    if (!server.signer.enabled)
      server.logger.warn(
        'the connection key is empty: messages are not signed, so anyone who can reach these ports can run ' +
          'code in this kernel. Start kernels through Jupyter (it writes a random key) or set "key" in the connection file.',
        { ip: info.ip },
      );
    server.serve();
    void server.publish('status', { execution_state: 'starting' });
    server.logger.info('kernel listening', {
      transport: info.transport,
      ip: info.ip,
      shell_port: info.shell_port,
      iopub_port: info.iopub_port,
      stdin_port: info.stdin_port,
      control_port: info.control_port,
      hb_port: info.hb_port,
    });
    return server;
  }

  /** This kernel's session id. */
  get session(): string {
    return this.factory.session;
  }

  /** The execution count the last stored execution got (0 before the first). */
  get lastExecutionCount(): number {
    return this.executionCount;
  }

  /**
   * Interrupts the running execution (SIGINT, interrupt_request): aborts its signal, rejects a
   * pending input request and calls interpreter.interrupt().
   */
  async interrupt(): Promise<void> {
    this.running?.controller.abort(new InterruptedError());
    try {
      await this.interpreter.interrupt();
    } catch (error) {
      this.logger.error('interpreter.interrupt failed', { error: describeError(error) });
    }
  }

  /**
   * Shuts down once (shutdown_request, SIGTERM, parent gone): drops queued executes, aborts the running
   * one, calls interpreter.shutdown(restart), closes the sockets and resolves `closed`.
   */
  shutdown(restart = false, reason = 'shutdown'): Promise<void> {
    this.shutdownPromise ??= this.doShutdown(restart, reason);
    return this.shutdownPromise;
  }

  /** Closes the sockets without calling interpreter.shutdown (use shutdown() for that). */
  close(reason = 'close', restart = false): Promise<void> {
    this.closePromise ??= this.doClose(reason, restart);
    return this.closePromise;
  }

  // ---------------------------------------------------------------- receive loops

  private serve(): void {
    this.loops.push(
      this.receiveLoop('shell', this.sockets.shell, (m) => this.dispatch('shell', m)),
      this.receiveLoop('control', this.sockets.control, (m) => this.dispatch('control', m)),
      this.receiveLoop('stdin', this.sockets.stdin, (m) => this.onStdin(m)),
      this.heartbeatLoop(),
    );
  }

  private receiveLoop(
    channel: ChannelName,
    socket: zmq.Router,
    onMessage: (message: JupyterMessage) => void,
  ): Promise<void> {
    return receiveMessages(socket, onMessage, {
      channel,
      signer: this.signer,
      logger: this.logger,
      closing: () => this.state === 'closing' || this.state === 'closed',
      replays: this.replays,
    });
  }

  private async heartbeatLoop(): Promise<void> {
    const hb = this.sockets.hb;
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch (error) {
      if (this.state !== 'closing' && this.state !== 'closed') {
        this.logger.error('heartbeat loop failed', { error: describeError(error) });
      }
    }
  }

  // ---------------------------------------------------------------- dispatch

  private dispatch(channel: RequestChannel, message: JupyterMessage): void {
    const msgType = message.header.msg_type;
    if (this.state !== 'serving') {
      this.logger.debug('ignoring request while shutting down', { channel, msg_type: msgType });
      return;
    }
    this.logger.debug('request', { channel, msg_type: msgType, msg_id: message.header.msg_id });
    switch (msgType) {
      case 'execute_request':
        this.pendingExecutes.push({ channel, message });
        if (!this.executeLoopRunning) void this.executeLoop();
        return;
      case 'shutdown_request':
        void this.onShutdownRequest(channel, message);
        return;
      default:
        void this.withStatus(message, () => this.handle(channel, message));
    }
  }

  /** busy → fn (side effects, reply) → idle, all with `message` as parent. Never rejects. */
  private async withStatus(message: JupyterMessage, fn: () => Promise<void>): Promise<void> {
    void this.publish('status', { execution_state: 'busy' }, message.header);
    try {
      await fn();
    } catch (error) {
      this.logger.error('request handler failed', {
        msg_type: message.header.msg_type,
        msg_id: message.header.msg_id,
        error: describeError(error),
      });
    } finally {
      await this.publish('status', { execution_state: 'idle' }, message.header);
    }
  }

  private async handle(channel: RequestChannel, message: JupyterMessage): Promise<void> {
    const msgType = message.header.msg_type;
    switch (msgType) {
      case 'kernel_info_request':
        return this.answer(channel, message, async () => ({
          ...this.interpreter.kernelInfo(),
          status: 'ok',
          protocol_version: PROTOCOL_VERSION,
        }));
      case 'complete_request':
        return this.answer(channel, message, async () => {
          const c = parseContent(CompleteContent, message);
          const cursor = c.cursor_pos ?? codePointLength(c.code);
          const result = await this.interpreter.complete(c.code, cursor);
          return {
            status: 'ok',
            matches: result.matches,
            cursor_start: result.cursorStart,
            cursor_end: result.cursorEnd,
            metadata: result.metadata ?? {},
          };
        });
      case 'inspect_request':
        return this.answer(channel, message, async () => {
          const c = parseContent(InspectContent, message);
          const cursor = c.cursor_pos ?? codePointLength(c.code);
          const result = await this.interpreter.inspect(c.code, cursor, c.detail_level ?? 0);
          return { status: 'ok', found: result.found, data: result.data, metadata: result.metadata ?? {} };
        });
      case 'is_complete_request':
        return this.answer(channel, message, async () => {
          const c = parseContent(IsCompleteContent, message);
          return { ...(await this.interpreter.isComplete(c.code)) };
        });
      case 'history_request':
        return this.answer(channel, message, async () => {
          const c = parseContent(HistoryContent, message);
          const history = this.history.query({
            hist_access_type: c.hist_access_type ?? undefined,
            output: c.output,
            session: c.session ?? undefined,
            start: c.start ?? undefined,
            stop: c.stop,
            n: c.n,
            pattern: c.pattern ?? undefined,
            unique: c.unique,
          });
          return { status: 'ok', history };
        });
      case 'comm_info_request':
        return this.answer(channel, message, async () => ({ status: 'ok', comms: {} }));
      case 'interrupt_request':
        return this.answer(channel, message, async () => {
          await this.interrupt();
          return { status: 'ok' };
        });
      case 'comm_open': {
        // No comm targets are registered: close the comm at once so the frontend does not wait.
        const c = CommOpenContent.safeParse(message.content);
        if (c.success) {
          this.logger.debug('closing comm for unknown target', { target_name: c.data.target_name ?? null });
          await this.publish('comm_close', { comm_id: c.data.comm_id, data: {} }, message.header);
        }
        return;
      }
      case 'comm_msg':
      case 'comm_close':
        return;
      default:
        this.logger.warn('unsupported message type; no reply', { channel, msg_type: msgType });
    }
  }

  /** Sends the reply `compute()` builds, or an error reply when it throws. */
  private async answer(
    channel: RequestChannel,
    request: JupyterMessage,
    compute: () => Promise<JsonObject>,
  ): Promise<void> {
    let content: JsonObject;
    try {
      content = await compute();
    } catch (error) {
      this.logger.error('request failed', { msg_type: request.header.msg_type, error: describeError(error) });
      content = errorContent(error);
    }
    await this.reply(channel, request, content);
  }

  // ---------------------------------------------------------------- execute

  private async executeLoop(): Promise<void> {
    this.executeLoopRunning = true;
    try {
      while (this.pendingExecutes.length > 0 && this.state === 'serving') {
        const next = this.pendingExecutes.shift() as QueuedExecute;
        let toAbort: QueuedExecute[] = [];
        await this.withStatus(next.message, async () => {
          toAbort = await this.runExecute(next);
        });
        for (const item of toAbort) {
          await this.withStatus(item.message, async () => {
            this.logger.info('aborting queued execute after an error', {
              msg_id: item.message.header.msg_id,
            });
            await this.reply(item.channel, item.message, {
              status: 'aborted',
              execution_count: this.executionCount,
            });
          });
        }
      }
    } finally {
      this.executeLoopRunning = false;
    }
  }

  /** Runs one execute_request; returns the queued requests to abort (stop_on_error). */
  private async runExecute({ channel, message }: QueuedExecute): Promise<QueuedExecute[]> {
    let c: z.output<typeof ExecuteContent>;
    try {
      c = parseContent(ExecuteContent, message);
    } catch (error) {
      await this.reply(channel, message, { ...errorContent(error), execution_count: this.executionCount });
      return [];
    }
    const silent = c.silent;
    const storeHistory = silent ? false : (c.store_history ?? true);
    if (storeHistory) {
      this.executionCount += 1;
      this.history.record(this.executionCount, c.code);
    }
    const count = this.executionCount;
    if (!silent) void this.publish('execute_input', { code: c.code, execution_count: count }, message.header);

    const execution: Execution = {
      message,
      controller: new AbortController(),
      silent,
      storeHistory,
      allowStdin: c.allow_stdin,
      count,
      finished: false,
      errorPublished: false,
    };
    const context: ExecuteContext = {
      sink: this.createSink(execution),
      signal: execution.controller.signal,
      input: (prompt, password) => this.requestInput(execution, prompt, password),
    };
    this.running = execution;
    let outcome: ExecuteOutcome;
    try {
      outcome = await this.interpreter.execute(
        {
          code: c.code,
          silent,
          storeHistory,
          userExpressions: c.user_expressions,
          allowStdin: c.allow_stdin,
          stopOnError: c.stop_on_error,
          executionCount: count,
        },
        context,
      );
    } catch (error) {
      this.logger.error('interpreter.execute threw', {
        msg_id: message.header.msg_id,
        error: describeError(error),
      });
      const e = error instanceof Error ? error : new Error(String(error));
      outcome = { status: 'error', ename: e.name, evalue: e.message, traceback: [] };
    } finally {
      execution.finished = true;
      if (this.running === execution) this.running = undefined;
      this.pendingInput?.reject(new InterruptedError('execution finished'));
    }

    if (outcome.status === 'error') {
      // "Already queued at that moment": take them now, abort them after this request's idle.
      const toAbort = !silent && c.stop_on_error ? this.pendingExecutes.splice(0) : [];
      const { ename, evalue, traceback } = outcome;
      if (!silent && !execution.errorPublished)
        void this.publish('error', { ename, evalue, traceback }, message.header);
      await this.reply(channel, message, {
        status: 'error',
        execution_count: count,
        ename,
        evalue,
        traceback,
      });
      return toAbort;
    }
    await this.reply(channel, message, {
      status: 'ok',
      execution_count: count,
      payload: outcome.payload ?? [],
      user_expressions: outcome.userExpressions ?? {},
    });
    return [];
  }

  private createSink(execution: Execution): OutputSink {
    const parent = execution.message.header;
    const emit = (msgType: string, content: JsonObject): boolean => {
      if (execution.silent) return false;
      if (execution.finished) {
        this.logger.debug('output after the execute finished was dropped', { msg_type: msgType });
        return false;
      }
      void this.publish(msgType, content, parent);
      return true;
    };
    return {
      stream: (name, text) => void emit('stream', { name, text }),
      displayData: (data: MimeBundle, metadata: JsonObject = {}, displayId?: string) =>
        void emit('display_data', {
          data,
          metadata,
          transient: displayId === undefined ? {} : { display_id: displayId },
        }),
      updateDisplayData: (data: MimeBundle, displayId: string, metadata: JsonObject = {}) =>
        void emit('update_display_data', { data, metadata, transient: { display_id: displayId } }),
      executeResult: (data: MimeBundle, metadata: JsonObject = {}) => {
        if (emit('execute_result', { execution_count: execution.count, data, metadata })) {
          const text = data['text/plain'];
          if (execution.storeHistory && typeof text === 'string')
            this.history.recordOutput(execution.count, text);
        }
      },
      error: (ename, evalue, traceback) => {
        if (emit('error', { ename, evalue, traceback })) execution.errorPublished = true;
      },
      clearOutput: (wait = false) => void emit('clear_output', { wait }),
    };
  }

  // ---------------------------------------------------------------- stdin

  private async requestInput(execution: Execution, prompt: string, password: boolean): Promise<string> {
    if (!execution.allowStdin) throw new StdinNotAllowedError();
    if (execution.finished) throw new Error('input() called after the execution finished');
    const signal = execution.controller.signal;
    if (signal.aborted) throw signal.reason;
    if (this.pendingInput) throw new Error('another input request is already pending');

    const request = this.factory.message(
      'input_request',
      { prompt, password },
      // The client's stdin DEALER has the same identity as its shell DEALER.
      { parent: execution.message.header, identities: execution.message.identities },
    );
    // Output printed before the prompt must reach the frontend first.
    await this.queues.iopub.flush();
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        signal.removeEventListener('abort', onAbort);
        if (this.pendingInput === pending) this.pendingInput = undefined;
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason);
      };
      const pending: PendingInput = {
        requestMsgId: request.header.msg_id,
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      this.pendingInput = pending;
      signal.addEventListener('abort', onAbort, { once: true });
      this.send('stdin', request).catch((error: unknown) => pending.reject(error));
    });
  }

  private onStdin(message: JupyterMessage): void {
    if (message.header.msg_type !== 'input_reply') {
      this.logger.debug('ignoring stdin message', { msg_type: message.header.msg_type });
      return;
    }
    const pending = this.pendingInput;
    const parent = parentMsgId(message);
    // jupyter_client sends input_reply without a parent header; accept it for the one pending request.
    if (!pending || (parent !== undefined && parent !== pending.requestMsgId)) {
      this.logger.debug('input_reply with no matching input_request', { msg_id: message.header.msg_id });
      return;
    }
    const value = message.content.value;
    pending.resolve(typeof value === 'string' ? value : '');
  }

  // ---------------------------------------------------------------- shutdown

  private async onShutdownRequest(channel: RequestChannel, message: JupyterMessage): Promise<void> {
    const restart = message.content.restart === true;
    this.state = 'shutting-down';
    await this.withStatus(message, () => this.reply(channel, message, { status: 'ok', restart }));
    await this.shutdown(restart, 'shutdown_request');
  }

  private async doShutdown(restart: boolean, reason: string): Promise<void> {
    if (this.state === 'serving') this.state = 'shutting-down';
    this.logger.info('shutting down', { restart, reason });
    this.pendingExecutes.splice(0);
    this.running?.controller.abort(new InterruptedError('the kernel is shutting down'));
    try {
      await this.interpreter.shutdown(restart);
    } catch (error) {
      this.logger.error('interpreter.shutdown failed', { error: describeError(error) });
    }
    await this.close(reason, restart);
  }

  private async doClose(reason: string, restart: boolean): Promise<void> {
    this.state = 'closing';
    this.pendingInput?.reject(new InterruptedError('the kernel is shutting down'));
    // Let queued replies and status messages reach zeromq before closing (linger sends them).
    await Promise.race([
      Promise.all(Object.values(this.queues).map((q) => q.flush())),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    for (const socket of Object.values(this.sockets)) socket.close();
    await Promise.all(this.loops);
    this.state = 'closed';
    this.logger.info('kernel sockets closed', { reason });
    this.resolveClosed({ restart, reason });
  }

  // ---------------------------------------------------------------- sending

  /** Publishes on IOPub (topic `kernel.<session>.<msg_type>`). Never rejects. */
  private publish(msgType: string, content: JsonObject, parent?: ParentHeader): Promise<void> {
    const topic = Buffer.from(`kernel.${this.factory.session}.${msgType}`, 'utf8');
    const message = this.factory.message(msgType, content, { parent, identities: [topic] });
    return this.send('iopub', message).catch((error: unknown) => this.sendFailed('iopub', msgType, error));
  }

  /** Sends a reply after everything already published (outputs before reply). Never rejects. */
  private async reply(channel: RequestChannel, request: JupyterMessage, content: JsonObject): Promise<void> {
    const message = this.factory.reply(request, content);
    await this.queues.iopub.flush();
    await this.send(channel, message).catch((error: unknown) =>
      this.sendFailed(channel, message.header.msg_type, error),
    );
  }

  private async send(
    channel: 'shell' | 'control' | 'stdin' | 'iopub',
    message: JupyterMessage,
  ): Promise<void> {
    await this.queues[channel].send(encodeMessage(message, this.signer));
    this.onSent?.({
      channel,
      msgType: message.header.msg_type,
      parentMsgId: parentMsgId(message),
      content: message.content,
    });
  }

  private sendFailed(channel: ChannelName, msgType: string, error: unknown): void {
    const log = error instanceof SocketClosedError ? this.logger.debug : this.logger.warn;
    log.call(this.logger, 'send failed', { channel, msg_type: msgType, error: describeError(error) });
  }
}

async function bind(socket: zmq.Socket, info: ConnectionInfo, channel: ChannelName): Promise<number> {
  const wanted = portOf(info, channel);
  if (info.transport === 'tcp' && wanted === 0) {
    await socket.bind(`tcp://${info.ip}:*`);
    const endpoint = socket.lastEndpoint ?? '';
    const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0) throw new Error(`could not read the bound port of ${channel}`);
    return port;
  }
  await socket.bind(channelAddress(info, channel));
  return wanted;
}

function portOf(info: ConnectionInfo, channel: ChannelName): number {
  return info[`${channel}_port`];
}

function setPort(info: ConnectionInfo, channel: ChannelName, port: number): void {
  info[`${channel}_port`] = port;
}
