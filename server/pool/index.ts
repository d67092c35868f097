/**
 * The user pool's façade: the one door through which app/, server/oidc and tests reach users,
 * credentials and flows. Nothing here knows about HTTP, Next.js or React.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { readOutbox } from '../mail/mailer';
import type { OutboxLink } from '../outbox/store';
import { userClaims, scopeClaims } from './claims';
import { findClient, listClients, saveClient, type AppClient } from './clients';
import { findResourceServer, listResourceServers, removeResourceServers, saveResourceServer, type ResourceServer } from './resource-servers';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { currentStep, endFlow, saveStep, type FlowOutcome, type FlowStep, type StepName, type StepOf } from './flow';
import { runFlow, type FlowRun } from './flow-run';
import { completeNewPassword, confirmAccount, forgotPassword, resendCode, resetPassword } from './recovery';
import { settingsReader } from './settings';
import { createThemes } from './themes';
import { createCustomText } from './custom-text';
import { pageBrand, type PageBrand } from '../../themes/page-brand';
import { ACCOUNT_CLIENT_ID } from './account/client';
import { signInWithPassword } from './sign-in';
import { acceptInvitation, readInvitation } from './invitations';
import { answerPasswordlessCode, inspectLink, resendPasswordless, startPasswordless, spendMagicLink } from './passwordless';
import { signUp } from './sign-up';
import { acknowledgeRecoveryCodes, answerMfaCode, answerRecoveryCode, chooseMfaMethod, enrolAndAnswerTotp, requireSecondFactor, resendMfaCode } from './mfa/gate';
import { changeSetupPhone, enrolSms, resendSetupSms, sendSetupSms, type SendOpts } from './mfa/sms';
import { confirmPhone, sendPhoneVerification } from './phone/verification';
import { totpUri } from './mfa/totp';
import { getUserRow, toUser } from './users';
import { confirmEmailChange, startEmailChange } from './account/email';
import { announce, otherFactors, setCodesOptIn, confirmTotpSetup, regenerateRecoveryCodes, removeTotp, securityOverview, startTotpSetup } from './account/factors';
import { changePassword } from './account/password';
import { createAccountSession, endAccountSession, findAccountSession, setPending, setReveal, takeReveal } from './account/sessions';
import { listSignIns, revokeSignIn } from './account/sign-ins';
import { consoleOverview, consoleSessions } from './account/console';
import { noProvider, revokeEverything, revokeIfReliedOn, setUserEnabled, type ProviderRevocation } from './revocation';
import { forgetDevice, labelDevice, listDevices } from './mfa/devices';
import { revealSealer } from './mfa/seal';
import { passkeysFacade } from './passkeys';
import { inTransaction } from './transaction';
import { sweepEvents } from './events';
import { sweepAudit } from './admin/audit';
import { identitiesFacade } from './identities';
import { finishSignIn, type CompleteLogin, type FinishHook, type SignedIn } from './finish';
import { sweepPool } from './sweep';
import { metrics } from '../metrics';
import { methods } from './methods/registry';
import { methodOf, type Methods } from './methods/method';
import { switchEnrolment, type EnrolmentStep } from './methods/enrolment';
import { adminFacade } from './admin';
import { appRequiresMfa } from './mfa/app-requirement';
import { mailBrandOf, messagePreview } from './message-preview';

export type { FlowStep, FlowOutcome, StepName, StepOf } from './flow';
export { anyStep, flowStepSchema } from './flow';
export type { FlowRun } from './flow-run';
export type { PoolError, PoolErrorCode } from './errors';
export type { AppClient } from './clients';
export type { ResourceServer } from './resource-servers';
export type { User } from './users';
export type { CustomAttribute } from './custom-attributes';
export type { Claims } from './claims';
export type { Passkey, PasskeyOptions } from './passkeys';
export type { LinkedIdentity, UnlinkResult } from './identities';
export type { CompleteLogin, FinishHook, SignedIn } from './finish';
export type { Method, MethodKind, Methods, SignInMethod } from './methods/method';
export type { MethodStanding } from './methods/standings';
export type { SecurityOverview } from './account/factors';
export type { ConsoleRefusal } from './account/console';
export type { MailTemplate, MessagePreview, SecurityChange, SmsTemplate } from './message-preview';
export { isMethodKind } from './methods/registry';
export { enrolableKinds } from './methods/enrolment';
export type { Actor, AdminOps, AdminRefusal, AuditEntry, RefusalProblem, FactorSummary, GroupRecord, Page, PoolEvent, PublishedTheme, UserPatch, UserQuery, UserRecord } from './admin';
export { BUILT_IN_CLIENTS, clientRecordOf, decodeCursor, isBuiltInResourceServer, providerRecordOf, type ClientRecord } from './admin';

type Step<K extends StepName> = StepOf<K>;
type Gate = (o: { outcome: FlowOutcome | PoolError; locale: string; ip: string; device?: string }) => Promise<FlowOutcome | PoolError>;

/**
 * `outbox`: where mail and texts are written (sealed) for the outbox worker, which the runtime
 * builds with the transports (SMTP_URL, SMS_WEBHOOK_URL or the dev outbox).
 * `publicUrl`: the issuer; passkeys are bound to its host name and origin.
 * `methods`: the ways to prove who one is (the built-in registry unless a test or deployment adds one).
 */
export function createPool(deps: { db: Kysely<Database>; outbox: OutboxLink; secret: string; now?: () => number; publicUrl?: string; revocation?: ProviderRevocation; methods?: Methods }) {
  const settings = settingsReader(deps.db).read;
  const now = deps.now ?? Date.now;
  const publicUrl = deps.publicUrl ?? 'http://localhost:3000';
  const themes = createThemes({ db: deps.db, clientTheme: async (id) => (await findClient(deps.db, id))?.theme, poolTheme: async () => (await settings()).theme, secret: deps.secret, now });
  // E-mails carry the pool's theme: a mail is about the account, whichever app it was used from.
  const mailBrand = async (on: Pick<PoolContext, 'db' | 'settings'>) => mailBrandOf(await themes.forPool((await on.settings()).theme, on.db), publicUrl);
  const customText = createCustomText(deps.db, { secret: deps.secret, now });
  const ctx: PoolContext = {
    db: deps.db,
    outbox: deps.outbox,
    secret: deps.secret,
    settings,
    now,
    revocation: deps.revocation ?? noProvider,
    methods: deps.methods ?? methods,
    mailBrand,
    customText,
  };
  const pool = poolOn(ctx, publicUrl);
  return {
    ...pool,
    /** Themes at request time: which applies to a client's screens, its stylesheet and assets. */
    themes,
    /** Operators' custom text at request time: each locale's catalogue with its overrides. */
    customText,
    /** Mail and texts as they would be sent, in a previewed theme, never queued (the theme editor's preview). */
    messagePreview: messagePreview({ poolName: async () => (await settings()).name, customText: (locale) => customText.messages(locale), previewText: (locale, token) => customText.previewMessages(locale, token), publicUrl }),
    /** The theme and name of a client (the pool's theme, no name, without one) for the pages Foyer renders outside Next.js. */
    async pageBrand(clientId: string | null): Promise<PageBrand> {
      const client = clientId && clientId !== ACCOUNT_CLIENT_ID ? await findClient(deps.db, clientId) : undefined;
      return pageBrand(await themes.forClient(clientId), client ? (client.client_name ?? client.client_id) : undefined);
    },
    flow: {
      ...pool.flow,
      /**
       * The one way to act on a sign-in flow (the actions, federation, a JSON API): see runFlow.
       * `run` gets the step narrowed to `expect`, and this pool bound to the flow's transaction and
       * to `clientId`, the app signed in to (its `require_mfa`; the events name it), and `ip`.
       */
      run: <K extends StepName, R extends object>({ clientId, ip, ...o }: FlowRun<K, R, FlowPool> & { clientId: string; ip?: string }) =>
        runFlow(ctx, o, (tx) => poolOn({ ...tx, clientId, ip }, publicUrl)),
    },
  };
}

/** The pool's operations inside a flow's transaction (`pool.flow.run` hands it to its `run`). */
export type FlowPool = ReturnType<typeof poolOn>;

/** Every operation of the façade, bound to `ctx` (the pool's, or a transaction's). Each takes one object of named arguments. */
function poolOn(ctx: PoolContext, publicUrl: string) {
  const settings = ctx.settings;
  const gate: Gate = async ({ outcome, ...opts }) => ('error' in outcome ? outcome : requireSecondFactor(ctx, outcome, opts));
  const passkeys = passkeysFacade(ctx, publicUrl, gate);
  const identities = identitiesFacade(ctx);
  return {
    ctx,
    settings,
    /** The registry of ways to prove who one is; the MFA and account screens iterate it. */
    methods: ctx.methods,
    flow: {
      /** Read-only, for a page to show the current step; anything that acts on it goes through `run`. */
      current: (o: { uid: string }) => currentStep(ctx, o.uid),
      /** Setting a flow up directly (tests); the app and federation move it on only through `run`. */
      save: (o: { uid: string; step: FlowStep }) => saveStep(ctx, o.uid, o.step),
      end: (o: { uid: string }) => endFlow(ctx, o.uid),
      /** The one way a sign-in finishes, whatever its first factor; the layers above supply `complete` and hooks. */
      finish: (o: { uid: string; done: SignedIn; complete: CompleteLogin; hooks: FinishHook[]; clientId?: string; ip?: string }) => finishSignIn(ctx, o.uid, o.done, o),
    },
    /** The second-factor gate a finished first factor goes through (sign-in methods outside the pool use it too). */
    gate,
    /** `device`: the remembered-device cookie, if the browser sent one. */
    signIn: async (input: Parameters<typeof signInWithPassword>[1] & { device?: string }) => {
      const first = await signInWithPassword(ctx, input);
      if ('error' in first) metrics.signIns.inc({ outcome: first.error });
      return gate({ outcome: first, locale: input.locale, ip: input.ip, device: input.device });
    },
    /**
     * Passwordless first factors (`pool.sign_in_methods`: email_otp, sms_otp, magic_link): `start`
     * sends a code or link for a new attempt of sign-in `uid`; a right code or link goes through
     * the second-factor gate as a password does.
     */
    passwordless: {
      start: (o: { uid: string; method: string; identifier: string; ip: string; locale: string }) => startPasswordless(ctx, o.uid, { ...o, publicUrl }),
      resend: ({ uid, step, ...o }: { uid: string; step: Step<'passwordless'> } & SendOpts) => resendPasswordless(ctx, uid, step, { ...o, publicUrl }),
      answerCode: async (o: { step: Step<'passwordless'>; code: string; ip: string; locale: string; device?: string }) => {
        const first = await answerPasswordlessCode(ctx, o.step, o.code, o);
        if ('error' in first) metrics.signIns.inc({ outcome: first.error });
        return gate({ outcome: first, locale: o.locale, ip: o.ip, device: o.device });
      },
      /** Which sign-in a mailed link belongs to, without spending it (the link's page asks before anything is done). */
      inspectLink: (o: { id: string; token: string }) => inspectLink(ctx, o.id, o.token),
      useLink: async (o: { uid: string; step: Step<'passwordless'>; id: string; token: string; ip: string; locale: string; device?: string }) => {
        const first = await spendMagicLink(ctx, o.uid, o.step, o);
        if ('error' in first) metrics.signIns.inc({ outcome: first.error });
        return gate({ outcome: first, locale: o.locale, ip: o.ip, device: o.device });
      },
    },
    signUp: (input: Parameters<typeof signUp>[1]) => signUp(ctx, input),
    /** `ip`: the client's, for the limits on texting a sign-in code. */
    confirmAccount: async (o: { step: Step<'confirm-account'>; code: string } & SendOpts) =>
      gate({ outcome: await confirmAccount(ctx, o.step, o.code), locale: o.locale, ip: o.ip }),
    resendCode: (o: { uid: string; step: Parameters<typeof resendCode>[2]; locale: string; ip: string }) => resendCode(ctx, o.uid, o.step, o.locale, o.ip),
    forgotPassword: (input: Parameters<typeof forgotPassword>[1]) => forgotPassword(ctx, input),
    resetPassword: ({ step, ...input }: { step: Step<'reset-password'> } & Parameters<typeof resetPassword>[2]) => resetPassword(ctx, step, input),
    completeNewPassword: async (o: { step: Step<'new-password'>; password: string } & SendOpts) =>
      gate({ outcome: await completeNewPassword(ctx, o.step, { password: o.password }), locale: o.locale, ip: o.ip }),
    mfa: {
      answerCode: (o: { step: Step<'mfa'>; code: string; remember?: boolean }) => answerMfaCode(ctx, o.step, o.code, o.remember ?? false),
      choose: ({ step, method, ...opts }: { step: Step<'mfa'>; method: Parameters<typeof chooseMfaMethod>[2] } & SendOpts) => chooseMfaMethod(ctx, step, method, opts),
      /** A new e-mailed or texted code for this sign-in (`uid`), after the resend gap. */
      resend: ({ uid, step, ...opts }: { uid: string; step: Step<'mfa'> } & SendOpts) => resendMfaCode(ctx, uid, step, opts),
      enrolTotp: (o: { step: Step<'mfa-setup'>; code: string }) => enrolAndAnswerTotp(ctx, o.step, o.code),
      /** From one forced-enrolment screen to another method's: one the registry can enrol and the policy allows. */
      switchEnrolment: (o: { step: EnrolmentStep; to: string }) => switchEnrolment(ctx, o.step, o.to),
      /** Text-message enrolment: a number, a code texted to it, the code. */
      sendSetupSms: ({ step, phone, ...opts }: { step: Step<'mfa-setup-sms'>; phone: string } & SendOpts) => sendSetupSms(ctx, step, phone, opts),
      resendSetupSms: ({ uid, step, ...opts }: { uid: string; step: Step<'mfa-setup-sms'> } & SendOpts) => resendSetupSms(ctx, uid, step, opts),
      changeSetupPhone: (o: { step: Step<'mfa-setup-sms'> }) => changeSetupPhone(o.step),
      enrolSms: (o: { step: Step<'mfa-setup-sms'>; code: string }) => enrolSms(ctx, o.step, o.code),
      answerRecoveryCode: (o: { step: Step<'mfa'>; code: string; locale: string }) => answerRecoveryCode(ctx, o.step, o.code, o.locale),
      /** The user saw their recovery codes: the stored step (not one handed in) says who signs in, and how. */
      acknowledgeRecoveryCodes: (o: { uid: string }) =>
        runFlow(ctx, { uid: o.uid, expect: 'recovery-codes', run: async (step) => acknowledgeRecoveryCodes(step) }, () => undefined),
      totpUri: async (o: { secret: string; account: string }) => totpUri(o.secret, o.account, (await settings()).name),
    },
    /**
     * Proving a phone number outside any sign-in (SMS enrolment uses it; so can "change phone number").
     * `sendVerification` texts a code bound to the number (limits apply: per user, number, IP and
     * country code); `confirm` with that code makes it the user's verified phone_number.
     */
    phone: {
      sendVerification: ({ userId, phone, ...opts }: { userId: string; phone: string } & SendOpts) => sendPhoneVerification(ctx, userId, phone, opts),
      confirm: (o: { userId: string; phone: string; code: string }) => confirmPhone(ctx, o.userId, o.phone, o.code),
    },
    /** Self-service for a signed-in user (the account pages); every call names the user it acts for. */
    account: {
      sessions: {
        create: (s: Parameters<typeof createAccountSession>[1]) => createAccountSession(ctx, s),
        find: (o: { token: string | undefined }) => findAccountSession(ctx, o.token),
        end: (o: { id: string }) => endAccountSession(ctx, o.id),
        setPending: (o: { id: string; what: 'email' | 'phone'; value: string | null }) => setPending(ctx, o.id, o.what, o.value),
        /** Something to show once on the next page, sealed at rest. */
        reveal: (o: { id: string; value: string }) => setReveal(ctx, o.id, revealSealer.seal(o.value)),
        takeReveal: async (o: { id: string }) => {
          const sealed = await takeReveal(ctx, o.id);
          return sealed ? (revealSealer.tryUnseal(sealed) ?? null) : null;
        },
      },
      changePassword: ({ userId, ...input }: { userId: string } & Parameters<typeof changePassword>[2]) => changePassword(ctx, userId, input),
      startEmailChange: ({ userId, ...input }: { userId: string } & Parameters<typeof startEmailChange>[2]) => startEmailChange(ctx, userId, input),
      confirmEmailChange: ({ userId, ...input }: { userId: string } & Parameters<typeof confirmEmailChange>[2]) => confirmEmailChange(ctx, userId, input),
      /** A new phone number, proved by a text; the owner is told by e-mail. */
      confirmPhoneChange: (o: { userId: string; phone: string; code: string; locale: string }) =>
        inTransaction(ctx, async (tx) => {
          const done = await confirmPhone(tx, o.userId, o.phone, o.code);
          if (!('error' in done)) await announce(tx, o.userId, 'phone_changed', o.locale);
          return done;
        }),
      security: (o: { userId: string }) => securityOverview(ctx, o.userId),
      startTotpSetup: (o: { userId: string; session: { id: string; pendingTotp: string | null } }) => startTotpSetup(ctx, o.userId, o.session.id, o.session.pendingTotp),
      confirmTotpSetup: ({ userId, ...input }: { userId: string } & Parameters<typeof confirmTotpSetup>[2]) => confirmTotpSetup(ctx, userId, input),
      /** `keepGrantId` (here and below): a removed factor ends the sign-ins that used it, this browser's aside. */
      removeTotp: (o: { userId: string; locale: string; keepGrantId?: string }) => removeTotp(ctx, o.userId, o.locale, o.keepGrantId),
      /** Takes a method away from the user, when its registry entry can (`remove`: the authenticator app, or one a deployment adds). */
      removeMethod: ({ userId, kind, locale, keepGrantId }: { userId: string; kind: string; locale: string; keepGrantId?: string }) => {
        const remove = methodOf(ctx.methods, kind)?.remove;
        return remove ? remove(ctx, userId, { locale, keepGrantId }) : Promise.resolve(fail('wrong_step'));
      },
      setCodesOptIn: (o: { userId: string; kind: 'email' | 'sms'; on: boolean; locale: string; keepGrantId?: string }) =>
        setCodesOptIn(ctx, o.userId, o.kind, o.on, o.locale, o.keepGrantId),
      regenerateRecoveryCodes: (o: { userId: string; locale: string }) => regenerateRecoveryCodes(ctx, o.userId, o.locale),
      devices: (o: { userId: string }) => listDevices(ctx, o.userId),
      forgetDevice: (o: { userId: string; id: string | 'all'; locale: string }) =>
        inTransaction(ctx, async (tx) => {
          const done = await forgetDevice(tx, o.userId, o.id);
          if (done) await announce(tx, o.userId, 'device_forgotten', o.locale);
          return done;
        }),
      labelDevice: (o: { token: string; label: string }) => labelDevice(ctx, o.token, o.label),
      signIns: (o: { userId: string; currentGrantId: string }) => listSignIns(ctx, o.userId, o.currentGrantId),
      revokeSignIn: (o: { userId: string; sessionId: string; locale: string }) =>
        inTransaction(ctx, async (tx) => {
          const done = await revokeSignIn(tx, o.userId, o.sessionId);
          if (done) await announce(tx, o.userId, 'session_revoked', o.locale);
          return done;
        }),
      addPasskey: (o: { userId: string; response: unknown; name: string; locale: string }) =>
        inTransaction(ctx, async (tx) => {
          const done = await passkeysFacade(tx, publicUrl, gate).register(o);
          if (!('error' in done)) await announce(tx, o.userId, 'passkey_added', o.locale);
          return done;
        }),
      /** Not the last second factor of a pool that requires one. */
      removePasskey: async (o: { userId: string; id: string; locale: string; keepGrantId?: string }): Promise<{ removed: true } | PoolError> => {
        if (!(await passkeys.list(o)).some((k) => k.id === o.id)) return fail('passkey_not_found');
        if ((await settings()).mfa.mode === 'REQUIRED' && (await otherFactors(ctx, o.userId, 'webauthn')) === 0) return fail('last_factor');
        return inTransaction(ctx, async (tx) => {
          const done = await passkeysFacade(tx, publicUrl, gate).remove(o);
          if ('error' in done) return done;
          await revokeIfReliedOn(tx, o.userId, 'webauthn', o.keepGrantId);
          await announce(tx, o.userId, 'passkey_removed', o.locale);
          return { removed: true } as const;
        });
      },
      /** Unlinks a provider's identities (never the last way to sign in), announced by e-mail. */
      unlinkIdentity: (o: { userId: string; provider: string; locale: string; keepGrantId?: string }) =>
        inTransaction(ctx, async (tx) => {
          const done = await identitiesFacade(tx).unlink(o);
          if ('unlinked' in done) {
            await revokeIfReliedOn(tx, o.userId, 'federation', o.keepGrantId);
            await announce(tx, o.userId, 'identity_unlinked', o.locale);
          }
          return done;
        }),
    },
    passkeys,
    /** A mailed invitation's screen: `read` changes nothing, `accept` sets the password and spends the link. */
    invitations: {
      read: async (o: { id: string; token: string }) => {
        const found = await readInvitation(ctx, o);
        return found ? { username: found.user.username } : undefined;
      },
      accept: (o: { id: string; token: string; password: string; ip: string }) => acceptInvitation(ctx, o),
    },
    users: {
      get: async (o: { id: string }) => {
        const row = await getUserRow(ctx, o.id);
        return row ? toUser(row) : undefined;
      },
      claims: (o: { id: string }) => userClaims(ctx, o.id),
      /** Disabling a user ends every sign-in they have; false when there is no such user. */
      setEnabled: (o: { id: string; enabled: boolean }) => setUserEnabled(ctx, o.id, o.enabled),
      /** An admin's "sign out everywhere": every session, grant and token of the user ends. */
      signOutEverywhere: (o: { id: string }) => revokeEverything(ctx, o.id),
    },
    scopeClaims: async () => scopeClaims((await settings()).custom_attributes.map((a) => a.name)),
    clients: {
      find: (o: { clientId: string }) => findClient(ctx.db, o.clientId),
      /** Whether a sign-in of `userId` to it needs a second factor whatever the pool's mode (`require_mfa`; the console, of its admins). */
      requiresMfa: (o: { clientId: string; userId: string }) => appRequiresMfa({ ...ctx, clientId: o.clientId }, o.userId),
      list: () => listClients(ctx.db),
      save: (o: { client: AppClient }) => saveClient(ctx.db, o.client, ctx.now()),
    },
    /** APIs with custom scopes (the built-in `foyer`, the admin API, always first); access tokens name one as `aud`. */
    resourceServers: {
      list: () => listResourceServers(ctx.db),
      find: (o: { identifier: string }) => findResourceServer(ctx.db, o.identifier),
      save: (o: { resourceServer: ResourceServer }) => saveResourceServer(ctx.db, o.resourceServer, ctx.now()),
      remove: (o: { identifiers: string[] }) => removeResourceServers(ctx.db, o.identifiers),
    },
    outbox: (o: { limit?: number } = {}) => readOutbox(ctx.db, o.limit),
    /** The events' retention: events older than `days` go (each layer sweeps its own tables). */
    sweepEvents: (o: { days: number }) => sweepEvents(ctx, o.days),
    /** The admin audit log's retention: rows older than `days` go. */
    sweepAudit: (o: { days: number }) => sweepAudit(ctx, o.days),
    /** A user's linked outside identities: `list({ userId })`, `unlink({ userId, provider })`. */
    identities,
    /** Removes expired flows, codes, challenges, rate-limit windows and locks (the runtime's timer calls it). */
    sweep: () => sweepPool(ctx),
    /** An administrator's operations (the admin API): users by username, groups, events, the audit log. */
    admin: adminFacade(ctx, publicUrl),
    /** The admin console's own sessions (members of the admin group, signed in with a second factor) and its overview. */
    console: {
      sessions: consoleSessions(ctx),
      overview: (o: { days: number }) => consoleOverview(ctx, o.days),
    },
  };
}

export type Pool = ReturnType<typeof createPool>;
export * as input from './input';
export type { Limit } from './rate-limit';
/** For tools with no pool of their own (the CLI): by user name, given the database and the provider's port. */
export { setEnabledByName, signOutEverywhere, type ProviderRevocation } from './revocation';
