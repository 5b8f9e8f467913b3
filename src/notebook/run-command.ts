// `glue-kernel run NOTEBOOK`: runs a notebook headlessly and prints what each cell did.
import * as path from 'node:path';
import type { RunCommandOptions } from '../cli/main';
import type { JupyterMessage } from '../jupyter';
import type { KernelKind } from '../session/kinds';
import { notebookKernelName, readNotebook, writeNotebook } from './nbformat';
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

export async function runNotebookCommand(file: string, options: RunCommandOptions): Promise<number> {
  const notebook = readNotebook(file);
  const kind = options.kernel ?? kindOf(notebookKernelName(notebook));
  const out = process.stdout;
  const backend = await backendEnvironment(options.backend, { python: options.python });
  out.write(
    `Running ${path.basename(file)} on the ${kind === 'spark' ? 'Glue Spark' : 'Glue PySpark'} kernel (${backend.description})\n`,
  );
  let reports: CellReport[];
  try {
    reports = await runNotebook(notebook, {
      kind,
      kernelEnv: backend.env,
      cellTimeoutMs: options.cellTimeout * 1000,
      allowErrors: options.allowErrors,
      onCellStart: (index, source) => {
        const first = source.split('\n').find((l) => l.trim() !== '') ?? '';
        out.write(`\n── cell ${index + 1}: ${first.length > 70 ? first.slice(0, 69) + '…' : first}\n`);
      },
      onOutput: (_index, message) => {
        const text = describeOutput(message);
        if (text) out.write(text);
      },
      kernelStderr: process.env.glue_log_level ? (text) => process.stderr.write(text) : undefined,
    });
  } finally {
    await backend.stop();
  }
  const target = options.output ?? file;
  writeNotebook(target, notebook);
  const ok = reports.filter((r) => r.status === 'ok').length;
  const failed = reports.filter((r) => r.status === 'error').length;
  const skipped = reports.filter((r) => r.status === 'skipped').length;
  out.write(
    `\n${reports.length} code cells: ${ok} ok, ${failed} failed${skipped ? `, ${skipped} not run` : ''}. Wrote ${target}\n`,
  );
  return failed > 0 && !options.allowErrors ? 1 : 0;
}
