import { test, expect } from '../fixtures/foyer';
import { redeemCode, signInForCode, tokenRequest, userinfoStatus, SPA } from '../fixtures/attack';

/**
 * Stolen or intercepted codes and refresh tokens (RFC 9700 §2.1.1, §4.14), in raw HTTP at the
 * public client `spa`: a code works once, and only for the first of two racing redemptions; a
 * replay revokes what the code gave out; a rotated-away refresh token revokes its whole family.
 */

test('code replay: a second redemption fails and revokes the tokens of the first', async ({ foyer }) => {
  const { code, verifier } = await signInForCode(foyer);
  const first = await redeemCode(foyer, code, verifier);
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const access = first.body.access_token as string;
  expect(await userinfoStatus(foyer, access)).toBe(200);

  const replay = await redeemCode(foyer, code, verifier);
  expect(replay.status).toBe(400);
  expect(replay.body.error).toBe('invalid_grant');
  expect(await userinfoStatus(foyer, access)).toBe(401);
  const refresh = await tokenRequest(foyer, { grant_type: 'refresh_token', client_id: SPA.clientId, refresh_token: first.body.refresh_token as string });
  expect(refresh.body.error).toBe('invalid_grant');
});

test('parallel redemption: of ten racing redemptions of one code at most one gets tokens, and the grant ends revoked', async ({ foyer }) => {
  const { code, verifier } = await signInForCode(foyer);
  const answers = await Promise.all(Array.from({ length: 10 }, () => redeemCode(foyer, code, verifier)));
  const won = answers.filter((a) => a.status === 200);
  expect(won.length, JSON.stringify(answers.map((a) => a.status))).toBeLessThanOrEqual(1);
  expect(answers.filter((a) => a.status !== 200).every((a) => a.body.error === 'invalid_grant')).toBe(true);
  // The losers were replays: whatever the winner got does not work any more.
  for (const w of won) {
    await expect.poll(() => userinfoStatus(foyer, w.body.access_token as string)).toBe(401);
    const refresh = await tokenRequest(foyer, { grant_type: 'refresh_token', client_id: SPA.clientId, refresh_token: w.body.refresh_token as string });
    expect(refresh.body.error).toBe('invalid_grant');
  }
});

test('code injection: a code is refused with another PKCE verifier, client or redirect URI', async ({ foyer }) => {
  const { code, verifier } = await signInForCode(foyer);
  for (const params of [
    { code_verifier: 'A'.repeat(43) },
    { client_id: 'demo' },
    { redirect_uri: `${SPA.redirectUri}/other` },
  ]) {
    const a = await tokenRequest(foyer, { grant_type: 'authorization_code', client_id: SPA.clientId, redirect_uri: SPA.redirectUri, code, code_verifier: verifier, ...params });
    expect(a.status, JSON.stringify(params)).toBeGreaterThanOrEqual(400);
    expect(a.status).toBeLessThan(500);
  }
});

test('refresh reuse: rotation is on, and replaying a rotated-away token revokes the family', async ({ foyer }) => {
  const { code, verifier } = await signInForCode(foyer);
  const first = await redeemCode(foyer, code, verifier);
  const rt0 = first.body.refresh_token as string;
  expect(rt0, 'the public client gets a refresh token').toEqual(expect.any(String));
  const refresh = (token: string) => tokenRequest(foyer, { grant_type: 'refresh_token', client_id: SPA.clientId, refresh_token: token });

  const second = await refresh(rt0);
  expect(second.status).toBe(200);
  const rt1 = second.body.refresh_token as string;
  expect(rt1, 'rotation: a new refresh token each time').not.toBe(rt0);

  // The attacker replays the old one: refused, and the legitimate holder's new one dies with it.
  expect((await refresh(rt0)).body.error).toBe('invalid_grant');
  expect((await refresh(rt1)).body.error).toBe('invalid_grant');
  expect(await userinfoStatus(foyer, second.body.access_token as string)).toBe(401);
});
