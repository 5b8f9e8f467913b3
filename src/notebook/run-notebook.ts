// Runs a notebook headlessly: starts a glue kernel as a child process (exactly as Jupyter
// would, with a connection file), executes every code cell through the Jupyter protocol,
// and collects the outputs into the notebook. Used by `glue-kernel run` and the demo.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliEntryPoint } from '../cli/kernelspec';
import type { ConnectionInfo, JupyterMessage, KernelClient } from '../jupyter';
import type { KernelKind } from '../session/kinds';
import { cellSource, OutputCollector, type Notebook } from './nbformat';
import { hasTag } from './parameters';

export interface CellReport {
  index: number;
  status: 'ok' | 'error' | 'skipped';
  /** The cell is tagged `raises-exception` (nbclient's tag): its error does not stop the run. */
  expectedError: boolean;
  executionCount: number | null;
  durationMs: number;
  outputs: Record<string, unknown>[];
}

export interface RunNotebookOptions {
  kind: KernelKind;
  /** Environment of the kernel process (backend selection, AWS endpoints…). */
  kernelEnv: NodeJS.ProcessEnv;
  /** The kernel's working directory (default: this process's). */
  cwd?: string;
  cellTimeoutMs?: number;
  allowErrors?: boolean;
  /** position: 1-based among the code cells, of total. */
  onCellStart?: (index: number, source: string, position: number, total: number) => void;
  onOutput?: (index: number, message: JupyterMessage) => void;
  onCellEnd?: (report: CellReport) => void;
  /** Where the kernel's stderr (its log) goes; default: discarded unless the kernel fails to start. */
  kernelStderr?: (text: string) => void;
}

/** A free TCP port on loopback (bound and released; the usual small race applies). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function newConnectionInfo(): Promise<ConnectionInfo> {
  return {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
  };
}

export interface StartedKernel {
  client: KernelClient;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `glue-kernel kernel` as a child process and connects a client to it. */
export async function startKernelProcess(
  kind: KernelKind,
  env: NodeJS.ProcessEnv,
  onStderr?: (text: string) => void,
  cwd?: string,
): Promise<StartedKernel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-run-'));
  const connection = await newConnectionInfo();
  const connectionFile = path.join(dir, 'kernel.json');
  fs.writeFileSync(connectionFile, JSON.stringify(connection), { mode: 0o600 });
  // The bundled CLI, as kernel.json starts it: it loads in a third of the time of the modules.
  const child = spawn(process.execPath, [cliEntryPoint(), 'kernel', '--kind', kind, '-f', connectionFile], {
    env: { ...env, JPY_PARENT_PID: String(process.pid) },
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-4000);
    onStderr?.(text);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Loaded after the spawn, so loading zeromq here overlaps the kernel's own start-up.
  const { KernelClient } = await import('../jupyter');
  const client = await KernelClient.connect(connection);
  try {
    await Promise.race([
      client.waitForReady(30_000),
      exited.then(() => {
        throw new Error(`the kernel exited during start-up:\n${stderr.trim()}`);
      }),
    ]);
  } catch (error) {
    await client.close();
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await client.shutdown(false, 5000).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
      clearTimeout(killer);
    }
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { client, child, stop };
}

/** Executes the notebook's code cells in order; returns a report per code cell. */
export async function runNotebook(notebook: Notebook, options: RunNotebookOptions): Promise<CellReport[]> {
  const kernel = await startKernelProcess(options.kind, options.kernelEnv, options.kernelStderr, options.cwd);
  const reports: CellReport[] = [];
  const total = notebook.cells.filter((c) => c.cell_type === 'code').length;
  let failed = false;
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      const source = cellSource(cell);
      const expectedError = hasTag(cell, 'raises-exception');
      if (failed && !options.allowErrors) {
        reports.push({
          index,
          status: 'skipped',
          expectedError,
          executionCount: null,
          durationMs: 0,
          outputs: [],
        });
        continue;
      }
      options.onCellStart?.(index, source, reports.length + 1, total);
      const collector = new OutputCollector();
      const started = performance.now();
      const result = await kernel.client.execute(source, {
        stopOnError: !options.allowErrors && !expectedError,
        timeoutMs: options.cellTimeoutMs || undefined,
        onOutput: (message) => {
          collector.add(message.header.msg_type, message.content as Record<string, unknown>);
          options.onOutput?.(index, message);
        },
      });
      const content = result.reply.content as { status?: string; execution_count?: number };
      const status = content.status === 'ok' ? 'ok' : 'error';
      cell.outputs = collector.saved();
      cell.execution_count = typeof content.execution_count === 'number' ? content.execution_count : null;
      const report: CellReport = {
        index,
        status,
        expectedError,
        executionCount: cell.execution_count ?? null,
        durationMs: performance.now() - started,
        outputs: cell.outputs,
      };
      reports.push(report);
      options.onCellEnd?.(report);
      if (status === 'error' && !expectedError) failed = true;
    }
  } finally {
    await kernel.stop();
  }
  return reports;
}
