// Starting emulators for the integration tests: loopback only, a fixed credential pair, and
// every response recorded and checked against the model (contract.ts). stop() fails the test
// if any response broke the contract.
import * as http from 'node:http';
import { GlueClient } from '@aws-sdk/client-glue';
import {
  startEmulator,
  type EmulatorOptions,
  type ResponseRecord,
  type RunningEmulator,
} from '../../../src/emulator';
import { checkResponse } from './contract';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export const ROLE = 'arn:aws:iam::123456789012:role/GlueRole';
export const CREDS = { accessKeyId: 'AKIAEMULATORTEST0001', secretAccessKey: 'emulator-test-secret-0001' };

export interface TestEmulator extends RunningEmulator {
  responses: ResponseRecord[];
  violations: string[];
  glue(over?: Partial<ConstructorParameters<typeof GlueClient>[0]>): GlueClient;
}

const clients: GlueClient[] = [];

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const responses: ResponseRecord[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    credentials: [CREDS],
    ...options,
    onResponse: (r) => {
      responses.push(r);
      violations.push(...checkResponse(r));
      options.onResponse?.(r);
    },
  });
  const stop = emu.stop;
  return Object.assign(emu, {
    responses,
    violations,
    glue: (over: Partial<ConstructorParameters<typeof GlueClient>[0]> = {}) => {
      const c = new GlueClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDS, ...over });
      clients.push(c);
      return c;
    },
    stop: async () => {
      for (const c of clients.splice(0)) c.destroy();
      await stop();
      if (violations.length > 0)
        throw new Error(`responses broke the Glue model contract:\n${violations.join('\n')}`);
    },
  });
}

/** A plain HTTP request on loopback; for raw protocol and admin-path checks. */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** An admin-path call with the emulator's admin token (`token: null` sends none). */
export async function admin(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emu.adminToken,
): Promise<{ status: number; json: unknown }> {
  const r = await rawRequest(`${emu.endpoint}/_emulator/${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = r.body;
  }
  return { status: r.status, json };
}
