// Turns a statement's Glue-shaped output into Jupyter messages. The same code renders the
// local runner's and Glue's output, so a notebook looks the same on both. Fixes the
// reference's defects: errors are real Jupyter `error` messages with their traceback, and
// text that arrives together with rich output is shown, not dropped.
import type { ExecuteOutcome, MimeBundle, OutputSink } from '../jupyter/interpreter';
import type { StatementOutput } from '../runner/statement-output';
import type { StatementResult } from '../session/backend';

export function errorOutcome(ename: string, evalue: string, traceback: string[]): ExecuteOutcome {
  return { status: 'error', ename, evalue, traceback };
}

/** Jupyter joins traceback entries with newlines; Glue's entries end with one. */
export function normaliseTraceback(
  lines: readonly string[] | undefined,
  ename: string,
  evalue: string,
): string[] {
  const joined = (lines ?? []).join('');
  const out = joined.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
  if (out.length === 0) out.push(`${ename}: ${evalue}`);
  return out;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/** Splits "image/png;base64" into the mime type and whether the payload is base64. */
export function parseMimeType(mimeType: string): { mime: string; base64: boolean } {
  const parts = mimeType.split(';').map((p) => p.trim());
  return { mime: parts[0].toLowerCase(), base64: parts.slice(1).some((p) => p.toLowerCase() === 'base64') };
}

function richBundle(mimeType: string, result: string): MimeBundle {
  const { mime, base64 } = parseMimeType(mimeType);
  // Jupyter carries binary images as base64 text; other types are decoded to text.
  const binary = mime.startsWith('image/') && mime !== 'image/svg+xml';
  let value: unknown = base64 && !binary ? Buffer.from(result, 'base64').toString('utf8') : result;
  if (mime === 'application/json' && typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { 'text/plain': value };
    }
  }
  return { [mime]: value };
}

export function renderOutput(output: StatementOutput, sink: OutputSink): ExecuteOutcome {
  const data = output.Data ?? {};
  if ((output.Status ?? 'ok').toLowerCase() !== 'ok') {
    if (data.StdOut) sink.stream('stdout', withNewline(data.StdOut));
    if (data.TextPlain) sink.stream('stdout', withNewline(data.TextPlain));
    if (data.StdErr) sink.stream('stderr', withNewline(data.StdErr));
    const ename = output.ErrorName || 'Error';
    const evalue = output.ErrorValue ?? '';
    const traceback = normaliseTraceback(output.Traceback, ename, evalue);
    sink.error(ename, evalue, traceback);
    return errorOutcome(ename, evalue, traceback);
  }
  if (data.StdOut) sink.stream('stdout', withNewline(data.StdOut));
  if (data.TextPlain) sink.stream('stdout', withNewline(data.TextPlain));
  if (data.StdErr) sink.stream('stderr', withNewline(data.StdErr));
  if (data.MimeType && data.Result !== undefined) {
    const bundle = richBundle(data.MimeType, data.Result);
    const { mime } = parseMimeType(data.MimeType);
    const metadata = mime.startsWith('image/') ? { [mime]: { width: 640, height: 480 } } : {};
    sink.displayData(bundle, metadata);
  }
  return { status: 'ok' };
}

export function renderResult(result: StatementResult, sink: OutputSink): ExecuteOutcome {
  switch (result.kind) {
    case 'output':
      return renderOutput(result.output, sink);
    case 'cancelled': {
      sink.error('KeyboardInterrupt', result.message, [`KeyboardInterrupt: ${result.message}`]);
      return errorOutcome('KeyboardInterrupt', result.message, [`KeyboardInterrupt: ${result.message}`]);
    }
    case 'failed': {
      const traceback = [`${result.ename}: ${result.message}`];
      sink.error(result.ename, result.message, traceback);
      return errorOutcome(result.ename, result.message, traceback);
    }
  }
}
