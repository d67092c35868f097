import type { PoolSettings } from '../../config/seed';
import type { PoolContext } from '../context';
import type { PoolError } from '../errors';
import type { FlowStep } from '../flow';
import type { UserRow } from '../users';
import type en from '../../../messages/en.json';

/** The built-in ways to prove who one is; `registry.ts` must hold one entry for each. */
export type MethodKind = 'password' | 'totp' | 'email' | 'sms' | 'webauthn' | 'recovery' | 'magic_link';

/** The names `pool.sign_in_methods` gives the first factors (a method's `use.first`). */
export type SignInMethod = 'password' | 'passkey' | 'email_otp' | 'sms_otp' | 'magic_link';

/**
 * What a first factor that needs no password sends for one sign-in attempt (passwordless.ts does
 * the sending and checking, alike for every such method): a code or a link, by mail or text, to
 * the user's verified address only. Users without one get the same screens and a decoy.
 */
export interface Sends {
  proof: 'code' | 'link';
  channel: 'email' | 'sms';
  /** The `amr` of a sign-in it proved alone (RFC 8176 where it has a value: `otp`, `sms`). */
  amr: string[];
  /** The verified address it goes to, or null (nothing is sent). */
  address(user: UserRow): string | null;
}

/** A method's texts live under `methods.<namespace>` in the catalogues (`label` at least). */
export type MethodMessages = keyof (typeof en)['methods'];

export type MfaStep = Extract<FlowStep, { step: 'mfa' }>;

/** What a method is asked about a user: the pool's MFA policy and how they signed in so far. */
export interface Asking {
  mfa: PoolSettings['mfa'];
  /** The `amr` of the first factor, at sign-in; absent on the account page. */
  amr?: string[];
}

/**
 * Where the user stands with a method the pool offers them: `on` when it counts at sign-in,
 * `address` (masked where it is shown at sign-in) for codes sent somewhere, `count` for methods
 * held several times (passkeys, recovery codes).
 */
export interface Standing {
  on: boolean;
  address?: string;
  count?: number;
}

/**
 * One way to prove who one is. Entries are thin: they delegate to the code of their factor
 * (mfa/totp.ts, mfa/sms.ts, passkeys/, mfa/recovery-codes.ts) and say what the screens and the
 * gate need to know; the gate, the account overview and the shared attempt path iterate them.
 */
export interface Method {
  /**
   * First factor (signs in alone: its name in `pool.sign_in_methods`, or false), second factor
   * (offered after a first), or `backup` (stands in for a lost second factor).
   */
  use: { first: SignInMethod | false; second: boolean; backup?: boolean };
  /** As a first factor without a password: what it sends (absent for the password and ceremonies). */
  sends?: Sends;
  /** What a successful proof adds to the tokens' `amr`; null when the proof says nothing of its own (a recovery code), or when its ceremony decides (passkeys: hwk or swk). */
  amr: string | null;
  /** Whose lock wrong answers count toward: `user:<id>` (the password) or `mfa:<id>` (every second factor, shared). */
  lock: 'user' | 'mfa';
  /** Null when the pool does not offer this method to the user (not allowed, no verified address). */
  standing(ctx: PoolContext, user: UserRow, asking: Asking): Promise<Standing | null>;
  /** Starts a proof at the MFA step (a code mailed or texted for this attempt); absent when there is nothing to send. */
  challenge?(ctx: PoolContext, step: MfaStep, opts: { locale: string; ip: string }): Promise<{ sent: true } | PoolError>;
  /** Checks an answer typed by the user; called only through `verifyMethod`, which counts it. Absent for ceremonies (passkeys). */
  verify?(ctx: PoolContext, who: { userId: string; attempt: string }, answer: string): Promise<boolean>;
  /** The sign-in step that enrols it, when a pool that requires a second factor meets a user with none. */
  enrolStep?(ctx: PoolContext, userId: string, amr: string[]): FlowStep;
  /** Takes it away from the user (the account page); the account rules (last factor, mail, revocation) apply. */
  remove?(ctx: PoolContext, userId: string, opts: { locale: string; keepGrantId?: string }): Promise<{ removed: true } | PoolError>;
  /** A recovery code stands in when the user loses this one. */
  recoverable?: boolean;
  messages: MethodMessages;
}

/** A registry as a pool holds it: the built-ins, plus whatever a deployment or a test registers. */
export type Methods = Readonly<Record<string, Method>>;

/** The method of a kind, if the registry has one (a kind read from a stored step or a form). */
export const methodOf = (methods: Methods, kind: string): Method | undefined => (Object.hasOwn(methods, kind) ? methods[kind] : undefined);

/** Whose key an answer counts toward (attempts.ts): one per user and lock, whichever method of that lock is tried. */
export const lockKey = (method: Method, userId: string) => `${method.lock}:${userId}`;
