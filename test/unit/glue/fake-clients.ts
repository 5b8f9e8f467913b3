// A scripted stand-in for the AWS clients: each Glue/STS/IAM command goes to a handler by
// operation name; no network. The SDK modules are the real ones (for the command classes).
import type { GlueClient } from '@aws-sdk/client-glue';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { loadSdk, type AwsClients, type AwsClientSettings } from '../../../src/session/glue/clients';

export type Handler = (input: Record<string, unknown>, options: { abortSignal?: AbortSignal }) => unknown;

export interface FakeAws {
  handlers: Record<string, Handler>;
  calls: { op: string; input: Record<string, unknown> }[];
  factory: (settings: AwsClientSettings) => AwsClients;
  destroyed: number;
  /** refreshCredentials() calls (after an expired-credentials error). */
  refreshed: number;
}

export function awsError(name: string, message = name, status = 400): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, { $metadata: { httpStatusCode: status } });
}

export function fakeAws(handlers: Record<string, Handler>): FakeAws {
  const fake: FakeAws = {
    handlers,
    calls: [],
    destroyed: 0,
    refreshed: 0,
    factory: () => undefined as unknown as AwsClients,
  };
  const send = async (
    command: { input: Record<string, unknown>; constructor: { name: string } },
    options: { abortSignal?: AbortSignal } = {},
  ) => {
    const op = command.constructor.name.replace(/Command$/, '');
    fake.calls.push({ op, input: command.input });
    const h = fake.handlers[op];
    if (!h) throw new Error(`fake: no handler for ${op}`);
    return h(command.input, options);
  };
  fake.factory = (settings) => ({
    settings,
    key: 'fake',
    // The clients only need send(); the cast is the point of a fake.
    glue: { send } as unknown as GlueClient,
    sts: { send } as unknown as STSClient,
    iam: { send } as unknown as IAMClient,
    sdk: loadSdk(),
    credentials: async () => ({ accessKeyId: 'AKIAFAKE', secretAccessKey: 'x' }),
    refreshCredentials: async () => void fake.refreshed++,
    destroy: () => void fake.destroyed++,
  });
  return fake;
}

export const silent = {
  lines: [] as string[],
  stream: () => undefined,
  info: (t: string) => void silent.lines.push(t),
  warn: (t: string) => void silent.lines.push(t),
  status: () => undefined,
  progress: () => undefined,
  endProgress: () => undefined,
};
