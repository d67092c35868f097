import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { commonPasswordCount, isCommonPassword } from './common-passwords';

describe('common password list', () => {
  it('has at least 100,000 entries', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(100_000);
  });

  it.each(['password', '123456789012', 'qwertyuiopasdfgh', 'trustno1', '1qaz2wsx3edc', 'p@ssw0rd'])(
    'flags %s',
    (pw) => {
      expect(isCommonPassword(pw)).toBe(true);
    },
  );

  it('is case-insensitive', () => {
    expect(isCommonPassword('Password')).toBe(true);
    expect(isCommonPassword('PASSWORD')).toBe(true);
    expect(isCommonPassword('QwertyUiopAsdfgh')).toBe(true);
  });

  it('normalises with NFKC before comparing', () => {
    // Fullwidth "ｐａｓｓｗｏｒｄ" is NFKC-equivalent to "password".
    expect(isCommonPassword('\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44')).toBe(true);
  });

  it('does not flag a random 24-character string', () => {
    const random = randomBytes(18).toString('base64url');
    expect(random).toHaveLength(24);
    expect(isCommonPassword(random)).toBe(false);
  });

  it('does not flag the empty string', () => {
    expect(isCommonPassword('')).toBe(false);
  });
});
