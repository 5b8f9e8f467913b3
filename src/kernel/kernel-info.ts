// kernel_info for each kernel kind. Kept apart from the interpreter so the kernel can answer
// kernel_info before the rest of it (settings, magics, backends) has loaded.
import type { Interpreter, KernelInfo } from '../jupyter/interpreter';
import { describeEndpoint } from '../session/glue/endpoint-kind';
import type { KernelKind } from '../session/kinds';
import { KERNEL_VERSION } from './version';

/** `endpoint`: a Glue endpoint other than AWS's (the emulator, %endpoint), named in the banner. */
export function kernelInfoFor(kind: KernelKind, backendName: string, endpoint?: string): KernelInfo {
  const where = backendName === 'glue' ? describeEndpoint(endpoint) : undefined;
  const python = kind === 'pyspark';
  return {
    implementation: 'glue-kernel',
    implementation_version: KERNEL_VERSION,
    language_info: python
      ? {
          name: 'python',
          version: '3',
          mimetype: 'text/x-python',
          file_extension: '.py',
          pygments_lexer: 'python3',
          codemirror_mode: 'python',
          nbconvert_exporter: 'python',
        }
      : {
          name: 'scala',
          version: '2.12',
          mimetype: 'text/x-scala',
          file_extension: '.scala',
          pygments_lexer: 'scala',
          codemirror_mode: 'text/x-scala',
        },
    banner:
      `glue-kernel ${KERNEL_VERSION}: ${python ? 'Glue PySpark' : 'Glue Spark (Scala)'} on the ${backendName} backend.\n` +
      (where ? `Glue endpoint: ${where}.\n` : '') +
      'Type %help for the magics.',
    help_links: [
      {
        text: 'glue-kernel magics',
        url: 'https://github.com/glue-kernel/glue-kernel/blob/main/docs/magics.md',
      },
    ],
  };
}

/**
 * Answers kernel_info at once and forwards everything else to the real interpreter, loaded
 * on the first request that needs it. Jupyter clients poll kernel_info until the kernel
 * answers, so loading the settings schema, magics and backend later takes that work off the
 * start-up path.
 */
export class DeferredInterpreter implements Interpreter {
  private loaded?: Promise<Interpreter>;

  constructor(
    private readonly info: KernelInfo,
    private readonly load: () => Promise<Interpreter>,
  ) {}

  /** Loads the interpreter once; every request but kernel_info waits for it. */
  preload(): Promise<Interpreter> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  kernelInfo(): KernelInfo {
    return this.info;
  }

  async execute(...args: Parameters<Interpreter['execute']>): ReturnType<Interpreter['execute']> {
    return (await this.preload()).execute(...args);
  }

  async complete(...args: Parameters<Interpreter['complete']>): ReturnType<Interpreter['complete']> {
    return (await this.preload()).complete(...args);
  }

  async inspect(...args: Parameters<Interpreter['inspect']>): ReturnType<Interpreter['inspect']> {
    return (await this.preload()).inspect(...args);
  }

  async isComplete(...args: Parameters<Interpreter['isComplete']>): ReturnType<Interpreter['isComplete']> {
    return (await this.preload()).isComplete(...args);
  }

  async interrupt(): Promise<void> {
    if (this.loaded) await (await this.loaded).interrupt();
  }

  async shutdown(restart: boolean): Promise<void> {
    if (this.loaded) await (await this.loaded).shutdown(restart);
  }
}
