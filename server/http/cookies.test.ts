import { describe, expect, it } from 'vitest';
import { COOKIES, cookieName, cookieOptions, isSecureIssuer, readCookie, setCookie, type CookieKind } from './cookies';

const kinds = Object.keys(COOKIES) as CookieKind[];

describe('over TLS', () => {
  it.each(kinds)('%s is Secure, __Host- only with path /, __Secure- otherwise', (kind) => {
    const name = cookieName(kind, true);
    const o = cookieOptions(kind, true);
    expect(o.secure).toBe(true);
    if (o.path === '/') expect(name).toBe(`__Host-${COOKIES[kind].name}`);
    else expect(name).toBe(`__Secure-${COOKIES[kind].name}`);
  });

  it('names oidc-provider\'s resume cookie __Secure- (it lives under /oauth2/authorize/<uid>)', () => {
    expect(cookieName('resume', true)).toBe('__Secure-foyer.resume');
    expect(cookieName('session', true)).toBe('__Host-foyer.session');
  });

  it('writes raw Set-Cookie values browsers accept for a prefixed name, deletion included', () => {
    expect(setCookie('federation', true, 'abc', 86400)).toBe('__Host-foyer.fed=abc; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure');
    expect(setCookie('parked', true, '', 0)).toBe('__Host-foyer.fedpark=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });
});

describe('over plain http', () => {
  it.each(kinds)('%s keeps its bare name and is not Secure', (kind) => {
    expect(cookieName(kind, false)).toBe(COOKIES[kind].name);
    expect(cookieOptions(kind, false).secure).toBe(false);
  });

  it('writes no Secure attribute', () => {
    expect(setCookie('federation', false, 'v', 60)).toBe('foyer.fed=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
  });
});

it('every name is unique, so a test relying party on localhost cannot collide with another of ours', () => {
  const names = kinds.map((k) => COOKIES[k].name);
  expect(new Set(names).size).toBe(names.length);
});

it('only the issuer decides whether cookies are secure', () => {
  expect(isSecureIssuer('https://id.example')).toBe(true);
  expect(isSecureIssuer('HTTPS://id.example')).toBe(true);
  expect(isSecureIssuer('http://localhost:3000')).toBe(false);
  expect(isSecureIssuer('')).toBe(false);
});

describe('readCookie', () => {
  it('finds a cookie by its exact name among others', () => {
    const header = 'foyer.fed=x; __Host-foyer.fed=y%20z; a=b';
    expect(readCookie(header, '__Host-foyer.fed')).toBe('y z');
    expect(readCookie(header, 'foyer.fed')).toBe('x');
    expect(readCookie(header, 'fed')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });

  it('treats a malformed %-escape as no cookie rather than throwing', () => {
    expect(readCookie('__Host-foyer.fed=%E0%A4%A', '__Host-foyer.fed')).toBeUndefined();
  });
});
