// The Jupyter messaging protocol (5.3) as a small library. Knows nothing of Glue.
export * from './interpreter';
export {
  CHANNELS,
  ConnectionFileError,
  ConnectionInfoSchema,
  channelAddress,
  channelPort,
  parseConnectionInfo,
  readConnectionFile,
  type ChannelName,
  type ConnectionInfo,
} from './connection';
export { Signer, hashOfScheme } from './signer';
export {
  DELIMITER,
  WireError,
  decodeMessage,
  encodeMessage,
  type DecodeResult,
  type WireErrorKind,
} from './wire';
export {
  MessageFactory,
  PROTOCOL_VERSION,
  parentMsgId,
  replyType,
  type BuildOptions,
  type JupyterMessage,
  type MessageHeader,
  type ParentHeader,
} from './messages';
export { SendQueue, SocketClosedError, type FrameSocket } from './socket-queue';
export {
  ExecutionHistory,
  globMatch,
  type HistoryEntry,
  type HistoryEntryWithOutput,
  type HistoryQuery,
} from './history';
export { codePointLength, codePointsToUtf16Index, utf16IndexToCodePoints } from './cursor';
export { InterruptedError, RequestTimeoutError, StdinNotAllowedError } from './errors';
export {
  KernelServer,
  type KernelServerOptions,
  type RequestChannel,
  type SentEvent,
  type ServerClosed,
} from './server';
export {
  KernelClient,
  type ExecuteOptions,
  type ExecuteResult,
  type KernelClientOptions,
  type RequestOptions,
} from './client';
export {
  installSignalHandlers,
  parentPidFromEnv,
  processExists,
  watchParent,
  type SignalHandlers,
  type WatchParentOptions,
} from './lifecycle';
export { describeError, silentLogger } from './logger';
