import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { PoolContext } from '../context';
import { inTransaction } from '../transaction';

const COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed by hand

function digest(ctx: PoolContext, code: string): string {
  return createHmac('sha256', ctx.secret).update(`recovery:${code}`).digest('base64url');
}

/** What a person may type: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

/** Ten new single-use codes (12 characters, ~59 bits each); earlier ones stop working. Shown once, stored hashed. */
export async function issueRecoveryCodes(ctx: PoolContext, userId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, () => {
    const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
  const now = ctx.now();
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await tx.db
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ id: randomUUID(), user_id: userId, code_hash: digest(ctx, normalizeRecoveryCode(c)), used_at: null, created_at: now })))
      .execute();
  });
  return codes;
}

/** Uses a code once (a conditional update, so two uses at once cannot both win); returns how many remain, or null. */
export async function useRecoveryCode(ctx: PoolContext, userId: string, input: string): Promise<number | null> {
  const code = normalizeRecoveryCode(input);
  if (!/^[a-z0-9]{12}$/.test(code)) return null;
  const used = await ctx.db
    .updateTable('recovery_codes')
    .set({ used_at: ctx.now() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', digest(ctx, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) return null;
  return recoveryCodesLeft(ctx, userId);
}

export async function recoveryCodesLeft(ctx: PoolContext, userId: string): Promise<number> {
  const left = await ctx.db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(left.n);
}

/** Whether the user still holds unused recovery codes (a second enrolment does not replace them). */
export async function hasRecoveryCodes(ctx: PoolContext, userId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}
