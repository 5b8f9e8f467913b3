// The HTTP edge: node:http, keep-alive, one request id per response, the Date header node
// sends by default (the SDKs correct clock skew from it). Each request is routed by protocol:
// AWS JSON 1.1 (X-Amz-Target: AWSGlue.<Op>) for Glue, the query protocol (form body with
// Action=...) for STS and IAM, and /_emulator/... for the admin path when it is enabled.
// Every request ends in an HTTP answer whatever its bytes: one wrapper (serve) turns anything
// a handler throws into a logged 500 carrying the request id, and the server goes on.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin, isLoopbackHostHeader, type AdminContext } from './admin';
import type { CredentialStore } from './credentials';
import { GlueError } from './errors';
import {
  CallLog,
  FaultInjector,
  glueRequestRecord,
  queryRequestRecord,
  type CallRecord,
  type Fault,
} from './faults';
import { dispatchGlue } from './glue-api';
import { RateQuotas } from './quotas';
import { isGlueOperation } from './model';
import { parseRequestTarget, type RequestTarget } from './request-target';
import { DASHBOARD_PREFIX, type SessionManager } from './sessions';
import { type AuthFailure, type AuthFailureKind, parseAuthorization, verifySigV4 } from './sigv4';
import { handleQuery, queryError, type QueryResult, type QueryService } from './sts-iam';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const GLUE_ERRORTYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.glue/';

/** Every response the emulator sends for an API call (not the admin path): for the contract test. */
export interface ResponseRecord {
  service: 'glue' | 'sts' | 'iam' | 'unknown';
  operation: string;
  status: number;
  contentType: string;
  body: string;
  requestId: string;
}

export interface ServerDeps {
  sessions: SessionManager;
  credentials: CredentialStore;
  adminEnabled: () => boolean;
  info: () => Record<string, unknown>;
  /** The per-run admin token (see admin.ts). */
  adminToken: string;
  /** Calls kept in the call log (default DEFAULT_KEEP_CALLS). */
  keepCalls?: number;
  /** Per-access-key Glue API quotas (--rate); none by default. */
  quotas?: RateQuotas;
  logger?: { debug(m: string): void; warn(m: string): void };
  onResponse?: (record: ResponseRecord) => void;
}

const JSON_AUTH_ERRORS: Record<AuthFailureKind, [number, string]> = {
  MissingAuthenticationToken: [403, 'MissingAuthenticationTokenException'],
  IncompleteSignature: [400, 'IncompleteSignatureException'],
  UnrecognizedClient: [400, 'UnrecognizedClientException'],
  InvalidSignature: [400, 'InvalidSignatureException'],
  SignatureExpired: [400, 'InvalidSignatureException'],
  ExpiredToken: [400, 'ExpiredTokenException'],
};

const QUERY_AUTH_ERRORS: Record<AuthFailureKind, [number, string]> = {
  MissingAuthenticationToken: [403, 'MissingAuthenticationToken'],
  IncompleteSignature: [400, 'IncompleteSignature'],
  UnrecognizedClient: [403, 'InvalidClientTokenId'],
  InvalidSignature: [403, 'SignatureDoesNotMatch'],
  SignatureExpired: [403, 'SignatureDoesNotMatch'],
  ExpiredToken: [400, 'ExpiredToken'],
};

/** Error codes the service writes with a lowercase "message" (framework errors, not modeled ones). */
const LOWERCASE_MESSAGE = new Set([
  ...Object.values(JSON_AUTH_ERRORS).map(([, c]) => c),
  'UnknownOperationException',
  'SerializationException',
  'ThrottlingException',
]);

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class EmulatorServer {
  readonly server: http.Server;
  readonly faults = new FaultInjector();
  readonly calls: CallLog;
  private readonly quotas: RateQuotas;

  constructor(private readonly deps: ServerDeps) {
    this.calls = new CallLog(deps.keepCalls);
    this.quotas = deps.quotas ?? new RateQuotas([]);
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.serve(req, res));
    // Longer than the SDKs' idle sockets live, so a client never reuses a socket we just closed.
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.requestTimeout = 300_000;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  adminContext(): AdminContext {
    return {
      sessions: this.deps.sessions,
      faults: this.faults,
      calls: this.calls,
      credentials: this.deps.credentials,
      info: this.deps.info,
      adminToken: this.deps.adminToken,
    };
  }

  /** The one entry point: whatever handle() throws or rejects with becomes a 500, never a crash. */
  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = crypto.randomUUID();
    let handled: Promise<void>;
    try {
      handled = this.handle(req, res, requestId);
    } catch (err) {
      handled = Promise.reject(err);
    }
    handled.catch((err: unknown) => this.internalError(req, res, requestId, err));
  }

  private internalError(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    requestId: string,
    err: unknown,
  ): void {
    // The request line is logged length-capped and JSON-quoted: it is attacker-controlled bytes.
    const line = JSON.stringify(`${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)}`);
    this.deps.logger?.warn(
      `emulator: request ${requestId} (${line}) failed: ${(err as Error)?.stack ?? String(err)}`,
    );
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const text = JSON.stringify({
      __type: 'InternalServiceException',
      message: `An internal error occurred in the emulator (request id ${requestId}).`,
    });
    res.writeHead(500, {
      'content-type': JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
    });
    res.end(text);
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    requestId: string,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const time = new Date().toISOString();
    let body: Buffer | undefined;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const url = parseRequestTarget(req.url);

    if (
      url.pathname.startsWith(ADMIN_PREFIX) &&
      this.deps.adminEnabled() &&
      isLoopbackHostHeader(req.headers.host)
    ) {
      const result = body
        ? handleAdmin(this.adminContext(), {
            method: req.method ?? 'GET',
            target: url,
            headers: req.headers,
            body,
          })
        : { status: 413, body: { error: 'body too large' } };
      const text = JSON.stringify(result.body);
      res.writeHead(result.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
      });
      res.end(text);
      return;
    }

    if (req.method === 'GET' && url.pathname.startsWith(DASHBOARD_PREFIX)) {
      // The session's dashboard (GetDashboardUrl): unsigned, like a presigned URL; its token is the key.
      let page: string | undefined;
      try {
        const id = decodeURIComponent(url.pathname.slice(DASHBOARD_PREFIX.length));
        page = this.deps.sessions.dashboard(id, url.searchParams.get('token'));
      } catch {
        page = undefined; // a malformed %-escape: no such session
      }
      const text = page ?? 'Not found: the session does not exist, or the dashboard URL is not valid.\n';
      res.writeHead(page ? 200 : 404, {
        'content-type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'x-content-type-options': 'nosniff',
        'x-amzn-requestid': requestId,
      });
      res.end(text);
      return;
    }

    const headers = req.headers;
    const target = typeof headers['x-amz-target'] === 'string' ? headers['x-amz-target'] : undefined;
    let log: Omit<CallRecord, 'seq' | 'status' | 'latencyMs'>;
    const finish = (
      status: number,
      contentType: string,
      text: string,
      extraHeaders: Record<string, string> = {},
      errorCode?: string,
      fault?: Fault,
    ): void => {
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
        ...extraHeaders,
      });
      res.end(text);
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      this.calls.add({ ...log, status, latencyMs, errorCode, fault: fault?.kind });
      this.deps.onResponse?.({
        service: log.service,
        operation: log.operation,
        status,
        contentType,
        body: text,
        requestId,
      });
    };

    if (target !== undefined || !this.looksLikeQuery(req, url, body)) {
      // ---- AWS JSON 1.1 (Glue) ----
      const op = target?.startsWith('AWSGlue.') ? target.slice('AWSGlue.'.length) : '';
      log = { time, service: 'glue', operation: op || target || `${req.method} ${url.pathname}`, requestId };
      const jsonError = (err: GlueError, fault?: Fault): void => {
        const key = LOWERCASE_MESSAGE.has(err.code) ? 'message' : 'Message';
        finish(
          err.status,
          JSON_CONTENT_TYPE,
          JSON.stringify({ __type: err.code, [key]: err.message }),
          { 'x-amzn-errortype': err.code + GLUE_ERRORTYPE_SUFFIX },
          err.code,
          fault,
        );
      };
      if (!body)
        return jsonError(
          new GlueError(
            'SerializationException',
            `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
            413,
          ),
        );
      log.request = glueRequestRecord(body);
      const auth = this.authenticate(req, body, 'glue');
      log.accessKeyId = auth.ok ? auth.accessKeyId : auth.accessKeyId;
      if (!auth.ok) {
        const [status, code] = JSON_AUTH_ERRORS[auth.kind];
        return jsonError(new GlueError(code, auth.message, status));
      }
      if (req.method !== 'POST' || url.pathname !== '/' || !isGlueOperation(op)) {
        return jsonError(
          new GlueError(
            'UnknownOperationException',
            op
              ? `Unknown operation ${op}.`
              : 'Missing or unknown X-Amz-Target; expected AWSGlue.<Operation>.',
            400,
          ),
        );
      }
      if (!this.quotas.take(auth.accessKeyId, op)) {
        log.throttled = 'quota';
        return jsonError(new GlueError('ThrottlingException', 'Rate exceeded', 400));
      }
      const fault = this.faults.take(op);
      if (fault?.kind === 'throttle') log.throttled = 'fault';
      const applyFault = async (): Promise<boolean> => {
        if (!fault) return false;
        const handled = await this.applyFault(fault, res, (err) => jsonError(err, fault));
        if (handled && fault.kind === 'reset')
          this.calls.add({
            ...log,
            status: 0,
            latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
            fault: 'reset',
          });
        return handled;
      };
      if (!fault?.after && (await applyFault())) return;
      try {
        const output = dispatchGlue(this.deps.sessions, op, body);
        // An `after` fault: the call took effect, and its answer is replaced (or lost).
        if (fault?.after && (await applyFault())) return;
        finish(200, JSON_CONTENT_TYPE, JSON.stringify(output), {}, undefined, fault);
      } catch (err) {
        if (err instanceof GlueError) return jsonError(err, fault);
        this.deps.logger?.warn(`emulator: ${op} failed: ${(err as Error).stack ?? String(err)}`);
        jsonError(
          new GlueError('InternalServiceException', 'An internal service error occurred.', 500),
          fault,
        );
      }
      return;
    }

    // ---- AWS query protocol (STS, IAM) ----
    const params = new URLSearchParams(url.search);
    if (body && body.length > 0)
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    const action = params.get('Action') ?? '';
    const service = this.queryService(req, action);
    log = {
      time,
      service,
      operation: `${service}:${action}`,
      requestId,
      request: queryRequestRecord(params),
    };
    const xml = (r: QueryResult, fault?: Fault): void =>
      finish(r.status, 'text/xml', r.body, {}, r.errorCode, fault);
    const auth = this.authenticate(req, body ?? Buffer.alloc(0), service);
    log.accessKeyId = auth.accessKeyId;
    if (!auth.ok) {
      const [status, code] = QUERY_AUTH_ERRORS[auth.kind];
      return xml(queryError(service, status, code, auth.message, requestId));
    }
    const fault = this.faults.take(`${service}:${action}`);
    if (fault) {
      const handled = await this.applyFault(fault, res, (err) =>
        xml(
          queryError(
            service,
            err.status,
            err.code === 'ThrottlingException'
              ? 'Throttling'
              : err.code === 'InternalServiceException'
                ? 'InternalFailure'
                : err.code,
            err.message,
            requestId,
          ),
          fault,
        ),
      );
      if (handled) return;
    }
    xml(
      handleQuery({
        service,
        params,
        accessKeyId: auth.accessKeyId!,
        credentials: this.deps.credentials,
        accountId: this.deps.credentials.accountId,
        requestId,
      }),
      fault,
    );
  }

  private looksLikeQuery(req: http.IncomingMessage, url: RequestTarget, body: Buffer | undefined): boolean {
    const ct = String(req.headers['content-type'] ?? '');
    if (ct.startsWith('application/x-www-form-urlencoded')) return true;
    if (url.searchParams.has('Action')) return true;
    return (
      body !== undefined &&
      body.length > 0 &&
      /^Action=|&Action=/.test(body.toString('latin1', 0, Math.min(body.length, 4096)))
    );
  }

  private queryService(req: http.IncomingMessage, action: string): QueryService {
    const authorization = req.headers.authorization;
    if (authorization) {
      const parsed = parseAuthorization(authorization);
      if (!('ok' in parsed) && (parsed.scope.service === 'sts' || parsed.scope.service === 'iam'))
        return parsed.scope.service;
    }
    return action === 'GetRole' ? 'iam' : 'sts';
  }

  private authenticate(
    req: http.IncomingMessage,
    body: Buffer,
    service: string,
  ): { ok: true; accessKeyId: string } | (AuthFailure & { accessKeyId?: string }) {
    const result = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders, body },
      { lookup: (id) => this.deps.credentials.lookup(id) },
    );
    if (!result.ok) return result;
    if (result.scope.service !== service) {
      return {
        ok: false,
        kind: 'InvalidSignature',
        message: `Credential should be scoped to correct service: '${service}'.`,
        accessKeyId: result.scope.accessKeyId,
      };
    }
    return { ok: true, accessKeyId: result.scope.accessKeyId };
  }

  /** Applies a scripted fault. Returns true when the request has been answered (or dropped). */
  private async applyFault(
    fault: Fault,
    res: http.ServerResponse,
    error: (err: GlueError) => void,
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await new Promise((r) => setTimeout(r, fault.delayMs).unref());
        return false;
      case 'throttle':
        error(new GlueError('ThrottlingException', fault.message ?? 'Rate exceeded', fault.status ?? 400));
        return true;
      case 'error500':
        error(
          new GlueError(
            'InternalServiceException',
            fault.message ?? 'An internal service error occurred (injected by the emulator).',
            fault.status ?? 500,
          ),
        );
        return true;
      case 'error':
        error(
          new GlueError(
            fault.code ?? 'InternalServiceException',
            fault.message ?? `Injected ${fault.code}.`,
            fault.status ?? 400,
          ),
        );
        return true;
      case 'reset':
        res.socket?.resetAndDestroy?.();
        res.destroy();
        return true;
    }
  }
}
