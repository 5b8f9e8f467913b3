// The SDK keeps only modeled members, so GetStatement's Output.Data loses MimeType, Result,
// StdOut and StdErr (the extended output the reference kernel renders: %matplot images,
// rich results). Two middlewares get them back (glue-api.md, Appendix):
//  - one in the deserialize step, after the SDK's deserializer (so inside it): it sees the raw
//    HTTP response, buffers the body, hands the deserializer the same bytes, and keeps the text
//    on the middleware context;
//  - one in the initialize step (outermost): after the command finishes, it merges the extended
//    fields from the kept raw JSON into the deserialized Statement.Output.Data.
// The merge itself is a pure function, tested on its own.
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeMiddleware,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import type { StatementOutput, StatementOutputData } from '../../runner/statement-output';

/** Extended Data keys the public model lacks. */
export const EXTENDED_DATA_KEYS = ['MimeType', 'Result', 'StdOut', 'StdErr'] as const;

const RAW_KEY = 'glueKernelRawBody';
const CAPTURED_COMMANDS = new Set(['GetStatementCommand']);

interface RawContext extends HandlerExecutionContext {
  [RAW_KEY]?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The statement's Output.Data from a raw GetStatement body, if the body is JSON and has one. */
export function rawStatementData(rawBody: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.Statement) || !isRecord(parsed.Statement.Output))
    return undefined;
  const data = parsed.Statement.Output.Data;
  return isRecord(data) ? data : undefined;
}

/**
 * Merges the extended Data fields of the raw body into a modeled StatementOutput. Only string
 * values are taken; modeled fields win (they are the same values, already parsed). Returns a new
 * object; the input is not changed. When the raw body has nothing extra, returns the input.
 */
export function mergeRawOutput(
  modeled: StatementOutput | undefined,
  rawBody: string | undefined,
): StatementOutput | undefined {
  if (rawBody === undefined) return modeled;
  const raw = rawStatementData(rawBody);
  if (!raw) return modeled;
  const extra: StatementOutputData = {};
  let found = false;
  for (const key of EXTENDED_DATA_KEYS) {
    const v = raw[key];
    if (typeof v === 'string') {
      extra[key] = v;
      found = true;
    }
  }
  if (!found) return modeled;
  const base: StatementOutput = modeled ?? {};
  return { ...base, Data: { ...extra, ...(base.Data ?? {}) } };
}

function capture(): DeserializeMiddleware<object, MetadataBearer> {
  return (next: DeserializeHandler<object, MetadataBearer>, context: RawContext) =>
    async (args: DeserializeHandlerArguments<object>) => {
      const result = await next(args);
      if (!CAPTURED_COMMANDS.has(context.commandName ?? '')) return result;
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response?.statusCode !== 200 || response.body === undefined) return result;
      const bytes = await collect(response.body);
      if (bytes === undefined) return result;
      // The deserializer reads the body again: give it the same bytes (a Uint8Array is accepted as is).
      response.body = bytes;
      context[RAW_KEY] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      return result;
    };
}

async function collect(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (
    isRecord(body) &&
    typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  ) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  return undefined;
}

function merge(): InitializeMiddleware<object, MetadataBearer> {
  return (next: InitializeHandler<object, MetadataBearer>, context: RawContext) =>
    async (args: InitializeHandlerArguments<object>) => {
      const result = await next(args);
      const raw = context[RAW_KEY];
      if (raw === undefined) return result;
      const output = result.output as { Statement?: { Output?: StatementOutput } };
      if (output.Statement) {
        const merged = mergeRawOutput(output.Statement.Output, raw);
        if (merged !== undefined) output.Statement.Output = merged;
      }
      return result;
    };
}

/** A client plugin that restores the extended GetStatement output fields. */
export const rawStatementOutputPlugin: Pluggable<object, MetadataBearer> = {
  applyToStack(stack) {
    stack.addRelativeTo(capture(), {
      name: 'glueKernelCaptureRawBody',
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
      override: true,
    });
    stack.add(merge(), { name: 'glueKernelMergeRawOutput', step: 'initialize', override: true });
  },
};
