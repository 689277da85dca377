// Size budget of the customer page's first load: every file the built index.html pulls in
// (HTML, JS, WebAssembly, CSS), raw and brotli. Fails when the brotli total is over budget.
//   node bench/size.mjs dist
import { brotliCompressSync, constants } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const BUDGET = 120 * 1024;
const html = fs.readFileSync(path.join(dist, 'index.html'));
const refs = new Set(['index.html']);
for (const m of html.toString().matchAll(/(?:href|src)=["']\/?([^"'?#]+\.(?:js|wasm|css))["']/g)) refs.add(m[1]);
// The JS glue names the wasm file itself; include every wasm and js trunk emitted.
for (const f of fs.readdirSync(dist)) if (/\.(wasm|js|css)$/.test(f) && !f.startsWith('sw')) refs.add(f);
let raw = 0, br = 0;
for (const f of refs) {
  const body = fs.readFileSync(path.join(dist, f));
  const b = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += body.length; br += b;
  console.log(f.padEnd(52), `${(body.length / 1024).toFixed(1)} KiB`.padStart(12), `${(b / 1024).toFixed(1)} KiB br`.padStart(14));
}
console.log('TOTAL'.padEnd(52), `${(raw / 1024).toFixed(1)} KiB`.padStart(12), `${(br / 1024).toFixed(1)} KiB br`.padStart(14), `budget ${(BUDGET / 1024).toFixed(0)} KiB br`);
if (br > BUDGET) {
  console.error(`over budget by ${((br - BUDGET) / 1024).toFixed(1)} KiB`);
  process.exit(1);
}
