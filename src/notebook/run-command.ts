// `glue-kernel run NOTEBOOK`: runs a notebook headlessly and prints what each cell did.
import * as path from 'node:path';
import type { RunCommandOptions } from '../cli/main';
import type { JupyterMessage } from '../jupyter';
import type { KernelKind } from '../session/kinds';
import { cellSource, notebookKernelName, readNotebook, writeNotebook, type Notebook } from './nbformat';
import {
  hasTag,
  injectParameters,
  parseParameterArg,
  readParametersFile,
  type Parameters,
} from './parameters';
import { firstLine, formatSeconds, RunProgress, type ProgressStream } from './progress';
import { runNotebook, type CellReport } from './run-notebook';
import { backendEnvironment } from './backends';

function kindOf(kernelName: string | undefined): KernelKind {
  return kernelName === 'glue_spark' ? 'spark' : 'pyspark';
}

export function describeOutput(message: JupyterMessage): string | undefined {
  const content = message.content as Record<string, unknown>;
  switch (message.header.msg_type) {
    case 'stream':
      return String(content.text);
    case 'display_data':
    case 'execute_result': {
      const data = (content.data ?? {}) as Record<string, unknown>;
      if (typeof data['text/plain'] === 'string' && !data['image/png']) return `${data['text/plain']}\n`;
      const kinds = Object.entries(data).map(([mime, value]) =>
        typeof value === 'string' && mime.startsWith('image/')
          ? `${mime}, ${Math.round((value.length * 3) / 4 / 1024)} KiB`
          : mime,
      );
      return `[${kinds.join('; ')}]\n`;
    }
    case 'error':
      return `${(content.traceback as string[] | undefined)?.join('\n') ?? `${String(content.ename)}: ${String(content.evalue)}`}\n`;
    default:
      return undefined;
  }
}

/** -f's values, then -p's on top (a -p value wins), as papermill merges them. */
export function collectParameters(
  options: Pick<RunCommandOptions, 'parameters' | 'parametersFile'>,
): Parameters {
  const merged: Parameters = {};
  for (const file of options.parametersFile ?? []) Object.assign(merged, readParametersFile(file));
  for (const arg of options.parameters ?? []) {
    const { name, value } = parseParameterArg(arg);
    merged[name] = value;
  }
  return merged;
}

function cellLabel(notebook: Notebook, index: number): string {
  const cell = notebook.cells[index];
  if (hasTag(cell, 'injected-parameters')) return 'injected-parameters';
  if (hasTag(cell, 'parameters')) return 'parameters';
  if (hasTag(cell, 'raises-exception')) return 'raises-exception';
  return 'code';
}

/** --dry-run: the code cells that would run, one line each (notebook cell number, kind, first line). */
export function dryRunListing(notebook: Notebook): string {
  const lines: string[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    lines.push(
      `  ${String(index + 1).padStart(3)}  ${cellLabel(notebook, index).padEnd(19)}  ${firstLine(cellSource(cell))}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function failureMessage(notebook: Notebook, failed: CellReport, target: string, skipped: number): string {
  const error = failed.outputs.find((o) => o.output_type === 'error');
  const what = error ? `${String(error.ename)}: ${String(error.evalue)}` : 'the kernel replied with an error';
  const source = firstLine(cellSource(notebook.cells[failed.index]));
  return (
    `\nCell ${failed.index + 1} (${source}) failed: ${what}\n` +
    (skipped ? `The ${skipped} cell${skipped === 1 ? '' : 's'} after it did not run. ` : '') +
    `The notebook with the error is in ${target}. ` +
    `To keep going past failing cells, tag them raises-exception or pass --allow-errors.\n`
  );
}

export async function runNotebookCommand(
  file: string,
  options: RunCommandOptions,
  out: ProgressStream = process.stdout,
): Promise<number> {
  const notebook = readNotebook(file);
  const parameters = collectParameters(options);
  const kind = options.kernel ?? kindOf(notebookKernelName(notebook));
  const kernelName = kind === 'spark' ? 'Glue Spark' : 'Glue PySpark';
  let injectionNote = '';
  if (Object.keys(parameters).length > 0) {
    const { index, afterParametersCell } = injectParameters(notebook, parameters);
    injectionNote = afterParametersCell
      ? `Parameters injected as cell ${index + 1}, after the cell tagged "parameters".\n`
      : `No cell is tagged "parameters": parameters injected as the first cell.\n`;
  }
  if (options.dryRun) {
    out.write(
      `Would run ${path.basename(file)} on the ${kernelName} kernel (${options.backend} backend):\n` +
        injectionNote +
        dryRunListing(notebook) +
        'Nothing was run (--dry-run).\n',
    );
    return 0;
  }
  const target = path.resolve(options.output ?? file);
  const python = options.python?.includes(path.sep) ? path.resolve(options.python) : options.python;
  // Relative paths in cells resolve against the notebook's folder, as in Jupyter: the kernel
  // starts there, and so does this process, whose embedded emulator starts the session's Python.
  const notebookDir = path.dirname(path.resolve(file));
  process.chdir(notebookDir);
  const backend = await backendEnvironment(options.backend, { python });
  const progress = new RunProgress(out);
  progress.print(`Running ${path.basename(file)} on the ${kernelName} kernel (${backend.description})\n`);
  if (injectionNote) progress.print(injectionNote);
  let reports: CellReport[];
  const started = performance.now();
  try {
    reports = await runNotebook(notebook, {
      kind,
      kernelEnv: backend.env,
      cwd: notebookDir,
      cellTimeoutMs: options.cellTimeout * 1000,
      allowErrors: options.allowErrors,
      onCellStart: (index, source, position, total) =>
        progress.cellStarted({ index, source, position, total }),
      onOutput: (_index, message) => {
        const text = describeOutput(message);
        if (text) progress.output(text);
      },
      onCellEnd: (report) => progress.cellFinished(report, report.expectedError),
      kernelStderr: process.env.glue_log_level ? (text) => process.stderr.write(text) : undefined,
    });
  } catch (error) {
    progress.finish();
    // The cells that ran keep their outputs, so what happened is in the notebook too.
    writeNotebook(target, notebook);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)} (the notebook so far is in ${target})`,
    );
  } finally {
    progress.finish();
    await backend.stop();
  }
  writeNotebook(target, notebook);
  const ok = reports.filter((r) => r.status === 'ok').length;
  const expected = reports.filter((r) => r.status === 'error' && r.expectedError).length;
  const failed = reports.filter((r) => r.status === 'error' && !r.expectedError);
  const skipped = reports.filter((r) => r.status === 'skipped').length;
  out.write(
    `\n${reports.length} code cells in ${formatSeconds(performance.now() - started)}: ${ok} ok` +
      (expected ? `, ${expected} failed as expected` : '') +
      `, ${failed.length} failed${skipped ? `, ${skipped} not run` : ''}. Wrote ${target}\n`,
  );
  if (failed.length > 0 && !options.allowErrors) {
    out.write(failureMessage(notebook, failed[0], target, skipped));
    return 1;
  }
  return 0;
}
