// Writes the build's hashed files once more, compressed as hard as brotli and gzip go
// (`<file>.br`, `<file>.gz`), for the server to send as they are (tower-http's ServeDir picks
// them by the client's Accept-Encoding). Compressing on the fly uses a fast setting: the
// WebAssembly then travels about 20 KB larger. Only hashed files: their content never changes
// under their name, so a compressed twin can never go stale. Also the language files
// (`locales/<tag>.json`): not hashed, but copied anew with their twins on every build, and a
// reader of another language waits for one before the app's first screen.
//   node scripts/precompress.mjs dist
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const HASHED = /-[0-9a-f]{13,16}(_bg)?\.(wasm|js|css)$/;
const LANGUAGE = /(^|\/)locales\/[a-z]{2}\.json$/;
let files = 0, raw = 0, br = 0;
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (HASHED.test(entry.name) || LANGUAGE.test(full)) {
      const body = fs.readFileSync(full);
      const b = brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      });
      fs.writeFileSync(`${full}.br`, b);
      fs.writeFileSync(`${full}.gz`, gzipSync(body, { level: 9 }));
      files++; raw += body.length; br += b.length;
    }
  }
}
walk(dist);
console.log(`precompressed ${files} files: ${raw} bytes -> ${br} bytes brotli`);
