// Signs requests with the AWS SDK's own SigV4 signer (@smithy/signature-v4), so the emulator's
// verifier is tested against an independent implementation, not against itself.
import * as crypto from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

class Sha256 {
  private readonly hash: crypto.Hash | crypto.Hmac;
  constructor(secret?: SourceData) {
    this.hash =
      secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

export interface SignInput {
  method?: string;
  host: string; // host[:port]
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  service: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  date?: Date;
  /** Add x-amz-content-sha256 as the JS SDK does (boto3 does not). */
  contentSha256?: boolean;
}

export async function smithySign(input: SignInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: input.service,
    region: input.region ?? 'us-east-1',
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      sessionToken: input.sessionToken,
    },
    sha256: Sha256,
    applyChecksum: input.contentSha256 === true,
  });
  const [hostname, port] = input.host.split(':');
  const headers: Record<string, string> = { host: input.host, ...(input.headers ?? {}) };
  const signed = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: 'http:',
      hostname,
      port: port ? Number(port) : undefined,
      path: input.path ?? '/',
      query: input.query ?? {},
      headers,
      body: input.body,
    },
    { signingDate: input.date ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}

/** Node-style rawHeaders from a header record. */
export function rawHeaders(headers: Record<string, string>): string[] {
  return Object.entries(headers).flat();
}
