// Notebook parameters as papermill injects them: values from `-p NAME=VALUE` and `-f FILE`
// become a code cell of Python assignments, tagged `injected-parameters`, placed right after
// the cell tagged `parameters` (or first, when there is none).
import * as fs from 'node:fs';
import { parsePythonLiteral, type LiteralValue } from '../config/python-literal';
import type { Notebook, NotebookCell } from './nbformat';

export type Parameters = Record<string, ParameterValue>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

function checkName(name: string, where: string): void {
  if (!IDENTIFIER.test(name) || PYTHON_KEYWORDS.has(name))
    throw new ParameterError(
      `${where}: "${name}" is not a valid Python variable name (letters, digits and _, not starting with a digit, not a keyword).`,
    );
}

/** A number written with a fraction or exponent stays a float in Python, even when whole (3.0). */
export class PythonFloat {
  constructor(readonly value: number) {}
}
export type ParameterValue = LiteralValue | PythonFloat;

function isFloatText(text: string): boolean {
  return (
    /^[+-]?(\d[\d_]*)?\.?[\d_]*([eE][+-]?\d+)?$/.test(text) &&
    /[.eE]/.test(text) &&
    !/^[+-]?0[xob]/i.test(text)
  );
}

/**
 * `NAME=VALUE` from `-p`: VALUE is read as a Python literal (numbers, True/False/None, quoted
 * strings, lists, dicts) when it is one, else taken as a plain string, as papermill does.
 */
export function parseParameterArg(arg: string): { name: string; value: ParameterValue } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ParameterError(`-p takes NAME=VALUE (got "${arg}").`);
  const name = arg.slice(0, eq).trim();
  checkName(name, `-p ${arg}`);
  const text = arg.slice(eq + 1);
  let value: LiteralValue;
  try {
    value = parsePythonLiteral(text);
  } catch {
    return { name, value: text };
  }
  if (typeof value === 'number' && isFloatText(text.trim())) return { name, value: new PythonFloat(value) };
  return { name, value };
}

/** A JSON file holding one object of parameters (`-f params.json`). */
export function readParametersFile(file: string): Parameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ParameterError(
      `-f ${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ParameterError(`-f ${file}: expected a JSON object of NAME: VALUE pairs.`);
  for (const name of Object.keys(parsed)) checkName(name, `-f ${file}`);
  // JSON.parse yields only strings, numbers, booleans, null, arrays and objects: literal values.
  return parsed as Parameters;
}

/** The Python source of a value: JSON's string escapes are valid in Python string literals. */
export function pythonRepr(value: ParameterValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ParameterError(`${value} is not a number Python can read back.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (value instanceof PythonFloat) {
    const text = JSON.stringify(value.value);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }
  const entries = Object.entries(value);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

export function hasTag(cell: NotebookCell, tag: string): boolean {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) && tags.includes(tag);
}

/**
 * Injects the parameters into the notebook (in place), replacing a cell injected by an earlier
 * run. Returns where the cell went and whether a `parameters` cell was found.
 */
export function injectParameters(
  notebook: Notebook,
  parameters: Parameters,
): { index: number; afterParametersCell: boolean } {
  notebook.cells = notebook.cells.filter((cell) => !hasTag(cell, 'injected-parameters'));
  const lines = [
    '# Parameters',
    ...Object.entries(parameters).map(([name, value]) => `${name} = ${pythonRepr(value)}`),
  ];
  const cell: NotebookCell = {
    cell_type: 'code',
    execution_count: null,
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    source: lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)),
  };
  const tagged = notebook.cells.findIndex((c) => hasTag(c, 'parameters'));
  const index = tagged + 1;
  if (notebook.nbformat_minor >= 5) cell.id = `injected-parameters`;
  notebook.cells.splice(index, 0, cell);
  return { index, afterParametersCell: tagged >= 0 };
}
