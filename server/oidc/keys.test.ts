import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { publicJwk, signingKeys } from './keys';

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
});
