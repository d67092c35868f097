import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import { applySeedIfEmpty } from '../../pool-config/apply';
import { describeEachDb } from '../../testing/databases';
import { createPool } from '../index';
import { needsRehash } from './hash';
import { testOutbox } from '../../testing/outbox';

const PASSWORD = 'imported users keep their passwords';
const IP = '198.51.100.4';
const phc = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

describeEachDb('imported password hashes at sign-in', (open) => {
  async function setup() {
    const db = await open();
    const salt = randomBytes(16);
    const hashes = {
      bcrypt: bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2y$'),
      scrypt: `$scrypt$ln=10,r=8,p=1$${phc(salt)}$${phc(scryptSync(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 }))}`,
      django: `pbkdf2_sha256$1000$NaCl4Django$${pbkdf2Sync(PASSWORD, 'NaCl4Django', 1000, 32, 'sha256').toString('base64')}`,
    };
    await applySeedIfEmpty(db, parseSeed({ users: Object.entries(hashes).map(([username, password_hash]) => ({ username, password_hash })) }));
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    const stored = async (username: string) =>
      (await db.kysely.selectFrom('users').select(['id', 'password_hash']).where('username_lower', '=', username).executeTakeFirstOrThrow());
    return { pool, hashes, stored };
  }

  it('a wrong password leaves the imported hash; the right one signs in and replaces it with argon2id', async () => {
    const { pool, hashes, stored } = await setup();
    for (const [username, original] of Object.entries(hashes)) {
      expect(await pool.signIn({ identifier: username, password: 'not the password', ip: IP, locale: 'en' }), username).toEqual({ error: 'invalid_credentials' });
      expect((await stored(username)).password_hash).toBe(original);

      const { id } = await stored(username);
      expect(await pool.signIn({ identifier: username, password: PASSWORD, ip: IP, locale: 'en' }), username).toEqual({ done: { userId: id, amr: ['pwd'] } });
      const upgraded = (await stored(username)).password_hash!;
      expect(upgraded, username).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(needsRehash(upgraded)).toBe(false);

      // The new hash is the password's: the next sign-in works, and the hash stays put.
      expect(await pool.signIn({ identifier: username, password: PASSWORD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });
      expect((await stored(username)).password_hash).toBe(upgraded);
      expect(await pool.signIn({ identifier: username, password: `${PASSWORD}?`, ip: IP, locale: 'en' })).toEqual({ error: 'invalid_credentials' });
    }
  });
});
