import { PostgresAdapter } from 'kysely';
import { z } from 'zod';
import { sealerFor } from '../secrets';
import type { PoolContext } from './context';

/**
 * The sign-in state machine, one per authorization interaction. The server decides the step;
 * a screen may only act on the step stored here, so a later step cannot be reached by URL.
 */
/** A second factor's kind in the pool's method registry (methods/registry.ts: totp, email, sms, webauthn, or one a deployment adds). */
export const mfaMethodSchema = z.string().min(1).max(64);
export type MfaMethod = string;

const userId = z.string();
const amr = z.array(z.string());

/** Every step, checked whenever a row is read back: a row of another shape restarts the sign-in. */
export const flowStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('sign-in') }),
  z.strictObject({ step: z.literal('confirm-account'), userId: userId.nullable(), destination: z.string().nullable() }),
  z.strictObject({ step: z.literal('new-password'), userId }),
  z.strictObject({
    step: z.literal('mfa'),
    userId,
    amr,
    /** The factors this user can answer with, and the one the screen asks for now. */
    methods: z.array(mfaMethodSchema),
    method: mfaMethodSchema,
    /** Binds an e-mailed or texted code to this sign-in attempt. */
    attempt: z.string(),
    destination: z.string().nullable(),
    /** The user's verified phone number, masked (+44 •••• ••23), when `sms` is one of the methods. */
    smsDestination: z.string().nullable().optional(),
  }),
  z.strictObject({ step: z.literal('mfa-setup'), userId, amr, secret: z.string() }),
  /** Enrolling a phone for text codes: `phone` (E.164) is set once a code has been texted to it. */
  z.strictObject({ step: z.literal('mfa-setup-sms'), userId, amr, phone: z.string().nullable(), destination: z.string().nullable() }),
  /** Enrolment of a passkey, forced by the pool's policy like the authenticator app's. */
  z.strictObject({ step: z.literal('passkey-setup'), userId, amr }),
  z.strictObject({ step: z.literal('recovery-codes'), userId, amr, codes: z.array(z.string()) }),
  z.strictObject({ step: z.literal('reset-password'), userId: userId.nullable(), identifier: z.string(), destination: z.string().nullable(), forced: z.boolean() }),
  /**
   * A first factor without a password (a method that `sends`): a code or a link sent for `attempt`
   * only. `userId` is null when no account with a verified address answers to `identifier`: the
   * screens then go on alike, against a decoy.
   */
  z.strictObject({
    step: z.literal('passwordless'),
    /** Its name in `pool.sign_in_methods` (email_otp, sms_otp, magic_link, or one a deployment adds). */
    method: z.string().min(1).max(64),
    userId: userId.nullable(),
    identifier: z.string(),
    attempt: z.string(),
    destination: z.string().nullable(),
  }),
  /** A federated identity brought the verified e-mail of `userId`: they must prove they own it. */
  z.strictObject({ step: z.literal('link-account'), userId, provider: z.string(), email: z.string() }),
]);

export type FlowStep = z.infer<typeof flowStepSchema>;
export type StepName = FlowStep['step'];
export type StepOf<K extends StepName> = Extract<FlowStep, { step: K }>;
/** Every step's name (for an action that may start over from any step, such as signing in). */
export const anyStep = flowStepSchema.options.map((o) => o.shape.step.value) as StepName[];

/** What an operation hands back: the next step, or a finished sign-in for the protocol layer. */
export type FlowOutcome =
  | { next: FlowStep }
  | { done: { userId: string; amr: string[]; /** A token for the browser to keep, to skip MFA later. */ rememberDevice?: { token: string; days: number } } };

const FLOW_TTL_MS = 60 * 60_000;

/**
 * A step may hold secrets (a TOTP secret being enrolled, fresh recovery codes): the whole state is
 * sealed under the deployment secret, bound to its interaction. A row that does not open (sealed
 * before a finished rotation, by another deployment, or stored in clear by an older version)
 * restarts the sign-in, as an expired one does.
 */
const flowSealer = (uid: string) => sealerFor(`sign_in_flows:${uid}`);

/**
 * `lock`: inside a transaction on PostgreSQL, the row stays locked until it ends, so two posts to
 * one flow act one after the other (SQLite has one writer at a time already).
 */
export async function currentStep(ctx: PoolContext, uid: string, o: { lock?: boolean } = {}): Promise<FlowStep> {
  const query = ctx.db.selectFrom('sign_in_flows').select(['state', 'expires_at']).where('uid', '=', uid);
  const locks = o.lock && ctx.db.getExecutor().adapter instanceof PostgresAdapter;
  const row = await (locks ? query.forUpdate() : query).executeTakeFirst();
  const state = row && row.expires_at > ctx.now() ? flowSealer(uid).tryUnseal(row.state) : undefined;
  return parseStep(state);
}

/** A sealed row's text as a step; anything else (no row, not JSON, an old or forged shape) is a fresh sign-in. */
function parseStep(state: string | undefined): FlowStep {
  if (state === undefined) return { step: 'sign-in' };
  let json: unknown;
  try {
    json = JSON.parse(state);
  } catch {
    return { step: 'sign-in' };
  }
  const parsed = flowStepSchema.safeParse(json);
  return parsed.success ? parsed.data : { step: 'sign-in' };
}

export async function saveStep(ctx: PoolContext, uid: string, step: FlowStep): Promise<void> {
  if (step.step === 'sign-in') return endFlow(ctx, uid);
  const values = { state: flowSealer(uid).seal(JSON.stringify(step)), expires_at: ctx.now() + FLOW_TTL_MS };
  await ctx.db
    .insertInto('sign_in_flows')
    .values({ uid, ...values })
    .onConflict((oc) => oc.column('uid').doUpdateSet(values))
    .execute();
}

export async function endFlow(ctx: PoolContext, uid: string): Promise<void> {
  await ctx.db.deleteFrom('sign_in_flows').where('uid', '=', uid).execute();
}

/** Shows where a code went without giving the address away: j***@e***.com */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}
