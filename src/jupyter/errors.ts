/** The reason an execution's AbortSignal is aborted by interrupt_request, SIGINT or shutdown. */
export class InterruptedError extends Error {
  constructor(message = 'execution interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** ExecuteContext.input() was called for a request sent with `allow_stdin: false`. */
export class StdinNotAllowedError extends Error {
  constructor() {
    super('this frontend does not support input requests (allow_stdin is false)');
    this.name = 'StdinNotAllowedError';
  }
}

/** A request the client sent did not get its reply in time (client side). */
export class RequestTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}
