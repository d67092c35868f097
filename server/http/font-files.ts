import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { IMMUTABLE, sendBytes } from './send-bytes';

/**
 * Chinese, Japanese and Korean fonts: each family's @font-face list is ~100 KB (a hundred
 * unicode-range subsets), too much for every page's stylesheet, so only pages in that language
 * link it, and the browser then fetches only the subsets the page's characters fall in. Han
 * characters are drawn differently in each, hence one family per language. The smaller scripts'
 * families are in app/globals.css.
 */
const families: Record<string, string> = {
  ja: 'noto-sans-jp',
  ko: 'noto-sans-kr',
  'zh-Hans': 'noto-sans-sc',
  'zh-Hant': 'noto-sans-tc',
};

export const FONT_PATH_PREFIX = '/fonts/';

interface Sheet {
  family: string;
  /** `/fonts/<family>/<hash>/index.css`: its bytes, and the font files it names, never change. */
  href: string;
  css: string;
  dir: string;
}

const sheets = new Map<string, Sheet | null>();

function packageDir(family: string): string {
  return path.join(process.cwd(), 'node_modules', '@fontsource-variable', family);
}

function sheetOf(family: string): Sheet | null {
  let sheet = sheets.get(family);
  if (sheet !== undefined) return sheet;
  try {
    const dir = packageDir(family);
    const source = fs.readFileSync(path.join(dir, 'index.css'), 'utf8');
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const base = `${FONT_PATH_PREFIX}${family}/${hash}/`;
    sheet = { family, href: `${base}index.css`, css: source.replace(/url\(\.\/files\//g, `url(${base}`), dir: path.join(dir, 'files') };
  } catch {
    sheet = null; // not installed: the page falls back to the system's fonts
  }
  sheets.set(family, sheet);
  return sheet;
}

/** The stylesheet a page in `locale` links for its script, if it needs one. */
export function scriptFontSheet(locale: string): string | undefined {
  const family = families[locale];
  return family ? (sheetOf(family)?.href ?? undefined) : undefined;
}

export function isFontFilePath(pathname: string): boolean {
  return pathname.startsWith(FONT_PATH_PREFIX);
}

const FILE = /^\/fonts\/([a-z-]+)\/([0-9a-f]{16})\/(index\.css|[a-z0-9-]+\.woff2)$/;
const known = new Set(Object.values(families));

/** `/fonts/<family>/<hash>/index.css` and the woff2 files it names, cached for good. */
export function answerFontFile(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => sendBytes(req, res, status, headers, body);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD' });
  const m = FILE.exec(pathname);
  const sheet = m && known.has(m[1]) ? sheetOf(m[1]) : null;
  if (!m || !sheet || !sheet.href.startsWith(`${FONT_PATH_PREFIX}${m[1]}/${m[2]}/`)) return send(404, { 'cache-control': 'no-store' });
  if (m[3] === 'index.css') return send(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE }, sheet.css);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(sheet.dir, m[3]));
  } catch {
    return send(404, { 'cache-control': 'no-store' });
  }
  send(200, { 'content-type': 'font/woff2', 'cache-control': IMMUTABLE }, bytes);
}
