import { describe, expect, it } from 'vitest';
import { framedCookie, framingTarget, withFrameAncestors } from './embedding';
import { clientSeedSchema } from '../config/seed';

const q = (s: string) => new URLSearchParams(s);

describe('framingTarget', () => {
  it('knows the client of an authorization request and the interaction of a screen or a resume', () => {
    expect(framingTarget('/oauth2/authorize', q('client_id=spa&x=1'))).toEqual({ clientId: 'spa' });
    expect(framingTarget('/oauth2/authorize/AbC_1-x', q(''))).toEqual({ uid: 'AbC_1-x' });
    expect(framingTarget('/ar/login', q('uid=AbC'))).toEqual({ uid: 'AbC' });
    expect(framingTarget('/logout', q('client_id=spa'))).toEqual({ clientId: 'spa' });
  });
  it('is nothing for other paths and odd uids', () => {
    expect(framingTarget('/admin', q('uid=AbC'))).toBeUndefined();
    expect(framingTarget('/en/login', q('uid=a%20b'))).toBeUndefined();
    expect(framingTarget('/oauth2/token', q('client_id=spa'))).toBeUndefined();
  });
});

describe('framed answers', () => {
  it("widens only frame-ancestors 'none'", () => {
    expect(withFrameAncestors("default-src 'self'; frame-ancestors 'none'", ['https://a.example', 'https://b.example'])).toBe("default-src 'self'; frame-ancestors https://a.example https://b.example");
  });
  it('makes the sign-in cookies partitioned third-party ones, and leaves the others alone', () => {
    expect(framedCookie('__Host-foyer.csrf=abc; Path=/; HttpOnly; SameSite=lax; Secure', true)).toBe('__Host-foyer.csrf=abc; Path=/; HttpOnly; Secure; SameSite=None; Partitioned');
    expect(framedCookie('__Host-foyer.session.sig=x; path=/; samesite=lax; secure; httponly', true)).toBe('__Host-foyer.session.sig=x; path=/; secure; httponly; SameSite=None; Partitioned');
    const device = '__Host-foyer.device=d; Path=/; SameSite=Strict; Secure';
    expect(framedCookie(device, true)).toBe(device);
  });
});

describe('frame_ancestors', () => {
  const client = (frame_ancestors: string[]) => clientSeedSchema.safeParse({ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://app.example/cb'], frame_ancestors });
  it('takes exact origins: https, or http on loopback', () => {
    expect(client(['https://app.example', 'https://app.example:8443', 'http://127.0.0.1:3000', 'http://localhost:5173']).success).toBe(true);
  });
  it('refuses paths, wildcards, plain http elsewhere and anything not an origin', () => {
    for (const bad of ['https://app.example/', 'https://app.example/path', 'https://*.example', '*', 'http://app.example', 'https://app.example:443', 'HTTPS://APP.example', "'self'", 'https://user@app.example']) {
      expect(client([bad]).success, bad).toBe(false);
    }
  });
});
