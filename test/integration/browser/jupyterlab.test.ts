// The kernel in a real JupyterLab 4, driven through Debian's Chromium the way a data engineer
// uses it: pick "Glue PySpark" in the launcher, type cells, run them with Shift+Enter, read the
// rendered outputs, press the toolbar's Stop button, complete a magic with Tab.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumExecutable,
  jupyterLabExecutable,
  launchChromium,
  startJupyterLab,
  type JupyterLab,
} from '../../helpers/jupyterlab';
import { notebookOf, outputs, step, waitForExecuted } from '../../helpers/jupyterlab-notebook';
import { installedKernelEnv } from '../../helpers/kernel-env';
import { need, REPO_ROOT } from '../../helpers/tools';

interface SavedNotebook {
  metadata: {
    kernelspec?: { name?: string; display_name?: string };
    language_info?: { name?: string };
  };
  cells: {
    source: string | string[];
    execution_count: number | null;
    outputs?: { output_type: string; name?: string; ename?: string; evalue?: string }[];
  }[];
}

/** Polls the notebook file until JupyterLab has written it with `cells` cells. */
async function waitForSavedNotebook(file: string, cells: number, timeoutMs = 15_000): Promise<SavedNotebook> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      last = fs.readFileSync(file, 'utf8');
      const notebook = JSON.parse(last) as SavedNotebook;
      if (notebook.cells.length === cells) return notebook;
    } catch {
      // not written yet, or being written
    }
    if (Date.now() > deadline) throw new Error(`${file} was not saved with ${cells} cells:\n${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('JupyterLab 4 in Chromium: launcher, cells, errors, interrupt and completion on Glue PySpark', async (t) => {
  const lab = need(t, jupyterLabExecutable(), 'JupyterLab 4 in .venv-lab (bash scripts/setup-test-env.sh)');
  if (!lab) return;
  const chromiumPath = need(t, chromiumExecutable(), "Debian's chromium (apt-get install chromium)");
  if (!chromiumPath) return;

  const started = Date.now();
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-browser-'));
  const keepShots = process.env.KEEP_BROWSER_SCREENSHOTS === '1';
  // Screenshots of the result tables and the %%local plot, kept next to the test output.
  const keptShots = path.join(REPO_ROOT, '.test-tmp', 'screenshots');
  fs.mkdirSync(keptShots, { recursive: true });
  const kernels = installedKernelEnv();
  let server: JupyterLab | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let failed = true;
  let survivors: number[] = [];
  const consoleErrors: string[] = [];
  try {
    server = await startJupyterLab(lab, { env: { ...kernels.env, HOME: kernels.dir } });
    t.diagnostic(`jupyter lab answered after ${Date.now() - started} ms at ${server.url}`);
    browser = await launchChromium(chromiumPath);
    page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    const p = page;
    const labUrl = server.labUrl;
    const rootDir = server.rootDir;
    const nb = notebookOf(p);

    await step(t, 'the launcher offers Glue PySpark and Glue Spark notebooks with our logo', async () => {
      await p.goto(labUrl);
      await p.locator('.jp-Launcher').waitFor({ timeout: 60_000 });
      for (const [name, spec] of [
        ['Glue PySpark', 'glue_pyspark'],
        ['Glue Spark', 'glue_spark'],
      ]) {
        const card = p.locator(`.jp-LauncherCard[data-category="Notebook"][title="${name}"]`);
        await card.waitFor();
        assert.equal((await card.locator('.jp-LauncherCard-label').innerText()).trim(), name);
        const logo = card.locator('img.jp-Launcher-kernelIcon');
        assert.match((await logo.getAttribute('src')) ?? '', new RegExp(`/kernelspecs/${spec}/logo-`));
        // The image really loaded (a broken kernelspec logo is a 0×0 image).
        await p.waitForFunction(
          (img) => {
            const image = img as unknown as { complete: boolean; naturalWidth: number };
            return image.complete && image.naturalWidth > 0;
          },
          await logo.elementHandle(),
        );
      }
    });

    await step(t, 'clicking the Glue PySpark card opens a notebook whose kernel becomes idle', async () => {
      await p.locator('.jp-LauncherCard[data-category="Notebook"][title="Glue PySpark"]').click();
      await nb.panel.waitFor();
      await nb.idle();
      const kernelName = nb.panel.locator('.jp-Toolbar-kernelName');
      assert.equal((await kernelName.innerText()).trim(), 'Glue PySpark');
    });

    let count = 0;
    await step(t, '%help renders a markdown table', async () => {
      const { cell, count: n } = await nb.run(0, '%help');
      count = n;
      assert.equal(n, 1, 'the first cell is [1]');
      const markdown = cell.locator('.jp-OutputArea-output.jp-RenderedMarkdown');
      await markdown.locator('table').first().waitFor();
      const tables = await markdown.locator('table').allInnerTexts();
      assert.ok(
        tables.some((text) => /^%region\b/m.test(text)),
        'a table row for %region',
      );
      const text = await markdown.innerText();
      assert.match(text, /%stop_session/);
      // Placeholders and patterns render as written (issue 7.9), not as tags or eaten escapes.
      assert.ok(text.includes('<prefix>-<id>'), 'the session id prefix placeholder is shown');
      assert.ok(text.includes('^(\\w+\\.)+\\w+$'), 'the Glue version pattern keeps its backslashes');
      assert.ok(text.includes('%session_type <session-type>'), 'usage placeholders are shown');
      await markdown.screenshot({ path: path.join(shots, 'jupyterlab-help.png') });
    });

    await step(t, 'a two-line cell prints 42', async () => {
      const { cell, count: n } = await nb.run(1, 'x = 21\nprint(x * 2)');
      assert.equal(n, ++count);
      const stdout = outputs(cell, 'application/vnd.jupyter.stdout');
      await stdout.first().waitFor();
      assert.match(await stdout.first().innerText(), /^42\s*$/m);
      assert.equal(await outputs(cell, 'application/vnd.jupyter.stderr').count(), 0, 'no stderr');
    });

    await step(t, 'an exception is an error output with its traceback', async () => {
      const { cell, count: n } = await nb.run(2, 'raise ValueError("boom")');
      assert.equal(n, ++count);
      // JupyterLab shows an error message as its traceback in stderr styling; the saved
      // notebook (below) tells it apart from a stderr stream.
      const error = outputs(cell, 'application/vnd.jupyter.stderr');
      await error.first().waitFor();
      const text = await error.last().innerText();
      assert.match(text, /Traceback/);
      assert.match(text, /ValueError: boom/);
      assert.doesNotMatch(text, /\x1b\[/, 'no raw ANSI escapes on screen');
      t.diagnostic(`error output as shown:\n${text}`);
      await nb.idle();
    });

    await step(t, 'the toolbar Stop button interrupts a long cell and keeps the variables', async () => {
      const cell = await nb.start(3, 'import time; time.sleep(30)');
      await cell.locator('.jp-InputArea-prompt', { hasText: '[*]' }).waitFor();
      await nb.panel
        .locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status="busy"]')
        .waitFor();
      // Let the statement reach time.sleep in the runner before stopping it.
      await p.waitForTimeout(1000);
      const stopAt = Date.now();
      await nb.panel.locator('[data-jp-item-name="interrupt"] jp-button').click();
      const n = await waitForExecuted(cell, 10_000);
      const interruptMs = Date.now() - stopAt;
      t.diagnostic(`interrupt took ${interruptMs} ms`);
      assert.ok(interruptMs < 5000, `the interrupt ended the cell promptly (${interruptMs} ms)`);
      assert.equal(n, ++count);
      const error = outputs(cell, 'application/vnd.jupyter.stderr');
      await error.filter({ hasText: 'KeyboardInterrupt' }).first().waitFor({ timeout: 5_000 });
      await nb.idle();

      const after = await nb.run(4, 'print(x)');
      assert.equal(after.count, ++count);
      const stdout = outputs(after.cell, 'application/vnd.jupyter.stdout');
      await stdout.first().waitFor();
      assert.match(await stdout.first().innerText(), /^21\s*$/m);
    });

    await step(t, 'the value of a final expression is shown', async () => {
      const { cell, count: n } = await nb.run(5, 'x + 1');
      assert.equal(n, ++count);
      await cell.locator('.jp-OutputArea-output', { hasText: '22' }).first().waitFor();
    });

    await step(t, 'Tab completes %reg to %region', async () => {
      const cell = await nb.type(6, '%reg');
      await p.keyboard.press('Tab');
      // JupyterLab 4.6 shows the completer even for a single match; Tab again inserts it.
      const item = p.locator('.jp-Completer .jp-Completer-item');
      await item.first().waitFor();
      const offered = await item.evaluateAll((items) => items.map((i) => i.getAttribute('data-value')));
      assert.deepEqual(offered, ['%region']);
      await p.keyboard.press('Tab');
      await cell.locator('.cm-content', { hasText: '%region' }).waitFor();
      assert.equal((await cell.locator('.cm-content').innerText()).trim(), '%region');
      await p.locator('.jp-Completer').waitFor({ state: 'hidden' });
    });

    await step(t, 'Ctrl+S saves a notebook with real error outputs and the kernel metadata', async () => {
      await p.keyboard.press('Control+s');
      const file = path.join(rootDir, 'Untitled.ipynb');
      const saved = await waitForSavedNotebook(file, 7);
      const kernelspec = saved.metadata.kernelspec;
      assert.equal(kernelspec?.name, 'glue_pyspark');
      assert.equal(kernelspec?.display_name, 'Glue PySpark');
      assert.equal(saved.metadata.language_info?.name, 'python');
      assert.deepEqual(
        saved.cells.map((c) => c.execution_count),
        [1, 2, 3, 4, 5, 6, null],
      );
      const errors = saved.cells.map((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error'));
      assert.deepEqual(
        errors.map((list) => list.map((o) => o.ename)),
        [[], [], ['ValueError'], ['KeyboardInterrupt'], [], [], []],
      );
      assert.equal(errors[2][0].evalue, 'boom');
      for (const [i, c] of saved.cells.entries()) {
        t.diagnostic(
          `saved cell ${i} [${c.execution_count}]: ${JSON.stringify(c.source)} → ${(c.outputs ?? [])
            .map((o) => `${o.output_type}${o.name ? `/${o.name}` : ''}`)
            .join(', ')}`,
        );
      }
    });

    await step(t, '%%sql -n 5 of 30 rows is an HTML table of 5 rows that says more exist', async () => {
      // A new cell below the unexecuted %region one (command mode, then "b").
      await p.keyboard.press('Escape');
      await p.keyboard.press('b');
      const { cell } = await nb.run(
        7,
        "%%sql -n 5\nSELECT i AS n, i * i AS square, '<b>row ' || i || '</b>' AS label FROM range(30) t(i)",
      );
      const html = outputs(cell, 'text/html');
      await html.locator('table').waitFor();
      assert.equal(await html.locator('tbody tr').count(), 5);
      const header = await html.locator('thead th').allInnerTexts();
      assert.deepEqual(
        header.map((h) => h.replace(/\s+/g, ' ').trim()),
        ['n bigint', 'square bigint', 'label string'],
      );
      const first = await html.locator('tbody tr').first().locator('td').allInnerTexts();
      assert.deepEqual(first, ['0', '0', '<b>row 0</b>'], 'markup in values is shown as text');
      const align = await html.locator('tbody td').evaluateAll((tds) => {
        // Runs in the page; the test's TypeScript has no DOM types.
        const page = globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } };
        return tds.slice(0, 3).map((td) => page.getComputedStyle(td).textAlign);
      });
      assert.deepEqual(align, ['right', 'right', 'left'], 'numbers right-aligned');
      assert.match(await html.innerText(), /Showing the first 5 rows; more exist\./);
      await cell.screenshot({ path: path.join(keptShots, 'sql-table.png') });
    });

    await step(t, '%display shows a DataFrame of the session as a table', async () => {
      await nb.run(8, 'df = spark.sql("SELECT 42 AS answer, NULL AS nothing")');
      const { cell } = await nb.run(9, '%display df');
      const html = outputs(cell, 'text/html');
      await html.locator('table').waitFor();
      assert.deepEqual(await html.locator('tbody td').allInnerTexts(), ['42', 'NULL']);
      assert.match(await html.innerText(), /1 row\./);
      await cell.screenshot({ path: path.join(keptShots, 'display-table.png') });
    });

    await step(t, '%%local plots a %%sql -o result as an image', async () => {
      const sql = await nb.run(10, '%%sql -o squares -q\nSELECT i AS n, i * i AS square FROM range(30) t(i)');
      assert.equal(await outputs(sql.cell, 'text/html').count(), 0, '-q shows no table');
      const { cell } = await nb.run(
        11,
        '%%local\nax = squares.plot(x="n", y="square", title=f"{len(squares)} rows from %%sql -o")',
      );
      const image = outputs(cell, 'image/png').locator('img');
      await image.waitFor();
      const size = await image.evaluate((img) => {
        const i = img as unknown as { naturalWidth: number; naturalHeight: number };
        return [i.naturalWidth, i.naturalHeight];
      });
      assert.ok(size[0] > 100 && size[1] > 100, `a real plot (${size.join('×')})`);
      await cell.screenshot({ path: path.join(keptShots, 'local-plot.png') });
    });

    // JupyterLab's debugger asks every kernel without a debugger for its modules after each
    // execute_reply and throws "No active debugger session" (JupyterLab 4.6, any such kernel).
    const unexpected = consoleErrors.filter(
      (e) => e.startsWith('pageerror:') && !e.includes('No active debugger session'),
    );
    assert.deepEqual(unexpected, [], 'no uncaught exception in the JupyterLab front end');

    const shot = path.join(shots, 'jupyterlab-glue-pyspark.png');
    await p.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}${keepShots ? '' : ' (set KEEP_BROWSER_SCREENSHOTS=1 to keep it)'}`);
    failed = false;
  } finally {
    if (failed && page) {
      const shot = path.join(shots, 'failure.png');
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      t.diagnostic(`failure screenshot kept: ${shot}`);
    }
    if (consoleErrors.length > 0) t.diagnostic(`browser console errors:\n${consoleErrors.join('\n')}`);
    await browser?.close().catch(() => undefined);
    if (server) {
      const log = server.log();
      const stopped = await server.stop();
      survivors = stopped.survivors;
      t.diagnostic(
        `jupyter lab had ${stopped.started.length} child processes (kernel, runner); ${survivors.length} outlived it`,
      );
      // Warnings and errors of the server, and anything the kernel wrote to its stderr.
      const problems = log.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('[I '));
      if (problems.length > 0)
        t.diagnostic(`jupyter lab log, warnings and kernel stderr:\n${problems.join('\n')}`);
    }
    kernels.cleanup();
    if (!failed && !keepShots) fs.rmSync(shots, { recursive: true, force: true });
    t.diagnostic(`total ${Date.now() - started} ms`);
  }
  // Checked once everything is cleaned up; stop() has killed them.
  assert.deepEqual(survivors, [], 'stopping jupyter lab shuts its kernel and the runner down');
});
