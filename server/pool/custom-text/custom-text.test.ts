import { afterEach, expect, it, vi } from 'vitest';
import { parsePoolConfig } from '../../config/seed';
import { applyPoolConfig } from '../../pool-config/apply';
import { exportPoolConfig } from '../../pool-config/export';
import { planConfig } from '../../pool-config/plan';
import { emptyState } from '../../pool-config/state';
import { describeEachDb } from '../../testing/databases';
import { testOutbox } from '../../testing/outbox';
import { createPool } from '..';
import { queueMail, queueSms } from '../messages';
import { inTransaction } from '../transaction';
import { createCustomText } from '.';
import { sweepPool } from '../sweep';

const SUBJECT_FR = 'Votre code {pool} : {code} (personnalisé)';
const config = (texts: Record<string, Record<string, string>>) => parsePoolConfig({ pool: { name: 'Acme' }, custom_text: texts }, 'pool.json');
const names = (plan: { changes: { action: string; section: string; name: string }[] }) => plan.changes.map((c) => `${c.action} ${c.section}/${c.name}`);

afterEach(() => vi.useRealTimers());

describeEachDb('custom text', (open) => {
  it('applies from the pool config to mail and texts of that locale only; exports and applies back unchanged; prunes', async () => {
    const db = await open();
    const first = await applyPoolConfig(db, config({ fr: { 'email.confirmSignUp.subject': SUBJECT_FR, 'sms.mfaCode': '{code} : code {pool}, {minutes, plural, one {# minute} other {# minutes}}.' } }));
    expect(names(first)).toEqual(['create pool/pool', 'create custom_text/fr/email.confirmSignUp.subject', 'create custom_text/fr/sms.mfaCode']);

    const outbox = testOutbox(db.kysely);
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret' });
    // Inside a transaction, as codes are mailed: the overrides are read through it.
    await inTransaction(pool.ctx, (tx) => queueMail(tx, 'a@example.test', { kind: 'confirmSignUp', code: '123456', minutes: 15 }, 'fr'));
    await queueMail(pool.ctx, 'b@example.test', { kind: 'confirmSignUp', code: '123456', minutes: 15 }, 'en');
    await queueSms(pool.ctx, '+447700900123', { kind: 'mfaCode', code: '654321', minutes: 1 }, 'fr');
    await outbox.deliver();
    expect(outbox.mails.map((m) => m.subject)).toEqual(['Votre code Acme : 123456 (personnalisé)', expect.not.stringContaining('personnalisé')]);
    expect(outbox.texts[0].body).toBe('654321 : code Acme, 1 minute.');

    const exported = await exportPoolConfig(db.kysely, { includeSecrets: false });
    expect(exported.custom_text).toEqual({ fr: { 'email.confirmSignUp.subject': SUBJECT_FR, 'sms.mfaCode': expect.any(String) } });
    const again = await applyPoolConfig(db, parsePoolConfig(JSON.parse(JSON.stringify({ custom_text: exported.custom_text })), 'export.json'));
    expect(again.changes).toEqual([]);
    expect(again.unchanged.custom_text).toBe(2);

    const edited = config({ fr: { 'email.confirmSignUp.subject': '{code}, code {pool}' } });
    expect(names(await applyPoolConfig(db, edited))).toEqual(['update custom_text/fr/email.confirmSignUp.subject', 'remove custom_text/fr/sms.mfaCode']);
    expect((await exportPoolConfig(db.kysely, { includeSecrets: false })).custom_text).toEqual({ fr: { 'email.confirmSignUp.subject': '{code}, code {pool}', 'sms.mfaCode': expect.any(String) } });
    await applyPoolConfig(db, edited, { prune: true });
    expect((await exportPoolConfig(db.kysely, { includeSecrets: false })).custom_text).toEqual({ fr: { 'email.confirmSignUp.subject': '{code}, code {pool}' } });
  });

  it('a config with a bad override is refused naming its locale and key', () => {
    const plan = (texts: Record<string, Record<string, string>>) => () => planConfig(emptyState(), config(texts), { prune: false, themes: [] });
    expect(plan({ fr: { 'login.subtitle': 'continuer' } })).toThrow('field "custom_text.fr.login.subtitle": the placeholder {app} is missing');
    expect(plan({ xx: { 'login.title': 'x' } })).toThrow('field "custom_text.xx": "xx" is not a supported locale');
    expect(plan({ fr: { 'login.titel': 'x' } })).toThrow('"login.titel" is not a message key');
  });

  it('another instance sees a change within a second, without reading the database on every request', async () => {
    const db = await open();
    const writer = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    const reader = createCustomText(db.kysely);
    vi.useFakeTimers({ toFake: ['Date'] });
    expect((await reader.messages('de')).login.title).not.toBe('Willkommen');
    expect(await writer.admin.customText.put({ locale: 'de', key: 'login.title', text: 'Willkommen' })).toBeUndefined();
    // Checked less than a second ago: the cached catalogue, no read.
    expect((await reader.messages('de')).login.title).not.toBe('Willkommen');
    vi.advanceTimersByTime(1001);
    expect((await reader.messages('de')).login.title).toBe('Willkommen');
    expect((await reader.messages('en')).login.title).toBe('Sign in');
    await writer.admin.customText.delete({ locale: 'de', key: 'login.title' });
    reader.invalidate();
    expect((await reader.messages('de')).login.title).not.toBe('Willkommen');
  });

  it('unsaved overrides show on the preview screens of their locale until the token expires, never live; expired rows are swept', async () => {
    const db = await open();
    let now = 1_000_000;
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => now });
    const made = await pool.admin.customText.preview({ locale: 'de', texts: { 'login.title': 'Vorschau', 'login.subtitle': 'weiter zu {app}' } });
    if ('error' in made) throw new Error('refused');
    const merged = await pool.customText.previewMessages('de', made.token);
    expect([merged?.login.title, merged?.login.subtitle]).toEqual(['Vorschau', 'weiter zu {app}']);
    // The rest of the catalogue is the locale's own.
    expect(merged?.login.submit).toBe((await pool.customText.messages('de')).login.submit);
    expect((await pool.customText.messages('de')).login.title).not.toBe('Vorschau');
    expect(await pool.customText.previewMessages('fr', made.token)).toBeUndefined();
    expect(await pool.customText.pending(made.token)).toEqual({ locale: 'de', texts: { 'login.title': 'Vorschau', 'login.subtitle': 'weiter zu {app}' } });
    // Another secret's reader, or a theme token without text: nothing pending.
    expect(await createCustomText(db.kysely, { secret: 'other', now: () => now }).pending(made.token)).toBeUndefined();
    expect(await pool.customText.pending(pool.admin.themes.previewToken({ id: 'default', draft: false }).token)).toBeUndefined();
    // Refused as a save would be; nothing stored.
    expect(await pool.admin.customText.preview({ locale: 'de', texts: { 'login.subtitle': 'weiter' } })).toMatchObject({ error: 'invalid', problems: [{ path: ['login.subtitle'], code: 'missing_argument', params: { name: '{app}' } }] });
    expect(await pool.admin.customText.preview({ locale: 'de', texts: {} })).toMatchObject({ error: 'invalid' });
    expect(await db.kysely.selectFrom('custom_text_previews').select('id').execute()).toHaveLength(1);

    now = made.expiresAt;
    expect(await pool.customText.previewMessages('de', made.token)).toBeUndefined();
    await sweepPool(pool.ctx);
    expect(await db.kysely.selectFrom('custom_text_previews').select('id').execute()).toHaveLength(0);
  });
});
