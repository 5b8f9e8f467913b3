// The kernel's status display in a real JupyterLab 4 (Chromium) on the Glue API emulator: the
// session and statement lines, a progress bar set through the emulator's admin path, the Spark UI
// line, and %status with DPU-seconds and cost. Screenshots are kept in .test-tmp/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startEmulator } from '../../../src/emulator';
import { emulatorKernelEnv } from '../../../src/notebook/backends';
import {
  chromiumExecutable,
  jupyterLabExecutable,
  launchChromium,
  startJupyterLab,
  type JupyterLab,
} from '../../helpers/jupyterlab';
import { notebookOf, outputs, step, waitForExecuted } from '../../helpers/jupyterlab-notebook';
import { installedKernelEnv } from '../../helpers/kernel-env';
import { need, REPO_ROOT, runnerPython } from '../../helpers/tools';

/** Where the status screenshots are kept, next to the test output (.test-tmp is ignored by git). */
const SCREENSHOTS = path.join(REPO_ROOT, '.test-tmp', 'screenshots');

test('JupyterLab 4 in Chromium on the emulator: two status lines, a progress bar, the Spark UI line', async (t) => {
  const lab = need(t, jupyterLabExecutable(), 'JupyterLab 4 in .venv-lab (bash scripts/setup-test-env.sh)');
  if (!lab) return;
  const chromiumPath = need(t, chromiumExecutable(), "Debian's chromium (apt-get install chromium)");
  if (!chromiumPath) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const emulator = await startEmulator({ python: runnerPython(), provisionMs: 3000 });
  const [creds] = emulator.credentials;
  const kernelEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(
    emulatorKernelEnv({}, emulator.endpoint, creds, emulator.region, emulator.accountId),
  ))
    if (typeof v === 'string') kernelEnv[k] = v;
  kernelEnv.glue_idle_timeout = '30';
  const kernels = installedKernelEnv(kernelEnv, 'glue');
  let server: JupyterLab | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let failed = true;
  try {
    const env: NodeJS.ProcessEnv = { HOME: kernels.dir };
    // The developer's own AWS settings must not reach the kernel: the kernelspec has the emulator's.
    for (const [k, v] of Object.entries(kernels.env)) if (!/^(AWS_|glue_|GLUE_)/.test(k)) env[k] = v;
    env.glue_log_level = 'warn';
    server = await startJupyterLab(lab, { env });
    browser = await launchChromium(chromiumPath);
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.setDefaultTimeout(30_000);
    const p = page;
    const nb = notebookOf(p);
    await p.goto(server.labUrl);
    await p.locator('.jp-LauncherCard[data-category="Notebook"][title="Glue PySpark"]').click();
    await nb.panel.waitFor();
    await nb.idle();

    const cell = await nb.start(0, 'import time\ntime.sleep(8)\nprint("slept")');
    const plain = cell.locator('.jp-OutputArea-output[data-mime-type="text/plain"]');
    await step(t, 'the session line ticks while provisioning', async () => {
      await plain
        .filter({ hasText: /PROVISIONING, [1-9] s elapsed/ })
        .first()
        .waitFor({ timeout: 20_000 });
      await p.screenshot({ path: path.join(SCREENSHOTS, 'status-provisioning.png') });
    });
    await step(t, 'a Progress set through the admin path shows as a bar under the session line', async () => {
      await plain
        .filter({ hasText: /In \[1\]: RUNNING/ })
        .first()
        .waitFor({ timeout: 20_000 });
      const sessions = (await (await fetch(`${emulator.endpoint}/_emulator/sessions`)).json()) as {
        sessions: { id: string; running?: number }[];
      };
      const s = sessions.sessions.find((x) => x.running !== undefined);
      assert.ok(s, 'a statement is running');
      const res = await fetch(
        `${emulator.endpoint}/_emulator/sessions/${s.id}/statements/${s.running}/progress`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.adminToken}` },
          body: '{"progress": 0.6}',
        },
      );
      assert.equal(res.status, 200);
      const bar = plain.filter({ hasText: /\[█{12}░{8}\] 60%/ }).first();
      await bar.waitFor({ timeout: 10_000 });
      const texts = await plain.allInnerTexts();
      assert.match(texts[0], /^Session \S+ has been created \(ready after \d+ s\)\.$/, texts.join('\n'));
      assert.match(texts[1], /^In \[1\]: RUNNING \[█{12}░{8}\] 60%, \d+ s elapsed$/, texts.join('\n'));
      await p.screenshot({ path: path.join(SCREENSHOTS, 'status-progress-bar.png') });
    });
    await step(t, 'the Spark UI line, then the statement time alone', async () => {
      await waitForExecuted(cell, 30_000);
      const stdout = outputs(cell, 'application/vnd.jupyter.stdout');
      const all = (await stdout.allInnerTexts()).join('');
      assert.equal(all.match(/Spark UI: http:\/\/127\.0\.0\.1:\d+\/_dashboard\//g)?.length, 1, all);
      assert.match(
        all,
        /Endpoint: http:\/\/127\.0\.0\.1:\d+ \(a local endpoint such as the glue-kernel emulator/,
      );
      const finished = plain.filter({ hasText: /^In \[1\]: Statement finished in \d+\.\d s\.$/ });
      await finished.first().waitFor();
      const seconds = Number(/in (\d+\.\d) s/.exec(await finished.first().innerText())?.[1]);
      assert.ok(seconds >= 8 && seconds < 10.5, `the statement alone: ${seconds} s`);
      await p.screenshot({ path: path.join(SCREENSHOTS, 'status-finished.png') });
    });
    await step(t, '%status shows DPU-seconds and an estimated cost', async () => {
      const { cell: status } = await nb.run(1, '%status');
      const text = (await outputs(status, 'application/vnd.jupyter.stdout').allInnerTexts()).join('');
      assert.match(text, /DPU-seconds\s+\d+\.\d/);
      assert.match(text, /Estimated Cost\s+\$\d/);
      await p.screenshot({ path: path.join(SCREENSHOTS, 'status-magic.png') });
    });
    t.diagnostic(`screenshots: ${SCREENSHOTS}`);
    failed = false;
  } finally {
    if (failed && page)
      await page
        .screenshot({ path: path.join(SCREENSHOTS, 'status-failure.png'), fullPage: true })
        .catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (server) await server.stop();
    kernels.cleanup();
    await emulator.stop();
  }
});
