// The string literals of generated code, read back by the languages themselves: Python parses
// each Python literal; javac compiles each Scala literal. Java's lexer has the rules that make
// Scala 2.12 literals hard (the \uXXXX pre-pass with its even-backslash rule; no raw line ends;
// the same \\ \" \n \r \t \b \f escapes), so a literal Java reads back unchanged reads back
// unchanged in Glue's Scala too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pythonStringLiteral, scalaStringLiteral } from '../../../src/magics/literals';
import { hasExecutable, need, runnerPython } from '../../helpers/tools';

const HOSTILE = [
  '',
  'SELECT 1 AS "x"',
  "SELECT length('a\\\\b') AS n",
  'ends with a backslash \\',
  '"""triple""" and \'\'\'single\'\'\'',
  "SELECT regexp_replace(s, '\\\\.', '') FROM t",
  'line one\nline two\r\nthree\ttab',
  'unicode escape as text: \\u0022 \\u000a \\\\u0041',
  'controls: \u0000 \u0001 \u001b \u007f \u0085 \b \f',
  'separators: \u2028 \u2029',
  'non-ASCII: é ß 漢字 😀',
  '${interpolation} $x s"x" f"{y}"',
  '*/ /* -- # comment',
];

test('Python reads each Python literal back as the exact text', (t) => {
  const python = runnerPython();
  if (!need(t, hasExecutable(python) || fs.existsSync(python), 'python3')) return;
  const program = `import json\nprint(json.dumps([${HOSTILE.map(pythonStringLiteral).join(', ')}]))\n`;
  const result = spawnSync(python, ['-c', program], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), HOSTILE);
});

test('Python literals never span lines and turn lone surrogates into U+FFFD', () => {
  for (const text of HOSTILE) assert.doesNotMatch(pythonStringLiteral(text), /[\n\r\u2028\u2029]/);
  assert.equal(pythonStringLiteral('a\ud800b'), '"a\ufffdb"');
});

test('javac reads each Scala literal back as the exact text', (t) => {
  if (!need(t, hasExecutable('java') || undefined, 'a JDK (java)')) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-kernel-literals-'));
  try {
    const file = path.join(dir, 'Literals.java');
    const items = HOSTILE.map(scalaStringLiteral).join(',\n      ');
    // Each value as UTF-16 code units in hex, so the comparison does not depend on encodings.
    fs.writeFileSync(
      file,
      `public class Literals {
  public static void main(String[] args) {
    String[] values = {
      ${items}
    };
    for (String v : values) {
      StringBuilder b = new StringBuilder();
      for (char c : v.toCharArray()) b.append(String.format("%04x", (int) c));
      System.out.println(b);
    }
  }
}
`,
    );
    const result = spawnSync('java', ['-Dfile.encoding=UTF-8', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const units = (s: string): string =>
      [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');
    assert.deepEqual(result.stdout.split('\n').slice(0, HOSTILE.length), HOSTILE.map(units));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Scala literals escape every backslash, so a typed \\u0022 stays text', () => {
  assert.equal(scalaStringLiteral('\\u0022'), '"\\\\u0022"');
  assert.equal(scalaStringLiteral('say "hi"\n'), '"say \\"hi\\"\\n"');
  assert.equal(scalaStringLiteral('\u0000'), '"\\u0000"');
  for (const text of HOSTILE) assert.doesNotMatch(scalaStringLiteral(text), /[\n\r]/);
});
