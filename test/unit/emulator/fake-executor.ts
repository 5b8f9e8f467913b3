// A Python-free executor for the emulator's state-machine tests. Statements are a tiny
// language: `print <text>`, `sleep <ms>`, `raise <Name> <message>`, `die` (the runner
// crashes), `set <k> <v>` / `get <k>` (state kept between statements), anything else echoes.
import type { StatementOutput } from '../../../src/runner/statement-output';
import type { RunnerExit, StatementExecutor, StatementRunner } from '../../../src/emulator/executor';

export interface FakeExecutorControl {
  executor: StatementExecutor;
  runners: FakeRunner[];
  /** When set, start() rejects with this message. */
  failStart?: string;
  /** Delay of start(), ms. */
  startMs: number;
}

export class FakeRunner implements StatementRunner {
  alive = true;
  stopped = false;
  interrupts = 0;
  readonly pid = 0;
  readonly executed: string[] = [];
  private readonly vars = new Map<string, string>();
  private pending?: { resolve: (o: StatementOutput) => void; timer: NodeJS.Timeout };
  private exitListeners: ((e: RunnerExit) => void)[] = [];
  /** Interrupts to ignore before honouring one (a statement that swallows KeyboardInterrupt). */
  swallowInterrupts = 0;

  execute(code: string): Promise<StatementOutput> {
    this.executed.push(code);
    const [cmd, ...rest] = code.split(' ');
    switch (cmd) {
      case 'print':
        return Promise.resolve({ Data: { TextPlain: rest.join(' ') }, Status: 'ok' });
      case 'set':
        this.vars.set(rest[0], rest[1]);
        return Promise.resolve({ Data: { TextPlain: '' }, Status: 'ok' });
      case 'get':
        return Promise.resolve({ Data: { TextPlain: this.vars.get(rest[0]) ?? 'undefined' }, Status: 'ok' });
      case 'raise':
        return Promise.resolve({
          Data: {},
          Status: 'error',
          ErrorName: rest[0],
          ErrorValue: rest.slice(1).join(' '),
          Traceback: [`${rest[0]}: ${rest.slice(1).join(' ')}\n`],
        });
      case 'sleep':
        return new Promise((resolve) => {
          const timer = setTimeout(() => {
            this.pending = undefined;
            resolve({ Data: { TextPlain: 'slept' }, Status: 'ok' });
          }, Number(rest[0]));
          this.pending = { resolve, timer };
        });
      case 'die':
        return new Promise((resolve) => {
          setTimeout(() => {
            this.alive = false;
            resolve({ Status: 'error', ErrorName: 'RunnerDied', ErrorValue: 'exit code 1', Traceback: [] });
            for (const l of this.exitListeners) l({ code: 1, signal: null });
          }, 5);
        });
      default:
        return Promise.resolve({ Data: { TextPlain: code }, Status: 'ok' });
    }
  }

  interrupt(): boolean {
    this.interrupts += 1;
    if (!this.pending) return false;
    if (this.swallowInterrupts > 0) {
      this.swallowInterrupts -= 1;
      return true;
    }
    clearTimeout(this.pending.timer);
    const { resolve } = this.pending;
    this.pending = undefined;
    resolve({
      Data: {},
      Status: 'error',
      ErrorName: 'KeyboardInterrupt',
      ErrorValue: '',
      Traceback: ['KeyboardInterrupt\n'],
    });
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.alive = false;
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.resolve({
        Status: 'error',
        ErrorName: 'RunnerDied',
        ErrorValue: 'stopped',
        Traceback: [],
      });
      this.pending = undefined;
    }
  }

  kill(): void {
    this.alive = false;
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.resolve({ Status: 'error', ErrorName: 'RunnerDied', ErrorValue: 'killed', Traceback: [] });
      this.pending = undefined;
    }
    for (const l of this.exitListeners) l({ code: null, signal: 'SIGKILL' });
  }

  onUnexpectedExit(listener: (e: RunnerExit) => void): void {
    this.exitListeners.push(listener);
  }
}

export function fakeExecutor(): FakeExecutorControl {
  const control: FakeExecutorControl = {
    runners: [],
    startMs: 0,
    executor: {
      name: 'fake',
      start: async () => {
        if (control.startMs > 0) await new Promise((r) => setTimeout(r, control.startMs));
        if (control.failStart) throw new Error(control.failStart);
        const r = new FakeRunner();
        control.runners.push(r);
        return r;
      },
    },
  };
  return control;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until the predicate holds or the deadline passes (then throws with the last value). */
export async function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await sleep(10);
  }
}
