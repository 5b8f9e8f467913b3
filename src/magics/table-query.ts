// The code %%sql and %display send to the session. It fetches at most `limit + 1` rows (the
// extra one says whether more exist) and prints them as one JSON document between two copies
// of a per-call random marker, so the kernel finds the table in the statement's text output
// (all a Glue statement returns), whatever else the code printed. The user's SQL or
// expression is a string literal in that code, so its text reaches the engine unchanged.
import { randomBytes } from 'node:crypto';
import type { KernelKind } from '../session/kinds';
import { pythonStringLiteral, scalaStringLiteral } from './literals';

/** What to tabulate: a SQL query, or an expression (in the session's language) giving a DataFrame. */
export type TableSource = { kind: 'sql'; sql: string } | { kind: 'expression'; expression: string };

export interface TableQuery {
  source: TableSource;
  /** Rows wanted; limit + 1 are fetched. */
  limit: number;
  /** Longest text sent per value; longer values arrive cut, with their full length. */
  cellChars: number;
  marker: string;
}

/** A marker no query result or user print contains by chance. */
export function newMarker(): string {
  return `@@glue-kernel-table-${randomBytes(12).toString('hex')}@@`;
}

/** Python: the engine's DataFrame (PySpark, DuckDB's Spark API) or pandas, as JSON. */
const PYTHON_TABLE_FUNCTION = `def _glue_kernel_table(source, limit, cell_chars, marker):
    import datetime, decimal, json, math
    frame = source()
    if hasattr(frame, "schema") and hasattr(frame, "limit") and hasattr(frame, "collect"):
        columns = [{"name": f.name, "type": f.dataType.simpleString()} for f in frame.schema.fields]
        rows = [tuple(r) for r in frame.limit(limit + 1).collect()]
    elif hasattr(frame, "dtypes") and hasattr(frame, "head") and hasattr(frame, "itertuples"):
        columns = [{"name": str(c), "type": str(t)} for c, t in frame.dtypes.items()]
        rows = list(frame.head(limit + 1).itertuples(index=False, name=None))
    else:
        raise TypeError("expected a Spark or pandas DataFrame, got %s" % type(frame).__name__)

    def nested(v):
        if hasattr(v, "item") and not isinstance(v, (bytes, bytearray, str)):
            v = v.item()
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if isinstance(v, float):
            return v if math.isfinite(v) else str(v)
        if isinstance(v, (bytes, bytearray, memoryview)):
            return "0x" + bytes(v).hex()
        if hasattr(v, "asDict"):
            return {str(k): nested(x) for k, x in v.asDict().items()}
        if isinstance(v, dict):
            return {str(k): nested(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [nested(x) for x in v]
        return scalar_text(v)

    def scalar_text(v):
        if isinstance(v, datetime.datetime):
            return v.isoformat(sep=" ")
        if isinstance(v, (datetime.date, datetime.time)):
            return v.isoformat()
        if isinstance(v, decimal.Decimal):
            return format(v, "f")
        return str(v)

    def cell(v):
        if hasattr(v, "item") and not isinstance(v, (bytes, bytearray, str)):
            try:
                v = v.item()
            except (TypeError, ValueError):
                pass
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, int):
            if -(2 ** 53) < v < 2 ** 53:
                return v
            text = str(v)
        elif isinstance(v, float):
            if math.isfinite(v):
                return v
            text = str(v)
        elif isinstance(v, str):
            text = v
        elif isinstance(v, (bytes, bytearray, memoryview)):
            data = bytes(v)
            text = "0x" + data[:cell_chars].hex()
            if 2 + 2 * len(data) > cell_chars:
                return {"text": text[:cell_chars], "length": 2 + 2 * len(data)}
        elif hasattr(v, "asDict") or isinstance(v, (dict, list, tuple)):
            text = json.dumps(nested(v), ensure_ascii=False)
        else:
            text = scalar_text(v)
        if len(text) > cell_chars:
            return {"text": text[:cell_chars], "length": len(text)}
        return text

    document = {"columns": columns, "rows": [[cell(v) for v in r] for r in rows]}
    print(marker + json.dumps(document, ensure_ascii=True, allow_nan=False) + marker)
`;

function pythonSourceExpression(source: TableSource): string {
  return source.kind === 'sql'
    ? `spark.sql(${pythonStringLiteral(source.sql)})`
    : `eval(${pythonStringLiteral(source.expression)}, globals())`;
}

export function pythonTableCode(query: TableQuery): string {
  return (
    PYTHON_TABLE_FUNCTION +
    'try:\n' +
    `    _glue_kernel_table(lambda: ${pythonSourceExpression(query.source)}, ${query.limit}, ` +
    `${query.cellChars}, ${pythonStringLiteral(query.marker)})\n` +
    'finally:\n' +
    '    del _glue_kernel_table\n'
  );
}

/**
 * Scala: every column cast to string by Spark (as show() prints it, exact for decimals and
 * longs) under positional names c0, c1, … (so duplicate or dotted names survive), and the
 * schema as Spark's own JSON. toJSON leaves out nulls; the kernel reads a missing key as NULL.
 */
export function scalaTableCode(query: TableQuery): string {
  const source =
    query.source.kind === 'sql'
      ? `spark.sql(${scalaStringLiteral(query.source.sql)})`
      : `(${query.source.expression}).toDF()`;
  const marker = scalaStringLiteral(query.marker);
  return [
    '{',
    `  val glueKernelFrame = ${source}`,
    '  val glueKernelPositional = glueKernelFrame.toDF(glueKernelFrame.columns.indices.map(i => "c" + i): _*)',
    '  val glueKernelRows = glueKernelPositional',
    '    .select(glueKernelPositional.columns.map(c => glueKernelPositional.col(c).cast("string")): _*)',
    `    .limit(${query.limit + 1})`,
    '    .toJSON',
    '    .collect()',
    `  println(${marker} + "{\\"schema\\":" + glueKernelFrame.schema.json + ",\\"rows\\":[" + glueKernelRows.mkString(",") + "]}" + ${marker})`,
    '}',
  ].join('\n');
}

/** Runs the source for its effect only (-q without -o): DDL and DML still happen. */
export function quietCode(kind: KernelKind, source: TableSource): string {
  if (kind === 'spark') {
    const run =
      source.kind === 'sql' ? `spark.sql(${scalaStringLiteral(source.sql)})` : `(${source.expression})`;
    return `{ ${run}; () }`;
  }
  return `_glue_kernel_quiet = ${pythonSourceExpression(source)}\ndel _glue_kernel_quiet\n`;
}

export function tableCode(kind: KernelKind, query: TableQuery): string {
  return kind === 'spark' ? scalaTableCode(query) : pythonTableCode(query);
}

/** The JSON text between the markers, and the output without it (what the user printed). */
export function extractMarked(text: string, marker: string): { json: string; rest: string } | undefined {
  const start = text.indexOf(marker);
  if (start < 0) return undefined;
  const end = text.indexOf(marker, start + marker.length);
  if (end < 0) return undefined;
  const json = text.slice(start + marker.length, end);
  let after = end + marker.length;
  if (text[after] === '\r') after++;
  if (text[after] === '\n') after++;
  return { json, rest: text.slice(0, start) + text.slice(after) };
}
