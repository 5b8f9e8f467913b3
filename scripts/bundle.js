// Bundles the compiled CLI into one file for the kernelspec to start: one file loads in a
// third of the time of ~150 small modules, which is most of the kernel's start-up time.
// The bundle sits next to main.js so every path computed from __dirname stays valid.
// zeromq (a native addon) and the AWS SDK (loaded lazily, on the first AWS call) stay outside.
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile: path.join(root, 'dist', 'src', 'cli', 'main.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['zeromq', '@aws-sdk/*', '@smithy/*'],
  logLevel: 'warning',
});
