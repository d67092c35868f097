import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/**
 * The password hash formats Foyer verifies: its own argon2id, and what other systems export, kept
 * as imported and replaced by argon2id at the user's next successful sign-in.
 *
 * - argon2 (PHC): `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, also `$argon2i$` and `$argon2d$`.
 * - bcrypt: `$2a$`, `$2b$`, `$2y$` + two-digit cost (4–16).
 * - scrypt (PHC, passlib): `$scrypt$ln=<log2 N>,r=<r>,p=<p>$salt$hash`.
 * - PBKDF2 (PHC): `$pbkdf2-sha256$i=<iterations>$salt$hash`, also `-sha1`, `-sha512`, and passlib's
 *   form with the bare iteration count (`$pbkdf2-sha256$29000$salt$hash`).
 * - Django: `pbkdf2_sha256$<iterations>$<salt>$<hash>` (also `pbkdf2_sha1`) and
 *   `scrypt$<N>$<salt>$<r>$<p>$<hash>`; the salt is used as text, the hash is base64.
 *
 * PHC salts and hashes are base64 without padding (standard, URL-safe, or passlib's `.` for `+`).
 * Costs are bounded so that an imported hash cannot make one sign-in take minutes or gigabytes.
 */
export const hashFormats = ['argon2', 'bcrypt', 'scrypt', 'pbkdf2', 'django-pbkdf2', 'django-scrypt'] as const;
export type HashFormat = (typeof hashFormats)[number];

/** Checks a password against the parsed hash, in constant time where the format leaves it to us. */
type Verifier = (password: string) => Promise<boolean>;
type Parsed = { verify: Verifier } | { problem: string };

const MAX_PBKDF2_ITERATIONS = 10_000_000;
const MAX_MEMORY = 1024 ** 3;
const B64 = /^[A-Za-z0-9+/._-]+={0,2}$/;

function b64(text: string): Buffer | undefined {
  return B64.test(text) ? Buffer.from(text.replace(/\./g, '+'), 'base64') : undefined;
}

async function equalsDerived(expected: Buffer, derive: (length: number) => Promise<Buffer>): Promise<boolean> {
  const actual = await derive(expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function pbkdf2Verifier(digest: string, iterations: number, salt: Buffer, expected: Buffer): Parsed {
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return { problem: `PBKDF2 iterations must be 1 to ${MAX_PBKDF2_ITERATIONS}` };
  if (expected.length < 16) return { problem: 'the PBKDF2 hash is too short' };
  const derive = (password: string, length: number) =>
    new Promise<Buffer>((resolve, reject) => pbkdf2(password, salt, iterations, length, digest, (e, key) => (e ? reject(e) : resolve(key))));
  return { verify: (password) => equalsDerived(expected, (length) => derive(password, length)) };
}

function scryptVerifier(n: number, r: number, p: number, salt: Buffer, expected: Buffer): Parsed {
  const memory = 128 * n * r; // bytes scrypt needs
  if (!Number.isSafeInteger(n) || n < 2 || (n & (n - 1)) !== 0) return { problem: 'scrypt N must be a power of two' };
  if (!Number.isSafeInteger(r) || !Number.isSafeInteger(p) || r < 1 || p < 1 || p > 16 || memory > MAX_MEMORY) return { problem: 'scrypt parameters out of range (at most 1 GiB, p at most 16)' };
  if (expected.length < 16) return { problem: 'the scrypt hash is too short' };
  const options = { N: n, r, p, maxmem: memory * 2 + 1024 * 1024 };
  const derive = (password: string, length: number) =>
    new Promise<Buffer>((resolve, reject) => scrypt(password, salt, length, options, (e, key) => (e ? reject(e) : resolve(key))));
  return { verify: (password) => equalsDerived(expected, (length) => derive(password, length)) };
}

/** `k=v,k=v` PHC parameters. */
function params(text: string): Record<string, number> {
  return Object.fromEntries(text.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, /^[0-9]{1,12}$/.test(v ?? '') ? Number(v) : NaN]));
}

const pbkdf2Digests: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

const parsers: Record<HashFormat, { match: RegExp; parse: (m: RegExpMatchArray) => Parsed }> = {
  argon2: {
    match: /^\$argon2(?:id|i|d)\$(?:v=[0-9]{1,3}\$)?m=([0-9]{1,8}),t=([0-9]{1,4}),p=([0-9]{1,3})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
    parse: (m) => {
      if (Number(m[1]) * 1024 > MAX_MEMORY || Number(m[2]) > 100) return { problem: 'argon2 parameters out of range (at most 1 GiB, t at most 100)' };
      return { verify: (password) => argon2Verify(m[0], password).catch(() => false) };
    },
  },
  bcrypt: {
    match: /^\$2[aby]\$([0-9]{2})\$[./A-Za-z0-9]{53}$/,
    parse: (m) => {
      const cost = Number(m[1]);
      if (cost < 4 || cost > 16) return { problem: 'bcrypt cost must be 4 to 16' };
      return { verify: (password) => bcrypt.compare(password, m[0]) };
    },
  },
  scrypt: {
    match: /^\$scrypt\$([a-z=0-9,]+)\$([^$]+)\$([^$]+)$/,
    parse: (m) => {
      const { ln, r, p } = params(m[1]);
      const salt = b64(m[2]);
      const hash = b64(m[3]);
      if (!salt || !hash || !(ln >= 1 && ln <= 30)) return { problem: 'expected $scrypt$ln=…,r=…,p=…$salt$hash (base64)' };
      return scryptVerifier(2 ** ln, r, p, salt, hash);
    },
  },
  pbkdf2: {
    match: /^\$pbkdf2-(sha1|sha256|sha512)\$([a-z=0-9,]+)\$([^$]+)\$([^$]+)$/,
    parse: (m) => {
      const iterations = /^[0-9]+$/.test(m[2]) ? Number(m[2]) : params(m[2]).i;
      const salt = b64(m[3]);
      const hash = b64(m[4]);
      if (!salt || !hash || iterations === undefined) return { problem: `expected $pbkdf2-${m[1]}$i=…$salt$hash (base64)` };
      return pbkdf2Verifier(pbkdf2Digests[m[1]], iterations, salt, hash);
    },
  },
  'django-pbkdf2': {
    match: /^pbkdf2_(sha1|sha256)\$([0-9]{1,9})\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/,
    parse: (m) => pbkdf2Verifier(pbkdf2Digests[m[1]], Number(m[2]), Buffer.from(m[3], 'utf8'), Buffer.from(m[4], 'base64')),
  },
  'django-scrypt': {
    match: /^scrypt\$([0-9]{1,10})\$([^$]+)\$([0-9]{1,3})\$([0-9]{1,3})\$([A-Za-z0-9+/]+={0,2})$/,
    parse: (m) => scryptVerifier(Number(m[1]), Number(m[3]), Number(m[4]), Buffer.from(m[2], 'utf8'), Buffer.from(m[5], 'base64')),
  },
};

/** The format of a stored hash and how to check it, or why it is not one we can use. */
export function parseHash(stored: string): ({ format: HashFormat } & Parsed) | { problem: string } {
  for (const format of hashFormats) {
    const m = stored.match(parsers[format].match);
    if (m) return { format, ...parsers[format].parse(m) };
  }
  return { problem: 'not a supported password hash (argon2, bcrypt, scrypt, PBKDF2 or Django, see the README)' };
}

/** Why this string cannot be imported as a password hash, or undefined when it can. */
export function hashProblem(stored: string): string | undefined {
  const parsed = parseHash(stored);
  return 'problem' in parsed ? parsed.problem : undefined;
}
