// A query result as the kernel holds it: column names and types, and rows of values. Read
// from the JSON document the session printed: the Python form (columns and positional rows,
// long values already cut) or the Scala form (Spark's schema JSON and toJSON rows of strings
// keyed c0, c1, …, nulls left out).
import { z } from 'zod';

/** A value cut to `text`; `length` is the full length in characters. */
export interface CutValue {
  text: string;
  length: number;
}

export type TableValue = null | boolean | number | string | CutValue;

export interface TableColumn {
  name: string;
  /** The engine's type name: integer, string, decimal(10,2), array<int>, int64… */
  type: string;
}

export interface ResultTable {
  columns: TableColumn[];
  rows: TableValue[][];
}

// Rows are checked by hand below: a schema per value costs ~0.5 s on 10,000 rows.
const pythonDocument = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.unknown()),
});

function isTableValue(v: unknown): v is TableValue {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      const cut = v as Partial<CutValue>;
      return typeof cut.text === 'string' && typeof cut.length === 'number';
    }
    default:
      return false;
  }
}

/** Spark's DataType JSON: a name ("integer", "decimal(10,2)") or an object for nested types. */
const sparkType = z.union([z.string(), z.object({ type: z.string() }).loose()]);
const scalaDocument = z.object({
  schema: z.object({ fields: z.array(z.object({ name: z.string(), type: sparkType }).loose()) }).loose(),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.null()]))),
});

/** The session printed something that is not a result table (a bug or a foreign engine). */
export class TableDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableDocumentError';
  }
}

function typeName(type: z.infer<typeof sparkType>): string {
  return typeof type === 'string' ? type : type.type;
}

export function parseTableDocument(json: string): ResultTable {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new TableDocumentError(`the result is not valid JSON (${(error as Error).message})`);
  }
  const python = pythonDocument.safeParse(raw);
  if (python.success) {
    const { columns, rows } = python.data;
    for (const row of rows) {
      if (!Array.isArray(row)) throw new TableDocumentError('a row is not a list');
      if (row.length !== columns.length)
        throw new TableDocumentError(`a row does not have ${columns.length} values`);
      for (const v of row) if (!isTableValue(v)) throw new TableDocumentError(`a value is not a table value`);
    }
    return { columns, rows: rows as TableValue[][] };
  }
  const scala = scalaDocument.safeParse(raw);
  if (scala.success) {
    const columns = scala.data.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
    const rows = scala.data.rows.map((r) => columns.map((_c, i) => r[`c${i}`] ?? null));
    return { columns, rows };
  }
  throw new TableDocumentError(`the result has an unexpected shape (${python.error.issues[0]?.message})`);
}

/** Types whose values line up on the right, as numbers do (Spark, DuckDB and pandas names). */
export function isNumericType(type: string): boolean {
  return /^(byte|tinyint|short|smallint|int|integer|bigint|long|float|real|double|decimal|numeric|u?int\d*|float\d*|hugeint)\b/i.test(
    type.trim(),
  );
}
