// The small part of nbformat 4 the headless runner needs: read a notebook, collect IOPub
// messages into a cell's outputs the way nbclient does, and write it back.
import * as fs from 'node:fs';
import { z } from 'zod';

const SourceSchema = z.union([z.string(), z.array(z.string())]);

const CellSchema = z
  .object({
    cell_type: z.enum(['code', 'markdown', 'raw']),
    source: SourceSchema,
    metadata: z.record(z.string(), z.unknown()).default({}),
    outputs: z.array(z.record(z.string(), z.unknown())).optional(),
    execution_count: z.number().int().nullable().optional(),
  })
  .passthrough();

const NotebookSchema = z
  .object({
    nbformat: z.literal(4),
    nbformat_minor: z.number().int(),
    metadata: z.record(z.string(), z.unknown()).default({}),
    cells: z.array(CellSchema),
  })
  .passthrough();

export type Notebook = z.infer<typeof NotebookSchema>;
export type NotebookCell = Notebook['cells'][number];
export type NotebookOutput = Record<string, unknown>;

export function readNotebook(file: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file} is not a readable JSON notebook: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = NotebookSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file} is not an nbformat 4 notebook: ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

export function writeNotebook(file: string, notebook: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1) + '\n');
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The kernelspec name a notebook asks for (metadata.kernelspec.name). */
export function notebookKernelName(notebook: Notebook): string | undefined {
  const spec = notebook.metadata.kernelspec;
  if (spec && typeof spec === 'object' && 'name' in spec && typeof spec.name === 'string') return spec.name;
  return undefined;
}

/** Accumulates one cell's outputs from IOPub messages, like nbclient. */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  private clearPending = false;

  add(msgType: string, content: Record<string, unknown>): void {
    if (msgType === 'clear_output') {
      if (content.wait === true) this.clearPending = true;
      else this.outputs.length = 0;
      return;
    }
    const output = this.toOutput(msgType, content);
    if (!output) {
      if (msgType === 'update_display_data') this.update(content);
      return;
    }
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      last.text = String(last.text) + String(output.text);
      return;
    }
    this.outputs.push(output);
  }

  private toOutput(msgType: string, content: Record<string, unknown>): NotebookOutput | undefined {
    switch (msgType) {
      case 'stream':
        return { output_type: 'stream', name: content.name, text: content.text };
      case 'display_data':
        return {
          output_type: 'display_data',
          data: content.data,
          metadata: content.metadata ?? {},
          ...(displayId(content) ? { transient: { display_id: displayId(content) } } : {}),
        };
      case 'execute_result':
        return {
          output_type: 'execute_result',
          execution_count: content.execution_count,
          data: content.data,
          metadata: content.metadata ?? {},
        };
      case 'error':
        return {
          output_type: 'error',
          ename: content.ename,
          evalue: content.evalue,
          traceback: content.traceback,
        };
      default:
        return undefined;
    }
  }

  private update(content: Record<string, unknown>): void {
    const id = displayId(content);
    if (!id) return;
    for (const output of this.outputs) {
      const transient = output.transient as { display_id?: string } | undefined;
      if (transient?.display_id === id) {
        output.data = content.data;
        output.metadata = content.metadata ?? {};
      }
    }
  }

  /** Outputs as nbformat stores them (transient fields are not saved). */
  saved(): NotebookOutput[] {
    return this.outputs.map((o) => {
      const { transient: _transient, ...rest } = o;
      return rest;
    });
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === 'string' ? transient.display_id : undefined;
}
