import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFontFile, scriptFontSheet } from './font-files';

describe('script font files', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => answerFontFile(req, res, new URL(req.url!, 'http://x').pathname));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('links a CJK family only for its language, each language its own', () => {
    expect(scriptFontSheet('en')).toBeUndefined();
    expect(scriptFontSheet('ar')).toBeUndefined();
    const sheets = ['ja', 'ko', 'zh-Hans', 'zh-Hant'].map(scriptFontSheet);
    for (const s of sheets) expect(s).toMatch(/^\/fonts\/noto-sans-(jp|kr|sc|tc)\/[0-9a-f]{16}\/index\.css$/);
    expect(new Set(sheets).size).toBe(4);
  });

  it('serves the stylesheet with its subsets pointing at files it serves, cached for good', async () => {
    const href = scriptFontSheet('ja')!;
    const res = await fetch(base + href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const css = await res.text();
    expect(css).toContain("font-family: 'Noto Sans JP Variable'");
    expect(css).toContain('unicode-range:');
    const files = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(50);
    expect(files.every((f) => f.startsWith(href.replace('index.css', '')))).toBe(true);
    const font = await fetch(base + files[files.length - 1]);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await font.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('wOF2');
  });

  it('answers 404 for anything else: other packages, stale hashes, traversal, other files', async () => {
    const href = scriptFontSheet('ko')!;
    const stale = href.replace(/[0-9a-f]{16}/, '0'.repeat(16));
    for (const p of [stale, '/fonts/inter/0000000000000000/index.css', href.replace('index.css', '..%2F..%2Fpackage.json'), href.replace('index.css', 'LICENSE'), '/fonts/', href.replace('index.css', 'nope.woff2')]) {
      const res = await fetch(base + p);
      expect(res.status, p).toBe(404);
    }
    const post = await fetch(base + href, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
