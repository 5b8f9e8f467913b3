// The connection file a Jupyter frontend writes and passes to the kernel (kernels.rst "Connection files").
import * as fs from 'node:fs/promises';
import { z } from 'zod';
import { hashOfScheme } from './signer';

export type ChannelName = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb';
export const CHANNELS: readonly ChannelName[] = ['shell', 'iopub', 'stdin', 'control', 'hb'];

/** Port 0 asks the server to bind an ephemeral tcp port (see `KernelServer.connection`). */
const port = z.number().int().min(0).max(65535);

export const ConnectionInfoSchema = z.object({
  transport: z.enum(['tcp', 'ipc']).default('tcp'),
  ip: z.string().min(1),
  shell_port: port,
  iopub_port: port,
  stdin_port: port,
  control_port: port,
  hb_port: port,
  key: z.string(),
  signature_scheme: z
    .string()
    .default('hmac-sha256')
    .superRefine((scheme, ctx) => {
      try {
        hashOfScheme(scheme);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  kernel_name: z.string().optional(),
});

export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

/** A connection file that cannot be read or does not describe a connection. Never carries the key. */
export class ConnectionFileError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'ConnectionFileError';
  }
}

/** Validates parsed connection-file JSON. Throws ConnectionFileError listing every problem. */
export function parseConnectionInfo(value: unknown): ConnectionInfo {
  const result = ConnectionInfoSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(file)';
      return `${where}: ${issue.message}`;
    });
    throw new ConnectionFileError('invalid connection file', issues);
  }
  return result.data;
}

/** Reads and validates a connection file. */
export async function readConnectionFile(file: string): Promise<ConnectionInfo> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConnectionFileError(`cannot read connection file ${file} (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConnectionFileError(`connection file ${file} is not valid JSON`);
  }
  return parseConnectionInfo(json);
}

export function channelPort(info: ConnectionInfo, channel: ChannelName): number {
  switch (channel) {
    case 'shell':
      return info.shell_port;
    case 'iopub':
      return info.iopub_port;
    case 'stdin':
      return info.stdin_port;
    case 'control':
      return info.control_port;
    case 'hb':
      return info.hb_port;
  }
}

/** `tcp://ip:port`, or `ipc://ip-port` for the ipc transport (as jupyter_client's connect.py builds it). */
export function channelAddress(info: ConnectionInfo, channel: ChannelName, portOverride?: number): string {
  const p = portOverride ?? channelPort(info, channel);
  return info.transport === 'ipc' ? `ipc://${info.ip}-${p}` : `tcp://${info.ip}:${p}`;
}
