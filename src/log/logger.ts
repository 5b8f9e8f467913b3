// Kernel logging: one line per event on stderr (Jupyter shows a kernel's stderr in its
// server log, never in the notebook). Secrets registered here, and anything that looks like
// an AWS secret or token, are masked before a line is written.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = { [key: string]: unknown };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
  /** Changes the level of this logger and every child made from it. */
  setLevel(level: LogLevel): void;
}

const SECRET_FIELD = /secret|token|password|signature|^key$|credential/i;
// AWS secret access keys are 40 base64 characters; session tokens are long base64 blobs.
const SECRET_VALUE_PATTERNS = [
  /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  /[A-Za-z0-9/+=]{100,}/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  register(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, '***');
    return out;
  }

  redactFields(fields: LogFields): LogFields {
    const out: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      out[key] = SECRET_FIELD.test(key) ? '***' : typeof value === 'string' ? this.redact(value) : value;
    }
    return out;
  }
}

export const redactor = new Redactor();

/** Environment variables whose values are secrets (keys, session tokens, passwords, the admin token). */
const SECRET_ENV_NAME = /secret|token|password|passwd|credential|private|(^|_)key$/i;

/**
 * Registers the value of every secret-named environment variable with the redactor, whatever
 * its shape (an emulator key or an admin token does not look like an AWS secret).
 */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv, into: Redactor = redactor): void {
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_ENV_NAME.test(name) && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
      into.register(value);
  }
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'warn'): LogLevel {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'warning') return 'warn';
  // Own keys only: glue_log_level=constructor is not a level.
  return Object.hasOwn(LEVEL_ORDER, v) ? (v as LogLevel) : fallback;
}

export function createLogger(
  level: LogLevel,
  component = 'glue-kernel',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  return loggerFor({ level }, component, write);
}

function loggerFor(shared: { level: LogLevel }, component: string, write: (line: string) => void): Logger {
  const emit = (lvl: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[lvl] < LEVEL_ORDER[shared.level]) return;
    const extra = fields ? ' ' + safeJson(redactor.redactFields(fields)) : '';
    write(
      `${new Date().toISOString()} ${lvl.toUpperCase()} [${component}] ${redactor.redact(message)}${extra}\n`,
    );
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (name) => loggerFor(shared, `${component}:${name}`, write),
    setLevel: (next) => {
      shared.level = next;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? v.message : v));
  } catch {
    return '"<unserialisable>"';
  }
}
