import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { saveClient } from '../pool/clients';
import { adapterFactory, sweepExpired } from './adapter';

describeEachDb('oidc-provider adapter', (open) => {
  const setup = async () => {
    const db = await open();
    let now = 1_800_000_000_000;
    const Adapter = adapterFactory(db.kysely, () => now);
    return { db, Adapter, tick: (ms: number) => (now += ms), now: () => now };
  };

  it('stores, finds, consumes and destroys artifacts by model', async () => {
    const { Adapter } = await setup();
    const codes = new Adapter('AuthorizationCode');
    const sessions = new Adapter('Session');
    await codes.upsert('c1', { grantId: 'g1', accountId: 'u1' }, 60);
    await sessions.upsert('c1', { uid: 'sess-uid', accountId: 'u2' }, 60);
    expect(await codes.find('c1')).toMatchObject({ grantId: 'g1', accountId: 'u1' });
    expect(await sessions.findByUid('sess-uid')).toMatchObject({ accountId: 'u2' });
    expect((await codes.find('c1'))?.consumed).toBeUndefined();
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
    await codes.destroy('c1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await sessions.find('c1')).toBeDefined();
  });

  it('forgets artifacts once they expire, and the sweeper removes them', async () => {
    const { db, Adapter, tick, now } = await setup();
    const tokens = new Adapter('AccessToken');
    await tokens.upsert('t1', { grantId: 'g' }, 10);
    tick(11_000);
    expect(await tokens.find('t1')).toBeUndefined();
    await sweepExpired(db.kysely, now());
    const rows = await db.kysely.selectFrom('oidc_artifacts').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('revokes everything issued under a grant', async () => {
    const { Adapter } = await setup();
    const rt = new Adapter('RefreshToken');
    const at = new Adapter('AccessToken');
    await rt.upsert('r1', { grantId: 'g1' }, 60);
    await at.upsert('a1', { grantId: 'g1' }, 60);
    await at.upsert('a2', { grantId: 'g2' }, 60);
    await rt.revokeByGrantId('g1');
    expect(await rt.find('r1')).toBeUndefined();
    expect(await at.find('a1')).toBeUndefined();
    expect(await at.find('a2')).toBeDefined();
  });

  it('serves app clients from the clients table as code + PKCE clients', async () => {
    const { db, Adapter } = await setup();
    await saveClient(
      db.kysely,
      {
        client_id: 'web',
        client_secret: 's'.repeat(32),
        redirect_uris: ['https://app.example/cb'],
        post_logout_redirect_uris: [],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'openid email',
        third_party: false,
      },
      Date.now(),
    );
    const client = await new Adapter('Client').find('web');
    expect(client).toMatchObject({ client_id: 'web', response_types: ['code'], redirect_uris: ['https://app.example/cb'] });
    expect(client).not.toHaveProperty('third_party');
    expect(await new Adapter('Client').find('nope')).toBeUndefined();
  });
});
