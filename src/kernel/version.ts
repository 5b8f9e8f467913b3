// The package version, read once from package.json (two levels above dist/src/kernel).
import * as fs from 'node:fs';
import * as path from 'node:path';

function readVersion(): string {
  for (const candidate of [
    path.join(__dirname, '..', '..', '..', 'package.json'),
    path.join(__dirname, '..', '..', 'package.json'),
  ]) {
    try {
      const parsed = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'glue-kernel' && parsed.version) return parsed.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

export const KERNEL_VERSION = readVersion();
