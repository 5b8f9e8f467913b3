// Multipart frames ⇄ messages (messaging spec, "The Wire Protocol"):
//   [ident…, "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffer…]
// Decoding never throws: a malformed or badly signed message becomes a typed WireError so the
// receive loop can log it (msg_type only) and carry on.
import { z } from 'zod';
import type { JsonObject } from './interpreter';
import type { JupyterMessage, MessageHeader, ParentHeader } from './messages';
import type { SignatureHistory } from './replay';
import type { Signer } from './signer';

export const DELIMITER = '<IDS|MSG>';
const DELIMITER_BYTES = Buffer.from(DELIMITER, 'ascii');

export type WireErrorKind =
  'no-delimiter' | 'too-few-frames' | 'bad-signature' | 'duplicate-signature' | 'bad-json' | 'bad-header';

export class WireError extends Error {
  constructor(
    readonly kind: WireErrorKind,
    message: string,
    /** The msg_type when the header could be read (for logging only; the message was not trusted). */
    readonly msgType?: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export type DecodeResult<C extends object = JsonObject> =
  { ok: true; message: JupyterMessage<C> } | { ok: false; error: WireError };

const HeaderSchema = z.looseObject({
  msg_id: z.string().min(1),
  msg_type: z.string().min(1),
  session: z.string(),
  username: z.string(),
  date: z.string(),
  version: z.string().optional(),
});

function parseObject(frame: Buffer): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(frame.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes and verifies one multipart message. With a signature history (and signing on), a
 * message whose signature was seen before is a 'duplicate-signature' error: a replay.
 */
export function decodeMessage(
  frames: readonly Buffer[],
  signer: Signer,
  history?: SignatureHistory,
): DecodeResult {
  const at = frames.findIndex((frame) => frame.equals(DELIMITER_BYTES));
  if (at < 0) return { ok: false, error: new WireError('no-delimiter', 'no <IDS|MSG> delimiter frame') };
  if (frames.length < at + 6) {
    return {
      ok: false,
      error: new WireError(
        'too-few-frames',
        `expected 5 frames after the delimiter, got ${frames.length - at - 1}`,
      ),
    };
  }
  const signature = frames[at + 1];
  const signed = frames.slice(at + 2, at + 6);
  const [headerFrame, parentFrame, metadataFrame, contentFrame] = signed;

  // Read the header before checking the signature only to name the msg_type in logs.
  const rawHeader = parseObject(headerFrame);
  const header = rawHeader === undefined ? undefined : HeaderSchema.safeParse(rawHeader);
  const msgType = typeof rawHeader?.msg_type === 'string' ? rawHeader.msg_type : undefined;

  if (!signer.verify(signature, signed)) {
    return { ok: false, error: new WireError('bad-signature', 'bad or missing HMAC signature', msgType) };
  }
  // Only verified signatures enter the history, so forged messages cannot push real ones out.
  if (signer.enabled && history && !history.accept(signature.toString('latin1'))) {
    return {
      ok: false,
      error: new WireError(
        'duplicate-signature',
        'a message with this signature was already received',
        msgType,
      ),
    };
  }
  if (rawHeader === undefined)
    return { ok: false, error: new WireError('bad-json', 'header is not a JSON object') };
  if (header === undefined || !header.success) {
    const fields =
      header?.success === false ? header.error.issues.map((i) => i.path.join('.')).join(', ') : '';
    return {
      ok: false,
      error: new WireError('bad-header', `header is missing or has bad fields: ${fields}`, msgType),
    };
  }
  const parent = parseObject(parentFrame);
  const metadata = parseObject(metadataFrame);
  const content = parseObject(contentFrame);
  if (parent === undefined || metadata === undefined || content === undefined) {
    const which = parent === undefined ? 'parent_header' : metadata === undefined ? 'metadata' : 'content';
    return { ok: false, error: new WireError('bad-json', `${which} is not a JSON object`, msgType) };
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, at),
      header: header.data as MessageHeader,
      parent_header: parent as ParentHeader,
      metadata,
      content,
      buffers: frames.slice(at + 6),
    },
  };
}

/** Serialises and signs a message into frames ready for `socket.send`. */
export function encodeMessage(message: JupyterMessage<object>, signer: Signer): Buffer[] {
  const signed = [
    Buffer.from(JSON.stringify(message.header), 'utf8'),
    Buffer.from(JSON.stringify(message.parent_header), 'utf8'),
    Buffer.from(JSON.stringify(message.metadata), 'utf8'),
    Buffer.from(JSON.stringify(message.content), 'utf8'),
  ];
  return [
    ...message.identities,
    DELIMITER_BYTES,
    Buffer.from(signer.sign(signed), 'ascii'),
    ...signed,
    ...message.buffers,
  ];
}
