#!/usr/bin/env node
// Draws media/icon.png (128x128, a rounded chat bubble with three dots) with nothing but zlib, so
// the marketplace icon is reproducible from source: `node scripts/make-icon.mjs`.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const SIZE = 128;
const SS = 4; // supersampling per axis for smooth edges

// Signed-distance helpers: negative inside.
const roundedRect = (x, y, cx, cy, hw, hh, r) => {
  const dx = Math.abs(x - cx) - (hw - r);
  const dy = Math.abs(y - cy) - (hh - r);
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
// The bubble's tail: a triangle below-left of the body.
function inTail(x, y) {
  const [ax, ay, bx, by, cx, cy] = [34, 86, 58, 86, 28, 112];
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

function shade(x, y) {
  // Background: a rounded square with a diagonal teal-to-indigo gradient.
  if (roundedRect(x, y, 64, 64, 64, 64, 24) > 0) return [0, 0, 0, 0];
  const t = (x + y) / (2 * SIZE);
  let rgb = [Math.round(20 + 60 * t), Math.round(150 - 70 * t), Math.round(160 + 60 * t)];
  const bubble = roundedRect(x, y, 64, 60, 42, 30, 16) <= 0 || inTail(x, y);
  if (bubble) rgb = [250, 250, 252];
  for (const cx of [44, 64, 84]) if (circle(x, y, cx, 60, 7) <= 0) rgb = [40, 90, 170];
  return [...rgb, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const p = shade(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
      // Premultiply so transparent samples do not darken the edge.
      for (let i = 0; i < 3; i++) acc[i] += p[i] * p[3];
      acc[3] += p[3];
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(acc[3] / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? new URL('../media/icon.png', import.meta.url).pathname;
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
