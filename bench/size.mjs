// Size budget of a page's first load, per reader language: every file the built index.html
// pulls in before the first render (HTML, JS, WebAssembly, CSS), and for a reader whose
// language is not English also that language's file (`/locales/<tag>.json`, read before the
// app mounts: src/i18n.rs, `i18n::load`), raw and brotli (quality 11, as precompressed).
//   node bench/size.mjs dist [--budget BYTES] [--locales DIR]
// Prints a line per language and fails when the largest brotli total is over the budget. The
// budget defaults to the product target (120 KB); scripts/test.sh passes the guard recorded in
// bench/size-budget, which only ever goes down. `--locales` names the folder of the language
// files the page reads (default `<dist>/locales`; the ticket page reads the root's).
import { brotliCompressSync, constants } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dist = args[0] && !args[0].startsWith('--') ? args[0] : 'dist';
const TARGET = 120_000;
const BUDGET = Number(flag('--budget') ?? TARGET);
const localesDir = flag('--locales') ?? path.join(dist, 'locales');

const brotli = (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const row = (name, raw, br) => console.log(name.padEnd(52), kib(raw).padStart(12), `${kib(br)} br`.padStart(14));

const html = fs.readFileSync(path.join(dist, 'index.html'));
const refs = new Set(['index.html']);
for (const m of html.toString().matchAll(/(?:href|src)=["']\/?([^"'?#]+\.(?:js|wasm|css))["']/g)) refs.add(m[1]);
// The JS glue names the wasm file itself; include every wasm and js trunk emitted.
for (const f of fs.readdirSync(dist)) if (/\.(wasm|js|css)$/.test(f) && !f.startsWith('sw')) refs.add(f);
let raw = 0, br = 0;
for (const f of refs) {
  const body = fs.readFileSync(path.join(dist, f));
  const b = brotli(body);
  raw += body.length; br += b;
  row(f, body.length, b);
}
row('TOTAL (every language)', raw, br);

// English is built in; every other language adds its file.
const languages = [['en', 0, 0]];
if (fs.existsSync(localesDir)) {
  for (const f of fs.readdirSync(localesDir).sort()) {
    if (!f.endsWith('.json')) continue;
    const body = fs.readFileSync(path.join(localesDir, f));
    const b = brotli(body);
    row(`+ locales/${f}`, body.length, b);
    languages.push([f.slice(0, -'.json'.length), body.length, b]);
  }
}
console.log('');
let worst = languages[0], worstTotal = 0;
for (const lang of languages) {
  const [tag, , b] = lang;
  const total = br + b;
  if (total > worstTotal) [worst, worstTotal] = [lang, total];
  const margin = total <= BUDGET ? `${BUDGET - total} under the budget` : `${total - BUDGET} OVER the budget`;
  console.log(`${tag.padEnd(3)} first load: ${total} bytes brotli (${margin})`);
}
console.log(`largest: ${worst[0]}, ${worstTotal} bytes brotli; budget ${BUDGET} bytes; product target ${TARGET} bytes` +
  (worstTotal > TARGET ? ` (${worstTotal - TARGET} over the target)` : ' (met)'));
if (worstTotal > BUDGET) {
  console.error(`over the budget by ${worstTotal - BUDGET} bytes (${worst[0]})`);
  process.exit(1);
}
