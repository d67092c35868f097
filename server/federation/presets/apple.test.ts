import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { appleClientSecret, appleNameClaims, APPLE_ISSUER } from './apple';

describe('Sign in with Apple', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const provider = { team_id: 'ABCDE12345', key_id: 'KEY1234567', client_id: 'com.example.web', private_key: p8 };

  it('signs the client secret as an ES256 JWT with the .p8 key, as Apple specifies', async () => {
    const now = Date.UTC(2030, 0, 1);
    const secret = appleClientSecret(provider, APPLE_ISSUER, now);
    expect(decodeProtectedHeader(secret)).toEqual({ alg: 'ES256', kid: 'KEY1234567', typ: 'JWT' });
    const { payload } = await jwtVerify(secret, publicKey, { algorithms: ['ES256'], issuer: 'ABCDE12345', audience: APPLE_ISSUER, subject: 'com.example.web', currentDate: new Date(now + 60_000) });
    expect(payload.iat).toBe(now / 1000);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(15777000); // Apple's limit: six months
  });

  it('is refused under another key', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    await expect(jwtVerify(appleClientSecret(provider), other, { algorithms: ['ES256'] })).rejects.toThrow(/signature/);
  });

  it('takes the name Apple posts once beside the response', () => {
    const form = new URLSearchParams({ user: JSON.stringify({ name: { firstName: 'Ann', lastName: 'Example' }, email: 'x@privaterelay.appleid.com' }) });
    expect(appleNameClaims(form)).toEqual({ given_name: 'Ann', family_name: 'Example', name: 'Ann Example' });
    expect(appleNameClaims(new URLSearchParams({ user: '{not json' }))).toEqual({});
    expect(appleNameClaims(new URLSearchParams())).toEqual({});
  });
});
