// Magics every backend understands: help, session status and stop, and SQL.
import { noArguments } from './args';
import { helpMarkdown, helpText, MagicRegistry } from './registry';
import { defineMagic, MagicUsageError, type AnyMagic } from './types';

/** %%sql wraps its body as the reference does, so it runs on Spark in Python and Scala. */
export function sqlStatement(body: string): string {
  const sql = body.trim();
  if (sql === '') throw new MagicUsageError('%%sql needs a SQL query in the cell body.', '%%sql\nSELECT …');
  if (sql.includes('"""')) {
    throw new MagicUsageError(
      'The SQL text cannot contain """ (it is passed to spark.sql as a triple-quoted string).',
    );
  }
  return `spark.sql("""${sql}""").show()`;
}

export const coreMagics: AnyMagic[] = [
  defineMagic<void>({
    name: 'help',
    kind: 'line',
    group: 'Help',
    usage: '%help',
    summary: 'Lists every magic with its syntax.',
    parse: noArguments('%help'),
    run(_args, ctx) {
      const registry = new MagicRegistry(ctx.registry.all());
      ctx.sink.displayData({ 'text/markdown': helpMarkdown(registry), 'text/plain': helpText(registry) });
    },
  }),
  defineMagic<void>({
    name: 'status',
    kind: 'line',
    group: 'Sessions',
    usage: '%status',
    summary: 'Shows the current session: id, status, settings and where it runs.',
    parse: noArguments('%status'),
    async run(_args, ctx) {
      const summary = await ctx.backend.describe(ctx.signal);
      if (!summary) {
        ctx.say('There is no current session.');
        return;
      }
      const width = Math.max(...summary.rows.map(([label]) => label.length));
      const indent = ' '.repeat(width + 2);
      ctx.say(
        summary.rows
          .map(([label, value]) => `${label.padEnd(width)}  ${value.split('\n').join(`\n${indent}`)}`)
          .join('\n'),
      );
    },
  }),
  defineMagic<void>({
    name: 'stop_session',
    kind: 'line',
    group: 'Sessions',
    usage: '%stop_session',
    summary: 'Stops the current session; the next code cell starts a new one (variables are lost).',
    parse: noArguments('%stop_session'),
    async run(_args, ctx) {
      const stopped = await ctx.backend.stopSession(ctx.notify);
      if (!stopped) ctx.say('There is no current session.');
    },
  }),
  defineMagic<string>({
    name: 'sql',
    kind: 'cell',
    group: 'Running code',
    usage: '%%sql',
    summary: 'Runs the cell body as Spark SQL and shows the result table (spark.sql(…).show()).',
    parse: (_argText, body) => sqlStatement(body),
    async run(code, ctx) {
      await ctx.runStatement(code);
    },
  }),
];
