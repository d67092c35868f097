import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { codeOf } from './answer';
import { pkcePair, s256 } from './pkce';
import { verifyIdToken } from './id-token';

const ISSUER = 'https://login.example';
const CLIENT = 'spa';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('makes a fresh 43-character verifier each time, with its challenge', async () => {
    const [a, b] = await Promise.all([pkcePair(), pkcePair()]);
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await s256(a.verifier));
  });
});

describe('state', () => {
  const expected = { state: 'st-1', issuer: ISSUER };
  it('gives the code of an answer to this request', () => {
    expect(codeOf({ code: 'c', state: 'st-1', iss: ISSUER }, expected)).toBe('c');
  });
  it('refuses an answer with another state or none, before believing its error', () => {
    expect(() => codeOf({ code: 'c', state: 'st-2' }, expected)).toThrow('state_mismatch');
    expect(() => codeOf({ code: 'c' }, expected)).toThrow('state_mismatch');
    expect(() => codeOf({ error: 'login_required', state: 'other' }, expected)).toThrow('state_mismatch');
  });
  it("reports Foyer's error, and refuses another issuer", () => {
    expect(() => codeOf({ error: 'login_required', state: 'st-1' }, expected)).toThrow('login_required');
    expect(() => codeOf({ code: 'c', state: 'st-1', iss: 'https://evil.example' }, expected)).toThrow('issuer_mismatch');
  });
});

describe('ID token', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  const other = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, key: CryptoKey = privateKey, kid = 'k1') =>
    new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 'u1', iat: now, exp: now + 300, nonce: 'n-1', ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  const check = (token: string) => verifyIdToken(token, { issuer: ISSUER, clientId: CLIENT, nonce: 'n-1', keys: [jwk], now });

  it('accepts a token signed by the issuer for this client with this nonce', async () => {
    expect((await check(await sign({}))).sub).toBe('u1');
  });
  it('refuses another nonce, issuer, audience, an expired token', async () => {
    await expect(check(await sign({ nonce: 'n-2' }))).rejects.toThrow('wrong nonce');
    await expect(check(await sign({ iss: 'https://evil.example' }))).rejects.toThrow('wrong issuer');
    await expect(check(await sign({ aud: 'other' }))).rejects.toThrow('wrong audience');
    await expect(check(await sign({ aud: [CLIENT, 'other'] }))).rejects.toThrow('wrong audience');
    await expect(check(await sign({ exp: now - 120 }))).rejects.toThrow('expired');
  });
  it('refuses a token signed by another key, by an unknown key, altered, or unsigned', async () => {
    await expect(check(await sign({}, other.privateKey))).rejects.toThrow('bad signature');
    await expect(check(await sign({}, privateKey, 'k2'))).rejects.toThrow('unknown key');
    const [h, , s] = (await sign({})).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: 'admin', nonce: 'n-1', exp: now + 300 })).toString('base64url');
    await expect(check(`${h}.${forged}.${s}`)).rejects.toThrow('bad signature');
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    await expect(check(`${none}.${forged}.`)).rejects.toThrow('not accepted');
  });
});
