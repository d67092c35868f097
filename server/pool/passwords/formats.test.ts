import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashProblem, parseHash } from './formats';
import { hashPassword, needsRehash, verifyPassword } from './hash';

const PASSWORD = 'correct horse battery staple';

/** PHC's base64: standard alphabet, no padding. */
const phc = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/** Real hashes of PASSWORD in every supported format, made here with the reference primitives. */
async function samples(): Promise<Record<string, string>> {
  const salt = randomBytes(16);
  const djangoSalt = 'Qh9sUxa1R2cGFbXcfTz3Vu';
  return {
    argon2id: await argon2Hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 }),
    argon2i: await argon2Hash(PASSWORD, { algorithm: 1, memoryCost: 4096, timeCost: 3, parallelism: 1 }),
    bcrypt2a: bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2a$'),
    bcrypt2b: bcrypt.hashSync(PASSWORD, 5),
    bcrypt2y: bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2y$'),
    scrypt: `$scrypt$ln=10,r=8,p=1$${phc(salt)}$${phc(scryptSync(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 }))}`,
    pbkdf2sha256: `$pbkdf2-sha256$i=1000$${phc(salt)}$${phc(pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256'))}`,
    pbkdf2sha512: `$pbkdf2-sha512$i=1000$${phc(salt)}$${phc(pbkdf2Sync(PASSWORD, salt, 1000, 64, 'sha512'))}`,
    pbkdf2sha1: `$pbkdf2-sha1$i=1000$${phc(salt)}$${phc(pbkdf2Sync(PASSWORD, salt, 1000, 20, 'sha1'))}`,
    // passlib: bare iteration count, `.` for `+` in its base64.
    passlib: `$pbkdf2-sha256$1000$${phc(salt).replace(/\+/g, '.')}$${phc(pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256')).replace(/\+/g, '.')}`,
    djangoPbkdf2: `pbkdf2_sha256$1000$${djangoSalt}$${pbkdf2Sync(PASSWORD, djangoSalt, 1000, 32, 'sha256').toString('base64')}`,
    djangoPbkdf2Sha1: `pbkdf2_sha1$1000$${djangoSalt}$${pbkdf2Sync(PASSWORD, djangoSalt, 1000, 20, 'sha1').toString('base64')}`,
    djangoScrypt: `scrypt$1024$${djangoSalt}$8$1$${scryptSync(PASSWORD, djangoSalt, 64, { N: 1024, r: 8, p: 1 }).toString('base64')}`,
  };
}

describe('imported password hashes', () => {
  it('verify the right password and refuse a wrong one, in every supported format', async () => {
    const all = await samples();
    for (const [name, stored] of Object.entries(all)) {
      expect(hashProblem(stored), name).toBeUndefined();
      expect(await verifyPassword(stored, PASSWORD), name).toBe(true);
      expect(await verifyPassword(stored, `${PASSWORD}!`), name).toBe(false);
      expect(await verifyPassword(stored, ''), name).toBe(false);
      expect(needsRehash(stored), name).toBe(true);
    }
    expect(Object.fromEntries(Object.entries(all).map(([n, s]) => [n, (parseHash(s) as { format: string }).format]))).toEqual({
      argon2id: 'argon2',
      argon2i: 'argon2',
      bcrypt2a: 'bcrypt',
      bcrypt2b: 'bcrypt',
      bcrypt2y: 'bcrypt',
      scrypt: 'scrypt',
      pbkdf2sha256: 'pbkdf2',
      pbkdf2sha512: 'pbkdf2',
      pbkdf2sha1: 'pbkdf2',
      passlib: 'pbkdf2',
      djangoPbkdf2: 'django-pbkdf2',
      djangoPbkdf2Sha1: 'django-pbkdf2',
      djangoScrypt: 'django-scrypt',
    });
  });

  it('our own argon2id hashes need no rehash; a changed hash byte fails', async () => {
    const ours = await hashPassword(PASSWORD);
    expect(needsRehash(ours)).toBe(false);
    expect(await verifyPassword(ours, PASSWORD)).toBe(true);
    const { pbkdf2sha256 } = await samples();
    const tampered = pbkdf2sha256.slice(0, -2) + (pbkdf2sha256.endsWith('AA') ? 'AB' : 'AA');
    expect(await verifyPassword(tampered, PASSWORD)).toBe(false);
  });

  it('a password typed with other Unicode forms matches the hash another system made of it as typed', async () => {
    const typed = 'ﬁne ｐａｓｓｗｏｒｄ'; // NFKC turns the ligature and full-width letters into ASCII
    const salt = randomBytes(16);
    const stored = `$pbkdf2-sha256$i=1000$${phc(salt)}$${phc(pbkdf2Sync(typed, salt, 1000, 32, 'sha256'))}`;
    expect(await verifyPassword(stored, typed)).toBe(true);
    expect(await verifyPassword(stored, typed.normalize('NFKC'))).toBe(false);
  });

  it('refuses unknown formats and costs that would stall sign-in, saying why', () => {
    const salt = phc(randomBytes(16));
    const digest = phc(randomBytes(32));
    expect(hashProblem('5f4dcc3b5aa765d61d8327deb882cf99')).toMatch(/not a supported password hash/);
    expect(hashProblem('$1$salt$md5crypt')).toMatch(/not a supported password hash/);
    expect(hashProblem(`$pbkdf2-sha256$i=999999999$${salt}$${digest}`)).toMatch(/PBKDF2 iterations must be 1 to 10000000/);
    expect(hashProblem(`$scrypt$ln=25,r=8,p=1$${salt}$${digest}`)).toMatch(/scrypt parameters out of range/);
    expect(hashProblem(`scrypt$1000$salt$8$1$${digest}`)).toMatch(/power of two/);
    expect(hashProblem(`$2b$31$${'a'.repeat(53)}`)).toMatch(/bcrypt cost must be 4 to 16/);
    expect(hashProblem(`$argon2id$v=19$m=4194304,t=3,p=1$${salt}$${digest}`)).toMatch(/argon2 parameters out of range/);
    expect(hashProblem(`$pbkdf2-sha256$i=1000$${salt}$${phc(randomBytes(8))}`)).toMatch(/too short/);
    expect(hashProblem('$pbkdf2-md5$i=1000$abc$def')).toMatch(/not a supported password hash/);
  });
});
