// Magics every backend understands: help, session status and stop.
import { noArguments } from './args';
import { helpMarkdown, helpText, MagicRegistry } from './registry';
import { defineMagic, type AnyMagic } from './types';

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
];
