// The response contract: every body the emulator sends is checked against the Glue service
// model's output shapes (successes) or the operation's error list (errors), and STS/IAM XML
// against the query protocol's envelope. Every integration test starts its emulator through
// harness.ts, which runs each response through checkResponse() and fails the test on a violation.
import { COMMON_ERRORS, GLUE_MODEL, isGlueOperation } from '../../../src/emulator/model';
import type { ResponseRecord } from '../../../src/emulator';
import { validateShape } from '../../../src/emulator/validate';

const ERROR_KEYS = new Set(['__type', 'Message', 'message', 'FromFederationSource']);
const MS_2020 = 1577836800000;
const MS_2100 = 4102444800000;

function statementTimes(statement: Record<string, unknown>, where: string, out: string[]): void {
  for (const key of ['StartedOn', 'CompletedOn']) {
    const v = statement[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < MS_2020 || v > MS_2100))
      out.push(`${where}.${key} = ${String(v)} is not an integer epoch-milliseconds time`);
  }
  const state = statement.State;
  if (['AVAILABLE', 'CANCELLED', 'ERROR'].includes(String(state)) && statement.Output === undefined)
    out.push(
      `${where}: a terminal statement (${String(state)}) must carry Output (the reference kernel reads it unguarded)`,
    );
}

/** Returns the violations of one response (empty when it honours the contract). */
export function checkResponse(r: ResponseRecord): string[] {
  const out: string[] = [];
  const where = `${r.service}:${r.operation} ${r.status}`;
  if (!/^[0-9a-f-]{36}$/.test(r.requestId)) out.push(`${where}: request id ${r.requestId}`);
  if (r.service === 'sts' || r.service === 'iam') {
    if (r.contentType !== 'text/xml') out.push(`${where}: content-type ${r.contentType}`);
    const action = r.operation.split(':')[1];
    const root = r.status === 200 ? `<${action}Response xmlns=` : '<ErrorResponse xmlns=';
    if (!r.body.startsWith(root)) out.push(`${where}: body does not start with ${root}`);
    if (r.status === 200 && !r.body.includes('<RequestId>')) out.push(`${where}: no RequestId`);
    return out;
  }
  if (r.contentType !== 'application/x-amz-json-1.1') out.push(`${where}: content-type ${r.contentType}`);
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return [...out, `${where}: body is not JSON: ${r.body.slice(0, 200)}`];
  }
  if (r.status === 200) {
    if (!isGlueOperation(r.operation)) return [...out, `${where}: 200 for an unknown operation`];
    const shape = GLUE_MODEL.operations[r.operation].output;
    if (!shape) return out;
    for (const v of validateShape(shape, body, { mode: 'output' })) out.push(`${where}: ${v.message}`);
    const b = body as { Statement?: Record<string, unknown>; Statements?: Record<string, unknown>[] };
    if (b.Statement) statementTimes(b.Statement, 'Statement', out);
    for (const [i, s] of (b.Statements ?? []).entries()) statementTimes(s, `Statements[${i}]`, out);
    return out;
  }
  const e = body as Record<string, unknown>;
  const code = e.__type;
  if (typeof code !== 'string') return [...out, `${where}: error without __type`];
  const message = e.Message ?? e.message;
  if (typeof message !== 'string' || message.length === 0)
    out.push(`${where}: error ${code} without a message`);
  for (const k of Object.keys(e))
    if (!ERROR_KEYS.has(k)) out.push(`${where}: error member ${k} is not in the model`);
  const modeled = isGlueOperation(r.operation) ? GLUE_MODEL.operations[r.operation].errors : [];
  if (!modeled.includes(code) && !COMMON_ERRORS.includes(code))
    out.push(`${where}: ${code} is not an error of ${r.operation}`);
  const shape = GLUE_MODEL.shapes[code];
  if (shape?.exception) {
    const expected = shape.fault ? 500 : 400;
    if (r.status !== expected && !(code === 'ThrottlingException' || code === 'InternalServiceException'))
      out.push(`${where}: ${code} should be HTTP ${expected}`);
  }
  return out;
}
