// Plain text placed in Markdown (%help, the README tables, docs/magics.md) must render as
// written: "<prefix>-<id>" is not an HTML tag and the "\." of a pattern keeps its backslash.

/** Escapes text so that Markdown (GitHub, JupyterLab) shows it literally, table cells included. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/** Inline code for text that may itself contain backticks or pipes (table cells). */
export function markdownCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${pad}${fence}`;
}
