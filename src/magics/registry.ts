// The registry of magic definitions: lookup with "did you mean", completion, inspection,
// %help and the generated reference docs all come from the same definitions.
import { suggestKey } from '../config';
import { MagicUsageError, type AnyMagic, type MagicKind } from './types';
import { SESSION_MAGICS } from './cell-splitter';
import { markdownCode, markdownText } from './markdown';
import { naturalCompare } from './natural-order';

/** The closest candidate within a sensible distance, for "did you mean" messages. */
export const nearest = suggestKey;

export function prefixOf(kind: MagicKind): string {
  return kind === 'cell' ? '%%' : '%';
}

export class MagicRegistry {
  private readonly byKey = new Map<string, AnyMagic>();

  constructor(definitions: readonly AnyMagic[] = []) {
    for (const d of definitions) this.add(d);
  }

  add(definition: AnyMagic): void {
    const key = prefixOf(definition.kind) + definition.name;
    if (this.byKey.has(key)) throw new Error(`magic ${key} is defined twice`);
    this.byKey.set(key, definition);
  }

  all(): readonly AnyMagic[] {
    return [...this.byKey.values()];
  }

  /** Every name as typed, with its % or %%, including the session magics. */
  names(): string[] {
    return [...this.byKey.keys(), ...[...SESSION_MAGICS].map((n) => `%${n}`)];
  }

  find(name: string, kind: MagicKind): AnyMagic | undefined {
    return this.byKey.get(prefixOf(kind) + name);
  }

  /** The magic, or a usage error that suggests the nearest name. */
  resolve(name: string, kind: MagicKind): AnyMagic {
    const found = this.find(name, kind);
    if (found) return found;
    const typed = prefixOf(kind) + name;
    const other = this.find(name, kind === 'cell' ? 'line' : 'cell');
    if (other) {
      throw new MagicUsageError(
        `${typed} is a ${other.kind} magic: write it as ${prefixOf(other.kind)}${name}.`,
        other.usage,
      );
    }
    const suggestion = nearest(typed, this.names());
    throw new MagicUsageError(
      `Unknown magic ${typed}.` +
        (suggestion ? ` Did you mean ${suggestion}?` : '') +
        ' Run %help to list the magics.',
    );
  }

  /** Candidates for the word being typed: magic names, or a magic's argument values. */
  complete(lineBeforeCursor: string): { matches: string[]; replaceFrom: number } {
    const trimmedStart = lineBeforeCursor.length - lineBeforeCursor.trimStart().length;
    const line = lineBeforeCursor.slice(trimmedStart);
    const nameMatch = /^(%%?[\w-]*)$/.exec(line);
    if (nameMatch) {
      const typed = nameMatch[1];
      const matches = this.names()
        .filter((n) => n.startsWith(typed))
        .sort(naturalCompare);
      return { matches, replaceFrom: trimmedStart };
    }
    const argMatch = /^(%%?)([\w-]+)\s+(.*)$/s.exec(line);
    if (argMatch) {
      const magic = this.find(argMatch[2], argMatch[1] === '%%' ? 'cell' : 'line');
      if (magic?.complete) {
        const partial = argMatch[3];
        const wordStart = partial.search(/[^\s,=]*$/);
        const word = partial.slice(wordStart);
        const matches = magic
          .complete(word)
          .filter((c) => c.startsWith(word))
          .sort(naturalCompare);
        return { matches, replaceFrom: lineBeforeCursor.length - word.length };
      }
    }
    return { matches: [], replaceFrom: lineBeforeCursor.length };
  }

  /** Help for the magic named in the text, as plain text and markdown. */
  inspect(token: string): { plain: string; markdown: string } | undefined {
    const match = /^(%%?)([\w-]+)/.exec(token.trim());
    if (!match) return undefined;
    const magic =
      this.find(match[2], match[1] === '%%' ? 'cell' : 'line') ??
      this.find(match[2], 'line') ??
      this.find(match[2], 'cell');
    if (!magic) return undefined;
    const markdown = magicMarkdown(magic);
    const plain = `${magic.usage}\n\n${magic.summary}${magic.details ? `\n\n${magic.details}` : ''}`;
    return { plain, markdown };
  }
}

/** A usage as Markdown: inline code for one line, a code block for a usage with a body. */
export function usageMarkdown(usage: string): string {
  return usage.includes('\n') ? `\`\`\`\n${usage}\n\`\`\`` : markdownCode(usage);
}

export function magicMarkdown(magic: AnyMagic): string {
  const where = magic.backends ? `\n\n_Backends: ${magic.backends.join(', ')}._` : '';
  return `${usageMarkdown(magic.usage)}\n\n${markdownText(magic.summary)}${magic.details ? `\n\n${magic.details}` : ''}${where}`;
}

function groupsOf(registry: MagicRegistry): Map<string, AnyMagic[]> {
  const groups = new Map<string, AnyMagic[]>();
  for (const magic of registry.all()) {
    const list = groups.get(magic.group) ?? [];
    list.push(magic);
    groups.set(magic.group, list);
  }
  return groups;
}

const SESSION_MAGIC_ROWS: readonly (readonly [string, string])[] = [
  [
    '%matplot <figure>',
    'Runs in the session after the code before it: renders a matplotlib figure (or plt) as a PNG.',
  ],
  ['%plotly <figure>', 'Runs in the session: renders a plotly figure as HTML.'],
];

/** The %help text and docs/magics.md body: grouped tables generated from the definitions. */
export function helpMarkdown(registry: MagicRegistry, title = 'glue-kernel magics'): string {
  const table = (rows: readonly (readonly [string, string])[]): string =>
    '| magic | what it does |\n| --- | --- |\n' +
    rows.map(([usage, summary]) => `| ${markdownCode(usage)} | ${markdownText(summary)} |`).join('\n');
  const sections = [...groupsOf(registry).entries()].map(
    ([group, magics]) => `## ${group}\n\n${table(magics.map((m) => [m.usage, m.summary] as const))}`,
  );
  const session = `## Session magics\n\n${table(SESSION_MAGIC_ROWS)}`;
  return [`# ${title}`, ...sections, session].join('\n\n') + '\n';
}

/** The %help text for text/plain frontends (jupyter console, logs): no Markdown syntax. */
export function helpText(registry: MagicRegistry, title = 'glue-kernel magics'): string {
  const sections = [...groupsOf(registry).entries()].map(([group, magics]) => {
    const rows = magics.map((m) => [m.usage.replace(/\n/g, ' '), m.summary] as const);
    return `${group}\n${rows.map(([usage, summary]) => `  ${usage}\n      ${summary}`).join('\n')}`;
  });
  const session = `Session magics\n${SESSION_MAGIC_ROWS.map(([u, s]) => `  ${u}\n      ${s}`).join('\n')}`;
  return [title, ...sections, session].join('\n\n') + '\n';
}
