// Draws the app's icons (pwa/icons/): a white speech bubble holding a tick on the app's navy,
// as SVG and as PNGs (192 and 512 pixels, and a 512 "maskable" one, whose motif keeps inside
// the safe circle). Run it after changing the design: node scripts/icons.mjs
// The PNG writer is a few lines over node:zlib (no image tools needed).
import { deflateSync } from 'node:zlib';
import * as fs from 'node:fs';

const NAVY = [0x17, 0x32, 0x4d];
const WHITE = [0xff, 0xff, 0xff];
// The motif in unit coordinates (0..1), shared by the SVG and the rasteriser.
const BUBBLE = { x0: 0.24, y0: 0.26, x1: 0.76, y1: 0.66, r: 0.08 };
const TAIL = [[0.36, 0.64], [0.49, 0.64], [0.33, 0.77]];
const TICK = { points: [[0.38, 0.46], [0.47, 0.55], [0.63, 0.38]], width: 0.055 };

function inRoundedRect(x, y, { x0, y0, x1, y1, r }) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inTriangle(x, y, [a, b, c]) {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b), d2 = side(b, c), d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}
function nearPolyline(x, y, { points, width }) {
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1], [bx, by] = points[i];
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    if ((x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= (width / 2) ** 2) return true;
  }
  return false;
}
function colourAt(x, y) {
  const bubble = inRoundedRect(x, y, BUBBLE) || inTriangle(x, y, TAIL);
  return bubble && !nearPolyline(x, y, TICK) ? WHITE : NAVY;
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, scale) {
  const SS = 4; // 4×4 samples per pixel: smooth edges
  const rows = Buffer.alloc(size * (size * 3 + 1));
  for (let py = 0; py < size; py++) {
    rows[py * (size * 3 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          // scale < 1 shrinks the motif towards the centre (maskable safe zone).
          const u = 0.5 + ((px + (sx + 0.5) / SS) / size - 0.5) / scale;
          const v = 0.5 + ((py + (sy + 0.5) / SS) / size - 0.5) / scale;
          colourAt(u, v).forEach((c, i) => (sum[i] += c));
        }
      sum.forEach((c, i) => (rows[py * (size * 3 + 1) + 1 + px * 3 + i] = Math.round(c / (SS * SS))));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const n = (v) => +(v * 100).toFixed(2);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">` +
  `<rect width="100" height="100" fill="${hex(NAVY)}"/>` +
  `<rect x="${n(BUBBLE.x0)}" y="${n(BUBBLE.y0)}" width="${n(BUBBLE.x1 - BUBBLE.x0)}" height="${n(BUBBLE.y1 - BUBBLE.y0)}" rx="${n(BUBBLE.r)}" fill="#fff"/>` +
  `<path d="M${TAIL.map(([x, y]) => `${n(x)} ${n(y)}`).join('L')}Z" fill="#fff"/>` +
  `<path d="M${TICK.points.map(([x, y]) => `${n(x)} ${n(y)}`).join('L')}" fill="none" stroke="${hex(NAVY)}" stroke-width="${n(TICK.width)}" stroke-linecap="round" stroke-linejoin="round"/>` +
  `</svg>\n`;

const dir = new URL('../pwa/icons/', import.meta.url);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(new URL('icon.svg', dir), svg);
fs.writeFileSync(new URL('icon-192.png', dir), png(192, 1));
fs.writeFileSync(new URL('icon-512.png', dir), png(512, 1));
fs.writeFileSync(new URL('icon-maskable-512.png', dir), png(512, 0.8));
console.log('wrote pwa/icons/{icon.svg,icon-192.png,icon-512.png,icon-maskable-512.png}');
