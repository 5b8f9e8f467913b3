// The receive loop both ends of the protocol run on each socket: decode and verify every
// message, drop (and log) what is invalid, hand the rest on, and never let one bad message
// or handler end the loop.
import type { ChannelName } from './connection';
import type { ProtocolLogger } from './interpreter';
import { describeError } from './logger';
import type { JupyterMessage } from './messages';
import type { SignatureHistory } from './replay';
import type { Signer } from './signer';
import { decodeMessage } from './wire';

export interface ReceiveLoopOptions {
  channel: ChannelName;
  signer: Signer;
  logger: ProtocolLogger;
  /** True while the owner is closing: a failing socket is then expected, not an error. */
  closing: () => boolean;
  /** Signatures already accepted (shared by the loops of one kernel): replays are dropped. */
  replays?: SignatureHistory;
}

export async function receiveMessages(
  socket: AsyncIterable<Buffer[]>,
  onMessage: (message: JupyterMessage) => void,
  { channel, signer, logger, closing, replays }: ReceiveLoopOptions,
): Promise<void> {
  try {
    for await (const frames of socket) {
      const decoded = decodeMessage(frames, signer, replays);
      if (!decoded.ok && decoded.error.kind === 'duplicate-signature') {
        // Logged once per kernel: a flood of replays must not become a flood of log lines.
        if (replays?.duplicates === 1)
          logger.warn(
            'dropped a replayed message (its signature was seen before); further replays are dropped silently',
            {
              channel,
              msg_type: decoded.error.msgType ?? null,
            },
          );
        continue;
      }
      if (!decoded.ok) {
        // Never log the frames: the signature and contents stay out of logs.
        logger.warn('dropped an invalid message', {
          channel,
          reason: decoded.error.kind,
          msg_type: decoded.error.msgType ?? null,
        });
        continue;
      }
      try {
        onMessage(decoded.message);
      } catch (error) {
        logger.error('message handler failed', {
          channel,
          msg_type: decoded.message.header.msg_type,
          error: describeError(error),
        });
      }
    }
  } catch (error) {
    if (!closing()) logger.error('receive loop failed', { channel, error: describeError(error) });
  }
}
