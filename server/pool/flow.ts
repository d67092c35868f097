import { sealerFor } from '../secrets';
import type { PoolContext } from './context';

/**
 * The sign-in state machine, one per authorization interaction. The server decides the step;
 * a screen may only act on the step stored here, so a later step cannot be reached by URL.
 */
/** A second factor's kind in the pool's method registry (methods/registry.ts: totp, email, sms, webauthn, or one a deployment adds). */
export type MfaMethod = string;

export type FlowStep =
  | { step: 'sign-in' }
  | { step: 'confirm-account'; userId: string | null; destination: string | null }
  | { step: 'new-password'; userId: string }
  | {
      step: 'mfa';
      userId: string;
      amr: string[];
      /** The factors this user can answer with, and the one the screen asks for now. */
      methods: MfaMethod[];
      method: MfaMethod;
      /** Binds an e-mailed or texted code to this sign-in attempt. */
      attempt: string;
      destination: string | null;
      /** The user's verified phone number, masked (+44 •••• ••23), when `sms` is one of the methods. */
      smsDestination?: string | null;
    }
  | { step: 'mfa-setup'; userId: string; amr: string[]; secret: string }
  /** Enrolling a phone for text codes: `phone` (E.164) is set once a code has been texted to it. */
  | { step: 'mfa-setup-sms'; userId: string; amr: string[]; phone: string | null; destination: string | null }
  /** Enrolment of a passkey, forced by the pool's policy like the authenticator app's. */
  | { step: 'passkey-setup'; userId: string; amr: string[] }
  | { step: 'recovery-codes'; userId: string; amr: string[]; codes: string[] }
  | { step: 'reset-password'; userId: string | null; identifier: string; destination: string | null; forced: boolean }
  /** A federated identity brought the verified e-mail of `userId`: they must prove they own it. */
  | { step: 'link-account'; userId: string; provider: string; email: string };

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

export async function currentStep(ctx: PoolContext, uid: string): Promise<FlowStep> {
  const row = await ctx.db
    .selectFrom('sign_in_flows')
    .select(['state', 'expires_at'])
    .where('uid', '=', uid)
    .executeTakeFirst();
  const state = row && row.expires_at > ctx.now() ? flowSealer(uid).tryUnseal(row.state) : undefined;
  return state === undefined ? { step: 'sign-in' } : (JSON.parse(state) as FlowStep);
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
