// Driving one JupyterLab notebook in Chromium as a user does (type, Shift+Enter, wait for the
// prompt), shared by the browser tests.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Locator, Page } from 'playwright-core';

/** Waits until the cell has run: its prompt shows an execution count instead of [*] or [ ]. */
export async function waitForExecuted(cell: Locator, timeoutMs = 60_000): Promise<number> {
  const prompt = cell.locator('.jp-InputArea-prompt');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^\[(\d+)\]:$/.exec((await prompt.innerText()).trim());
    if (match) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`cell did not finish; prompt ${await prompt.innerText()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Notebook helpers over the page's one open notebook. */
export function notebookOf(page: Page) {
  const panel = page.locator('.jp-NotebookPanel');
  const cells = panel.locator('.jp-Notebook .jp-Cell');
  return {
    panel,
    async idle(): Promise<void> {
      await panel
        .locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status="idle"]')
        .waitFor();
      await page.locator('.jp-StatusBar-Widget', { hasText: 'Glue PySpark | Idle' }).waitFor();
    },
    /** Types the code into cell `index` as a user does (keyboard) and checks the editor got it. */
    async type(index: number, code: string): Promise<Locator> {
      const cell = cells.nth(index);
      const editor = cell.locator('.cm-content');
      await editor.click();
      const lines = code.split('\n');
      for (const [i, text] of lines.entries()) {
        if (i > 0) await page.keyboard.press('Enter');
        await page.keyboard.type(text);
      }
      const typed = (await editor.locator('.cm-line').allTextContents()).join('\n');
      assert.equal(typed, code, 'the editor holds what was typed');
      return cell;
    },
    /** Types and runs (Shift+Enter) cell `index`; returns it without waiting for the result. */
    async start(index: number, code: string): Promise<Locator> {
      const cell = await this.type(index, code);
      await page.keyboard.press('Shift+Enter');
      return cell;
    },
    /** Types, runs and waits for cell `index`; returns the cell and its execution count. */
    async run(index: number, code: string): Promise<{ cell: Locator; count: number }> {
      const cell = await this.start(index, code);
      return { cell, count: await waitForExecuted(cell) };
    },
  };
}

export function outputs(cell: Locator, mime?: string): Locator {
  return cell.locator(mime ? `.jp-OutputArea-output[data-mime-type="${mime}"]` : '.jp-OutputArea-output');
}

/** Runs one step of the session; a failure names the step (later steps depend on it). */
export async function step(t: TestContext, name: string, body: () => Promise<void>): Promise<void> {
  const at = Date.now();
  try {
    await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${name}: ${error.message}`;
    throw error;
  }
  t.diagnostic(`ok - ${name} (${Date.now() - at} ms)`);
}
