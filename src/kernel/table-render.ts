// A result table as a Jupyter display: an HTML table (every value escaped, names and types in
// the header, numbers on the right, NULL marked) and a text/plain table beside it for terminals
// and saved notebooks, with a line saying how many rows are shown and whether more exist.
// Output is bounded: long values are cut (saying how long they were), and rows stop before
// either rendering passes its byte budget, so a wide or hostile result cannot flood iopub.
import type { MimeBundle } from '../jupyter/interpreter';
import { isNumericType, type ResultTable, type TableValue } from './result-table';

export interface TableRenderOptions {
  /** Rows the user asked for; the table may hold one more (which means more exist). */
  limit: number;
  /** Longest value shown in the HTML table, in characters (default 1,000). */
  htmlCellChars?: number;
  /** Widest text/plain column (default 40). */
  textCellChars?: number;
  /** Budgets of the two renderings as bytes of the JSON message (default 3.2 MB and 1.5 MB: under 5 MB together). */
  htmlBudget?: number;
  textBudget?: number;
}

const DEFAULTS = { htmlCellChars: 1000, textCellChars: 40, htmlBudget: 3_200_000, textBudget: 1_500_000 };

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : text;
}

/** C0 controls (but tab and newline), DEL and C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Control characters as visible symbols (NUL → ␀), never sent raw. */
function showControls(text: string): string {
  if (!CONTROLS.test(text)) return text;
  return text.replace(new RegExp(CONTROLS.source, 'g'), (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/** A value's text, at most maxChars long, and its full length when it was cut. */
function valueText(value: Exclude<TableValue, null>, maxChars: number): { text: string; cutFrom?: number } {
  let text: string;
  let length: number;
  if (typeof value === 'object') {
    text = value.text;
    length = value.length;
  } else {
    text = typeof value === 'string' ? value : String(value);
    length = text.length;
  }
  if (text.length > maxChars) text = text.slice(0, maxChars);
  text = showControls(text);
  return length > text.length ? { text, cutFrom: length } : { text };
}

const number = new Intl.NumberFormat('en-US');

function htmlCell(value: TableValue, open: string, maxChars: number): string {
  if (value === null) return `${open}<em>NULL</em></td>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${open}${String(value)}</td>`;
  const v = valueText(value, maxChars);
  const cut = v.cutFrom !== undefined ? `… <em>(${number.format(v.cutFrom)} characters)</em>` : '';
  return `${open}${escapeHtml(v.text)}${cut}</td>`;
}

const LINE_BREAKS = /[\r\n\t]/;

function textCell(value: TableValue, maxChars: number): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') {
    const text = String(value);
    return text.length > maxChars ? text.slice(0, maxChars - 1) + '…' : text;
  }
  const v = valueText(value, maxChars);
  const flat = LINE_BREAKS.test(v.text) ? v.text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' ') : v.text;
  if (flat.length > maxChars || v.cutFrom !== undefined) return flat.slice(0, maxChars - 1) + '…';
  return flat;
}

function rowCountLine(shown: number, fetched: number, limit: number, budgetCut: boolean): string {
  const rows = (n: number): string => `${number.format(n)} ${n === 1 ? 'row' : 'rows'}`;
  const more = fetched > limit;
  if (shown === 0) return more ? 'No rows shown; more exist.' : 'No rows.';
  if (budgetCut)
    return `Showing the first ${rows(shown)} (the output size limit); ${more ? 'more exist' : `${number.format(fetched)} were fetched`}.`;
  if (more) return `Showing the first ${rows(shown)}; more exist.`;
  return `${rows(shown)}.`;
}

/** The bytes a string takes in the JSON of the iopub message (escapes included, quotes not). */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The display bundle of a result table. */
export function renderTable(table: ResultTable, options: TableRenderOptions): MimeBundle {
  const o = { ...DEFAULTS, ...options };
  const { columns } = table;
  if (columns.length === 0) {
    const text = 'The statement returned no columns.';
    return { 'text/plain': text, 'text/html': `<p>${text}</p>` };
  }
  const right = columns.map((c) => isNumericType(c.type));
  const opens = right.map((r) => `<td style="text-align:${r ? 'right' : 'left'}">`);
  const candidates = table.rows.slice(0, o.limit);

  const header =
    '<thead><tr>' +
    columns
      .map(
        (c, i) =>
          `<th style="text-align:${right[i] ? 'right' : 'left'}">${escapeHtml(showControls(c.name))}` +
          `<br><span style="font-weight:normal">${escapeHtml(showControls(c.type))}</span></th>`,
      )
      .join('') +
    '</tr></thead>';

  // Text cells first: the column widths decide each text row's length, hence the text budget.
  const textRows = candidates.map((r) => r.map((v) => textCell(v, o.textCellChars)));
  const names = columns.map((c) => textCell(c.name, o.textCellChars));
  const types = columns.map((c) => textCell(c.type, o.textCellChars));
  const widths = columns.map((_c, i) => Math.max(names[i].length, types[i].length));
  for (const row of textRows)
    for (let i = 0; i < row.length; i++) if (row[i].length > widths[i]) widths[i] = row[i].length;
  const textLine = (cells: readonly string[]): string => {
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += '  ';
      line += right[i] ? cells[i].padStart(widths[i]) : cells[i].padEnd(widths[i]);
    }
    return line.trimEnd();
  };

  const htmlRows: string[] = [];
  const textLines: string[] = [textLine(names), textLine(types), textLine(widths.map((w) => '-'.repeat(w)))];
  let htmlBytes = header.length + 200;
  let textBytes = textLines.reduce((n, l) => n + jsonBytes(l) + 2, 100);
  let budgetCut = false;
  for (let r = 0; r < candidates.length; r++) {
    let html = '<tr>';
    const row = candidates[r];
    for (let i = 0; i < row.length; i++) html += htmlCell(row[i], opens[i], o.htmlCellChars);
    html += '</tr>';
    const text = textLine(textRows[r]);
    const htmlSize = jsonBytes(html);
    const textSize = jsonBytes(text) + 2;
    if (htmlBytes + htmlSize > o.htmlBudget || textBytes + textSize > o.textBudget) {
      budgetCut = true;
      break;
    }
    htmlRows.push(html);
    textLines.push(text);
    htmlBytes += htmlSize;
    textBytes += textSize;
  }
  const summary = rowCountLine(htmlRows.length, table.rows.length, o.limit, budgetCut);
  const html =
    `<table class="glue-kernel-table">${header}<tbody>${htmlRows.join('')}</tbody></table>` +
    `<p>${escapeHtml(summary)}</p>`;
  return { 'text/html': html, 'text/plain': `${textLines.join('\n')}\n${summary}` };
}
