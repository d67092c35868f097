#!/usr/bin/env node
// Builds the Next.js app only when its inputs changed since the last build in this dist dir
// (`npm start`, `npm run test:e2e`, the container image). The inputs' fingerprint also names the
// build (BUILD_ID) and salts the server-action ids, so two builds of the same sources, on any
// machine, agree on both: forms rendered by one instance post to another. Nothing secret goes
// into the build; the key that encrypts action arguments comes from FOYER_SECRET at run time.
//
//   node scripts/build-if-needed.mjs [--force] [--print-fingerprint]
import { createHash } from 'node:crypto';
import { fingerprint } from './build-fingerprint.mjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = path.resolve(root, process.env.NEXT_DIST_DIR || '.next');
const stampFile = path.join(distDir, 'foyer-build.json');

function stamp() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

const args = new Set(process.argv.slice(2));
const fp = fingerprint(root);
if (args.has('--print-fingerprint')) {
  console.log(fp);
  process.exit(0);
}
const previous = stamp();
if (!args.has('--force') && previous?.fingerprint === fp && fs.existsSync(path.join(distDir, 'BUILD_ID'))) {
  console.log(`Build ${fp} is up to date in ${path.relative(root, distDir) || '.'}; not rebuilding.`);
  process.exit(0);
}
console.log(previous ? `Sources changed since build ${previous.fingerprint}: building ${fp}…` : `No build yet: building ${fp}…`);
const started = Date.now();
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const result = spawnSync(process.execPath, [next, 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    FOYER_BUILD_ID: fp,
    // Salts the action ids (Next derives them from this key at build time); not secret.
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: createHash('sha256').update(`foyer action ids ${fp}`).digest('base64'),
    NEXT_TELEMETRY_DISABLED: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(stampFile, `${JSON.stringify({ fingerprint: fp, builtAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
console.log(`Built ${fp} in ${Math.round((Date.now() - started) / 1000)} s.`);
