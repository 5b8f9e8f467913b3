// The inputs (and text outputs) of this kernel process, answering history_request the way
// IPython's HistoryManager does for the current session. Nothing is persisted: earlier sessions
// (earlier kernel processes) are never returned.

export type HistoryEntry = [session: number, line: number, input: string];
export type HistoryEntryWithOutput = [session: number, line: number, inputOutput: [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

interface Line {
  line: number;
  input: string;
  output: string | null;
}

/**
 * SQLite GLOB semantics for `*` and `?` (case-sensitive, whole string, `*` crosses newlines, `?`
 * is one code point; everything else is literal). The classic two-pointer wildcard match: on a
 * mismatch it resumes just after the last `*`, so the work is at most (|text|+1)·(|pattern|+1)
 * steps, never exponential. (A regular expression built from the glob backtracks: a 20-character
 * pattern blocked the event loop, heartbeat included, for seconds.)
 */
export function globMatch(pattern: string, text: string): boolean {
  return globMatchCounted(pattern, text).matched;
}

/** globMatch, also reporting how many steps it took (the tests check the bound). */
export function globMatchCounted(pattern: string, text: string): { matched: boolean; steps: number } {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let star = -1; // index in p of the last '*' seen
  let resume = 0; // index in t the last '*' is matched up to
  let steps = 0;
  while (ti < t.length) {
    steps++;
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return { matched: false, steps };
    }
  }
  while (pi < p.length && p[pi] === '*') {
    steps++;
    pi++;
  }
  return { matched: pi === p.length, steps };
}

export class ExecutionHistory {
  private readonly lines: Line[] = [];

  /** @param session the session number reported in entries (ipykernel's counts up across runs; ours is fixed). */
  constructor(readonly session = 1) {}

  /** Records the input of execution `line` (its execution count). */
  record(line: number, input: string): void {
    this.lines.push({ line, input, output: null });
  }

  /** Records the text/plain execute_result of execution `line`. */
  recordOutput(line: number, output: string): void {
    const entry = this.find(line);
    if (entry) entry.output = output;
  }

  get length(): number {
    return this.lines.length;
  }

  /** The last `n` inputs (all when n is missing), oldest first. */
  tail(n: number | null | undefined, output = false): (HistoryEntry | HistoryEntryWithOutput)[] {
    const selected = n === null || n === undefined ? this.lines : n <= 0 ? [] : this.lines.slice(-n);
    return selected.map((l) => this.entry(l, output));
  }

  /**
   * Lines `start` ≤ line < `stop` of `session` (0 or the current number = this session; negative =
   * relative to it, i.e. earlier sessions, which we do not keep). Negative start/stop count from the
   * end; a missing or too-large stop means "to the end", as IPython's `get_range`.
   */
  range(
    session: number | undefined,
    start: number | undefined,
    stop: number | null | undefined,
    output = false,
  ): (HistoryEntry | HistoryEntryWithOutput)[] {
    let s = session ?? 0;
    if (s <= 0) s += this.session;
    if (s !== this.session) return [];
    const end = this.lines.length === 0 ? 1 : this.lines[this.lines.length - 1].line + 1;
    let from = start ?? 1;
    if (from < 0) from += end;
    let to = stop ?? 0;
    if (!to || to > end) to = end;
    else if (to < 0) to += end;
    return this.lines.filter((l) => l.line >= from && l.line < to).map((l) => this.entry(l, output));
  }

  /**
   * Inputs matching the glob `pattern` (default `*`), oldest first; `unique` keeps only the latest
   * occurrence of each input; `n` keeps the last n matches.
   */
  search(
    pattern: string | undefined,
    options: { n?: number | null; unique?: boolean; output?: boolean } = {},
  ): (HistoryEntry | HistoryEntryWithOutput)[] {
    const glob = pattern ?? '*';
    let matches = this.lines.filter((l) => globMatch(glob, l.input));
    if (options.unique) {
      const latest = new Map<string, Line>();
      for (const l of matches) latest.set(l.input, l);
      const keep = new Set(latest.values());
      matches = matches.filter((l) => keep.has(l));
    }
    const n = options.n;
    if (n !== null && n !== undefined) matches = n <= 0 ? [] : matches.slice(-n);
    return matches.map((l) => this.entry(l, options.output ?? false));
  }

  /** Answers a history_request's content. Unknown access types give no entries. */
  query(request: HistoryQuery): (HistoryEntry | HistoryEntryWithOutput)[] {
    const output = request.output ?? false;
    switch (request.hist_access_type) {
      case 'tail':
        return this.tail(request.n, output);
      case 'range':
        return this.range(request.session, request.start, request.stop, output);
      case 'search':
        return this.search(request.pattern, { n: request.n, unique: request.unique, output });
      default:
        return [];
    }
  }

  private find(line: number): Line | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) if (this.lines[i].line === line) return this.lines[i];
    return undefined;
  }

  private entry(l: Line, output: boolean): HistoryEntry | HistoryEntryWithOutput {
    return output ? [this.session, l.line, [l.input, l.output]] : [this.session, l.line, l.input];
  }
}
