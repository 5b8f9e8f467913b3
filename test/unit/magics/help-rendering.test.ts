// Issue 7.9: %help, the README tables and docs/magics.md show placeholders and patterns as
// written: "<prefix>-<id>" is not swallowed as an HTML tag and "\." keeps its backslash.
// Rendered by mistune (nbconvert's Markdown renderer, from the JupyterLab venv) with tables.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { magicsDocument, readmeSettingsTable } from '../../../src/cli/docs-command';
import { createRegistry, helpMarkdown } from '../../../src/magics';
import { helpText } from '../../../src/magics/registry';
import { markdownText } from '../../../src/magics/markdown';
import { need, REPO_ROOT } from '../../helpers/tools';

const LAB_PYTHON = path.join(REPO_ROOT, '.venv-lab', 'bin', 'python');

function renderedText(markdown: string): string | undefined {
  const script =
    'import html, re, sys, mistune\n' +
    // escape=False: raw HTML passes as CommonMark (GitHub, JupyterLab) allows it, so an
    // unescaped <prefix> would be taken as a tag and disappear below.
    "md = mistune.create_markdown(escape=False, plugins=['table'])\n" +
    'out = md(sys.stdin.read())\n' +
    "sys.stdout.write(html.unescape(re.sub(r'<[^>]+>', '', out)))\n";
  const r = spawnSync(LAB_PYTHON, ['-c', script], { input: markdown, encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout : undefined;
}

const LITERALS = ['<prefix>-<id>', '^(\\w+\\.)+\\w+$', 'worker_type'];
const USAGES = [
  '%endpoint <https://endpoint-url>',
  '%session_type <session-type>',
  '%reconnect <session-id>',
];

test('placeholders and patterns survive Markdown rendering in %help, README and docs', (t) => {
  const python = need(t, fs.existsSync(LAB_PYTHON) ? LAB_PYTHON : undefined, 'the JupyterLab venv (mistune)');
  if (!python) return;
  const registry = createRegistry('pyspark');
  for (const [name, markdown, literals] of [
    ['%help', helpMarkdown(registry), [...LITERALS, ...USAGES]],
    ['docs/magics.md', magicsDocument(), [...LITERALS, ...USAGES, 'glue.<region>.amazonaws.com']],
    ['README settings table', readmeSettingsTable(), LITERALS],
  ] as const) {
    const text = renderedText(markdown);
    assert.ok(text !== undefined, `${name}: mistune failed`);
    for (const literal of literals) assert.ok(text.includes(literal), `${name} renders ${literal} literally`);
  }
});

test('markdownText escapes what Markdown would eat, and the plain %help has no Markdown', () => {
  assert.equal(markdownText('a <b> c_d *e* \\. |'), 'a \\<b\\> c\\_d \\*e\\* \\\\. \\|');
  const plain = helpText(createRegistry('pyspark'));
  assert.match(plain, /Prefix of new session ids: <prefix>-<id>\./);
  assert.match(plain, /\^\(\\w\+\\\.\)\+\\w\+\$/);
  assert.doesNotMatch(plain, /\\<|\| --- \||\\_/);
});
