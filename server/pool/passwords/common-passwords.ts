/**
 * Checks passwords against a list of ~415,000 common / breached passwords
 * (see SOURCES.md beside this file; rebuilt by scripts/build-common-passwords.mjs).
 *
 * The list is a gzipped, sorted, lower-cased, NFKC-normalised text file, one
 * password per line. It is read and decompressed once, on first use, into a
 * Set (about 0.1-0.2 s and a few tens of MB of heap).
 *
 * Locating the file: this module is also bundled by Next.js for server code,
 * where import.meta.url points into .next/ rather than the source tree, so the
 * path is resolved from process.cwd() (the app always runs with the repo root
 * as cwd). Only when that file is missing (e.g. a test runner started from
 * another directory) does it fall back to the file beside this module. The
 * fallback builds the URL from a variable rather than a string literal on
 * purpose: bundlers turn `new URL('literal', import.meta.url)` into an emitted
 * asset, which would copy the list into the build output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const FILE_NAME = 'common-passwords.txt.gz';
const REPO_RELATIVE_PATH = join('server', 'pool', 'passwords', FILE_NAME);

let passwords: Set<string> | undefined;

function locateList(): string {
  const fromCwd = join(process.cwd(), REPO_RELATIVE_PATH);
  if (existsSync(fromCwd)) return fromCwd;
  try {
    const besideModule = new URL(FILE_NAME, import.meta.url);
    if (besideModule.protocol === 'file:') {
      const p = fileURLToPath(besideModule);
      if (existsSync(p)) return p;
    }
  } catch {
    // import.meta.url unusable here (bundled); report the cwd path below.
  }
  throw new Error(`common password list not found at ${fromCwd} (run the app from the repository root)`);
}

function load(): Set<string> {
  if (passwords) return passwords;
  const text = gunzipSync(readFileSync(locateList())).toString('utf8');
  const set = new Set<string>();
  for (const line of text.split('\n')) {
    if (line) set.add(line);
  }
  passwords = set;
  return set;
}

/**
 * True when the password (compared case-insensitively, after NFKC
 * normalisation) is on the common-password list. Throws if the list file
 * cannot be found, so a misdeployment fails closed instead of silently
 * accepting every password.
 */
export function isCommonPassword(password: string): boolean {
  return load().has(password.normalize('NFKC').toLowerCase());
}

/** Number of distinct entries in the list (loads it if not yet loaded). */
export function commonPasswordCount(): number {
  return load().size;
}
