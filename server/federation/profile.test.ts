import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import { applySeedIfEmpty } from '../pool-config/apply';
import { createPool } from '../pool';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { refreshProfile } from './profile';

describeEachDb('federated profile refresh', (open) => {
  it('keeps an immutable custom attribute once set; a mutable one follows the provider', async () => {
    const db = await open();
    const now = () => Date.UTC(2030, 0, 1);
    const custom_attributes = [{ name: 'custom:plan' }, { name: 'custom:tenant', mutable: false }, { name: 'custom:region', mutable: false }];
    const seed = { pool: { custom_attributes }, users: [{ username: 'fed', attributes: { 'custom:plan': 'pro', 'custom:tenant': 'acme' } }] };
    await applySeedIfEmpty(db, parseSeed(seed), now());
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now });
    const row = () => db.kysely.selectFrom('users').selectAll().where('username_lower', '=', 'fed').executeTakeFirstOrThrow();
    await refreshProfile(pool.ctx, await row(), { attributes: { 'custom:plan': 'team', 'custom:tenant': 'evil', 'custom:region': 'eu' } });
    // The first value of an immutable attribute may still be written.
    expect(JSON.parse((await row()).attributes)).toEqual({ 'custom:plan': 'team', 'custom:tenant': 'acme', 'custom:region': 'eu' });
  });
});
