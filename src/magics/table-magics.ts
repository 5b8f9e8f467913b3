// %%sql, %display and %%local: a query result or DataFrame shown as a table, and a Python
// process on this machine beside the session, where -o puts results as pandas DataFrames
// (sparkmagic's %%sql -o and %%local).
import {
  isNumericType,
  parseTableDocument,
  TableDocumentError,
  type ResultTable,
} from '../kernel/result-table';
import { renderTable } from '../kernel/table-render';
import { pythonStringLiteral } from './literals';
import {
  DISPLAY_USAGE,
  parseDisplayArguments,
  parseSqlOptions,
  SQL_USAGE,
  type TableOptions,
} from './table-args';
import { extractMarked, newMarker, quietCode, tableCode, type TableSource } from './table-query';
import { defineMagic, MagicFailure, MagicUsageError, type AnyMagic, type MagicContext } from './types';

/** Rows -o fetches for the local DataFrame when -n does not say. */
export const LOCAL_OUTPUT_ROWS = 2500;
/** Longest value the session sends for a shown table, and for a -o DataFrame. */
const SHOWN_CELL_CHARS = 1000;
const OUTPUT_CELL_CHARS = 100_000;

interface TableRequest {
  source: TableSource;
  options: TableOptions;
}

function sourceText(source: TableSource): string {
  return source.kind === 'sql' ? source.sql : source.expression;
}

/** The engine's message and the user's own text: no wrapper code, no engine-internal frames. */
function sessionError(source: TableSource, ename: string, evalue: string): MagicFailure {
  const label = source.kind === 'sql' ? 'In the query:' : 'In the expression:';
  const shown = sourceText(source)
    .split('\n')
    .map((l) => `    ${l}`);
  return new MagicFailure(evalue, ename, [`${ename}: ${evalue}`, '', label, ...shown]);
}

/** What the user's code printed, shown as it would be without the magic. */
function showPrinted(ctx: MagicContext, stdout: string, stderr: string): void {
  if (stdout.trim() !== '') ctx.sink.stream('stdout', stdout.endsWith('\n') ? stdout : `${stdout}\n`);
  if (stderr.trim() !== '') ctx.sink.stream('stderr', stderr.endsWith('\n') ? stderr : `${stderr}\n`);
}

/** Python that binds NAME to the rows as a pandas DataFrame, typed from the column types. */
export function localFrameCode(name: string, table: ResultTable): string {
  const columns = table.columns.map((c) => ({
    name: c.name,
    kind: isNumericType(c.type)
      ? 'number'
      : /^(date|timestamp)/i.test(c.type)
        ? 'datetime'
        : /^bool/i.test(c.type)
          ? 'bool'
          : 'other',
  }));
  const rows = table.rows.map((r) => r.map((v) => (v !== null && typeof v === 'object' ? v.text : v)));
  const document = JSON.stringify({ columns, rows });
  return `def _glue_kernel_frame(document):
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "-o needs pandas in the local Python (%s); install it there, or set glue_python" % __import__("sys").executable
        ) from None
    columns = document["columns"]
    frame = pandas.DataFrame(document["rows"], columns=[c["name"] for c in columns])
    for i, c in enumerate(columns):
        values = frame.iloc[:, i]
        if not (pandas.api.types.is_object_dtype(values) or pandas.api.types.is_string_dtype(values)):
            continue
        if c["kind"] == "number":
            frame.isetitem(i, pandas.to_numeric(values, errors="coerce"))
        elif c["kind"] == "datetime":
            frame.isetitem(i, pandas.to_datetime(values, errors="coerce"))
        elif c["kind"] == "bool":
            frame.isetitem(i, values.map({"true": True, "false": False, True: True, False: False}))
    return frame
try:
    ${name} = _glue_kernel_frame(__import__("json").loads(${pythonStringLiteral(document)}))
finally:
    del _glue_kernel_frame
`;
}

async function showTable(request: TableRequest, ctx: MagicContext): Promise<void> {
  const { source, options } = request;
  if (options.quiet && options.output === undefined) {
    const captured = await ctx.runCaptured(quietCode(ctx.kind, source));
    showPrinted(ctx, captured.stdout + (captured.output.Data?.TextPlain ?? ''), captured.stderr);
    const output = captured.output;
    if ((output.Status ?? 'ok').toLowerCase() !== 'ok')
      throw sessionError(source, output.ErrorName || 'Error', output.ErrorValue ?? '');
    return;
  }
  const shownRows = options.rows ?? (await ctx.resolveSettings()).values.sql_rows;
  const fetchRows =
    options.output === undefined ? shownRows : (options.rows ?? Math.max(shownRows, LOCAL_OUTPUT_ROWS));
  const marker = newMarker();
  const cellChars = options.output === undefined ? SHOWN_CELL_CHARS : OUTPUT_CELL_CHARS;
  const captured = await ctx.runCaptured(
    tableCode(ctx.kind, { source, limit: fetchRows, cellChars, marker }),
  );
  const data = captured.output.Data ?? {};
  const printed = [captured.stdout, data.StdOut ?? '', data.TextPlain ?? ''].join('');
  const found = extractMarked(printed, marker);
  showPrinted(ctx, found ? found.rest : printed, [captured.stderr, data.StdErr ?? ''].join(''));
  const output = captured.output;
  if ((output.Status ?? 'ok').toLowerCase() !== 'ok')
    throw sessionError(source, output.ErrorName || 'Error', output.ErrorValue ?? '');
  if (!found) {
    throw new MagicFailure(
      'The session did not return the result table (its output, if any, is shown above).',
      'TableError',
    );
  }
  let table: ResultTable;
  try {
    table = parseTableDocument(found.json);
  } catch (error) {
    if (error instanceof TableDocumentError)
      throw new MagicFailure(`The session's result table could not be read: ${error.message}.`, 'TableError');
    throw error;
  }
  if (!options.quiet) ctx.sink.displayData(renderTable(table, { limit: shownRows }));
  if (options.output !== undefined) {
    const rows = table.rows.slice(0, fetchRows);
    await ctx.runLocal(localFrameCode(options.output, { columns: table.columns, rows }));
  }
}

function sqlBody(body: string): string {
  // Only surrounding blank lines go: the query itself is sent exactly as typed.
  const sql = body.replace(/^\s*\n/, '').trimEnd();
  if (sql.trim() === '')
    throw new MagicUsageError('%%sql needs a SQL query in the cell body.', `${SQL_USAGE}\nSELECT …`);
  return sql;
}

export const tableMagics: AnyMagic[] = [
  defineMagic<TableRequest>({
    name: 'sql',
    kind: 'cell',
    group: 'Running code',
    usage: SQL_USAGE,
    summary:
      'Runs the cell body as Spark SQL, exactly as typed, and shows the result as a table (first 20 rows: glue_sql_rows).',
    details:
      '`-n ROWS` shows up to ROWS rows (1–10,000) for this cell. `-o NAME` also puts the result into the ' +
      'local Python of `%%local` as a pandas DataFrame NAME (up to `-n` rows, else 2,500). `-q` shows no ' +
      'table. The rows come back from the session as JSON, so this works on Glue, the emulator and the ' +
      'local backend, in PySpark and Scala sessions.',
    parse: (argText, body) => ({
      source: { kind: 'sql', sql: sqlBody(body) },
      options: parseSqlOptions(argText),
    }),
    run: (request, ctx) => showTable(request, ctx),
  }),
  defineMagic<TableRequest>({
    name: 'display',
    kind: 'line',
    group: 'Running code',
    usage: DISPLAY_USAGE,
    summary: 'Shows a DataFrame of the session (Spark or pandas) as a table, with the options of %%sql.',
    details:
      'The expression is evaluated in the session, e.g. `%display df.filter(df.x > 1) -n 50`. ' +
      '`-o NAME` puts the rows into the local Python of `%%local` as a pandas DataFrame.',
    parse: (argText) => {
      const { expression, options } = parseDisplayArguments(argText);
      return { source: { kind: 'expression', expression }, options };
    },
    run: (request, ctx) => showTable(request, ctx),
  }),
  defineMagic<string>({
    name: 'local',
    kind: 'cell',
    group: 'Running code',
    usage: '%%local',
    summary:
      'Runs the cell in a Python process on this machine, beside the session (where %%sql -o puts its results).',
    details:
      'The process starts on first use (with `glue_python`) and stops with the kernel. Its output shows ' +
      'like any other cell’s; open matplotlib figures are shown as images after the cell.',
    parse: (argText, body) => {
      if (argText.trim() !== '')
        throw new MagicUsageError(`%%local takes no argument (got "${argText.trim()}").`, '%%local');
      if (body.trim() === '')
        throw new MagicUsageError('%%local needs Python code in the cell body.', '%%local');
      return body;
    },
    run: (code, ctx) => ctx.runLocal(code),
  }),
];
