/**
 * Invitations (invitations.ts) on SQLite and PostgreSQL: an admin creates a user without a
 * password, a mailed link sets one once, within 7 days; the secret is stored only as an HMAC; a
 * new invitation kills the earlier link; whom an invitation cannot serve is refused.
 */
import { expect, it } from 'vitest';
import { parseSeed, type UserSeed } from '../config/seed';
import type { OutgoingMail } from '../mail/mailer';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from './index';
import { INVITATION_TTL_DAYS } from './invitations';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const DAY = 24 * 60 * 60_000;
const IP = '203.0.113.9';
const PASSWORD = 'violet tractor under seven lanterns';
const FRESH = 'copper herons wade past the old mill';

const linkIn = (m: OutgoingMail | undefined) => {
  const url = new URL(m?.text.match(/https?:\/\/\S+/)?.[0] ?? 'http://none/');
  return { url, id: url.searchParams.get('link') ?? '', token: url.searchParams.get('token') ?? '' };
};

describeEachDb('invitations', (open) => {
  async function setup() {
    const db = await open();
    let t = START;
    const now = () => t;
    await applySeedIfEmpty(db, parseSeed({ pool: { name: 'Invite test' }, users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD }] }), t);
    const outbox = testOutbox(db.kysely, { now });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now, publicUrl: 'https://id.example' });
    const mailsTo = async (to: string) => (await outbox.deliver(), outbox.mails.filter((m) => m.to === to));
    const user = (username: string) => db.kysely.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const create = (u: Partial<UserSeed> & { username: string; invite?: boolean }) =>
      pool.admin.atomically((admin) => admin.users.create({ user: { email_verified: false, phone_number_verified: false, status: 'CONFIRMED', enabled: true, attributes: {}, groups: [], identities: [], ...u } }));
    const invite = async (username: string) => pool.admin.atomically(async (admin) => admin.users.invite({ row: (await admin.users.row({ username }))! }));
    const accept = (link: { id: string; token: string }, password: string) => pool.invitations.accept({ ...link, password, ip: IP });
    const signIn = (password: string, identifier = 'benjamin') => pool.signIn({ identifier, password, ip: IP, locale: 'en' });
    return { db, pool, mailsTo, user, create, invite, accept, signIn, advance: (ms: number) => (t += ms) };
  }

  it('creating with invite mails a one-time link (the secret stored only hashed); the user cannot sign in until it sets a password under the policy; then CONFIRMED, e-mail verified, the link spent', async () => {
    const { db, pool, mailsTo, user, create, accept, signIn } = await setup();
    const made = await create({ username: 'benjamin', email: 'benjamin@example.com', invite: true });
    expect(made).toMatchObject({ username: 'benjamin', status: 'FORCE_CHANGE_PASSWORD', password_hash: null, email_verified: 0 });

    const [mail] = await mailsTo('benjamin@example.com');
    expect(mail.subject).toBe('You are invited to Invite test');
    expect(mail.text).toContain('Your username: benjamin');
    expect(mail.text).toContain(`for ${INVITATION_TTL_DAYS} days`);
    expect(mail.html).toContain('benjamin');
    const link = linkIn(mail);
    expect(link.url.origin + link.url.pathname).toBe('https://id.example/en/invitation');
    // 256 random bits, of which the database holds only an HMAC.
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.kysely.selectFrom('codes').selectAll().where('purpose', '=', 'invitation').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(link.id);
    expect(JSON.stringify(rows)).not.toContain(link.token);
    expect(Number(rows[0].expires_at)).toBe(START + INVITATION_TTL_DAYS * DAY);

    // No password signs in: not the empty one, not a guess.
    expect(await signIn('')).toEqual({ error: 'invalid_credentials' });
    expect(await signIn(PASSWORD)).toEqual({ error: 'invalid_credentials' });

    // Opening the link reads it, and spends nothing; a forged token for the right id reads nothing.
    expect(await pool.invitations.read(link)).toEqual({ username: 'benjamin' });
    expect(await pool.invitations.read(link)).toEqual({ username: 'benjamin' });
    expect(await pool.invitations.read({ id: link.id, token: link.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })).toBeUndefined();
    expect(await accept({ id: link.id, token: 'A'.repeat(43) }, FRESH)).toEqual({ error: 'invitation_invalid' });

    // The pool's policy, with the same codes as sign-up and reset; the link survives a refused password.
    expect(await accept(link, 'short')).toMatchObject({ error: 'password_too_short', field: 'password', params: { min: 15 } });
    expect(await accept(link, 'Benjamin in the garden, twice')).toMatchObject({ error: 'password_contains_username', field: 'password' });
    expect(await accept(link, FRESH)).toEqual({ accepted: true });
    expect(await user('benjamin')).toMatchObject({ status: 'CONFIRMED', email_verified: 1 });
    expect(await signIn(FRESH)).toEqual({ done: { userId: made && 'id' in made ? made.id : '', amr: ['pwd'] } });

    // Single use: the row is spent, read and accept refuse it now, and the password stays.
    expect((await db.kysely.selectFrom('codes').select('consumed_at').where('id', '=', link.id).executeTakeFirstOrThrow()).consumed_at).not.toBeNull();
    expect(await pool.invitations.read(link)).toBeUndefined();
    expect(await accept(link, 'another long enough password here')).toEqual({ error: 'invitation_invalid' });
    expect(await signIn(FRESH)).toMatchObject({ done: {} });
  });

  it('a link works for 7 days, not a moment longer', async () => {
    const { pool, mailsTo, create, accept, advance } = await setup();
    await create({ username: 'ben', email: 'ben@example.com', invite: true });
    await create({ username: 'cleo', email: 'cleo@example.com', invite: true });
    const ben = linkIn((await mailsTo('ben@example.com'))[0]);
    const cleo = linkIn((await mailsTo('cleo@example.com'))[0]);
    advance(INVITATION_TTL_DAYS * DAY - 1);
    expect(await accept(ben, FRESH)).toEqual({ accepted: true });
    advance(1);
    expect(await pool.invitations.read(cleo)).toBeUndefined();
    expect(await accept(cleo, FRESH)).toEqual({ error: 'invitation_invalid' });
  });

  it('a resend mails a new link and kills the old; pending while no password; refused for a user with a password, with no e-mail, or signing in at a provider', async () => {
    const { db, pool, mailsTo, create, invite, accept } = await setup();
    await create({ username: 'ben', email: 'ben@example.com', invite: true });
    const pending = () => pool.admin.atomically(async (admin) => admin.users.invitation({ row: (await admin.users.row({ username: 'ben' }))! }));
    expect(await pending()).toEqual({ pending: true, expires_at: START + INVITATION_TTL_DAYS * DAY });
    expect(await invite('ben')).toBeUndefined();
    const [first, second] = (await mailsTo('ben@example.com')).map(linkIn);
    expect(second.id).not.toBe(first.id);
    expect(await pool.invitations.read(first)).toBeUndefined();
    expect(await accept(first, FRESH)).toEqual({ error: 'invitation_invalid' });
    expect(await db.kysely.selectFrom('codes').select('id').where('purpose', '=', 'invitation').execute()).toEqual([{ id: second.id }]);
    expect(await accept(second, FRESH)).toEqual({ accepted: true });
    expect(await pending()).toEqual({ pending: false });

    expect(await invite('ben')).toMatchObject({ error: 'conflict', code: 'has_password', path: ['password'] });
    expect(await invite('alice')).toMatchObject({ error: 'conflict', code: 'has_password' });
    await create({ username: 'nomail' });
    expect(await invite('nomail')).toMatchObject({ error: 'conflict', code: 'no_invitation_destination', path: ['email'] });
    await create({ username: 'fed', email: 'fed@example.com' });
    await db.kysely.updateTable('users').set({ status: 'EXTERNAL_PROVIDER' }).where('username', '=', 'fed').execute();
    expect(await invite('fed')).toMatchObject({ error: 'conflict', code: 'no_password', path: ['status'] });
    expect(await mailsTo('fed@example.com')).toEqual([]);
  });

  it('a disabled user, or one given a password meanwhile, cannot use the link; one e-mail address is verified by one user only', async () => {
    const { db, pool, mailsTo, create, accept } = await setup();
    await create({ username: 'ben', email: 'ben@example.com', invite: true });
    const link = linkIn((await mailsTo('ben@example.com'))[0]);
    const ben = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'ben').executeTakeFirstOrThrow()).id;
    await pool.users.setEnabled({ id: ben, enabled: false });
    expect(await accept(link, FRESH)).toEqual({ error: 'invitation_invalid' });
    await pool.users.setEnabled({ id: ben, enabled: true });
    await pool.admin.atomically(async (admin) => admin.users.setPassword({ row: (await admin.users.row({ username: 'ben' }))!, password: PASSWORD, permanent: false }));
    expect(await pool.invitations.read(link)).toBeUndefined();

    // Invited at an address alice holds verified: the link cannot take it from her, and stays unspent.
    await create({ username: 'copy', email: 'alice@example.com', invite: true });
    const copy = linkIn((await mailsTo('alice@example.com'))[0]);
    expect(await accept(copy, FRESH)).toEqual({ error: 'email_taken' });
    expect(await pool.invitations.read(copy)).toEqual({ username: 'copy' });
  });
});
