// The magic and settings reference in README.md and docs/magics.md are generated from the
// code (`npm run docs`); this fails when someone changes a magic or setting without them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { magicsDocument, REPO_ROOT, updateReadme } from '../../../src/cli/docs-command';
import { SETTING_NAMES } from '../../../src/config';
import { createRegistry } from '../../../src/magics';

test('docs/magics.md is up to date with the magic definitions', () => {
  const committed = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'magics.md'), 'utf8');
  assert.equal(committed, magicsDocument(), 'run `npm run docs` and commit the result');
});

test('the README magic and settings tables are up to date', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, updateReadme(readme), 'run `npm run docs` and commit the result');
  for (const magic of createRegistry('pyspark').all()) {
    assert.ok(readme.includes(magic.usage.split('\n')[0].replace(/\|/g, '\\|')), `README lists ${magic.name}`);
  }
  for (const name of SETTING_NAMES) assert.ok(readme.includes(`| \`${name}\` |`), `README lists setting ${name}`);
});
