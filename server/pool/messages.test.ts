/**
 * The pool writes its mail and texts to the outbox in the transaction of the change that needs
 * them: a committed change always has its message, a rolled-back one leaves neither.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import type { OutboxLink } from '../outbox/store';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from './index';
import { queueMail } from './messages';
import { applySeedIfEmpty } from '../pool-config/apply';
import { inTransaction } from './transaction';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const GOOD = 'violet tractor under seven lanterns';
const IP = '203.0.113.7';

describeEachDb('pool messages', (open) => {
  async function setup(link?: (outbox: ReturnType<typeof testOutbox>) => OutboxLink) {
    const db = await open();
    const now = () => START;
    await applySeedIfEmpty(db, parseSeed({ users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: GOOD }] }), START);
    const outbox = testOutbox(db.kysely, { now });
    const pool = createPool({ db: db.kysely, outbox: link ? link(outbox) : outbox.link, secret: 'test-secret', now });
    const count = async (table: 'users' | 'codes' | 'messages') =>
      Number((await db.kysely.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return { db, pool, outbox, count };
  }
  const signUp = (username: string, email: string) => ({ username, email, phoneNumber: null, password: GOOD, attributes: {}, ip: IP, locale: 'en' });

  it('inTransaction: a rollback leaves no message and wakes nobody; a commit leaves it and kicks the worker once, after', async () => {
    const kicks: string[] = [];
    const { pool, count } = await setup((o) => ({ sealer: o.sealer, kick: () => kicks.push('kick') }));
    await expect(
      inTransaction(pool.ctx, async (tx) => {
        await queueMail(tx, 'alice@example.com', { kind: 'passwordChanged' }, 'en');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count('messages')).toBe(0);
    expect(kicks).toEqual([]);

    await inTransaction(pool.ctx, async (tx) => {
      await queueMail(tx, 'alice@example.com', { kind: 'passwordChanged' }, 'en');
      // Nested: joins the outer transaction.
      await inTransaction(tx, (inner) => queueMail(inner, 'alice@example.com', { kind: 'accountExists' }, 'en'));
      expect(kicks).toEqual([]); // not before the commit
    });
    expect(await count('messages')).toBe(2);
    expect(kicks).toEqual(['kick']);

    // Outside a transaction, the write is its own commit: kicked at once.
    await queueMail(pool.ctx, 'alice@example.com', { kind: 'passwordChanged' }, 'en');
    expect(kicks).toEqual(['kick', 'kick']);
  });

  it('a sign-up whose message cannot be written leaves no user and no code behind', async () => {
    const { pool, count } = await setup((o) => ({
      sealer: {
        seal: () => {
          throw new Error('cannot seal');
        },
        unseal: o.sealer.unseal,
      },
      kick: () => undefined,
    }));
    await expect(pool.signUp(signUp('newcomer', 'newcomer@example.com'))).rejects.toThrow('cannot seal');
    await expect(pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'en' })).rejects.toThrow('cannot seal');
    expect([await count('users'), await count('codes'), await count('messages')]).toEqual([1, 0, 0]); // alice only
  });

  it("a mail nobody asked for from a page (an admin's reset) speaks the user's stored locale, matched as a page's language; else the default", async () => {
    const db = await open();
    const person = (username: string, attributes: Record<string, string> = {}) => ({ username, email: `${username}@example.com`, email_verified: true, password: GOOD, attributes });
    const users = [
      person('amal', { locale: 'ar-EG' }),
      person('joana', { locale: 'PT_ao' }),
      person('xena', { locale: 'xx' }),
      person('nobody'),
      person('hostile', { locale: `${'ar-'.repeat(600)}, *;q=x, en;q=0` }),
      // Values no form writes (a hand-edited row): not a string at all.
      person('numeric'),
      person('listed'),
    ];
    await applySeedIfEmpty(db, parseSeed({ users }), START);
    for (const [username, locale] of [['numeric', 42], ['listed', ['ar']]] as const) {
      await db.kysely.updateTable('users').set({ attributes: JSON.stringify({ locale }) }).where('username', '=', username).execute();
    }
    const outbox = testOutbox(db.kysely, { now: () => START });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => START });
    for (const { username } of users) {
      const row = await pool.admin.users.row({ username });
      expect(await pool.admin.users.resetPassword({ row: row! })).toBeUndefined();
    }
    await outbox.deliver();
    const mail = (username: string) => {
      const found = outbox.mails.filter((m) => m.to === `${username}@example.com`);
      expect(found, username).toHaveLength(1);
      return found[0];
    };
    expect(mail('amal').subject).toMatch(/^أُعيد تعيين كلمة مرور Foyer: رمزك هو \d{6}$/);
    expect(mail('amal').html).toContain('<html lang="ar" dir="rtl">');
    expect(mail('joana').subject).toMatch(/palavra-passe/);
    expect(mail('joana').html).toContain('<html lang="pt-PT" dir="ltr">');
    for (const username of ['xena', 'nobody', 'hostile', 'numeric', 'listed']) {
      expect(mail(username).subject, username).toMatch(/^Your Foyer password was reset: your code is \d{6}$/);
      expect(mail(username).html, username).toContain('<html lang="en" dir="ltr">');
    }
  });

  it('every committed sign-up has its message, also when sign-ups race for the same names', async () => {
    const { pool, outbox, count } = await setup();
    const names = ['ann', 'ben', 'cat', 'dan'];
    const attempts = names.flatMap((name) => [1, 2, 3].map((n) => signUp(name, `${name}${n}@example.com`)));
    // A sign-up with alice's verified address: the owner is told instead, one message all the same.
    attempts.push(signUp('eve', 'alice@example.com'));
    const results = await Promise.all(attempts.map((a) => pool.signUp(a)));
    const won = results.filter((r) => 'next' in r);
    expect(won).toHaveLength(5);
    expect(results.filter((r) => 'error' in r).every((r) => 'error' in r && r.error === 'user_exists')).toBe(true);
    expect([await count('users'), await count('messages')]).toEqual([1 + 5, 5]);

    await outbox.deliver();
    const winners = await pool.ctx.db.selectFrom('users').select(['username', 'email']).where('username', '!=', 'alice').orderBy('username').execute();
    expect(winners.map((w) => w.username)).toEqual([...names, 'eve']);
    expect(outbox.mails.map((m) => m.to).sort()).toEqual(winners.map((w) => w.email).sort());
    expect(outbox.mails.find((m) => m.to === 'alice@example.com')?.subject).toMatch(/Sign-up attempt/);
  });
});
