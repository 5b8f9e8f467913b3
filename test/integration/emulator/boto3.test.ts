// boto3 (Python) drives the emulator through a full lifecycle, the error cases, SigV4 and STS.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { boto3Python, need, REPO_ROOT, runnerPython } from '../../helpers/tools';
import { CREDS, ROLE, startTestEmulator, type TestEmulator } from './harness';

const SCRIPT = path.join(REPO_ROOT, 'test', 'integration', 'emulator', 'boto3_lifecycle.py');

function runPython(
  python: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
    for (const k of Object.keys(env))
      if (k.startsWith('AWS_ENDPOINT_URL') || k === 'AWS_PROFILE') delete env[k];
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let emu: TestEmulator;
before(async () => {
  emu = await startTestEmulator({ python: runnerPython(), provisionMs: 50 });
});
after(async () => emu.stop());

describe('boto3 against the emulator', () => {
  it('runs the lifecycle, the error cases, SigV4 and STS/IAM', async (t) => {
    const python = need(t, boto3Python(), 'A Python with boto3');
    if (!python) return;
    const r = await runPython(python, [SCRIPT, emu.endpoint, CREDS.accessKeyId, CREDS.secretAccessKey]);
    assert.equal(r.code, 0, `boto3 script failed:\n${r.stderr}\n${r.stdout}`);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.ok((seen.cancel_seconds as number) < 2);
    assert.equal(seen.caller, `arn:aws:iam::${emu.accountId}:user/emulator`);
    assert.equal(seen.assumed, `arn:aws:sts::${emu.accountId}:assumed-role/GlueRole/boto3-test`);
    assert.equal(seen.role, ROLE);
    // boto3 signs without x-amz-content-sha256 and with its own header set: every call was verified.
    const calls = emu.admin.calls();
    assert.ok(calls.some((c) => c.operation === 'sts:AssumeRole' && c.status === 200));
    assert.ok(calls.filter((c) => c.errorCode === 'InvalidSignatureException').length === 1);
  });
});
