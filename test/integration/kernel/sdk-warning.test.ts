// The AWS SDK prints a Node-version notice on Node 20; it is for this package's developers,
// so it must reach neither the notebook nor the kernel's log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '../../../src/emulator';
import { emulatorKernelEnv } from '../../../src/notebook/backends';
import { startKernelProcess } from '../../../src/notebook/run-notebook';
import { runnerPython } from '../../helpers/tools';

test('the AWS SDK Node-version warning reaches neither the cell nor the kernel log', async () => {
  const emulator = await startEmulator({ python: runnerPython() });
  let stderr = '';
  try {
    const env = emulatorKernelEnv(
      process.env,
      emulator.endpoint,
      emulator.credentials[0],
      emulator.region,
      emulator.accountId,
    );
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    env.glue_log_level = 'debug';
    const kernel = await startKernelProcess('pyspark', env, (text) => (stderr += text));
    try {
      const result = await kernel.client.execute('print("hi")');
      assert.equal((result.reply.content as { status: string }).status, 'ok');
      const cellText = JSON.stringify(result.outputs.map((m) => m.content));
      assert.match(cellText, /hi/);
      for (const text of [cellText, stderr])
        assert.doesNotMatch(text, /NodeVersionSupport|node >=\s*22|require node/i);
    } finally {
      await kernel.stop();
    }
  } finally {
    await emulator.stop();
  }
});
