// The fingerprint of what `next build` reads: the same sources give the same fingerprint on any
// machine and in any directory. Used by build-if-needed.mjs (and its test).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What the build reads: sources, messages, themes, config and the exact dependency tree. */
const inputDirs = ['app', 'components', 'i18n', 'messages', 'themes', 'server', 'public'];
const inputFiles = [
  'proxy.ts', 'next.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'postcss.config.mjs', 'global.d.ts',
  'scripts/build-if-needed.mjs', 'scripts/build-fingerprint.mjs',
];
const notInputs = [/\.test\.tsx?$/, /^server\/testing\//];

function walk(root, dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(root, rel, out);
    else if (e.isFile() && !notInputs.some((re) => re.test(rel))) out.push(rel);
  }
}

/** `next build` adds each dist dir it builds into to tsconfig.json's `include`: not an input. */
function tsconfigWithoutIncludes(root) {
  const { include: _include, ...rest } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  return JSON.stringify(rest);
}

export function fingerprint(root) {
  const files = [];
  for (const d of inputDirs) walk(root, d, files);
  for (const f of inputFiles) if (fs.existsSync(path.join(root, f))) files.push(f);
  files.sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f}\0`);
    hash.update(f === 'tsconfig.json' ? tsconfigWithoutIncludes(root) : fs.readFileSync(path.join(root, f)));
    hash.update('\0');
  }
  return hash.digest('base64url').slice(0, 24);
}
