// The admin path (/_emulator/...): fault scripting, forced session states, runner kills,
// credential expiry and the API-call log, for tests and benchmarks. It exists only while the
// server is bound to a loopback address, and answers only requests whose Host header names
// loopback (so a web page cannot reach it through DNS rebinding). It is not signed, but it
// refuses anything a browser could send cross-site (an Origin header, a form or text/plain
// body), and every call that changes state or reads the call log needs the per-run admin token
// (`Authorization: Bearer <token>`). Endpoints are documented in README.md beside this file.
import * as crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialStore } from './credentials';
import { GlueError } from './errors';
import { type CallLog, type FaultInjector, parseFaultSpec } from './faults';
import { type RequestTarget, tryDecodeURIComponent } from './request-target';
import type { SessionManager } from './sessions';

export const ADMIN_PREFIX = '/_emulator/';

export interface AdminContext {
  sessions: SessionManager;
  faults: FaultInjector;
  calls: CallLog;
  credentials: CredentialStore;
  info: () => Record<string, unknown>;
  /** The per-run token required for state changes and call-log reads. */
  adminToken: string;
}

export interface AdminRequest {
  method: string;
  target: RequestTarget;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface AdminResult {
  status: number;
  body: unknown;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

export function isLoopbackHostHeader(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** A fresh admin token: 32 random bytes, base64url. */
export function generateAdminToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Content types a browser sends cross-site without a CORS preflight ("simple requests"). */
const BROWSER_CONTENT_TYPE = /^\s*(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** Read-only endpoints that answer without the token. */
const OPEN_ROUTES = new Set(['GET health', 'GET info', 'GET sessions', 'GET faults']);

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  if (!m) return false;
  // Compare digests so the comparison is constant-time whatever the lengths.
  const digest = (t: string): Buffer => crypto.createHash('sha256').update(t).digest();
  return crypto.timingSafeEqual(digest(m[1]), digest(token));
}

/** Why a request is refused before routing (cross-site or unauthorised), or undefined. */
function refusal(ctx: AdminContext, request: AdminRequest, route: string): AdminResult | undefined {
  if (request.headers.origin !== undefined)
    return {
      status: 403,
      body: { error: 'the admin path refuses requests with an Origin header (browser requests)' },
    };
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && BROWSER_CONTENT_TYPE.test(contentType))
    return {
      status: 415,
      body: { error: `the admin path refuses content-type ${contentType}; send application/json` },
    };
  if (!OPEN_ROUTES.has(route) && !tokenMatches(request.headers.authorization, ctx.adminToken))
    return {
      status: 401,
      body: {
        error:
          'this admin call needs the emulator admin token: send "Authorization: Bearer <token>" ' +
          '(glue-kernel emulator prints it as GLUE_EMULATOR_ADMIN_TOKEN=...)',
      },
    };
  return undefined;
}

function parseJson(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error('the body must be a JSON object');
  return v as Record<string, unknown>;
}

export function handleAdmin(ctx: AdminContext, request: AdminRequest): AdminResult {
  const { method, target: url, body } = request;
  const path = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const parts = path.split('/').map(tryDecodeURIComponent);
  if (parts.some((p) => p === undefined))
    return { status: 400, body: { error: `malformed percent-encoding in ${url.pathname}` } };
  const route = `${method} ${parts[0] ?? ''}`;
  const refused = refusal(ctx, request, route);
  if (refused) return refused;
  try {
    const input = method === 'POST' || method === 'PUT' ? parseJson(body) : {};
    switch (route) {
      case 'GET health':
      case 'GET info':
        return { status: 200, body: ctx.info() };
      case 'GET calls': {
        const since = Number(url.searchParams.get('since') ?? '0');
        return { status: 200, body: { calls: ctx.calls.list(Number.isFinite(since) ? since : 0) } };
      }
      case 'DELETE calls':
        ctx.calls.clear();
        return { status: 200, body: {} };
      case 'GET faults':
        return { status: 200, body: { faults: ctx.faults.list() } };
      case 'POST faults': {
        const specs = Array.isArray(input.faults) ? input.faults : [input];
        const added = specs.map((s) => ctx.faults.add(parseFaultSpec(s)));
        return { status: 200, body: { faults: added } };
      }
      case 'DELETE faults':
        ctx.faults.clear();
        return { status: 200, body: {} };
      case 'GET sessions':
        return { status: 200, body: { sessions: ctx.sessions.inspect() } };
      case 'POST sessions': {
        const [, id, action] = parts;
        if (!id || !action) break;
        if (action === 'fail') {
          const message = typeof input.message === 'string' ? input.message : undefined;
          return { status: 200, body: { session: ctx.sessions.forceFail(id, message) } };
        }
        if (action === 'timeout') return { status: 200, body: { session: ctx.sessions.forceTimeout(id) } };
        if (action === 'kill-runner') return { status: 200, body: { killed: ctx.sessions.killRunner(id) } };
        // POST sessions/<id>/statements/<n>/progress {"progress": 0.42}
        if (action === 'statements' && parts[4] === 'progress') {
          const progress = typeof input.progress === 'number' ? input.progress : NaN;
          return {
            status: 200,
            body: { statement: ctx.sessions.setStatementProgress(id, Number(parts[3]), progress) },
          };
        }
        break;
      }
      case 'POST credentials': {
        const action = parts[1];
        const accessKeyId = typeof input.accessKeyId === 'string' ? input.accessKeyId : undefined;
        if (action === 'expire')
          return { status: 200, body: { expired: ctx.credentials.expire(accessKeyId) } };
        if (action === 'restore') {
          ctx.credentials.restore(accessKeyId);
          return { status: 200, body: {} };
        }
        break;
      }
    }
    return {
      status: 404,
      body: { error: `no admin endpoint ${method} ${url.pathname}; see src/emulator/README.md` },
    };
  } catch (err) {
    if (err instanceof GlueError)
      return {
        status: err.code === 'EntityNotFoundException' ? 404 : 400,
        body: { error: err.message, code: err.code },
      };
    return { status: 400, body: { error: (err as Error).message } };
  }
}
