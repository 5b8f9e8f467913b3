// The HTTP edge: node:http, keep-alive, one request id per response, the Date header node
// sends by default (the SDKs correct clock skew from it). Each request is routed by protocol:
// AWS JSON 1.1 (X-Amz-Target: AWSGlue.<Op>) for Glue, the query protocol (form body with
// Action=...) for STS and IAM, and /_emulator/... for the admin path when it is enabled.
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
import type { SessionManager } from './sessions';
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
  readonly calls = new CallLog();
  private readonly quotas: RateQuotas;

  constructor(private readonly deps: ServerDeps) {
    this.quotas = deps.quotas ?? new RateQuotas([]);
    this.server = http.createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
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
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const time = new Date().toISOString();
    const requestId = crypto.randomUUID();
    let body: Buffer | undefined;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');

    if (
      url.pathname.startsWith(ADMIN_PREFIX) &&
      this.deps.adminEnabled() &&
      isLoopbackHostHeader(req.headers.host)
    ) {
      const result = body
        ? handleAdmin(this.adminContext(), req.method ?? 'GET', url, body)
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

  private looksLikeQuery(req: http.IncomingMessage, url: URL, body: Buffer | undefined): boolean {
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
