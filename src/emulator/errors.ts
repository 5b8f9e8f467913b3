// A service error as the emulator raises it: the code is the `__type` the SDKs map to an
// exception class, the status is the HTTP status the service uses for it.
export class GlueError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (message: string): GlueError => new GlueError('EntityNotFoundException', message);
export const invalidInput = (message: string): GlueError => new GlueError('InvalidInputException', message);
export const illegalState = (message: string): GlueError =>
  new GlueError('IllegalSessionStateException', message);
export const internalError = (message = 'An internal service error occurred.'): GlueError =>
  new GlueError('InternalServiceException', message, 500);
