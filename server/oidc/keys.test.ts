import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { expect, it, vi } from 'vitest';
import type { Db } from '../db/connect';
import { up as migration012 } from '../db/migrations/012_signing_key_rotation';
import { saveClient } from '../pool/clients';
import { anotherConnection, describeEachDb } from '../testing/databases';
import { bedsOnFakeClock } from '../testing/oidc-testbed';
import { vault } from '../secrets';
import { listSigningKeys, privateKeys, publicJwk, readKeySet, resealSigningKeys, RETIRE_GRACE_MS, rotateSigningKey, signingKeys, type KeyState } from './keys';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3600_000;

const statesOf = async (db: Db, now: number) => Object.fromEntries((await listSigningKeys(db.kysely, now)).map((k) => [k.kid, k.state]));

describeEachDb('signing keys', (open) => {
  it('instances starting together agree on one key, kept across restarts', async () => {
    const db = await open();
    const [a, b, c] = await Promise.all([signingKeys(db.kysely), signingKeys(db.kysely), signingKeys(db.kysely)]);
    expect(a.map((k) => k.kid)).toHaveLength(1);
    expect(b.map((k) => k.kid)).toEqual(a.map((k) => k.kid));
    expect(c.map((k) => k.kid)).toEqual(a.map((k) => k.kid));
    expect((await signingKeys(db.kysely))[0].kid).toBe(a[0].kid);
    expect(a[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(publicJwk(a[0])).not.toHaveProperty('d');
  });

  it('a rotation: pending (published) -> active; the old key retiring -> retired after the longest token lifetime', async () => {
    const db = await open();
    const first = (await readKeySet(db.kysely, START)).kids[0];
    // One client's ID tokens live two hours: the old key must outlive them.
    await saveClient(db.kysely, { client_id: 'long', redirect_uris: ['https://a.example/cb'], post_logout_redirect_uris: [], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none', scope: 'openid', third_party: false, token_validity: { access_token_seconds: 600, id_token_seconds: 7200, refresh_token_seconds: 86400 } }, START);

    const next = await rotateSigningKey(db.kysely, { activateAfterSeconds: 600, now: START });
    expect(next.activatesAt).toBe(START + 600_000);
    expect(await statesOf(db, START)).toEqual({ [first]: 'active', [next.kid]: 'pending' });
    expect((await readKeySet(db.kysely, START)).kids).toEqual([first, next.kid]);

    const switched = next.activatesAt;
    expect(await statesOf(db, switched - 1)).toEqual({ [first]: 'active', [next.kid]: 'pending' });
    expect(await statesOf(db, switched)).toEqual({ [first]: 'retiring', [next.kid]: 'active' });
    expect((await readKeySet(db.kysely, switched)).kids).toEqual([next.kid, first]);

    const retires = switched + 2 * HOUR + RETIRE_GRACE_MS;
    expect((await listSigningKeys(db.kysely, retires - 1)).find((k) => k.kid === first)).toMatchObject({ state: 'retiring', retiresAt: retires });
    expect((await readKeySet(db.kysely, retires - 1)).kids).toEqual([next.kid, first]);
    expect((await readKeySet(db.kysely, retires)).kids).toEqual([next.kid]);
    // Retired for good, even if lifetimes change later; its private half is gone.
    const row = await db.kysely.selectFrom('signing_keys').select(['private_jwk', 'retired_at']).where('kid', '=', first).executeTakeFirstOrThrow();
    expect(row.retired_at).toBe(retires);
    expect(JSON.parse(row.private_jwk)).not.toHaveProperty('d');
    expect(await statesOf(db, retires)).toEqual({ [first]: 'retired', [next.kid]: 'active' });
  });

  it('two rotations at once, and a rotation while another instance starts: one consistent order, exactly one key signing at any time', async () => {
    const db = await open();
    const other = anotherConnection(db);
    // An empty database: the CLI rotates while two instances start.
    const [r1, , , r2, r3] = await Promise.all([
      rotateSigningKey(db.kysely, { activateAfterSeconds: 600, now: START }),
      signingKeys(db.kysely, START),
      signingKeys(other.kysely, START),
      rotateSigningKey(other.kysely, { activateAfterSeconds: 60, now: START }),
      rotateSigningKey(db.kysely, { activateAfterSeconds: 0, now: START }),
    ]);
    // Then a burst of rotations from two processes: they race for the same place in the order.
    const burst = await Promise.all([0, 1, 2, 3].map((i) => rotateSigningKey((i % 2 ? other : db).kysely, { activateAfterSeconds: 30 * i, now: START })));
    const rows = await db.kysely.selectFrom('signing_keys').select(['kid', 'seq', 'activates_at']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(rows.map((r) => r.kid)).size).toBe(8);
    expect(rows.slice(1).map((r) => r.kid).sort()).toEqual([r1, r2, r3, ...burst].map((r) => r.kid).sort());
    for (let i = 1; i < rows.length; i++) expect(rows[i].activates_at).toBeGreaterThanOrEqual(rows[i - 1].activates_at);
    for (const t of [START, START + 30_000, START + 60_000, START + 90_000, START + 600_000, START + 3 * HOUR]) {
      const [a, b] = [await listSigningKeys(db.kysely, t), await listSigningKeys(other.kysely, t)];
      expect(a).toEqual(b);
      expect(a.filter((k) => k.state === 'active'), `at +${(t - START) / 1000} s`).toHaveLength(1);
    }
    // In the end the last in order signs, and the others retire.
    const final = await listSigningKeys(db.kysely, START + 3 * HOUR);
    expect(final.map((k) => k.state)).toEqual<KeyState[]>([...Array(7).fill('retired'), 'active']);
  }, 60_000); // eight RSA keys to make

  it('keeps private keys sealed under the deployment secret, and seals keys stored in clear', async () => {
    const db = await open();
    const [jwk] = await signingKeys(db.kysely);
    const row = await db.kysely.selectFrom('signing_keys').select(['kid', 'private_jwk']).executeTakeFirstOrThrow();
    expect(vault().isSealed(row.private_jwk)).toBe(true);
    expect(row.private_jwk).not.toContain(String(jwk.d));
    // A database from before sealing: the key in clear is sealed once, and reads the same.
    await db.kysely.updateTable('signing_keys').set({ private_jwk: JSON.stringify(jwk) }).where('kid', '=', row.kid).execute();
    expect(await resealSigningKeys(db.kysely)).toBe(1);
    expect(await resealSigningKeys(db.kysely)).toBe(0);
    expect(await privateKeys(db.kysely, [row.kid])).toEqual([jwk]);
  });

  it('refuses a delay that is not whole seconds from 0 to 30 days, saying so', async () => {
    const db = await open();
    for (const bad of [-1, 1.5, Number.NaN, 30 * 86400 + 1]) {
      await expect(rotateSigningKey(db.kysely, { activateAfterSeconds: bad })).rejects.toThrow(/activateAfterSeconds must be a whole number of seconds from 0 to 2592000/);
    }
    expect(await db.kysely.selectFrom('signing_keys').select('kid').execute()).toHaveLength(0);
  });

  it('migration 012 puts the key made at first start first in the order, active since it was made, and drops its copy in secrets', async () => {
    const db = await open();
    // The table as it was before 012, with a key made by the first start.
    await db.kysely.schema.dropTable('signing_keys').execute();
    await db.kysely.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      .execute();
    const legacy = { kid: 'legacy', alg: 'RS256', private_jwk: '{"kid":"legacy"}', created_at: START, retired_at: null };
    await db.kysely.insertInto('signing_keys' as never).values(legacy as never).execute();
    await db.kysely.insertInto('secrets').values({ name: 'first-signing-key', value: legacy.private_jwk, created_at: START }).execute();
    await migration012(db.kysely);
    expect(await db.kysely.selectFrom('signing_keys').select(['kid', 'seq', 'activates_at']).execute()).toEqual([{ kid: 'legacy', seq: 0, activates_at: START }]);
    expect(await db.kysely.selectFrom('secrets').select('name').where('name', '=', 'first-signing-key').execute()).toEqual([]);
    expect(await statesOf(db, START)).toEqual({ legacy: 'active' });
  });
});

describeEachDb('a running provider and a rotation made elsewhere', (open) => {
  const startBed = bedsOnFakeClock(START);

  it('publishes the new key at its next look, signs with it from its activation, accepts the old one\'s tokens until they expire', async () => {
    const db = await open();
    const bed = await startBed(db, [{ client_id: 'rp' }]);
    const before = await bed.signIn('rp');
    const [oldKid] = (await bed.jwks()).keys.map((k) => k.kid);
    expect(decodeProtectedHeader(before.id_token).kid).toBe(oldKid);
    // Nothing changed: the provider is not rebuilt.
    const first = bed.live.current;
    await bed.live.refresh();
    expect(bed.live.current).toBe(first);

    // The CLI, another process: its own connection.
    const cli = anotherConnection(db);
    const rotated = await rotateSigningKey(cli.kysely, { activateAfterSeconds: 600 });
    await bed.live.refresh();
    const published = (await bed.jwks()).keys;
    expect(published.map((k) => k.kid)).toEqual([oldKid, rotated.kid]);
    expect(published.filter((k) => !k.key_ops)).toHaveLength(1); // only the old key may sign
    expect(published.find((k) => k.kid === rotated.kid)?.key_ops).toEqual(['verify']);
    for (const k of published) expect(k).not.toHaveProperty('d');
    const pending = await bed.signIn('rp');
    expect(decodeProtectedHeader(pending.id_token).kid).toBe(oldKid);
    expect(decodeProtectedHeader(pending.access_token).kid).toBe(oldKid);

    vi.setSystemTime(rotated.activatesAt);
    await bed.live.refresh();
    const after = await bed.signIn('rp');
    expect(decodeProtectedHeader(after.id_token).kid).toBe(rotated.kid);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.kid);
    const refreshed = await bed.refresh('rp', before.refresh_token!);
    expect(decodeProtectedHeader(refreshed.body.access_token as string).kid).toBe(rotated.kid);
    // The old key's tokens: still verifiable with the published keys, still good at userInfo.
    const jwks = createLocalJWKSet((await bed.jwks()) as { keys: JWK[] });
    await jwtVerify(pending.id_token, jwks, { issuer: bed.issuer, audience: 'rp' });
    await jwtVerify(pending.access_token, jwks, { issuer: bed.issuer });
    expect(await bed.userinfo(pending.access_token)).toBe(200);
    expect(await bed.userinfo(after.access_token)).toBe(200);

    // Past the longest lifetime (the default hour) and the grace: the old key leaves.
    vi.setSystemTime(rotated.activatesAt + HOUR + RETIRE_GRACE_MS);
    await bed.live.refresh();
    expect((await bed.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid]);
    expect(await bed.userinfo(after.access_token)).toBe(401); // an hour old: expired
  });
});
