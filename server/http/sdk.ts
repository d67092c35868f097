import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import sdkPackage from '../../sdk/package.json' with { type: 'json' };

/**
 * The browser SDK (sdk/), served at a URL that names its exact version, so its bytes never
 * change and browsers keep it for good. Bundled from its sources on first use, in memory, as
 * sdk/build.mjs bundles the npm package (esbuild, a dependency of its own: tsx uses it too).
 */
export const SDK_PATH = `/sdk/v${sdkPackage.version}/foyer.js`;

let bundled: Promise<{ body: Buffer; etag: string }> | undefined;

function bundle() {
  return (bundled ??= build({
    entryPoints: [path.resolve('sdk/src/foyer.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    write: false,
  }).then((r) => {
    const body = Buffer.from(r.outputFiles[0].contents);
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  }));
}

export async function answerSdk(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('allow', 'GET, HEAD');
    res.end();
    return;
  }
  const { body, etag } = await bundle();
  res.statusCode = req.headers['if-none-match'] === etag ? 304 : 200;
  res.setHeader('content-type', 'text/javascript; charset=utf-8');
  res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  res.setHeader('etag', etag);
  // Module scripts are fetched with CORS: any app's page may load it (it holds nothing secret).
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('cross-origin-resource-policy', 'cross-origin');
  if (res.statusCode === 304 || req.method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('content-length', String(body.length));
  res.end(body);
}
