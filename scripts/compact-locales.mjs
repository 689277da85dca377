// Rewrites the customer's language files in the build (`dist/locales/<tag>.json`) as a plain
// array of their texts in file order: what the page reads of them (`net::parse_texts` takes the
// texts in order, from an array or from the translators' keyed objects alike), without the keys
// (about 680 of the 2,580 bytes a Swedish reader waits for before the first screen). The files
// in `locales/` stay as translators write them; `build.rs` has checked that every language has
// English's keys in English's order, and this checks that each file still has English's count.
//   node scripts/compact-locales.mjs dist
import * as fs from 'node:fs';
import * as path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const dir = path.join(dist, 'locales');
const texts = (tree) => Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : texts(v)));
const english = texts(JSON.parse(fs.readFileSync(new URL('../locales/en.json', import.meta.url), 'utf8'))).length;
let files = 0;
for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!/^[a-z]{2}\.json$/.test(name)) continue;
  const file = path.join(dir, name);
  const body = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (Array.isArray(body)) continue; // already compact (a build run twice)
  const list = texts(body);
  if (list.length !== english) {
    console.error(`${file}: ${list.length} texts, English has ${english}`);
    process.exit(1);
  }
  fs.writeFileSync(file, JSON.stringify(list));
  files++;
}
console.log(`compacted ${files} language files`);
