import { describe, expect, it } from 'vitest';
import { queryProblem } from './query';

describe('query parameters', () => {
  const check = (q: string) => queryProblem('/login', new URLSearchParams(q));
  it('accepts the shapes our pages read, and ignores the rest', () => {
    expect(check('uid=abc_DEF-123')).toBeNull();
    expect(check('uid=abc&whatever=%00%01')).toBeNull();
  });
  it('refuses malformed or repeated known parameters', () => {
    expect(check('uid=../../etc')).toBe('invalid_request');
    expect(check(`uid=${'a'.repeat(65)}`)).toBe('invalid_request');
    expect(check('uid=a&uid=b')).toBe('invalid_request');
    expect(check('code=<script>')).toBe('invalid_request');
    expect(check('uid=a%00b')).toBe('invalid_request');
  });
});
