// The wire protocol between python-runner.ts and runner.py: JSON lines on two dedicated file
// descriptors (fd 3 commands in, fd 4 events out), plus the sync markers runner.py writes
// straight to fd 1 and fd 2 at the end of each statement. Pure code: no processes here.
import type { StatementOutput } from './statement-output';

export type StreamName = 'stdout' | 'stderr';

export type RunnerCommand =
  { cmd: 'execute'; id: string; code: string; label?: string } | { cmd: 'shutdown' };

export type RunnerEvent =
  | { event: 'ready'; engine: { name: string; description: string; python_version: string }; log?: string }
  | { event: 'stream'; id: string | null; name: StreamName; text: string }
  | { event: 'result'; id: string; output: StatementOutput; sync: StreamName[] }
  | { event: 'fatal'; message: string }
  | { event: 'log'; level: 'debug' | 'warn'; message: string };

/** Must match SYNC_START / SYNC_END in runner.py. */
export const SYNC_START = '\x1e\x1fGLUE-RUNNER-SYNC ';
export const SYNC_END = '\x1f\x1e';

export function encodeCommand(command: RunnerCommand): string {
  return JSON.stringify(command) + '\n';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStreamName = (v: unknown): v is StreamName => v === 'stdout' || v === 'stderr';

/** Parses and checks one event line; undefined (and the reason) for anything malformed. */
export function parseEvent(line: string): { event?: RunnerEvent; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  if (!isObject(value) || typeof value.event !== 'string') return { problem: 'not an event object' };
  switch (value.event) {
    case 'ready': {
      const e = value.engine;
      if (
        isObject(e) &&
        typeof e.name === 'string' &&
        typeof e.description === 'string' &&
        typeof e.python_version === 'string'
      ) {
        return {
          event: {
            event: 'ready',
            engine: { name: e.name, description: e.description, python_version: e.python_version },
            log: typeof value.log === 'string' ? value.log : undefined,
          },
        };
      }
      break;
    }
    case 'stream':
      if (
        (typeof value.id === 'string' || value.id === null) &&
        isStreamName(value.name) &&
        typeof value.text === 'string'
      ) {
        return { event: { event: 'stream', id: value.id, name: value.name, text: value.text } };
      }
      break;
    case 'result':
      if (typeof value.id === 'string' && isObject(value.output)) {
        const sync = Array.isArray(value.sync) ? value.sync.filter(isStreamName) : [];
        return { event: { event: 'result', id: value.id, output: value.output as StatementOutput, sync } };
      }
      break;
    case 'fatal':
      if (typeof value.message === 'string') return { event: { event: 'fatal', message: value.message } };
      break;
    case 'log':
      if (typeof value.message === 'string') {
        return {
          event: { event: 'log', level: value.level === 'warn' ? 'warn' : 'debug', message: value.message },
        };
      }
      break;
  }
  return { problem: `malformed ${String(value.event)} event` };
}

/** Splits a text stream into lines (without the newline). */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    this.pending += chunk;
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.filter((line) => line.length > 0);
  }

  /** Whatever is left without a final newline. */
  rest(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}

/**
 * Separates the sync markers from the text of one of the child's fd 1/fd 2 pipes. Text is
 * passed on as soon as it cannot be the start of a marker; a marker split across chunks is
 * reassembled.
 */
export class SyncScanner {
  private pending = '';

  constructor(
    private readonly onText: (text: string) => void,
    private readonly onMarker: (id: string) => void,
  ) {}

  push(chunk: string): void {
    this.pending += chunk;
    for (;;) {
      const start = this.pending.indexOf(SYNC_START);
      if (start === -1) break;
      const end = this.pending.indexOf(SYNC_END, start + SYNC_START.length);
      if (end === -1) {
        this.emit(this.pending.slice(0, start));
        this.pending = this.pending.slice(start);
        return;
      }
      this.emit(this.pending.slice(0, start));
      this.onMarker(this.pending.slice(start + SYNC_START.length, end));
      this.pending = this.pending.slice(end + SYNC_END.length);
    }
    // Hold back a tail that could be the beginning of a marker.
    const keep = partialPrefixLength(this.pending, SYNC_START);
    this.emit(this.pending.slice(0, this.pending.length - keep));
    this.pending = this.pending.slice(this.pending.length - keep);
  }

  /** Passes on anything held back (at end of stream). */
  end(): void {
    this.emit(this.pending);
    this.pending = '';
  }

  private emit(text: string): void {
    if (text) this.onText(text);
  }
}

/** Length of the longest suffix of text that is a proper prefix of marker. */
function partialPrefixLength(text: string, marker: string): number {
  const max = Math.min(text.length, marker.length - 1);
  for (let n = max; n > 0; n--) {
    if (marker.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

/** Keeps the last `limit` characters written to it (the child's stderr, for error messages). */
export class TailBuffer {
  private text = '';

  constructor(private readonly limit = 8192) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }

  get value(): string {
    return this.text.slice(-this.limit);
  }
}
