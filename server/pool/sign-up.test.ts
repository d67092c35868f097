/**
 * Sign-up as Cognito has it: typed custom attributes, terms acceptance, invitation-only pools and
 * phone-only sign-ups confirmed by a text. Against SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { parseSeed, poolSettingsSchema } from '../config/seed';
import type { Db } from '../db/connect';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { keepImmutable } from './custom-attributes';
import { createPool, type FlowOutcome, type PoolError } from './index';
import type { SignUpInput } from './sign-up';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const GOOD = 'violet tractor under seven lanterns';
const IP = '203.0.113.7';

const typedPool = {
  custom_attributes: [
    { name: 'custom:plan', type: 'String', required: true, min_length: 2, max_length: 10, labels: { en: 'Plan', ar: 'الخطة' } },
    { name: 'custom:seats', type: 'Number', required: true, min_value: 1, max_value: 100 },
    { name: 'custom:beta', type: 'Boolean', required: true },
    { name: 'custom:renews', type: 'DateTime', required: true, mutable: false },
    { name: 'custom:note' },
  ],
};
const goodCustom = { 'custom:plan': 'pro', 'custom:seats': '012', 'custom:beta': 'on', 'custom:renews': '2026-12-05T10:30' };

describe('custom attribute declarations', () => {
  it('keeps { name } alone valid (a mutable, optional String) and refuses bounds of another type', () => {
    const s = poolSettingsSchema.parse({ custom_attributes: [{ name: 'custom:plan' }] });
    expect(s.custom_attributes).toEqual([{ name: 'custom:plan', type: 'String', required: false, mutable: true }]);
    expect(() => parseSeed({ pool: { custom_attributes: [{ name: 'custom:n', type: 'Number', max_length: 3 }] } })).toThrow(/custom_attributes\.0\.max_length.*only for type String/);
    expect(() => parseSeed({ pool: { custom_attributes: [{ name: 'custom:n', type: 'Number', min_value: 5, max_value: 1 }] } })).toThrow(/min_value/);
    expect(() => parseSeed({ pool: { custom_attributes: [{ name: 'custom:n' }, { name: 'custom:n', type: 'Number' }] } })).toThrow(/duplicate/);
  });

  it('checks the typed values of the config\'s users', () => {
    const seed = (seats: string) => ({ pool: typedPool, users: [{ username: 'u', attributes: { 'custom:seats': seats } }] });
    expect(() => parseSeed(seed('many'))).toThrow(/users\.0\.attributes\.custom:seats.*not a valid Number/);
    expect(() => parseSeed(seed('101'))).toThrow(/not a valid Number/);
    expect(parseSeed(seed('42')).users[0].attributes).toEqual({ 'custom:seats': '42' });
  });

  it('reads the old self_sign_up spelling as sign_up.mode, and sign_up wins over it', () => {
    expect(poolSettingsSchema.parse({ self_sign_up: false }).sign_up).toEqual({ mode: 'invitation_only' });
    expect(poolSettingsSchema.parse({}).sign_up).toEqual({ mode: 'open' });
    const both = poolSettingsSchema.parse({ self_sign_up: true, sign_up: { mode: 'invitation_only', terms: { version: '2026-12' } } });
    expect(both).toMatchObject({ sign_up: { mode: 'invitation_only', terms: { version: '2026-12' } }, self_sign_up: false });
    // What is stored reads back the same.
    expect(poolSettingsSchema.parse(JSON.parse(JSON.stringify(both)))).toEqual(both);
  });

  it('keeps an immutable attribute once it has a value, and lets a first value in', () => {
    const declared = poolSettingsSchema.parse(typedPool).custom_attributes;
    expect(keepImmutable(declared, { 'custom:renews': '2026-12-05T10:30:00', 'custom:plan': 'pro' }, { 'custom:renews': '2030-01-01T00:00:00', 'custom:plan': 'team' })).toEqual({
      'custom:renews': '2026-12-05T10:30:00',
      'custom:plan': 'team',
    });
    expect(keepImmutable(declared, {}, { 'custom:renews': '2030-01-01T00:00:00' })).toEqual({ 'custom:renews': '2030-01-01T00:00:00' });
  });
});

describeEachDb('sign-up', (open) => {
  async function setup(seedInput: Record<string, unknown> = {}) {
    const db: Db = await open();
    let t = START;
    const outbox = testOutbox(db.kysely, { now: () => t });
    await applySeedIfEmpty(db, parseSeed(seedInput), t);
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t });
    const signUp = async (o: Partial<SignUpInput> = {}) => {
      const r = await pool.signUp({ username: 'newcomer', email: 'newcomer@example.com', phoneNumber: null, password: GOOD, attributes: {}, ip: IP, locale: 'en', ...o });
      await outbox.deliver();
      return r;
    };
    const row = (username: string) => db.kysely.selectFrom('users').selectAll().where('username_lower', '=', username).executeTakeFirst();
    return { db, pool, outbox, signUp, row, advance: (ms: number) => (t += ms) };
  }
  const confirmStep = (r: FlowOutcome | PoolError) => {
    if (!('next' in r) || r.next.step !== 'confirm-account') throw new Error(`expected confirm-account, got ${JSON.stringify(r)}`);
    return r.next;
  };

  it('stores typed custom attributes as Cognito does: strings, in canonical form, and emits them as claims', async () => {
    const { pool, signUp, row } = await setup({ pool: typedPool });
    const s = confirmStep(await signUp({ custom: { ...goodCustom, 'custom:note': 'not asked for' } }));
    const stored = JSON.parse((await row('newcomer'))!.attributes);
    // Only the attributes the form asks for (the required ones) are read, beside the language signed up in.
    expect(stored).toEqual({ locale: 'en', 'custom:plan': 'pro', 'custom:seats': '12', 'custom:beta': 'true', 'custom:renews': '2026-12-05T10:30:00' });
    const claims = await pool.users.claims({ id: s.userId! });
    expect(claims).toMatchObject({ 'custom:seats': '12', 'custom:beta': 'true' });
    // An unchecked box is a value too.
    const r = confirmStep(await signUp({ username: 'second', email: 'second@example.com', custom: { ...goodCustom, 'custom:beta': '' } }));
    expect(r.userId).toEqual(expect.any(String));
    expect(JSON.parse((await row('second'))!.attributes)['custom:beta']).toBe('false');
  });

  it('refuses each bad value with its field and the bound it breaks, and makes no account', async () => {
    const { signUp, row } = await setup({ pool: typedPool });
    const cases: [Record<string, string>, PoolError][] = [
      [{ 'custom:plan': '' }, { error: 'required', field: 'custom:plan' }],
      [{ 'custom:plan': 'p' }, { error: 'too_short', field: 'custom:plan', params: { min: 2 } }],
      [{ 'custom:plan': 'enterprise-plus' }, { error: 'too_long', field: 'custom:plan' }],
      [{ 'custom:seats': 'twelve' }, { error: 'not_a_number', field: 'custom:seats' }],
      [{ 'custom:seats': '1e3' }, { error: 'not_a_number', field: 'custom:seats' }],
      [{ 'custom:seats': '0' }, { error: 'number_too_small', field: 'custom:seats', params: { min: 1 } }],
      [{ 'custom:seats': '101' }, { error: 'number_too_large', field: 'custom:seats', params: { max: 100 } }],
      [{ 'custom:beta': 'maybe' }, { error: 'invalid_input', field: 'custom:beta' }],
      [{ 'custom:renews': '2026-02-31T10:00' }, { error: 'invalid_date_time', field: 'custom:renews' }],
      [{ 'custom:renews': 'tomorrow' }, { error: 'invalid_date_time', field: 'custom:renews' }],
    ];
    for (const [bad, error] of cases) expect(await signUp({ custom: { ...goodCustom, ...bad } }), JSON.stringify(bad)).toEqual(error);
    expect(await row('newcomer')).toBeUndefined();
  });

  it('terms: refused unless accepted, and the accepted version and time are stored with the user', async () => {
    const { signUp, row } = await setup({ pool: { sign_up: { mode: 'open', terms: { version: '2026-12' } } } });
    expect(await signUp()).toEqual({ error: 'terms_required', field: 'terms' });
    expect(await row('newcomer')).toBeUndefined();
    confirmStep(await signUp({ acceptedTerms: true }));
    expect(await row('newcomer')).toMatchObject({ terms_version: '2026-12', terms_accepted_at: START });
  });

  it('without terms configured nothing is stored', async () => {
    const { signUp, row } = await setup();
    confirmStep(await signUp({ acceptedTerms: true }));
    expect(await row('newcomer')).toMatchObject({ terms_version: null, terms_accepted_at: null });
  });

  it('invitation-only (and the old self_sign_up: false) refuses sign-up', async () => {
    for (const pool of [{ sign_up: { mode: 'invitation_only' } }, { self_sign_up: false }]) {
      const { signUp, row } = await setup({ pool });
      expect(await signUp()).toEqual({ error: 'sign_up_disabled' });
      expect(await row('newcomer')).toBeUndefined();
    }
  });

  it('an admin-created user with a temporary password is asked for a new one at first sign-in', async () => {
    const { pool, row } = await setup({ pool: { sign_up: { mode: 'invitation_only' } }, users: [{ username: 'invited', email: 'invited@example.com', email_verified: true, password: GOOD, status: 'FORCE_CHANGE_PASSWORD' }] });
    const id = (await row('invited'))!.id;
    expect(await pool.signIn({ identifier: 'invited', password: GOOD, ip: IP, locale: 'en' })).toEqual({ next: { step: 'new-password', userId: id } });
  });

  const phoneOnly = { pool: { sign_in_aliases: ['phone_number'], required_attributes: ['phone_number'] } };

  it('a phone-only sign-up is confirmed by a text, which verifies the number', async () => {
    const { pool, outbox, signUp, row } = await setup(phoneOnly);
    const s = confirmStep(await signUp({ username: 'phoner', email: null, phoneNumber: '+447700900123' }));
    expect(s.destination).toBe('+44 •••• ••23');
    expect(outbox.mails).toHaveLength(0);
    expect(outbox.texts).toHaveLength(1);
    expect(outbox.texts[0]).toMatchObject({ to: '+447700900123', purpose: 'confirm_sign_up' });
    const code = /\b(\d{6})\b/.exec(outbox.texts[0].body)![1];
    expect(await row('phoner')).toMatchObject({ status: 'UNCONFIRMED', phone_number_verified: 0 });
    expect(await pool.confirmAccount({ step: s, code: code === '000000' ? '000001' : '000000', locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toEqual({ done: { userId: s.userId, amr: ['pwd'] } });
    expect(await row('phoner')).toMatchObject({ status: 'CONFIRMED', phone_number_verified: 1 });
    // The number now signs in.
    expect(await pool.signIn({ identifier: '+447700900123', password: GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: s.userId, amr: ['pwd'] } });
  });

  it('a resend texts a new code; the SMS limits against pumping apply, and a refused text makes no account', async () => {
    const { pool, outbox, signUp, row, advance } = await setup({ pool: { ...phoneOnly.pool, rate_limits: { sms_per_ip_per_hour: 2 } } });
    const s = confirmStep(await signUp({ username: 'phoner', email: null, phoneNumber: '+447700900123' }));
    advance(31_000);
    expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: IP })).toEqual({ sent: true });
    await outbox.deliver();
    expect(outbox.texts.map((x) => x.to)).toEqual(['+447700900123', '+447700900123']);
    expect(await signUp({ username: 'pumper', email: null, phoneNumber: '+88212345678' })).toMatchObject({ error: 'rate_limited' });
    expect(await row('pumper')).toBeUndefined();
    expect(outbox.texts).toHaveLength(2);
  });

  it('an unconfirmed phone-only user who signs in (by username: the number is not verified yet) gets a new text', async () => {
    const { pool, outbox, signUp } = await setup({ pool: { sign_in_aliases: ['username', 'phone_number'], required_attributes: ['phone_number'] } });
    confirmStep(await signUp({ username: 'phoner', email: null, phoneNumber: '+447700900123' }));
    const r = await pool.signIn({ identifier: 'phoner', password: GOOD, ip: IP, locale: 'en' });
    expect(confirmStep(r).destination).toBe('+44 •••• ••23');
    await outbox.deliver();
    expect(outbox.texts).toHaveLength(2);
  });
});
