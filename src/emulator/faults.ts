// Scripted faults and the API-call log, for tests and benchmarks (driven by the admin path or
// in-process). A fault applies to the next N calls of one operation ('GetStatement',
// 'sts:AssumeRole', or '*' for any): throttle, fail with 500, an arbitrary service error,
// delay, or reset the connection.

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
}

export interface Fault extends Required<Pick<FaultSpec, 'operation' | 'kind'>> {
  id: number;
  remaining: number;
  delayMs: number;
  code?: string;
  status?: number;
  message?: string;
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
  const spec: FaultSpec = {
    operation: v.operation,
    kind: v.kind as FaultKind,
    count: int('count', 1, 1_000_000),
    delayMs: int('delayMs', 0, 600_000),
    code: str('code'),
    status: int('status', 400, 599),
    message: str('message'),
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
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;
  constructor(private readonly limit = 10_000) {}

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    const r = { seq: ++this.seq, ...record };
    this.records.push(r);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    return r;
  }

  list(since = 0): CallRecord[] {
    return this.records.filter((r) => r.seq > since);
  }

  clear(): void {
    this.records = [];
  }
}
