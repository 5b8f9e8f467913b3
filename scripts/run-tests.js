// Runs every compiled test file under dist/test with Node's test runner.
// Usage: node scripts/run-tests.js [unit|integration|PATH-FILTER ...]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'dist', 'test');
function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = find(root)
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort();
if (files.length === 0) {
  console.error('No test files found (did the build run?).');
  process.exit(1);
}
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
};
// Tests that npm-install a fresh clone take minutes on a busy machine: they get their own,
// longer limit (node's --test-timeout also bounds each file as a whole).
const SLOW = /readme-demo\.test\.js$/;
let status = 0;
for (const [group, timeout] of [
  [files.filter((f) => !SLOW.test(f)), 300_000],
  [files.filter((f) => SLOW.test(f)), 1_800_000],
]) {
  if (group.length === 0) continue;
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=2', `--test-timeout=${timeout}`, '--test-reporter=spec', ...group],
    { stdio: 'inherit', env },
  );
  status = status || (result.status ?? 1);
}
process.exit(status);
