import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { authenticationOptions, passkeysEnabled, registerPasskey, registrationOptions, verifyAssertion } from './ceremonies';
import { credentialRows, deleteCredential, renameCredential, toPasskey, type Passkey } from './credentials';
import { relyingParty, type PasskeyContext } from './relying-party';
import { passkeyName } from './responses';
import { answerWithPasskey, enrolOptions, enrolPasskey, mfaOptions, signInOptions, signInWithPasskey } from './sign-in';

export type { Passkey } from './credentials';
export type { Assertion, PasskeyKind } from './ceremonies';
/** What a client component hands to @simplewebauthn/browser's startRegistration / startAuthentication. */
export type PasskeyOptions = PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON;

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;
type Gate = (o: { outcome: FlowOutcome | PoolError; locale: string; ip: string; device?: string }) => Promise<FlowOutcome | PoolError>;

/**
 * `pool.passkeys`: WebAuthn credentials of a user (the account page needs no sign-in flow for
 * these), plus their parts in the sign-in state machine. Responses from the browser are taken as
 * they come (`unknown`, or the JSON text of a form field) and checked here.
 */
export function passkeysFacade(base: PoolContext, publicUrl: string, gate: Gate) {
  const ctx: PasskeyContext = { ...base, rp: relyingParty(publicUrl) };
  return {
    /** The relying party: RP ID (PUBLIC_URL's host name) and the one origin accepted. */
    rp: ctx.rp,
    /** Passkeys are on when the pool's `mfa.factors` lists `webauthn`. */
    enabled: () => passkeysEnabled(ctx),

    // Self-service (the account page): a signed-in user's own passkeys.
    registrationOptions: (o: { userId: string }) => registrationOptions(ctx, o.userId),
    register: async ({ userId, response, name }: { userId: string; response: unknown; name: string }): Promise<{ passkey: Passkey } | PoolError> => {
      const r = await registerPasskey(ctx, userId, response, name);
      return 'error' in r ? r : { passkey: r.passkey };
    },
    list: async ({ userId }: { userId: string }): Promise<Passkey[]> => (await credentialRows(ctx, userId)).map(toPasskey),
    rename: async ({ userId, id, name }: { userId: string; id: string; name: string }): Promise<{ passkey: Passkey } | PoolError> => {
      const named = passkeyName.safeParse(name);
      if (!named.success) return fail(named.error.issues[0].message as 'required', { field: 'name' });
      const r = await renameCredential(ctx, userId, id, named.data);
      return 'error' in r ? r : { passkey: r };
    },
    remove: async ({ userId, id }: { userId: string; id: string }): Promise<{ removed: Passkey } | PoolError> => {
      const r = await deleteCredential(ctx, userId, id);
      if ('error' in r) return r;
      await ctx.db.insertInto('events').values({ type: 'passkey_removed', user_id: userId, ip: null, detail: JSON.stringify({ id: r.id, name: r.name }), created_at: ctx.now() }).execute();
      return { removed: toPasskey(r) };
    },
    /**
     * A passkey check outside the sign-in flow (e.g. re-authentication before a sensitive change):
     * options bound to `binding` (say `reauth:<session id>`), then the browser's answer checked
     * against that same binding. With `userId`, only that user's passkeys are accepted.
     */
    authenticationOptions: (o: { binding: string; userId?: string }) => authenticationOptions(ctx, o.binding, o.userId),
    verifyAuthentication: (o: { binding: string; response: unknown; userId?: string }) => verifyAssertion(ctx, o.binding, o.response, o.userId),

    // The sign-in flow (uid: the interaction; steps as stored by pool.flow).
    signInOptions: (o: { uid: string }) => signInOptions(ctx, o.uid),
    signIn: async (input: { uid: string; response: unknown; ip: string; locale: string; device?: string }) =>
      gate({ outcome: await signInWithPasskey(ctx, input), locale: input.locale, ip: input.ip, device: input.device }),
    mfaOptions: (o: { step: Step<'mfa'> }) => mfaOptions(ctx, o.step),
    answer: (o: { step: Step<'mfa'>; response: unknown; remember?: boolean }) => answerWithPasskey(ctx, o.step, o.response, o.remember ?? false),
    enrolOptions: (o: { step: Step<'passkey-setup'> }) => enrolOptions(ctx, o.step),
    enrol: (o: { step: Step<'passkey-setup'>; response: unknown; name: string }) => enrolPasskey(ctx, o.step, o.response, o.name),
  };
}
