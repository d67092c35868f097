import { describe, expect, it } from 'vitest';
import { claimValue, defaultMapping, mapClaims } from './mapping';

describe('attribute mapping', () => {
  it('maps claims to pool attributes, custom ones included', () => {
    const profile = mapClaims(
      { email: 'email', email_verified: 'email_verified', name: 'name', 'custom:department': 'dept', locale: 'locale' },
      { sub: 'x', email: ' Ann@Corp.Example ', email_verified: true, name: 'Ann Example', dept: 'Research', locale: 'en-GB' },
    );
    expect(profile).toEqual({ email: 'Ann@Corp.Example', emailVerified: true, attributes: { name: 'Ann Example', 'custom:department': 'Research', locale: 'en-GB' } });
  });

  it('reads verified flags sent as text (Apple, SAML) and leaves unknown values unset', () => {
    expect(mapClaims({ email_verified: 'ev' }, { ev: 'true' }).emailVerified).toBe(true);
    expect(mapClaims({ email_verified: 'ev' }, { ev: 'false' }).emailVerified).toBe(false);
    expect(mapClaims({ email_verified: 'ev' }, { ev: ['true'] }).emailVerified).toBe(true);
    expect(mapClaims({ email_verified: 'ev' }, { ev: 'perhaps' }).emailVerified).toBeUndefined();
    expect(mapClaims({ email_verified: 'ev' }, {}).emailVerified).toBeUndefined();
  });

  it('leaves out values that are not valid for their attribute', () => {
    expect(mapClaims({ email: 'email', phone_number: 'phone', name: 'name' }, { email: 'not an address', phone: '12', name: 'a\u0000b' })).toEqual({ attributes: {} });
    expect(mapClaims({ phone_number: 'phone' }, { phone: '+1 (415) 555-0100' }).phoneNumber).toBe('+14155550100');
    expect(mapClaims({ name: 'name' }, { name: 'x'.repeat(3000) }).attributes).toEqual({});
  });

  it('reaches into objects by dotted path, but an exact name wins (SAML attribute names have dots)', () => {
    expect(claimValue({ picture: { data: { url: 'https://x/p.png' } } }, 'picture.data.url')).toBe('https://x/p.png');
    const saml = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
    expect(mapClaims({ email: saml }, { [saml]: ['ann@corp.example'] }).email).toBe('ann@corp.example');
    expect(mapClaims({ address: 'address' }, { address: { formatted: '1 Main St' } }).attributes).toEqual({ address: '1 Main St' });
    expect(mapClaims({ 'custom:groups': 'groups' }, { groups: ['a', 'b'] }).attributes).toEqual({ 'custom:groups': 'a,b' });
    expect(mapClaims({ name: 'n' }, { n: 42 }).attributes).toEqual({ name: '42' });
  });

  it('has defaults per provider type; only OpenID Connect ones trust a verified flag', () => {
    expect(defaultMapping('google')).toMatchObject({ email: 'email', email_verified: 'email_verified' });
    expect(defaultMapping('facebook')).toEqual({ email: 'email', name: 'name', given_name: 'first_name', family_name: 'last_name' });
    expect(defaultMapping('amazon')).not.toHaveProperty('email_verified');
    expect(defaultMapping('saml')).toEqual({});
  });
});
