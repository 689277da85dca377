// Writes the first screen's top into the built shells, so a phone on a slow link shows the
// page's heading and first words, in the reader's language, before the WebAssembly arrives:
//   node scripts/prepaint.mjs dist
// (scripts/build.sh runs it after the trunk builds and before the service workers, which
// precache the shells as written here.)
//
// The markup copies the app's own first screen (same elements and classes, so it lays out the
// same); its texts come from locales/ at build time; a small inline script, allowed by the
// server's CSP through its hash like the other inline scripts, picks the language by the app's
// rule (the first of the browser's languages we translate, else English) and the place from the
// address. The app removes it in the same task as it draws its own (src/lib.rs). Only text is
// shown: nothing in it can be pressed, the language list is disabled until the app takes over.
import * as fs from 'node:fs';
import * as path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const root = new URL('../locales/', import.meta.url);
const LANGS = ['en', 'id', 'ms', 'sv'];
const read = (file) => JSON.parse(fs.readFileSync(new URL(file, root), 'utf8'));

// One entry per shell: where its texts come from and how its place line is made.
const SHELLS = [
  {
    file: 'index.html',
    // The customer's page: "/c|k/<store>/<touchpoint>", the place is the touchpoint.
    texts: (l) => pick(read(`${l}.json`), ['place', 'language', 'form_title', 'form_intro']),
    placeKey: 'place',
    placeVar: 'place',
    // The touchpoint shown, from the address's parts (as src/route.rs reads them), or false.
    place: 'p=>p.length?p.length==3&&/^[ck]$/.test(p[0])&&S(p[1])&&S(p[2])&&p[2].replace(/-/g," "):"front desk"',
    body: (t) =>
      `<div class="srk-card"><h1 ${t('form_title')}></h1><p ${t('form_intro')}></p></div>`,
  },
  {
    file: 'staff/index.html',
    // The staff app: "/staff/<store>", the place is the store.
    texts: (l) => ({
      ...pick(read(`${l}.json`), ['language']),
      ...pick(read(`staff/${l}.json`), ['store', 'unlock_title', 'unlock_intro']),
    }),
    placeKey: 'store',
    placeVar: 'store',
    // The staff app's WebAssembly (about 300 KB) is fetched once the first screen is painted,
    // not beside it: on a slow link it would otherwise share the bandwidth with the page's own
    // first bytes. A tablet loads it once; its service worker keeps it.
    fetchAfterPaint: true,
    // The store, as src/staff.rs reads it, or false.
    place: 'p=>p.length==2&&p[0]=="staff"&&S(p[1])&&p[1]',
    body: (t) =>
      `<div class="srk-card srk-unlock"><h1 ${t('unlock_title')}></h1><p ${t('unlock_intro')}></p></div>`,
  },
];

function escape(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pick(object, keys) {
  return Object.fromEntries(
    keys.map((k) => {
      if (typeof object[k] !== 'string') throw new Error(`locales: "${k}" is missing`);
      return [k, object[k]];
    }),
  );
}

for (const shell of SHELLS) {
  const file = path.join(dist, shell.file);
  let html = fs.readFileSync(file, 'utf8');
  // Run again on a shell it wrote, it writes it anew.
  html = html.replace(/<div class=srk-app id=srk-pre>.*?<\/script>/s, '');
  // Per language, its texts in one order; an element names its text by its place in it.
  const byLang = Object.fromEntries(LANGS.map((l) => [l, shell.texts(l)]));
  const keys = Object.keys(byLang.en);
  // The place goes in at "{{ <var> }}", written the same way in every language.
  const slot = `{{ ${shell.placeVar} }}`;
  const texts = Object.fromEntries(
    LANGS.map((l) => [l, keys.map((k) => (k === shell.placeKey ? byLang[l][k].replace(/\{\{\s*\w+\s*\}\}/, slot) : byLang[l][k]))]),
  );
  for (const l of LANGS) if (!texts[l][keys.indexOf(shell.placeKey)].includes(slot)) throw new Error(`${l}: no ${slot}`);
  const names = LANGS.map((l) => read(`${l}.json`).lang_name);
  const t = (key) => `data-t=${keys.indexOf(key)}`;
  // Every language by its own name, like the app's picker, so the list is as wide as the app's.
  const options = LANGS.map((l, i) => `<option lang=${l}>${escape(names[i])}</option>`).join('');
  const markup =
    `<div class=srk-app id=srk-pre><header class=srk-bar><p class=srk-bar__place ${t(shell.placeKey)}></p>` +
    `<div class=srk-bar__lang><label for=srk-pl ${t('language')}></label>` +
    `<select class=srk-input disabled id=srk-pl>${options}</select></div></header>` +
    `<main>${shell.body(t)}</main></div>`;
  // The language rule is the app's (`Locale::find`). An address the app would refuse shows
  // nothing here: the app's own page for it follows.
  const script =
    `(()=>{const T=${JSON.stringify(texts)},n=navigator,d=document,e=d.getElementById("srk-pre"),` +
    `S=s=>/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(s),` +
    `v=(${shell.place})(location.pathname.split("/").filter(Boolean)),` +
    `l=(n.languages.length?n.languages:[n.language]).map(x=>x.split(/[-_]/)[0].toLowerCase()).find(x=>Object.hasOwn(T,x))||"en";` +
    `if(!v)return e.remove();` +
    `d.documentElement.lang=l;e.querySelector("select").selectedIndex=Object.keys(T).indexOf(l);` +
    `for(const x of e.querySelectorAll("[data-t]")){const k=x.dataset.t;` +
    `x.textContent=k==${keys.indexOf(shell.placeKey)}?T[l][k].replace("${slot}",v):T[l][k]}` +
    // Last, so a browser without it still shows the texts: the app waits for this screen's
    // first paint before it takes its place (src/lib.rs).
    `const P=PerformanceObserver,D=()=>window.srkPainted=1;P.supportedEntryTypes.includes("paint")?new P(D).observe({type:"paint",buffered:1}):D()})()`;
  if (shell.fetchAfterPaint) {
    html = html
      .replace(/<link [^>]*rel=preload type=application\/wasm>/, '')
      .replace('const wasm = await init(', 'await new Promise(r=>{requestAnimationFrame(()=>setTimeout(r));setTimeout(r,500)});\nconst wasm = await init(');
    if (html.includes('type=application/wasm') || !html.includes('setTimeout(r,500)')) throw new Error(`${file}: trunk's loader has changed`);
  }
  html = html.replace(/<body>/, `<body>${markup}<script>${script}</script>`);
  if (!html.includes('id=srk-pre')) throw new Error(`${file}: no <body> to write into`);
  fs.writeFileSync(file, html);
  console.log(`${shell.file}: first screen written in ${LANGS.length} languages`);
}
