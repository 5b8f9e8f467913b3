// Issue 7.9: with a named profile and static keys in the environment, the AWS SDK prints a
// "Multiple credential sources" warning. The profile wins (as the README says), and the
// warning reaches neither the cell nor the kernel's stderr.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '../../../src/emulator';
import { emulatorKernelEnv } from '../../../src/notebook/backends';
import { startKernelProcess } from '../../../src/notebook/run-notebook';
import { runnerPython } from '../../helpers/tools';

test('a named profile wins over environment keys, and the SDK warning about it never shows', async () => {
  const emulator = await startEmulator({ python: runnerPython() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-credentials-'));
  let stderr = '';
  try {
    const keys = emulator.credentials[0];
    const credentialsFile = path.join(dir, 'credentials');
    fs.writeFileSync(
      credentialsFile,
      `[emu]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    const env = emulatorKernelEnv(process.env, emulator.endpoint, keys, emulator.region, emulator.accountId);
    // Keys the emulator does not know: if they were used, the first call would be refused.
    env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWNKEY000000';
    env.AWS_SECRET_ACCESS_KEY = 'not-the-emulator-secret';
    env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    env.glue_log_level = 'debug';
    const kernel = await startKernelProcess('pyspark', env, (text) => (stderr += text));
    try {
      const result = await kernel.client.execute('%profile emu\nprint("from the profile")');
      const cellText = JSON.stringify(result.outputs.map((m) => m.content));
      assert.equal((result.reply.content as { status: string }).status, 'ok', cellText);
      assert.match(cellText, /from the profile/);
      for (const text of [cellText, stderr]) {
        assert.doesNotMatch(text, /Multiple credential sources|defaultProvider::fromEnv WARNING/);
      }
    } finally {
      await kernel.stop();
    }
  } finally {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
