/**
 * The user pool's façade: the one door through which app/, server/oidc and tests reach users,
 * credentials and flows. Nothing here knows about HTTP, Next.js or React.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { readOutbox } from '../mail/mailer';
import type { OutboxLink } from '../outbox/store';
import { userClaims, scopeClaims } from './claims';
import { findClient, saveClient, type AppClient } from './clients';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { currentStep, endFlow, saveStep, type FlowOutcome, type FlowStep } from './flow';
import { completeNewPassword, confirmAccount, forgotPassword, resendCode, resetPassword } from './recovery';
import { settingsReader } from './settings';
import { createThemes } from './themes';
import { signInWithPassword } from './sign-in';
import { signUp } from './sign-up';
import { acknowledgeRecoveryCodes, answerMfaCode, answerRecoveryCode, chooseMfaMethod, enrolAndAnswerTotp, requireSecondFactor, resendMfaCode } from './mfa/gate';
import { changeSetupPhone, enrolSms, resendSetupSms, sendSetupSms, switchSetup, type SendOpts } from './mfa/sms';
import { confirmPhone, sendPhoneVerification } from './phone/verification';
import { totpUri } from './mfa/totp';
import { getUserRow, toUser } from './users';
import { confirmEmailChange, startEmailChange } from './account/email';
import { announce, otherFactors, setCodesOptIn, confirmTotpSetup, regenerateRecoveryCodes, removeTotp, securityOverview, startTotpSetup } from './account/factors';
import { changePassword } from './account/password';
import { createAccountSession, endAccountSession, findAccountSession, setPending, setReveal, takeReveal } from './account/sessions';
import { listSignIns, revokeSignIn } from './account/sign-ins';
import { noProvider, revokeEverything, revokeIfReliedOn, setUserEnabled, type ProviderRevocation } from './revocation';
import { forgetDevice, labelDevice, listDevices } from './mfa/devices';
import { revealSealer } from './mfa/seal';
import { passkeysFacade } from './passkeys';
import { inTransaction } from './transaction';
import { sweepEvents } from './events';
import { identitiesFacade } from './identities';
import { finishSignIn, type CompleteLogin, type FinishHook, type SignedIn } from './finish';
import { sweepPool } from './sweep';
import { metrics } from '../metrics';

export type { FlowStep, FlowOutcome } from './flow';
export type { PoolError, PoolErrorCode } from './errors';
export type { AppClient } from './clients';
export type { User } from './users';
export type { Claims } from './claims';
export type { Passkey, PasskeyOptions } from './passkeys';
export type { LinkedIdentity, UnlinkResult } from './identities';
export type { CompleteLogin, FinishHook, SignedIn } from './finish';

/**
 * `outbox`: where mail and texts are written (sealed) for the outbox worker, which the runtime
 * builds with the transports (SMTP_URL, SMS_WEBHOOK_URL or the dev outbox).
 * `publicUrl`: the issuer; passkeys are bound to its host name and origin.
 */
export function createPool(deps: { db: Kysely<Database>; outbox: OutboxLink; secret: string; now?: () => number; publicUrl?: string; revocation?: ProviderRevocation }) {
  const settings = settingsReader(deps.db);
  const now = deps.now ?? Date.now;
  const publicUrl = deps.publicUrl ?? 'http://localhost:3000';
  const themes = createThemes({ db: deps.db, clientTheme: async (id) => (await findClient(deps.db, id))?.theme, poolTheme: async () => (await settings.read()).theme, now });
  // E-mails carry the pool's theme: a mail is about the account, whichever app it was used from.
  const mailBrand = async () => {
    const { theme, assets } = await themes.forClient(null);
    const logo = theme.logo && assets[theme.logo.light];
    return { color: theme.colors.light.brand, ...(logo && theme.logo ? { logo: { url: `${publicUrl}${logo}`, alt: theme.logo.alt, height: theme.logo.height } } : {}) };
  };
  const ctx: PoolContext = { db: deps.db, outbox: deps.outbox, secret: deps.secret, settings: settings.read, now, revocation: deps.revocation ?? noProvider, mailBrand };
  const gate = async (r: FlowOutcome | PoolError, opts: { locale: string; ip: string; device?: string }): Promise<FlowOutcome | PoolError> =>
    'error' in r ? r : requireSecondFactor(ctx, r, opts);
  const passkeys = passkeysFacade(ctx, publicUrl, gate);
  const identities = identitiesFacade(ctx);
  return {
    ctx,
    settings: settings.read,
    /** Themes at request time: which applies to a client's screens, its stylesheet and assets. */
    themes,
    flow: {
      current: (uid: string) => currentStep(ctx, uid),
      save: (uid: string, step: FlowStep) => saveStep(ctx, uid, step),
      end: (uid: string) => endFlow(ctx, uid),
      /** The one way a sign-in finishes, whatever its first factor; the layers above supply `complete` and hooks. */
      finish: (uid: string, done: SignedIn, o: { complete: CompleteLogin; hooks: FinishHook[] }) => finishSignIn(ctx, uid, done, o),
    },
    /** The second-factor gate a finished first factor goes through (sign-in methods outside the pool use it too). */
    gate,
    /** `device`: the remembered-device cookie, if the browser sent one. */
    signIn: async (input: Parameters<typeof signInWithPassword>[1] & { device?: string }) => {
      const first = await signInWithPassword(ctx, input);
      if ('error' in first) metrics.signIns.inc({ outcome: first.error });
      return gate(first, { locale: input.locale, ip: input.ip, device: input.device });
    },
    signUp: (input: Parameters<typeof signUp>[1]) => signUp(ctx, input),
    /** `ip`: the client's, for the limits on texting a sign-in code. */
    confirmAccount: async (step: Parameters<typeof confirmAccount>[1], code: string, locale = 'en', ip = 'unknown') =>
      gate(await confirmAccount(ctx, step, code), { locale, ip }),
    resendCode: (uid: string, step: Parameters<typeof resendCode>[2], locale: string) => resendCode(ctx, uid, step, locale),
    forgotPassword: (input: Parameters<typeof forgotPassword>[1]) => forgotPassword(ctx, input),
    resetPassword: (step: Parameters<typeof resetPassword>[1], input: Parameters<typeof resetPassword>[2]) => resetPassword(ctx, step, input),
    completeNewPassword: async (step: Parameters<typeof completeNewPassword>[1], input: { password: string }, locale = 'en', ip = 'unknown') =>
      gate(await completeNewPassword(ctx, step, input), { locale, ip }),
    mfa: {
      answerCode: (step: Parameters<typeof answerMfaCode>[1], code: string, remember = false) => answerMfaCode(ctx, step, code, remember),
      choose: (step: Parameters<typeof chooseMfaMethod>[1], method: Parameters<typeof chooseMfaMethod>[2], opts: SendOpts) => chooseMfaMethod(ctx, step, method, opts),
      /** A new e-mailed or texted code for this sign-in (`uid`), after the resend gap. */
      resend: (uid: string, step: Parameters<typeof resendMfaCode>[2], opts: SendOpts) => resendMfaCode(ctx, uid, step, opts),
      enrolTotp: (step: Parameters<typeof enrolAndAnswerTotp>[1], code: string) => enrolAndAnswerTotp(ctx, step, code),
      /** Between the authenticator-app and text-message setup screens (both factors allowed). */
      switchSetup: (step: Parameters<typeof switchSetup>[1], to: Parameters<typeof switchSetup>[2]) => switchSetup(ctx, step, to),
      /** Text-message enrolment: a number, a code texted to it, the code. */
      sendSetupSms: (step: Parameters<typeof sendSetupSms>[1], phone: string, opts: SendOpts) => sendSetupSms(ctx, step, phone, opts),
      resendSetupSms: (uid: string, step: Parameters<typeof resendSetupSms>[2], opts: SendOpts) => resendSetupSms(ctx, uid, step, opts),
      changeSetupPhone,
      enrolSms: (step: Parameters<typeof enrolSms>[1], code: string) => enrolSms(ctx, step, code),
      answerRecoveryCode: (step: Parameters<typeof answerRecoveryCode>[1], code: string, locale: string) => answerRecoveryCode(ctx, step, code, locale),
      acknowledgeRecoveryCodes,
      totpUri: async (secret: string, account: string) => totpUri(secret, account, (await settings.read()).name),
    },
    /**
     * Proving a phone number outside any sign-in (SMS enrolment uses it; so can "change phone number").
     * `sendVerification` texts a code bound to the number (limits apply: per user, number, IP and
     * country code); `confirm` with that code makes it the user's verified phone_number.
     */
    phone: {
      sendVerification: (userId: string, phone: string, opts: SendOpts) => sendPhoneVerification(ctx, userId, phone, opts),
      confirm: (userId: string, phone: string, code: string) => confirmPhone(ctx, userId, phone, code),
    },
    /** Self-service for a signed-in user (the account pages); every call names the user it acts for. */
    account: {
      sessions: {
        create: (s: Parameters<typeof createAccountSession>[1]) => createAccountSession(ctx, s),
        find: (token: string | undefined) => findAccountSession(ctx, token),
        end: (id: string) => endAccountSession(ctx, id),
        setPending: (id: string, what: 'email' | 'phone', value: string | null) => setPending(ctx, id, what, value),
        /** Something to show once on the next page, sealed at rest. */
        reveal: (id: string, value: string) => setReveal(ctx, id, revealSealer.seal(value)),
        takeReveal: async (id: string) => {
          const sealed = await takeReveal(ctx, id);
          return sealed ? (revealSealer.tryUnseal(sealed) ?? null) : null;
        },
      },
      changePassword: (userId: string, input: Parameters<typeof changePassword>[2]) => changePassword(ctx, userId, input),
      startEmailChange: (userId: string, input: Parameters<typeof startEmailChange>[2]) => startEmailChange(ctx, userId, input),
      confirmEmailChange: (userId: string, input: Parameters<typeof confirmEmailChange>[2]) => confirmEmailChange(ctx, userId, input),
      /** A new phone number, proved by a text; the owner is told by e-mail. */
      confirmPhoneChange: (userId: string, phone: string, code: string, locale: string) =>
        inTransaction(ctx, async (tx) => {
          const done = await confirmPhone(tx, userId, phone, code);
          if (!('error' in done)) await announce(tx, userId, 'phone_changed', locale);
          return done;
        }),
      security: (userId: string) => securityOverview(ctx, userId),
      startTotpSetup: (userId: string, session: { id: string; pendingTotp: string | null }) => startTotpSetup(ctx, userId, session.id, session.pendingTotp),
      confirmTotpSetup: (userId: string, input: Parameters<typeof confirmTotpSetup>[2]) => confirmTotpSetup(ctx, userId, input),
      /** `keepGrantId` (here and below): a removed factor ends the sign-ins that used it, this browser's aside. */
      removeTotp: (userId: string, locale: string, keepGrantId?: string) => removeTotp(ctx, userId, locale, keepGrantId),
      setCodesOptIn: (userId: string, kind: 'email' | 'sms', on: boolean, locale: string, keepGrantId?: string) => setCodesOptIn(ctx, userId, kind, on, locale, keepGrantId),
      regenerateRecoveryCodes: (userId: string, locale: string) => regenerateRecoveryCodes(ctx, userId, locale),
      devices: (userId: string) => listDevices(ctx, userId),
      forgetDevice: (userId: string, id: string | 'all', locale: string) =>
        inTransaction(ctx, async (tx) => {
          const done = await forgetDevice(tx, userId, id);
          if (done) await announce(tx, userId, 'device_forgotten', locale);
          return done;
        }),
      labelDevice: (token: string, label: string) => labelDevice(ctx, token, label),
      signIns: (userId: string, currentGrantId: string) => listSignIns(ctx, userId, currentGrantId),
      revokeSignIn: (userId: string, sessionId: string, locale: string) =>
        inTransaction(ctx, async (tx) => {
          const done = await revokeSignIn(tx, userId, sessionId);
          if (done) await announce(tx, userId, 'session_revoked', locale);
          return done;
        }),
      addPasskey: (userId: string, response: unknown, name: string, locale: string) =>
        inTransaction(ctx, async (tx) => {
          const done = await passkeysFacade(tx, publicUrl, gate).register(userId, response, name);
          if (!('error' in done)) await announce(tx, userId, 'passkey_added', locale);
          return done;
        }),
      /** Not the last second factor of a pool that requires one. */
      removePasskey: async (userId: string, id: string, locale: string, keepGrantId?: string): Promise<{ removed: true } | PoolError> => {
        if (!(await passkeys.list(userId)).some((k) => k.id === id)) return fail('passkey_not_found');
        if ((await settings.read()).mfa.mode === 'REQUIRED' && (await otherFactors(ctx, userId, 'webauthn')) === 0) return fail('last_factor');
        return inTransaction(ctx, async (tx) => {
          const done = await passkeysFacade(tx, publicUrl, gate).remove(userId, id);
          if ('error' in done) return done;
          await revokeIfReliedOn(tx, userId, 'webauthn', keepGrantId);
          await announce(tx, userId, 'passkey_removed', locale);
          return { removed: true } as const;
        });
      },
      /** Unlinks a provider's identities (never the last way to sign in), announced by e-mail. */
      unlinkIdentity: (userId: string, provider: string, locale: string, keepGrantId?: string) =>
        inTransaction(ctx, async (tx) => {
          const done = await identitiesFacade(tx).unlink(userId, provider);
          if ('unlinked' in done) {
            await revokeIfReliedOn(tx, userId, 'federation', keepGrantId);
            await announce(tx, userId, 'identity_unlinked', locale);
          }
          return done;
        }),
    },
    passkeys,
    users: {
      get: async (id: string) => {
        const row = await getUserRow(ctx, id);
        return row ? toUser(row) : undefined;
      },
      claims: (id: string) => userClaims(ctx, id),
      /** Disabling a user ends every sign-in they have; false when there is no such user. */
      setEnabled: (id: string, enabled: boolean) => setUserEnabled(ctx, id, enabled),
      /** An admin's "sign out everywhere": every session, grant and token of the user ends. */
      signOutEverywhere: (id: string) => revokeEverything(ctx, id),
    },
    scopeClaims: async () => scopeClaims((await settings.read()).custom_attributes.map((a) => a.name)),
    clients: {
      find: (clientId: string) => findClient(deps.db, clientId),
      save: (client: AppClient) => saveClient(deps.db, client, ctx.now()),
    },
    outbox: (limit?: number) => readOutbox(deps.db, limit),
    /** The audit log's retention: events older than `days` go (each layer sweeps its own tables). */
    sweepEvents: (days: number) => sweepEvents(ctx, days),
    /** A user's linked outside identities: `list(userId)`, `unlink(userId, provider)`. */
    identities,
    /** Removes expired flows, codes, challenges, rate-limit windows and locks (the runtime's timer calls it). */
    sweep: () => sweepPool(ctx),
  };
}

export type Pool = ReturnType<typeof createPool>;
export * as input from './input';
/** For tools with no pool of their own (the CLI): by user name, given the database and the provider's port. */
export { setEnabledByName, signOutEverywhere, type ProviderRevocation } from './revocation';
