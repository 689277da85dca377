// The translations the app is built from, so tests expect exactly what users read.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Lang = 'en' | 'id' | 'ms' | 'sv';
export const LANGS: Lang[] = ['en', 'id', 'ms', 'sv'];
export type Strings = Record<string, any>;

export function strings(lang: Lang): Strings {
  const file = path.resolve(__dirname, '..', '..', 'locales', `${lang}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The staff app's texts in `lang`. */
export function staffStrings(lang: Lang): Strings {
  const file = path.resolve(__dirname, '..', '..', 'locales', 'staff', `${lang}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The customer's ticket page's texts in `lang`. */
export function ticketStrings(lang: Lang): Strings {
  const file = path.resolve(__dirname, '..', '..', 'locales', 'ticket', `${lang}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Fills `{{ name }}` placeholders the way the app does. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => String(vars[k]));
}
