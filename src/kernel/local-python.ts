// The Python process of %%local cells and of %%sql -o results: a plain statement runner on
// this machine, beside the session (whatever the backend), started on the first use and
// stopped with the kernel. Open matplotlib figures are shown after each cell and closed, as
// IPython's inline backend does, so a %%local cell that plots needs no %matplot.
import { PythonRunner } from '../runner/python-runner';
import type { StatementOutput } from '../runner/statement-output';
import type { StreamName } from '../runner/protocol';

export interface LocalPythonOptions {
  /** The interpreter (glue_python, read at the first start). */
  python: () => Promise<string>;
  env?: NodeJS.ProcessEnv;
  logger: { debug(m: string): void; warn(m: string): void };
}

export interface LocalRunOptions {
  signal: AbortSignal;
  onStream?: (name: StreamName, text: string) => void;
  label?: string;
  /** Called once when a new process had to be started (first use, or after it died). */
  onStart?: (description: string) => void;
}

const FIGURE_NUMBERS =
  'sorted(__import__("sys").modules["matplotlib.pyplot"].get_fignums()) ' +
  'if "matplotlib.pyplot" in __import__("sys").modules else []';

export class LocalPython {
  private runner?: PythonRunner;
  private starting?: Promise<PythonRunner>;

  constructor(private readonly options: LocalPythonOptions) {}

  private async ensure(onStart?: (description: string) => void): Promise<PythonRunner> {
    if (this.runner?.alive) return this.runner;
    const restarted = this.runner !== undefined;
    this.runner = undefined;
    this.starting ??= this.options
      .python()
      .then((python) =>
        PythonRunner.start({ python, engine: 'plain', env: this.options.env, logger: this.options.logger }),
      );
    try {
      this.runner = await this.starting;
    } finally {
      this.starting = undefined;
    }
    onStart?.(
      `${restarted ? 'The local Python process had exited; started a new one' : 'Started local Python'} ` +
        `(Python ${this.runner.engine.pythonVersion}, process ${this.runner.pid}) for %%local.`,
    );
    return this.runner;
  }

  /** Runs code in the local process; resolves with its Glue-shaped output (errors included). */
  async run(code: string, options: LocalRunOptions): Promise<StatementOutput> {
    const runner = await this.ensure(options.onStart);
    const onAbort = (): void => {
      runner.interrupt();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await runner.execute(code, { onStream: options.onStream, label: options.label });
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Each open matplotlib figure as a PNG output, then closes them all. */
  async takeFigures(signal: AbortSignal): Promise<StatementOutput[]> {
    if (!this.runner?.alive) return [];
    const listed = await this.run(FIGURE_NUMBERS, { signal });
    const numbers = (listed.Data?.TextPlain ?? '').match(/\d+/g) ?? [];
    const figures: StatementOutput[] = [];
    for (const n of numbers) {
      figures.push(
        await this.run(`%matplot __import__("matplotlib.pyplot", fromlist=["figure"]).figure(${n})`, {
          signal,
        }),
      );
    }
    if (numbers.length > 0)
      await this.run('__import__("matplotlib.pyplot", fromlist=["close"]).close("all")', { signal });
    return figures;
  }

  get started(): boolean {
    return this.runner?.alive === true;
  }

  async close(graceMs = 500): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.stop(graceMs);
  }
}
