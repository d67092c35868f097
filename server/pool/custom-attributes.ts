import { z } from 'zod';
import type { CustomAttribute } from '../config/seed';
import { fail, type PoolError, type PoolErrorCode } from './errors';
import { safeText } from './input';

export type { CustomAttribute };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// What a datetime-local input sends (seconds optional); there is no time zone to guess.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const issue = (ctx: z.RefinementCtx, message: PoolErrorCode, params: Record<string, number> = {}) => ctx.addIssue({ code: 'custom', message, params });

/**
 * The zod schema of one declared attribute's form value. Its output is the stored value, a
 * string as Cognito stores and emits every custom attribute: a Number in its plain decimal form,
 * a Boolean as "true" / "false" (an unchecked box is "false"), a DateTime as YYYY-MM-DDTHH:MM:SS.
 * Issue messages are pool error codes, their params the bounds the message names.
 */
export function customValueSchema(a: CustomAttribute): z.ZodType<string, string> {
  switch (a.type) {
    case 'String':
      return safeText(a.max_length ?? 2048).superRefine((s, ctx) => {
        if (a.min_length !== undefined && [...s].length < a.min_length) issue(ctx, 'too_short', { min: a.min_length });
        if (a.max_length !== undefined && [...s].length > a.max_length) issue(ctx, 'too_long');
      });
    case 'Number':
      return z
        .string()
        .max(64, 'not_a_number')
        .transform((s) => s.trim())
        .superRefine((s, ctx) => {
          const n = Number(s);
          if (!NUMBER.test(s) || !Number.isFinite(n)) return issue(ctx, 'not_a_number');
          if (a.min_value !== undefined && n < a.min_value) issue(ctx, 'number_too_small', { min: a.min_value });
          if (a.max_value !== undefined && n > a.max_value) issue(ctx, 'number_too_large', { max: a.max_value });
        })
        .transform((s) => String(Number(s)));
    case 'Boolean':
      return z
        .string()
        .max(8, 'invalid_input')
        .refine((s) => ['', 'on', 'true', 'false'].includes(s), { message: 'invalid_input' })
        .transform((s) => (s === 'on' || s === 'true' ? 'true' : 'false'));
    case 'DateTime':
      return z
        .string()
        .max(32, 'invalid_date_time')
        .transform((s) => s.trim())
        .superRefine((s, ctx) => {
          const m = DATE_TIME.exec(s);
          // Date.UTC rolls 31 February over to March: a real date reads back the same.
          const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
          if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59 || +(m[6] ?? 0) > 59) issue(ctx, 'invalid_date_time');
        })
        .transform((s) => (s.length === 16 ? `${s}:00` : s));
  }
}

/**
 * Reads the declared custom attributes of a sign-up form. A required one must have a value (a
 * Boolean always has one); an optional one left empty is not stored. The first bad value is
 * refused with its field and the bound its message names.
 */
export function readCustomAttributes(
  declared: CustomAttribute[],
  raw: (name: string) => string,
  asked: (a: CustomAttribute) => boolean = (a) => a.required,
): { values: Record<string, string> } | PoolError {
  const out: Record<string, string> = {};
  for (const a of declared.filter(asked)) {
    const value = raw(a.name);
    if (value.trim() === '' && a.type !== 'Boolean') {
      if (a.required) return fail('required', { field: a.name });
      continue;
    }
    const parsed = customValueSchema(a).safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const params = ('params' in first ? first.params : undefined) as Record<string, number> | undefined;
      return fail(first.message as PoolErrorCode, { field: a.name, ...(params && Object.keys(params).length > 0 ? { params } : {}) });
    }
    out[a.name] = parsed.data;
  }
  return { values: out };
}

/**
 * The attributes after a change, with every immutable custom attribute that already has a value
 * kept as it was (Cognito refuses to change those once set; a first value may still be written).
 */
export function keepImmutable(declared: CustomAttribute[], before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  const out = { ...after };
  for (const a of declared) {
    if (a.mutable || before[a.name] === undefined) continue;
    out[a.name] = before[a.name];
  }
  return out;
}
