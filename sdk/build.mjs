// Builds the npm package into dist/: one minified ES module and its type declarations. Foyer
// serves the same bundle at /sdk/v<version>/foyer.js (server/http/sdk.ts builds it the same way).
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
export const bundleOptions = { entryPoints: [`${here}src/foyer.ts`], bundle: true, format: 'esm', minify: true, target: 'es2020', platform: 'browser', legalComments: 'none' };

await build({ ...bundleOptions, outfile: `${here}dist/foyer.js` });
execFileSync(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '--declaration', '--emitDeclarationOnly', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--outDir', `${here}dist`, `${here}src/foyer.ts`], { stdio: 'inherit' });
const js = fs.readFileSync(`${here}dist/foyer.js`);
console.log(`dist/foyer.js: ${js.length} bytes, ${gzipSync(js).length} gzipped`);
