import { describe, expect, it } from 'vitest';
import { mintPreviewToken, readPreviewToken } from './preview-token';

describe('theme preview tokens', () => {
  const grant = { theme: 'brand', draft: true, expiresAt: 1_000_000 };
  const token = mintPreviewToken('secret-a', grant);

  it('read back before they expire, with the secret that signed them', () => {
    expect(readPreviewToken('secret-a', token, 999_999)).toEqual(grant);
    expect(readPreviewToken('secret-a', mintPreviewToken('secret-a', { ...grant, draft: false }), 0)).toEqual({ ...grant, draft: false });
  });

  it('refused once expired, under another secret, altered, or malformed', () => {
    expect(readPreviewToken('secret-a', token, 1_000_000)).toBeUndefined();
    expect(readPreviewToken('secret-b', token, 0)).toBeUndefined();
    const [body, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify(['other', 1, 1_000_000])).toString('base64url');
    expect(readPreviewToken('secret-a', `${other}.${mac}`, 0)).toBeUndefined();
    expect(readPreviewToken('secret-a', `${body}.${mac}.x`, 0)).toBeUndefined();
    expect(readPreviewToken('secret-a', body, 0)).toBeUndefined();
    // Signed, but not a grant: a bad theme id is refused after the signature checks.
    expect(readPreviewToken('secret-a', mintPreviewToken('secret-a', { ...grant, theme: 'Not An Id' }), 0)).toBeUndefined();
  });
});

describe('theme preview tokens with custom text', () => {
  const grant = { theme: 'brand', draft: false, expiresAt: 1_000_000, text: 'AAAAAAAAAAAAAAAAAAAAAA' };

  it('carry the id of a stored custom-text preview, and only an id of its shape', () => {
    expect(readPreviewToken('secret-a', mintPreviewToken('secret-a', grant), 0)).toEqual(grant);
    expect(readPreviewToken('secret-a', mintPreviewToken('secret-a', { ...grant, text: '../other' }), 0)).toBeUndefined();
  });
});
