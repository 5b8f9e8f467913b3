// What the kernel tells its session watchdog, one JSON line per message on the watchdog's
// stdin. No secret is ever on the watchdog's command line or in a file: a role is named and
// assumed by the watchdog itself over the same credential chain (the environment and profile
// it inherits); only keys given to %%assume_role as such travel, over this private pipe.
import type { AssumeRoleSetting } from './clients';

export interface GuardedSession {
  id: string;
  region: string;
  endpoint?: string;
  stsEndpoint?: string;
  profile?: string;
  assumeRole?: AssumeRoleSetting;
}

export type WatchdogMessage =
  /** Stop this session if the pipe closes without `clean`. */
  | { type: 'guard'; session: GuardedSession }
  /** Nothing to stop any more (the session was stopped or ended). */
  | { type: 'release' }
  /** The kernel ended cleanly: exit without a call. */
  | { type: 'clean' };

export function encodeWatchdogMessage(message: WatchdogMessage): string {
  return `${JSON.stringify(message)}\n`;
}

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;

/** Parses one line; undefined for anything malformed (the watchdog ignores it). */
export function parseWatchdogMessage(line: string): WatchdogMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as { type?: unknown; session?: Record<string, unknown> };
  if (m.type === 'release' || m.type === 'clean') return { type: m.type };
  if (m.type !== 'guard' || typeof m.session !== 'object' || m.session === null) return undefined;
  const s = m.session;
  if (!text(s.id) || !text(s.region)) return undefined;
  const session: GuardedSession = { id: s.id, region: s.region };
  if (text(s.endpoint)) session.endpoint = s.endpoint;
  if (text(s.stsEndpoint)) session.stsEndpoint = s.stsEndpoint;
  if (text(s.profile)) session.profile = s.profile;
  const ar = s.assumeRole as Record<string, unknown> | undefined;
  if (ar?.kind === 'role' && text(ar.roleArn)) {
    session.assumeRole = { kind: 'role', roleArn: ar.roleArn };
    if (text(ar.sessionName)) session.assumeRole.sessionName = ar.sessionName;
  } else if (ar?.kind === 'credentials' && text(ar.accessKeyId) && text(ar.secretAccessKey)) {
    session.assumeRole = {
      kind: 'credentials',
      accessKeyId: ar.accessKeyId,
      secretAccessKey: ar.secretAccessKey,
      ...(text(ar.sessionToken) ? { sessionToken: ar.sessionToken } : {}),
    };
  }
  return { type: 'guard', session };
}
