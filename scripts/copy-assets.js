// Copies the non-TypeScript files the compiled package needs into dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const copies = [
  ['src/runner/runner.py', 'dist/src/runner/runner.py'],
  // The pyspark shim and awsglue compatibility packages runner.py puts on sys.path.
  ['src/runner/python', 'dist/src/runner/python'],
];
for (const [from, to] of copies) {
  const source = path.join(root, from);
  if (!fs.existsSync(source)) continue;
  const target = path.join(root, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.statSync(source).isDirectory()) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(source, target, { recursive: true, filter: (file) => !file.includes('__pycache__') });
  } else {
    fs.copyFileSync(source, target);
  }
}
