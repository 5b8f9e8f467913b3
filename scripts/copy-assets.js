// Copies the non-TypeScript files the compiled package needs into dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const copies = [['src/runner/runner.py', 'dist/src/runner/runner.py']];
for (const [from, to] of copies) {
  const source = path.join(root, from);
  if (!fs.existsSync(source)) continue;
  fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
  fs.copyFileSync(source, path.join(root, to));
}
