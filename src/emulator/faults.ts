// Scripted faults and the API-call log, for tests and benchmarks (driven by the admin path or
// in-process). A fault applies to the next N calls of one operation ('GetStatement',
// 'sts:AssumeRole', or '*' for any): throttle, fail with 500, an arbitrary service error,
// delay, or reset the connection. With `after`, a Glue call is handled first and the fault
// replaces its answer (the service accepted it, the caller never hears so), and `every`
// spreads a fault over calls (every 2nd call: half of all calls).

export const FAULT_KINDS = ['throttle', 'error500', 'error', 'delay', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** A Glue operation name, 'sts:Action' / 'iam:Action', or '*'. */
  operation: string;
  kind: FaultKind;
  /** How many calls it applies to (default 1). */
  count?: number;
  /** For 'delay': how long to hold the request before handling it normally (default 1000). */
  delayMs?: number;
  /** For 'error': the error code (e.g. OperationTimeoutException), status (default 400) and message. */
  code?: string;
  status?: number;
  message?: string;
  /** Handle the call, then apply the fault instead of sending its answer (Glue calls only). */
  after?: boolean;
  /** Apply to every n-th matching call only (default 1: each one); `count` counts applications. */
  every?: number;
}

export interface Fault extends Required<Pick<FaultSpec, 'operation' | 'kind'>> {
  id: number;
  remaining: number;
  delayMs: number;
  code?: string;
  status?: number;
  message?: string;
  after: boolean;
  every: number;
  /** Matching calls seen, for `every`. */
  seen: number;
}

export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null) throw new Error('a fault is a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v.operation !== 'string' || v.operation.length === 0)
    throw new Error("'operation' must be an operation name or '*'");
  if (typeof v.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(v.kind))
    throw new Error(`'kind' must be one of ${FAULT_KINDS.join(', ')}`);
  const int = (name: string, min: number, max: number): number | undefined => {
    const x = v[name];
    if (x === undefined) return undefined;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max)
      throw new Error(`'${name}' must be an integer from ${min} to ${max}`);
    return x;
  };
  const str = (name: string): string | undefined => {
    const x = v[name];
    if (x === undefined) return undefined;
    if (typeof x !== 'string') throw new Error(`'${name}' must be a string`);
    return x;
  };
  const bool = (name: string): boolean | undefined => {
    const x = v[name];
    if (x === undefined) return undefined;
    if (typeof x !== 'boolean') throw new Error(`'${name}' must be true or false`);
    return x;
  };
  const spec: FaultSpec = {
    operation: v.operation,
    kind: v.kind as FaultKind,
    count: int('count', 1, 1_000_000),
    delayMs: int('delayMs', 0, 600_000),
    code: str('code'),
    status: int('status', 400, 599),
    message: str('message'),
    after: bool('after'),
    every: int('every', 1, 1000),
  };
  if (spec.kind === 'error' && !spec.code) throw new Error("kind 'error' needs 'code'");
  return spec;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: this.nextId++,
      operation: spec.operation,
      kind: spec.kind,
      remaining: spec.count ?? 1,
      delayMs: spec.delayMs ?? 1000,
      code: spec.code,
      status: spec.status,
      message: spec.message,
      after: spec.after ?? false,
      every: spec.every ?? 1,
      seen: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the first fault that matches the operation, if any. */
  take(operation: string): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    const i = this.faults.findIndex((f) => f.operation === operation || f.operation === '*');
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.seen += 1;
    if (f.seen % f.every !== 0) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return { ...f };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

export interface CallRecord {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  service: 'glue' | 'sts' | 'iam' | 'unknown';
  operation: string;
  status: number;
  latencyMs: number;
  requestId: string;
  errorCode?: string;
  accessKeyId?: string;
  fault?: FaultKind;
  /** Answered ThrottlingException: by the --rate quota, or by a scripted fault. */
  throttled?: 'quota' | 'fault';
  /**
   * What was asked: for Glue the parsed JSON input (strings longer than REQUEST_STRING_MAX are
   * cut), for STS/IAM the form parameters without signatures, tokens or other secrets.
   */
  request?: Record<string, unknown>;
}

/** Longest string kept in a logged request (RunStatement Code may be 68,000 characters). */
export const REQUEST_STRING_MAX = 4096;

function truncated(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > REQUEST_STRING_MAX
      ? `${value.slice(0, REQUEST_STRING_MAX)}…(${value.length - REQUEST_STRING_MAX} more characters)`
      : value;
  if (Array.isArray(value)) return value.map(truncated);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, truncated(v));
    return out;
  }
  return value;
}

/** Sets a key as an own property, so a "__proto__" key in a request is data, not a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A Glue request body for the call log: its JSON object, or undefined when it is not one. */
export function glueRequestRecord(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return truncated(parsed) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Query parameters that are never logged: signing parameters and anything secret. */
const SECRET_PARAMETER = /^x-amz-|token|secret|signature|password|assertion|credential/i;

/** STS/IAM form parameters for the call log, without secrets (keys, tokens, signatures, MFA codes). */
export function queryRequestRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    if (SECRET_PARAMETER.test(k)) continue;
    setOwn(out, k, truncated(v) as string);
  }
  return out;
}

export const DEFAULT_KEEP_CALLS = 10_000;

/** The most recent `limit` calls, in a ring buffer (adding is O(1) however long the run). */
export class CallLog {
  private records: (CallRecord | undefined)[];
  /** Index the next record goes to. */
  private next = 0;
  private seq = 0;
  constructor(private readonly limit = DEFAULT_KEEP_CALLS) {
    this.records = new Array<CallRecord | undefined>(limit);
  }

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    const r = { seq: ++this.seq, ...record };
    this.records[this.next] = r;
    this.next = (this.next + 1) % this.limit;
    return r;
  }

  /** Kept calls with seq > since, oldest first. */
  list(since = 0): CallRecord[] {
    const out: CallRecord[] = [];
    for (let i = 0; i < this.limit; i++) {
      const r = this.records[(this.next + i) % this.limit];
      if (r !== undefined && r.seq > since) out.push(r);
    }
    return out;
  }

  clear(): void {
    this.records = new Array<CallRecord | undefined>(this.limit);
    this.next = 0;
  }
}
