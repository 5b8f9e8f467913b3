// What `glue-kernel run` prints while it runs: a header line per cell, the cell's outputs, and a
// result line. On a terminal, a progress bar (cells done of all, the running cell's time) stays
// on the last line, redrawn in place; anywhere else (CI logs, pipes) only plain lines are written.
import type { CellReport } from './run-notebook';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CellStart {
  /** 1-based position among the code cells that run, and their number. */
  position: number;
  total: number;
  /** 0-based index of the cell in the notebook. */
  index: number;
  source: string;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 200;

export function firstLine(source: string, max = 70): string {
  const first = source.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.length > max ? first.slice(0, max - 1) + '…' : first;
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** The bar itself: `████████░░░░ 5/11`, filled by done/total. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}

export class RunProgress {
  private readonly live: boolean;
  private current: (CellStart & { started: number }) | undefined;
  private done = 0;
  private total = 0;
  private atLineStart = true;
  private barShown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: ProgressStream,
    live = Boolean(out.isTTY),
  ) {
    this.live = live;
  }

  cellStarted(cell: CellStart): void {
    this.total = cell.total;
    this.current = { ...cell, started: performance.now() };
    this.print(`\n── [${cell.position}/${cell.total}] cell ${cell.index + 1}: ${firstLine(cell.source)}\n`);
    if (this.live && !this.timer) {
      this.timer = setInterval(() => this.drawBar(), REDRAW_MS);
      this.timer.unref();
    }
    this.drawBar();
  }

  output(text: string): void {
    this.print(text);
    this.drawBar();
  }

  cellFinished(report: CellReport, expectedError: boolean): void {
    this.done += 1;
    const status =
      report.status === 'ok' ? 'ok' : expectedError ? 'failed as expected (raises-exception)' : 'FAILED';
    this.print(`${this.atLineStart ? '' : '\n'}   ${status} · ${formatSeconds(report.durationMs)}\n`);
    this.current = undefined;
  }

  /** Removes the bar for good; call before the summary. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearBar();
  }

  /** Writes text above the bar. */
  print(text: string): void {
    if (text === '') return;
    this.clearBar();
    this.out.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.out.write('\r\x1b[2K');
    this.barShown = false;
  }

  private drawBar(): void {
    // Only on a line of its own: a cell's unfinished line (print(end="")) is never overwritten.
    if (!this.live || !this.current || !this.atLineStart) return;
    const elapsed = formatSeconds(performance.now() - this.current.started);
    const line = `${progressBar(this.done, this.total)}  cell ${this.current.index + 1} running · ${elapsed}`;
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    this.out.write(`\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`);
    this.barShown = true;
  }
}
