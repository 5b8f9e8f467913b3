// The emulator's stand-in for the Spark UI: the page GetDashboardUrl points to, one small HTML
// page about a session and its statements. Everything shown comes from the session (ids, code,
// output), so every value is escaped.
import type { SessionView, StatementView } from './sessions';

export interface DashboardSession extends SessionView {
  statements: StatementView[];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function row(label: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(String(value))}</td></tr>`;
}

function time(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function statementRow(st: StatementView): string {
  const code = st.Code.length > 400 ? `${st.Code.slice(0, 400)}…` : st.Code;
  const took =
    st.StartedOn !== undefined && st.CompletedOn !== undefined
      ? `${((st.CompletedOn - st.StartedOn) / 1000).toFixed(1)} s`
      : '';
  return (
    `<tr><td>${st.Id}</td><td>${escapeHtml(st.State)}</td><td>${Math.round(st.Progress * 100)}%</td>` +
    `<td>${escapeHtml(took)}</td><td><pre>${escapeHtml(code)}</pre></td></tr>`
  );
}

/** The page: the session's settings and state, then its statements, newest first. */
export function dashboardPage(s: DashboardSession): string {
  const title = `Session ${s.Id} (Glue emulator)`;
  const info = [
    row('Status', s.Status),
    row('Error', s.ErrorMessage),
    row('Created', time(s.CreatedOn * 1000)),
    row('Glue version', s.GlueVersion),
    row('Worker type', s.WorkerType),
    row('Number of workers', s.NumberOfWorkers),
    row('Max capacity (DPU)', s.MaxCapacity),
    row('Idle timeout', s.IdleTimeout !== undefined ? `${s.IdleTimeout} min` : undefined),
    row('Running time', s.ExecutionTime !== undefined ? `${s.ExecutionTime.toFixed(0)} s` : undefined),
    row('DPU-seconds', s.DPUSeconds !== undefined ? s.DPUSeconds.toFixed(1) : undefined),
  ].join('');
  const statements = [...s.statements].reverse().map(statementRow).join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}' +
      'th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}pre{margin:0}</style>',
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<p>This is the local Glue emulator, not AWS: no Spark UI and nothing billed.</p>',
    `<table>${info}</table>`,
    `<h2>Statements (${s.statements.length})</h2>`,
    s.statements.length === 0
      ? '<p>No statements yet.</p>'
      : `<table><tr><th>Id</th><th>State</th><th>Progress</th><th>Took</th><th>Code</th></tr>${statements}</table>`,
    '</body></html>',
    '',
  ].join('\n');
}
