import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASSET_PATH_PREFIX, extensionOf } from '../pool/themes/assets';
import { STYLESHEET_PATH_PREFIX, type Themes } from '../pool/themes';
import { IMMUTABLE, sendBytes } from './send-bytes';

const STYLESHEET = /^\/themes\/([0-9a-f]{32})\.css$/;
// With its type's extension, or without (screens name an asset by its hash alone).
const ASSET = /^\/assets\/t\/([0-9a-f]{64})(?:\.([a-z0-9]+))?$/;

export function isThemeFilePath(pathname: string): boolean {
  return pathname.startsWith(STYLESHEET_PATH_PREFIX) || pathname.startsWith(ASSET_PATH_PREFIX);
}

/**
 * A theme's stylesheet (`/themes/<hash>.css`) or image / font (`/assets/t/<sha256>.<ext>`), with
 * immutable caching, their exact type, `nosniff` (set for every answer), and an SVG sandboxed by
 * its own CSP should someone open it as a document.
 */
export async function answerThemeFile(req: IncomingMessage, res: ServerResponse, pathname: string, themes: Themes): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendBytes(req, res, 405, { allow: 'GET, HEAD' });
  const sheet = STYLESHEET.exec(pathname);
  if (sheet) {
    const css = await themes.stylesheet(sheet[1]);
    if (css === undefined) return sendBytes(req, res, 404, { 'cache-control': 'no-store' });
    return sendBytes(req, res, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE }, css);
  }
  const asset = ASSET.exec(pathname);
  const found = asset ? await themes.asset(asset[1]) : undefined;
  if (!asset || !found || (asset[2] !== undefined && extensionOf[found.mime] !== asset[2])) return sendBytes(req, res, 404, { 'cache-control': 'no-store' });
  const svg: Record<string, string> = found.mime === 'image/svg+xml' ? { 'content-security-policy': "default-src 'none'; sandbox" } : {};
  return sendBytes(req, res, 200, { 'content-type': found.mime, 'cache-control': IMMUTABLE, ...svg }, found.bytes);
}
