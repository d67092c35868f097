import { decodeJwt } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { parseSeed } from '../config/seed';
import { describeEachDb } from '../testing/databases';
import { bedsOnFakeClock } from '../testing/oidc-testbed';
import { refreshTokenTtl } from './lifetimes';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const DAY = 86400;
const short = {
  client_id: 'short',
  token_validity: { access_token_seconds: 600, id_token_seconds: 900, refresh_token_seconds: 7200, refresh_token_idle_seconds: 3600 },
};
const plain = { client_id: 'plain' };

describe('token_validity in the pool config', () => {
  const client = (token_validity: unknown) => ({ clients: [{ client_id: 'c', token_endpoint_auth_method: 'none', redirect_uris: ['https://a.example/cb'], token_validity }] });

  it('takes Cognito\'s bounds and names the field that is out of them', () => {
    expect(parseSeed(client({ access_token_seconds: 300, id_token_seconds: DAY, refresh_token_seconds: 3650 * DAY })).clients[0].token_validity).toEqual({
      access_token_seconds: 300,
      id_token_seconds: DAY,
      refresh_token_seconds: 3650 * DAY,
    });
    expect(() => parseSeed(client({ access_token_seconds: 299 }))).toThrow(/clients\.0\.token_validity\.access_token_seconds/);
    expect(() => parseSeed(client({ id_token_seconds: DAY + 1 }))).toThrow(/clients\.0\.token_validity\.id_token_seconds/);
    expect(() => parseSeed(client({ refresh_token_seconds: 3599 }))).toThrow(/clients\.0\.token_validity\.refresh_token_seconds/);
    expect(() => parseSeed(client({ refresh_token_seconds: 3650 * DAY + 1 }))).toThrow(/refresh_token_seconds/);
    expect(() => parseSeed(client({ access_token_seconds: 1.5 }))).toThrow(/access_token_seconds/);
    expect(() => parseSeed(client({ access_token: 600 }))).toThrow(/token_validity/);
  });

  it('keeps the idle limit within the absolute one', () => {
    expect(() => parseSeed(client({ refresh_token_seconds: 7200, refresh_token_idle_seconds: 7201 }))).toThrow(
      /token_validity\.refresh_token_idle_seconds.*may not exceed refresh_token_seconds/,
    );
    // The absolute lifetime's default counts too.
    expect(() => parseSeed(client({ refresh_token_idle_seconds: 31 * DAY }))).toThrow(/refresh_token_idle_seconds/);
  });
});

describe('a rotated refresh token', () => {
  const lifetimes = { access_token_seconds: 600, id_token_seconds: 600, refresh_token_seconds: 7200, refresh_token_idle_seconds: 3600 };
  it('lives the idle time, and never past the absolute expiry of its chain', () => {
    expect(refreshTokenTtl(lifetimes, { iiat: 1000 }, 1000)).toBe(3600);
    expect(refreshTokenTtl(lifetimes, { iiat: 1000 }, 1000 + 5000)).toBe(2200);
    expect(refreshTokenTtl(lifetimes, { iiat: 1000 }, 1000 + 7199)).toBe(1);
    expect(refreshTokenTtl(lifetimes, { iiat: undefined }, 50)).toBe(3600);
  });
});

describeEachDb('token lifetimes per client, through the token endpoint', (open) => {
  const startBed = bedsOnFakeClock(START);
  const advance = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
  const setup = async () => {
    const db = await open();
    const bed = await startBed(db, [short, plain]);
    const stored = (model: string, id: string) =>
      db.kysely.selectFrom('oidc_artifacts').select('expires_at').where('model', '=', model).where('id', '=', id).executeTakeFirstOrThrow();
    return { db, bed, stored };
  };
  const lifetime = (jwt: string) => {
    const { exp, iat } = decodeJwt(jwt);
    return exp! - iat!;
  };

  it('access, ID and refresh tokens and the grant live as the client says; the defaults are today\'s', async () => {
    const { bed, stored } = await setup();
    const mine = await bed.signIn('short');
    expect(lifetime(mine.access_token)).toBe(600);
    expect(mine.expires_in).toBe(600);
    expect(lifetime(mine.id_token)).toBe(900);
    expect((await stored('RefreshToken', mine.refresh_token!)).expires_at).toBe(START + 3600_000);
    const grant = decodeJwt(mine.access_token).origin_jti as string;
    expect((await stored('Grant', grant)).expires_at).toBe(START + 7200_000);

    const theirs = await bed.signIn('plain');
    expect(lifetime(theirs.access_token)).toBe(3600);
    expect(lifetime(theirs.id_token)).toBe(3600);
    expect((await stored('RefreshToken', theirs.refresh_token!)).expires_at).toBe(START + 30 * DAY * 1000);
    expect((await stored('Grant', decodeJwt(theirs.access_token).origin_jti as string)).expires_at).toBe(START + 30 * DAY * 1000);
  });

  it('a new sign-in in the same browser reuses its grant and extends it for the refresh tokens it gets', async () => {
    const { bed, stored } = await setup();
    const browser = new Map<string, string>();
    const first = await bed.signIn('short', browser);
    const grant = decodeJwt(first.access_token).origin_jti as string;
    advance(3000);
    const second = await bed.signIn('short', browser);
    expect(decodeJwt(second.access_token).origin_jti).toBe(grant);
    expect((await stored('Grant', grant)).expires_at).toBe(START + (3000 + 7200) * 1000);
    // Past the grant's first expiry (START + 7200 s), the second sign-in's refresh tokens still work.
    advance(3500);
    const used = await bed.refresh('short', second.refresh_token!);
    expect(used.status).toBe(200);
    advance(800);
    expect((await bed.refresh('short', used.body.refresh_token as string)).status).toBe(200);
  });

  it('a refresh token not used for the idle time is refused; used in time, it gives tokens of the same lifetimes', async () => {
    const { bed } = await setup();
    const idle = await bed.signIn('short');
    const used = await bed.signIn('short');
    advance(3599);
    const again = await bed.refresh('short', used.refresh_token!);
    expect(again.status).toBe(200);
    expect(lifetime(again.body.access_token as string)).toBe(600);
    expect(lifetime(again.body.id_token as string)).toBe(900);
    advance(1);
    expect(await bed.refresh('short', idle.refresh_token!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('each use gives a token that lives the idle time at most and never past the absolute expiry from the first sign-in', async () => {
    const { bed, stored } = await setup();
    let token = (await bed.signIn('short')).refresh_token!;
    for (const wait of [3000, 3000]) {
      advance(wait);
      const answer = await bed.refresh('short', token);
      expect(answer.status).toBe(200);
      token = answer.body.refresh_token as string;
    }
    // 6000 s in: the idle time (3600) would go past the absolute expiry (7200), which wins.
    expect((await stored('RefreshToken', token)).expires_at).toBe(START + 7200_000);
    advance(1199);
    const last = await bed.refresh('short', token);
    expect(last.status).toBe(200);
    advance(1);
    expect(await bed.refresh('short', last.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refresh tokens outlive the browser session they came from (14 days) when the client allows it', async () => {
    const { bed } = await setup();
    let token = (await bed.signIn('plain')).refresh_token!;
    for (const day of [7, 14, 21, 28]) {
      advance(7 * DAY);
      const answer = await bed.refresh('plain', token);
      expect(answer.status, `after ${day} days`).toBe(200);
      token = answer.body.refresh_token as string;
    }
    advance(2 * DAY); // 30 days from the sign-in
    expect(await bed.refresh('plain', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
