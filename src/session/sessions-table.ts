// One table of sessions for the terminal (`glue-kernel sessions list`) and the notebook
// (%list_sessions): id, status, Glue version, capacity, idle timeout, creation time and age.
import { textTable } from '../text/text-table';
import type { SessionListEntry } from './backend';

/** "2 × G.1X", "5 DPU", or "-". */
function formatCapacity(e: SessionListEntry): string {
  if (e.numberOfWorkers !== undefined && e.workerType) return `${e.numberOfWorkers} × ${e.workerType}`;
  if (e.maxCapacity !== undefined) return `${e.maxCapacity} DPU`;
  return '-';
}

function formatCreated(date: Date | undefined): string {
  return date
    ? date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '-';
}

function formatAge(date: Date | undefined, now: number): string {
  if (!date) return '-';
  const minutes = Math.max(0, Math.floor((now - date.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export const SESSIONS_HEADER = ['Id', 'Status', 'Glue', 'Capacity', 'IdleTimeout', 'CreatedOn', 'Age'];

/** The table of `glue-kernel sessions list` and %list_sessions (which marks its own session with *). */
export function sessionsTable(
  entries: readonly SessionListEntry[],
  now: number,
  options: { markCurrent?: boolean } = {},
): string {
  return textTable(SESSIONS_HEADER, sessionsRows(entries, now, options), { rule: false });
}

export function sessionsRows(
  entries: readonly SessionListEntry[],
  now: number,
  options: { markCurrent?: boolean } = {},
): string[][] {
  return entries.map((e) => [
    options.markCurrent && e.current ? `${e.id} *` : e.id,
    e.status,
    e.glueVersion ?? '-',
    formatCapacity(e),
    e.idleTimeout !== undefined ? `${e.idleTimeout} min` : '-',
    formatCreated(e.createdOn),
    formatAge(e.createdOn, now),
  ]);
}
