import { expect, it } from 'vitest';
import { describeEachDb } from '../../testing/databases';
import { consumeRequest, markAccepted, pendingRequestProvider, rememberRequest, REQUEST_TTL_MS, sweepSaml } from './store';

describeEachDb('SAML request and replay store', (open) => {
  it('a pending request is taken once, by its provider and kind, until it expires', async () => {
    const db = (await open()).kysely;
    const t = 1_000_000;
    await rememberRequest(db, { id: '_a', provider: 'P', kind: 'authn', relayState: 'uid' }, t);
    await rememberRequest(db, { id: '_b', provider: 'P', kind: 'logout', relayState: null }, t);
    expect(await pendingRequestProvider(db, '_a', t + 1)).toBe('P');
    expect(await consumeRequest(db, { id: '_a', provider: 'Q', kind: 'authn' }, t + 1)).toBeUndefined();
    expect(await consumeRequest(db, { id: '_a', provider: 'P', kind: 'logout' }, t + 1)).toBeUndefined();
    const takers = await Promise.all([1, 2, 3].map(() => consumeRequest(db, { id: '_a', provider: 'P', kind: 'authn' }, t + 1)));
    expect(takers.filter(Boolean)).toEqual([{ relayState: 'uid' }]);
    expect(await consumeRequest(db, { id: '_b', provider: 'P', kind: 'logout' }, t + REQUEST_TTL_MS)).toBeUndefined();
    expect(await pendingRequestProvider(db, '_b', t + REQUEST_TTL_MS)).toBeUndefined();
  });

  it('an accepted message ID is refused until its entry expires; sweeping removes expired rows only', async () => {
    const db = (await open()).kysely;
    const t = 2_000_000;
    const entry = { provider: 'P', messageId: '_m', expiresAt: t + 100 };
    const first = await Promise.all([1, 2, 3].map(() => markAccepted(db, entry, t)));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await markAccepted(db, { ...entry, provider: 'Q' }, t)).toBe(true); // per provider
    expect(await markAccepted(db, entry, t + 99)).toBe(false);
    expect(await markAccepted(db, { ...entry, expiresAt: t + 500 }, t + 100)).toBe(true); // the old entry had expired

    await rememberRequest(db, { id: '_old', provider: 'P', kind: 'authn', relayState: null }, t - REQUEST_TTL_MS);
    await rememberRequest(db, { id: '_new', provider: 'P', kind: 'authn', relayState: null }, t);
    await sweepSaml(db, t + 200);
    expect((await db.selectFrom('saml_requests').select('id').execute()).map((r) => r.id)).toEqual(['_new']);
    expect((await db.selectFrom('saml_replay').select(['provider', 'message_id']).orderBy('provider').execute())).toEqual([{ provider: 'P', message_id: '_m' }]);
  });
});
