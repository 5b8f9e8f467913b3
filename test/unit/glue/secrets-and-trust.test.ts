// Secrets and trust: every secret the kernel learns is masked whatever its shape; kernel.json
// with a secret in its env is readable by its owner only; unsafe endpoints and TLS settings
// are named.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { installKernelSpecs, secretEnvNames } from '../../../src/cli/kernelspec';
import { createLogger, Redactor, redactor, registerEnvironmentSecrets } from '../../../src/log/logger';
import { memoizeCredentials } from '../../../src/session/glue/clients';
import { endpointTrustWarnings } from '../../../src/session/glue/endpoint-trust';

test('secret-named environment values are masked, whatever their shape; other values are not', () => {
  const r = new Redactor();
  registerEnvironmentSecrets(
    {
      GLUE_EMULATOR_ADMIN_TOKEN: 'adm-short-1',
      AWS_SECRET_ACCESS_KEY: 'emu/secret',
      AWS_SESSION_TOKEN: 'tok-2',
      AWS_REGION: 'us-east-1',
    },
    r,
  );
  const out = r.redact('adm-short-1 emu/secret tok-2 us-east-1');
  assert.equal(out, '*** *** *** us-east-1');
});

test('credentials fetched by a provider are registered with the log redactor', async () => {
  const lines: string[] = [];
  const logger = createLogger('debug', 'test', (line) => lines.push(line));
  const provider = memoizeCredentials(async () => ({
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'short-secret-9',
    sessionToken: 'short-token-9',
  }));
  await provider();
  logger.warn('signed with short-secret-9 and short-token-9');
  assert.doesNotMatch(lines.join(''), /short-secret-9|short-token-9/);
  assert.ok(redactor.redact('short-token-9') === '***');
});

test(
  'install --env with a secret writes kernel.json readable by its owner only',
  { skip: process.platform === 'win32' },
  () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-spec-'));
    try {
      assert.deepEqual(secretEnvNames({ AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'y' }), [
        'AWS_SECRET_ACCESS_KEY',
      ]);
      const env = { JUPYTER_DATA_DIR: path.join(prefix, 'data') };
      const open = installKernelSpecs({ kind: 'prefix', dir: prefix }, { AWS_REGION: 'us-east-1' }, env);
      for (const spec of open)
        assert.equal(fs.statSync(path.join(spec.dir, 'kernel.json')).mode & 0o777, 0o644);
      const secret = installKernelSpecs({ kind: 'prefix', dir: prefix }, { AWS_SECRET_ACCESS_KEY: 's' }, env);
      for (const spec of secret) {
        assert.equal(spec.private, true);
        assert.equal(fs.statSync(path.join(spec.dir, 'kernel.json')).mode & 0o777, 0o600, spec.dir);
      }
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  },
);

test('plain http to another host, link-local addresses and NODE_TLS_REJECT_UNAUTHORIZED=0 are named', () => {
  assert.deepEqual(endpointTrustWarnings('http://127.0.0.1:8080', {}), []);
  assert.deepEqual(endpointTrustWarnings('http://localhost:8080', {}), []);
  assert.deepEqual(endpointTrustWarnings('https://glue.us-east-1.amazonaws.com', {}), []);
  assert.deepEqual(endpointTrustWarnings(undefined, {}), []);
  const [http] = endpointTrustWarnings('http://10.1.2.3:8080', {});
  assert.match(http, /http:\/\/10\.1\.2\.3:8080 is plain http to another host/);
  const [linkLocal] = endpointTrustWarnings('https://169.254.169.254', {});
  assert.match(linkLocal, /link-local address/);
  const [tls] = endpointTrustWarnings(undefined, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
  assert.match(tls, /NODE_TLS_REJECT_UNAUTHORIZED=0 is set: TLS certificates are not checked/);
});
