// A small Jupyter client (like jupyter_client's BlockingKernelClient) for the headless notebook
// runner and the tests: DEALER shell/control/stdin, SUB iopub, REQ heartbeat.
import * as crypto from 'node:crypto';
import * as zmq from 'zeromq';
import { channelAddress, type ChannelName, type ConnectionInfo } from './connection';
import { RequestTimeoutError } from './errors';
import type { JsonObject, ProtocolLogger } from './interpreter';
import { describeError, silentLogger } from './logger';
import { MessageFactory, parentMsgId, type JupyterMessage } from './messages';
import { Signer } from './signer';
import { SendQueue } from './socket-queue';
import { receiveMessages } from './receive';
import { encodeMessage } from './wire';

export interface KernelClientOptions {
  logger?: ProtocolLogger;
  /** The client's session id (header.session). Default: a fresh uuid. */
  session?: string;
  username?: string;
}

export interface ExecuteOptions {
  silent?: boolean;
  /** Default: !silent. */
  storeHistory?: boolean;
  /** Default true. */
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  /** Default: whether onInput is given. */
  allowStdin?: boolean;
  /** Every IOPub message for this request except status busy/idle, in arrival order. */
  onOutput?: (message: JupyterMessage) => void;
  /** Answers input_request (stdin) for this execution. */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  /** Reject when reply + idle have not both arrived in time. Default: wait forever. */
  timeoutMs?: number;
}

export interface ExecuteResult {
  reply: JupyterMessage;
  /** The IOPub messages for this request (execute_input, stream, display_data, …), without busy/idle. */
  outputs: JupyterMessage[];
}

export interface RequestOptions {
  /** Default 30 000 ms. */
  timeoutMs?: number;
  /** Also wait for `status: idle` with this request as parent. Default false. */
  waitForIdle?: boolean;
  onIopub?: (message: JupyterMessage) => void;
}

type ClientChannel = 'shell' | 'control';

interface Pending {
  reply?: JupyterMessage;
  idle: boolean;
  waitForIdle: boolean;
  outputs: JupyterMessage[];
  onIopub?: (message: JupyterMessage) => void;
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  resolve(value: { reply: JupyterMessage; outputs: JupyterMessage[] }): void;
  reject(error: unknown): void;
}

export class KernelClient {
  private readonly logger: ProtocolLogger;
  private readonly signer: Signer;
  private readonly factory: MessageFactory;
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly stdin = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private hb: zmq.Request;
  private readonly queues: Record<'shell' | 'control' | 'stdin', SendQueue>;
  private readonly pending = new Map<string, Pending>();
  private readonly iopubListeners = new Set<(message: JupyterMessage) => void>();
  private readonly loops: Promise<void>[] = [];
  private closing = false;

  private constructor(
    readonly connection: ConnectionInfo,
    options: KernelClientOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.factory = new MessageFactory({ session: options.session, username: options.username });
    // The kernel sends input_request with the execute request's routing ids, so stdin must share
    // the shell socket's identity.
    const identity = crypto.randomUUID();
    this.shell.routingId = identity;
    this.stdin.routingId = identity;
    this.hb = this.newHeartbeatSocket();
    this.queues = {
      shell: new SendQueue(this.shell),
      control: new SendQueue(this.control),
      stdin: new SendQueue(this.stdin),
    };
  }

  /** Connects the five sockets (returns at once; zeromq connects in the background). */
  static async connect(connection: ConnectionInfo, options: KernelClientOptions = {}): Promise<KernelClient> {
    const client = new KernelClient(connection, options);
    client.shell.connect(channelAddress(connection, 'shell'));
    client.control.connect(channelAddress(connection, 'control'));
    client.stdin.connect(channelAddress(connection, 'stdin'));
    client.iopub.subscribe();
    client.iopub.connect(channelAddress(connection, 'iopub'));
    client.loops.push(
      client.receiveLoop('shell', client.shell, (m) => client.onReply(m)),
      client.receiveLoop('control', client.control, (m) => client.onReply(m)),
      client.receiveLoop('stdin', client.stdin, (m) => client.onStdin(m)),
      client.receiveLoop('iopub', client.iopub, (m) => client.onIopub(m)),
    );
    return client;
  }

  /** This client's session id. */
  get session(): string {
    return this.factory.session;
  }

  /**
   * Like jupyter_client's wait_for_ready: sends kernel_info_request until a reply arrives and IOPub
   * delivers a message too (PUB/SUB joins slowly, so the first status messages may be lost).
   */
  async waitForReady(timeoutMs = 30_000): Promise<JupyterMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let sawIopub = false;
      const listener = () => (sawIopub = true);
      this.iopubListeners.add(listener);
      try {
        const remaining = Math.max(1, deadline - Date.now());
        let reply: JupyterMessage;
        try {
          reply = await this.request('kernel_info_request', {}, 'shell', {
            timeoutMs: Math.min(1000, remaining),
          });
        } catch (error) {
          if (error instanceof RequestTimeoutError) continue;
          throw error;
        }
        const iopubDeadline = Math.min(deadline, Date.now() + 200);
        while (!sawIopub && Date.now() < iopubDeadline) await sleep(10);
        if (sawIopub) return reply;
      } finally {
        this.iopubListeners.delete(listener);
      }
    }
    throw new RequestTimeoutError('waitForReady', timeoutMs);
  }

  /** Executes code; resolves once both the execute_reply and the request's `status: idle` arrived. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const silent = options.silent ?? false;
    const content = {
      code,
      silent,
      store_history: options.storeHistory ?? !silent,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? options.onInput !== undefined,
      stop_on_error: options.stopOnError ?? true,
    };
    return this.send('shell', 'execute_request', content, {
      timeoutMs: options.timeoutMs,
      waitForIdle: true,
      onIopub: options.onOutput,
      onInput: options.onInput,
    });
  }

  /** Sends a request and resolves with its reply (and, with waitForIdle, after its idle). */
  async request(
    msgType: string,
    content: JsonObject,
    channel: ClientChannel = 'shell',
    options: RequestOptions = {},
  ): Promise<JupyterMessage> {
    const { reply } = await this.send(channel, msgType, content, {
      timeoutMs: options.timeoutMs ?? 30_000,
      waitForIdle: options.waitForIdle ?? false,
      onIopub: options.onIopub,
    });
    return reply;
  }

  /** interrupt_request on control. */
  interrupt(timeoutMs?: number): Promise<JupyterMessage> {
    return this.request('interrupt_request', {}, 'control', { timeoutMs });
  }

  /** shutdown_request on control. */
  shutdown(restart = false, timeoutMs?: number): Promise<JupyterMessage> {
    return this.request('shutdown_request', { restart }, 'control', { timeoutMs });
  }

  /** Sends bytes on the heartbeat channel; true when they are echoed back within the timeout. */
  async heartbeat(timeoutMs = 1000): Promise<boolean> {
    const ping = Buffer.from(crypto.randomUUID(), 'ascii');
    this.hb.receiveTimeout = timeoutMs;
    this.hb.sendTimeout = timeoutMs;
    try {
      await this.hb.send(ping);
      const [pong] = await this.hb.receive();
      return pong !== undefined && pong.equals(ping);
    } catch {
      // A REQ socket that missed its reply is stuck; start a fresh one.
      this.hb.close();
      this.hb = this.newHeartbeatSocket();
      return false;
    }
  }

  /** Listens to every IOPub message (including other clients' and status). Returns an unsubscribe function. */
  onIopubMessage(listener: (message: JupyterMessage) => void): () => void {
    this.iopubListeners.add(listener);
    return () => this.iopubListeners.delete(listener);
  }

  /** Closes the sockets and rejects pending requests. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
    for (const pending of this.pending.values()) pending.reject(new Error('the client was closed'));
    this.pending.clear();
    await Promise.all(this.loops);
  }

  // ---------------------------------------------------------------- internals

  private newHeartbeatSocket(): zmq.Request {
    const hb = new zmq.Request({ linger: 0, relaxed: true, correlate: true });
    hb.connect(channelAddress(this.connection, 'hb'));
    return hb;
  }

  private send(
    channel: ClientChannel,
    msgType: string,
    content: JsonObject,
    options: Pick<Pending, 'waitForIdle' | 'onIopub' | 'onInput'> & { timeoutMs?: number },
  ): Promise<{ reply: JupyterMessage; outputs: JupyterMessage[] }> {
    if (this.closing) return Promise.reject(new Error('the client is closed'));
    const message = this.factory.message(msgType, content);
    const msgId = message.header.msg_id;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.pending.delete(msgId);
      };
      this.pending.set(msgId, {
        idle: false,
        waitForIdle: options.waitForIdle,
        outputs: [],
        onIopub: options.onIopub,
        onInput: options.onInput,
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.pending.get(msgId)?.reject(new RequestTimeoutError(msgType, options.timeoutMs as number));
        }, options.timeoutMs);
      }
      this.queues[channel].send(encodeMessage(message, this.signer)).catch((error: unknown) => {
        this.pending.get(msgId)?.reject(error);
      });
    });
  }

  private receiveLoop(
    channel: ChannelName,
    socket: zmq.Dealer | zmq.Subscriber,
    onMessage: (message: JupyterMessage) => void,
  ): Promise<void> {
    return receiveMessages(socket, onMessage, {
      channel,
      signer: this.signer,
      logger: this.logger,
      closing: () => this.closing,
    });
  }

  private onReply(message: JupyterMessage): void {
    const id = parentMsgId(message);
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) {
      this.logger.debug('reply for no pending request', { msg_type: message.header.msg_type });
      return;
    }
    pending.reply = message;
    this.settle(pending);
  }

  private onIopub(message: JupyterMessage): void {
    for (const listener of this.iopubListeners) listener(message);
    const id = parentMsgId(message);
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) return;
    if (message.header.msg_type === 'status') {
      if (message.content.execution_state === 'idle') {
        pending.idle = true;
        this.settle(pending);
      }
      return;
    }
    pending.outputs.push(message);
    pending.onIopub?.(message);
  }

  private settle(pending: Pending): void {
    if (pending.reply && (pending.idle || !pending.waitForIdle)) {
      pending.resolve({ reply: pending.reply, outputs: pending.outputs });
    }
  }

  private onStdin(message: JupyterMessage): void {
    if (message.header.msg_type !== 'input_request') return;
    const id = parentMsgId(message);
    const pending = id === undefined ? undefined : this.pending.get(id);
    const prompt = typeof message.content.prompt === 'string' ? message.content.prompt : '';
    const password = message.content.password === true;
    const answer = async (): Promise<string> => (pending?.onInput ? pending.onInput(prompt, password) : '');
    answer()
      .catch((error: unknown) => {
        this.logger.warn('input handler failed; answering with an empty string', {
          error: describeError(error),
        });
        return '';
      })
      .then((value) => {
        const reply = this.factory.message('input_reply', { value }, { parent: message.header });
        return this.queues.stdin.send(encodeMessage(reply, this.signer));
      })
      .catch((error: unknown) =>
        this.logger.warn('could not send input_reply', { error: describeError(error) }),
      );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
