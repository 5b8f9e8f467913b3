// zeromq v6 allows one pending send per socket: a second send while the first is blocked throws
// EBUSY synchronously. Everything sent on one socket goes through one SendQueue, in order.

/** The part of a zeromq socket a SendQueue needs. */
export interface FrameSocket {
  send(frames: Buffer[]): Promise<void>;
  readonly closed: boolean;
}

export class SocketClosedError extends Error {
  constructor() {
    super('socket is closed');
    this.name = 'SocketClosedError';
  }
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: FrameSocket) {}

  /** Sends after everything queued before; resolves once zeromq has accepted the frames. */
  send(frames: Buffer[]): Promise<void> {
    const sent = this.tail.then(() =>
      this.socket.closed ? Promise.reject(new SocketClosedError()) : this.socket.send(frames),
    );
    this.tail = sent.catch(() => undefined);
    return sent;
  }

  /** Resolves when everything queued so far has been handed to zeromq (or failed). */
  flush(): Promise<void> {
    return this.tail;
  }
}
