import { z } from 'zod';

/**
 * Text fields accept printable Unicode only: control, format (bidi overrides, zero-width space),
 * surrogate and private-use characters are refused rather than stored. The zero-width (non-)joiners
 * stay allowed: Persian and Urdu names and emoji sequences need them.
 */
const unsafe = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]|(?![\u200c\u200d])\p{Cf}/u;

export const safeText = (max: number) =>
  z
    .string()
    .max(max * 4, 'too_long')
    .transform((s) => s.normalize('NFKC').trim())
    .refine((s) => !unsafe.test(s), { message: 'invalid_characters' })
    .refine((s) => [...s].length <= max, { message: 'too_long' });

export const username = safeText(128).refine((s) => s.length > 0 && !/\s/.test(s), { message: 'invalid_username' });
export const email = z
  .string()
  .max(254, 'too_long')
  .transform((s) => s.trim())
  .pipe(z.email({ message: 'invalid_email' }));
export const phoneNumber = z
  .string()
  .max(32, 'too_long')
  .transform((s) => s.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'invalid_phone'));
/** Passwords are not trimmed or normalised away here; only hard limits. */
export const password = z
  .string()
  .min(1, 'required')
  .max(1024, 'too_long')
  .refine((s) => !/[\p{Cc}\p{Cs}]/u.test(s), { message: 'invalid_characters' });
export const code = z
  .string()
  .max(64, 'invalid_code')
  .transform((s) => s.replace(/\s/g, ''))
  .pipe(z.string().regex(/^[0-9]{6}$/, 'invalid_code'));

