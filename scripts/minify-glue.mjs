// Trunk post-build hook: minifies the wasm-bindgen JavaScript glue of release builds with
// esbuild (trunk minifies only HTML and CSS). Runs on trunk's staging folder before it becomes
// dist/; debug builds are left readable.
import { transformSync } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);
for (const file of fs.readdirSync(dir)) {
  if (!file.endsWith('.js') || file.startsWith('sw')) continue;
  const full = path.join(dir, file);
  const source = fs.readFileSync(full, 'utf8');
  const { code } = transformSync(source, { minify: true, format: 'esm', target: 'es2020' });
  fs.writeFileSync(full, code);
  console.log(`minified ${file}: ${source.length} -> ${code.length} bytes`);
}
