// The live status of one cell: session provisioning and the statement each get their own
// display_data, updated in place, in the order they start. The elapsed time ticks from a local
// timer once a second (never from a poll, so it adds no GetStatement calls), and each line is
// updated at most twice a second whatever the backend reports. close() stops every timer.
import { randomUUID } from 'node:crypto';
import type { OutputSink } from '../jupyter/interpreter';
import type { ProgressLine, ProgressReport } from '../session/backend';

/** Least time between two updates of one line. */
export const MIN_UPDATE_INTERVAL_MS = 500;
const TICK_MS = 1000;
const BAR_WIDTH = 20;

/** "0 s", "12 s", "3 min 05 s": whole seconds, so the line changes once a second. */
export function wholeSeconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** "[█████░░░░░░░░░░░░░░░] 25%" for a fraction between 0 and 1. */
export function progressBar(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(f * 100)}%`;
}

/** The text of a progress line at time `now`. */
export function progressText(report: ProgressReport, now: number): string {
  const hasBar = report.fraction !== undefined && report.fraction > 0 && report.fraction < 1;
  const bar = hasBar ? ` ${progressBar(report.fraction as number)}` : '';
  const note = report.note ? ` (${report.note})` : '';
  return `${report.label}: ${report.state}${note}${bar}, ${wholeSeconds(now - report.since)} elapsed`;
}

interface LineState {
  displayId: string;
  report?: ProgressReport;
  /** The text last sent, and when. */
  shown?: string;
  shownAt: number;
  /** A trailing update waiting for the interval to pass. */
  pending?: NodeJS.Timeout;
  ended: boolean;
}

export interface StatusDisplayOptions {
  now?: () => number;
  minUpdateIntervalMs?: number;
  tickMs?: number;
}

export class StatusDisplay {
  private readonly lines = new Map<ProgressLine, LineState>();
  private ticker?: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly tickMs: number;

  constructor(
    private readonly sink: OutputSink,
    options: StatusDisplayOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.minInterval = options.minUpdateIntervalMs ?? MIN_UPDATE_INTERVAL_MS;
    this.tickMs = options.tickMs ?? TICK_MS;
  }

  /** True once the line has been shown in this cell. */
  shown(line: ProgressLine): boolean {
    return this.lines.get(line)?.shown !== undefined;
  }

  /** Any line shown in this cell. */
  anyShown(): boolean {
    return [...this.lines.values()].some((l) => l.shown !== undefined);
  }

  progress(report: ProgressReport): void {
    const line = this.line(report.line);
    if (line.ended) {
      // A new wait on a line that was closed (e.g. a second statement of %%sql): a new line.
      this.clearPending(line);
      this.lines.delete(report.line);
      return this.progress(report);
    }
    line.report = report;
    this.render(line);
    this.startTicker();
  }

  end(which: ProgressLine, summary: string): void {
    const line = this.line(which);
    this.clearPending(line);
    line.ended = true;
    line.report = undefined;
    this.send(line, summary);
    if (![...this.lines.values()].some((l) => !l.ended)) this.stopTicker();
  }

  /** The cell is over: stop the ticker and any pending update; lines keep their last text. */
  close(): void {
    this.stopTicker();
    for (const line of this.lines.values()) {
      if (line.pending && line.report) this.send(line, progressText(line.report, this.now()));
      this.clearPending(line);
    }
  }

  private line(which: ProgressLine): LineState {
    let line = this.lines.get(which);
    if (!line) {
      line = { displayId: `glue-${which}-${randomUUID()}`, shownAt: 0, ended: false };
      this.lines.set(which, line);
    }
    return line;
  }

  /** Sends the line's current text now, or at the end of the interval if it was just updated. */
  private render(line: LineState): void {
    if (!line.report || line.pending) return;
    const text = progressText(line.report, this.now());
    if (text === line.shown) return;
    const wait = line.shownAt + this.minInterval - this.now();
    if (line.shown === undefined || wait <= 0) {
      this.send(line, text);
      return;
    }
    line.pending = setTimeout(() => {
      line.pending = undefined;
      if (line.report) this.send(line, progressText(line.report, this.now()));
    }, wait);
    line.pending.unref();
  }

  private send(line: LineState, text: string): void {
    if (line.shown === undefined) this.sink.displayData({ 'text/plain': text }, {}, line.displayId);
    else if (text !== line.shown) this.sink.updateDisplayData({ 'text/plain': text }, line.displayId);
    line.shown = text;
    line.shownAt = this.now();
  }

  private clearPending(line: LineState): void {
    if (line.pending) clearTimeout(line.pending);
    line.pending = undefined;
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      for (const line of this.lines.values()) if (!line.ended) this.render(line);
    }, this.tickMs);
    // The ticker never keeps the kernel alive; close() clears it at the end of the cell.
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
