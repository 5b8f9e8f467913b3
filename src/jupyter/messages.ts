// Message types and builders (messaging spec, "General Message Format").
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import type { JsonObject } from './interpreter';

/** The protocol version we speak and put in every header (jupyter_client 7.4 speaks 5.3). */
export const PROTOCOL_VERSION = '5.3';

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  /** Always set on messages we build; a protocol-4 peer may omit it. */
  version?: string;
  [key: string]: unknown;
}

/** The header of the message that caused this one, or `{}` when there is none. */
export type ParentHeader = MessageHeader | Record<string, never>;

/** A decoded (or about to be encoded) Jupyter message. */
export interface JupyterMessage<C extends object = JsonObject> {
  /** ROUTER routing ids (requests/replies) or the topic (IOPub); everything before `<IDS|MSG>`. */
  identities: Buffer[];
  header: MessageHeader;
  parent_header: ParentHeader;
  metadata: JsonObject;
  content: C;
  /** Binary frames after the content (comms, widgets). Not signed. */
  buffers: Buffer[];
}

export interface BuildOptions {
  parent?: ParentHeader;
  identities?: Buffer[];
  metadata?: JsonObject;
  buffers?: Buffer[];
}

/** Builds headers and messages for one side of a connection (a kernel process or a client). */
export class MessageFactory {
  /** Our own session id: one per process (kernel) or per client. */
  readonly session: string;
  readonly username: string;

  constructor(options: { session?: string; username?: string } = {}) {
    this.session = options.session ?? crypto.randomUUID();
    this.username = options.username ?? defaultUsername();
  }

  /** A fresh header: new uuid msg_id (jupyter_client rejects repeated signatures), ISO date, version 5.3. */
  header(msgType: string): MessageHeader {
    return {
      msg_id: crypto.randomUUID(),
      msg_type: msgType,
      session: this.session,
      username: this.username,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    };
  }

  message<C extends object>(msgType: string, content: C, options: BuildOptions = {}): JupyterMessage<C> {
    return {
      identities: options.identities ?? [],
      header: this.header(msgType),
      parent_header: options.parent ?? {},
      metadata: options.metadata ?? {},
      content,
      buffers: options.buffers ?? [],
    };
  }

  /** A reply to `request`: `<action>_reply`, same routing ids, request header as parent. */
  reply<C extends object>(
    request: JupyterMessage<object>,
    content: C,
    metadata: JsonObject = {},
  ): JupyterMessage<C> {
    return this.message(replyType(request.header.msg_type), content, {
      parent: request.header,
      identities: request.identities,
      metadata,
    });
  }
}

/** `execute_request` → `execute_reply`. */
export function replyType(requestType: string): string {
  return requestType.endsWith('_request')
    ? `${requestType.slice(0, -'_request'.length)}_reply`
    : `${requestType}_reply`;
}

function defaultUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'kernel';
  }
}

/** The parent's msg_id, or undefined when there is no parent. */
export function parentMsgId(message: JupyterMessage<object>): string | undefined {
  const id = (message.parent_header as Partial<MessageHeader>).msg_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
