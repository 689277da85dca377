// Size budget of the customer page's first load: every file the built index.html pulls in
// (HTML, JS, WebAssembly, CSS), raw and brotli.
//   node bench/size.mjs dist [--budget BYTES]
// Fails when the brotli total is over the budget. The budget defaults to the product target
// (120 KB); scripts/test.sh passes the interim guard recorded in bench/size-budget, which only
// ever goes down, so that CI catches any growth while the target is not yet met.
import { brotliCompressSync, constants } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const TARGET = 120_000;
const i = process.argv.indexOf('--budget');
const BUDGET = i > 0 ? Number(process.argv[i + 1]) : TARGET;
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
console.log('TOTAL'.padEnd(52), `${(raw / 1024).toFixed(1)} KiB`.padStart(12), `${(br / 1024).toFixed(1)} KiB br`.padStart(14));
console.log(`brotli total ${br} bytes; budget ${BUDGET} bytes; product target ${TARGET} bytes${br > TARGET ? ` (${br - TARGET} over the target)` : ' (met)'}`);
if (br > BUDGET) {
  console.error(`over the budget by ${br - BUDGET} bytes`);
  process.exit(1);
}
