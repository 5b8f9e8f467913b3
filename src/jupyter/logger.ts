import type { ProtocolLogger } from './interpreter';

/** A logger that drops everything (the default when none is given). */
export const silentLogger: ProtocolLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A short, secret-free description of a thrown value for logs: its class name and message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
