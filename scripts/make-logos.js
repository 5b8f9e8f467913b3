// Draws the kernelspec logos (a rounded tile with a spark) into assets/kernelspec.
// Run once when the design changes: node scripts/make-logos.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x / size, y / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A rounded tile with a four-pointed white spark: purple (Glue's colour family) for PySpark,
// orange (Scala's) for Spark, so the two kernels are told apart at a glance in the launcher.
const PALETTES = {
  pyspark: { from: [140, 79, 255], to: [80, 49, 215], svg: ['#8c4fff', '#5031d7'] },
  spark: { from: [255, 140, 40], to: [215, 70, 30], svg: ['#ff8c28', '#d7461e'] },
};

const logoFor = (palette) => (u, v) => {
  const r = 0.18;
  const dx = Math.max(r - u, u - (1 - r), 0);
  const dy = Math.max(r - v, v - (1 - r), 0);
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  const cx = Math.abs(u - 0.5),
    cy = Math.abs(v - 0.5);
  const spark = Math.sqrt(cx) + Math.sqrt(cy) < Math.sqrt(0.3);
  if (spark) return [255, 255, 255, 255];
  const t = (u + v) / 2;
  const mix = (i) => Math.round(palette.from[i] + (palette.to[i] - palette.from[i]) * t);
  return [mix(0), mix(1), mix(2), 255];
};

for (const [kind, palette] of Object.entries(PALETTES)) {
  const out = path.join(__dirname, '..', 'assets', 'kernelspec', kind);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'logo-32x32.png'), png(32, logoFor(palette)));
  fs.writeFileSync(path.join(out, 'logo-64x64.png'), png(64, logoFor(palette)));
  fs.writeFileSync(
    path.join(out, 'logo-svg.svg'),
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${palette.svg[0]}"/><stop offset="1" stop-color="${palette.svg[1]}"/></linearGradient></defs><rect width="64" height="64" rx="12" fill="url(#g)"/><path d="M32 8 C34 26 38 30 56 32 C38 34 34 38 32 56 C30 38 26 34 8 32 C26 30 30 26 32 8 Z" fill="#fff"/></svg>\n`,
  );
  console.log('logos written to', out);
}
