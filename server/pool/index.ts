/**
 * The user pool's façade: the one door through which app/, server/oidc and tests reach users,
 * credentials and flows. Nothing here knows about HTTP, Next.js or React.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Mailer } from '../mail/mailer';
import { readOutbox } from '../mail/mailer';
import { userClaims, scopeClaims } from './claims';
import { findClient, saveClient, type AppClient } from './clients';
import type { PoolContext } from './context';
import type { PoolError } from './errors';
import { currentStep, endFlow, saveStep, type FlowOutcome, type FlowStep } from './flow';
import { completeNewPassword, confirmAccount, forgotPassword, resendCode, resetPassword } from './recovery';
import { settingsReader } from './settings';
import { signInWithPassword } from './sign-in';
import { signUp } from './sign-up';
import { acknowledgeRecoveryCodes, answerMfaCode, answerRecoveryCode, chooseMfaMethod, enrolAndAnswerTotp, requireSecondFactor, resendMfaEmail } from './mfa/gate';
import { totpUri } from './mfa/totp';
import { getUserRow, toUser } from './users';
import { passkeysFacade } from './passkeys';

export type { FlowStep, FlowOutcome } from './flow';
export type { PoolError, PoolErrorCode } from './errors';
export type { AppClient } from './clients';
export type { User } from './users';
export type { Claims } from './claims';
export type { Passkey, PasskeyOptions } from './passkeys';

/** `publicUrl`: the issuer; passkeys are bound to its host name and origin. */
export function createPool(deps: { db: Kysely<Database>; mailer: Mailer; secret: string; now?: () => number; publicUrl?: string }) {
  const settings = settingsReader(deps.db);
  const ctx: PoolContext = { db: deps.db, mailer: deps.mailer, secret: deps.secret, settings: settings.read, now: deps.now ?? Date.now };
  const gate = async (r: FlowOutcome | PoolError, opts: { locale: string; device?: string }): Promise<FlowOutcome | PoolError> =>
    'error' in r ? r : requireSecondFactor(ctx, r, opts);
  return {
    ctx,
    settings: settings.read,
    flow: {
      current: (uid: string) => currentStep(ctx, uid),
      save: (uid: string, step: FlowStep) => saveStep(ctx, uid, step),
      end: (uid: string) => endFlow(ctx, uid),
    },
    /** `device`: the remembered-device cookie, if the browser sent one. */
    signIn: async (input: Parameters<typeof signInWithPassword>[1] & { device?: string }) =>
      gate(await signInWithPassword(ctx, input), { locale: input.locale, device: input.device }),
    signUp: (input: Parameters<typeof signUp>[1]) => signUp(ctx, input),
    confirmAccount: async (step: Parameters<typeof confirmAccount>[1], code: string, locale = 'en') => gate(await confirmAccount(ctx, step, code), { locale }),
    resendCode: (uid: string, step: Parameters<typeof resendCode>[2], locale: string) => resendCode(ctx, uid, step, locale),
    forgotPassword: (input: Parameters<typeof forgotPassword>[1]) => forgotPassword(ctx, input),
    resetPassword: (step: Parameters<typeof resetPassword>[1], input: Parameters<typeof resetPassword>[2]) => resetPassword(ctx, step, input),
    completeNewPassword: async (step: Parameters<typeof completeNewPassword>[1], input: { password: string }, locale = 'en') =>
      gate(await completeNewPassword(ctx, step, input), { locale }),
    mfa: {
      answerCode: (step: Parameters<typeof answerMfaCode>[1], code: string, remember = false) => answerMfaCode(ctx, step, code, remember),
      choose: (step: Parameters<typeof chooseMfaMethod>[1], method: Parameters<typeof chooseMfaMethod>[2], locale: string) => chooseMfaMethod(ctx, step, method, locale),
      resendEmail: (uid: string, step: Parameters<typeof resendMfaEmail>[2], locale: string) => resendMfaEmail(ctx, uid, step, locale),
      enrolTotp: (step: Parameters<typeof enrolAndAnswerTotp>[1], code: string) => enrolAndAnswerTotp(ctx, step, code),
      answerRecoveryCode: (step: Parameters<typeof answerRecoveryCode>[1], code: string, locale: string) => answerRecoveryCode(ctx, step, code, locale),
      acknowledgeRecoveryCodes,
      totpUri: async (secret: string, account: string) => totpUri(secret, account, (await settings.read()).name),
    },
    passkeys: passkeysFacade(ctx, deps.publicUrl ?? 'http://localhost:3000', gate),
    users: {
      get: async (id: string) => {
        const row = await getUserRow(ctx, id);
        return row ? toUser(row) : undefined;
      },
      claims: (id: string) => userClaims(ctx, id),
    },
    scopeClaims: async () => scopeClaims((await settings.read()).custom_attributes.map((a) => a.name)),
    clients: {
      find: (clientId: string) => findClient(deps.db, clientId),
      save: (client: AppClient) => saveClient(deps.db, client, ctx.now()),
    },
    outbox: (limit?: number) => readOutbox(deps.db, limit),
  };
}

export type Pool = ReturnType<typeof createPool>;
export * as input from './input';
