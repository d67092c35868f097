/**
 * Federation: outside identity providers (OpenID Connect, OAuth 2.0 social providers, SAML 2.0)
 * signing users into the pool. Built on the pool by server/runtime.ts (the pool never imports
 * this layer); the HTTP routes are in ./http.ts.
 */
import type { PoolContext } from '../pool/context';
import type { PoolError } from '../pool/errors';
import type { FinishHook } from '../pool/finish';
import type { FlowOutcome } from '../pool/flow';
import { perIp } from '../pool/rate-limit';
import { FederationError } from './errors';
import { cancelPendingLink, completePendingLink, linkOptions, proveWithPassword } from './link';
import { oauthProtocol } from './oidc';
import { samlProtocol } from './saml/protocol';
import { sweepSaml } from './saml/store';
import { optionsFor, providerReader, type IdentityProvider } from './providers';
import { protocolFor, registerProtocol, type StartRequest } from './protocols';
import { noteAutomaticStart, saveRequest, startedFederation, stashResponse, takeRequest } from './requests';
import { endUpstreamSessions, newLogoutState, rememberUpstreamSession, saveLogoutReturn, sweepFederation, takeLogoutReturn, takeUpstreamSession, type UpstreamSession } from './sessions';
import { federatedSignIn, type VerifiedIdentity } from './sign-in';
import { testSignIns } from './test-sign-in';
import { IDP_LOGOUT_PATH } from './paths';
import type { AppClient } from '../pool/clients';
import { recordAnonymousEvent } from '../pool/events';

export type { IdentityProvider } from './providers';
export type { VerifiedIdentity, SignInPreview } from './sign-in';
export { isTestHandle, type TestResult } from './test-sign-in';
export type { FederationProtocol, StartRequest, StartResult } from './protocols';
export { FederationError, federationErrorStatus, isFederationErrorCode, type FederationErrorCode } from './errors';
export { displayName, providerForEmail, providerForIdentifier } from './providers';
export { registerProtocol } from './protocols';

registerProtocol('oauth', oauthProtocol);
registerProtocol('saml', samlProtocol);

export { IDP_LOGOUT_PATH, IDP_RESPONSE_PATH, IDP_START_PATH } from './paths';

type Gate = (o: { outcome: FlowOutcome | PoolError; locale: string; ip: string; device?: string }) => Promise<FlowOutcome | PoolError>;
/** The pool inside a flow's transaction (`pool.flow.run`): what acts on a step acts there. */
type InFlow = { ctx: PoolContext; gate: Gate };

export function createFederation(ctx: PoolContext) {
  const providers = providerReader(ctx.db);
  /** Federated sign-ins count against the per-IP sign-in limit, like password sign-ins. */
  async function limitAttempt(ip: string): Promise<void> {
    const limited = await perIp(ctx, 'sign_in', ip);
    if (!limited.allowed) throw new FederationError('rate_limited', `sign-in limit for ${ip}`);
  }
  return {
    providers,
    /** What an app client's sign-in page offers: the password form (COGNITO) and provider buttons. */
    optionsFor: async (client: Pick<AppClient, 'supported_identity_providers'>) => optionsFor(await providers.list(), client),
    /** Whether this sign-in was sent to a provider already (so `identity_provider` redirects once). */
    started: (uid: string) => startedFederation(ctx, uid),
    noteAutomaticStart: (uid: string, target: string) => noteAutomaticStart(ctx, uid, target),

    /** Sends the browser to a provider (rate-limited like password sign-ins). */
    async start(idp: IdentityProvider, request: StartRequest & { ip: string }) {
      await limitAttempt(request.ip);
      const protocol = protocolFor(idp);
      if (!protocol) throw new FederationError('provider_unavailable', `no ${idp.type} protocol in this build`);
      return protocol.start(ctx, idp, request);
    },
    /** For answers that start a sign-in at the provider's initiative (IdP-initiated SAML). */
    limitAttempt,
    /** The request store protocols use: state (or RelayState) -> provider, interaction, browser. */
    requests: {
      save: (state: string, r: Parameters<typeof saveRequest>[2]) => saveRequest(ctx, state, r),
      take: (state: string) => takeRequest(ctx, state),
      stashResponse: (state: string, response: Record<string, string>) => stashResponse(ctx, state, response),
    },

    /** A console admin's test sign-ins: verified like any answer, signing nobody in (./test-sign-in.ts). */
    tests: testSignIns(ctx, providers),

    /** A verified identity becomes a sign-in: done, or the linking step. */
    signIn: (idp: IdentityProvider, identity: VerifiedIdentity, uid: string) => federatedSignIn(ctx, idp, identity, uid),
    link: {
      options: (step: Parameters<typeof linkOptions>[1]) => linkOptions(ctx, step),
      /**
       * `device`: the remembered-device cookie, which may skip the second factor as at sign-in.
       * `pool`: the one `pool.flow.run` hands its `run`, so the proof and the step are one transaction.
       */
      proveWithPassword: async ({ uid, step, pool, ...input }: { uid: string; step: Parameters<typeof proveWithPassword>[2]; pool: InFlow; device?: string } & Parameters<typeof proveWithPassword>[3]) =>
        pool.gate({ outcome: await proveWithPassword(pool.ctx, uid, step, input), locale: input.locale, ip: input.ip, device: input.device }),
      cancel: (o: { uid: string }) => cancelPendingLink(ctx, o.uid),
      /** Called as any sign-in finishes: links a waiting identity the user proved they own. */
      complete: (uid: string, done: { userId: string; amr: string[] }) => completePendingLink(ctx, providers, uid, done),
    },
    /**
     * Federation's part in finishing any sign-in (the pool's `finishSignIn` runs it): a waiting
     * identity the user proved they own is linked, and the provider session the sign-in came from
     * (`upstream`, or the linked provider's) is remembered for federated sign-out.
     */
    finishHook: (upstream?: UpstreamSession): FinishHook => async (uid, done) => {
      const linked = await completePendingLink(ctx, providers, uid, done);
      const session = upstream ?? linked.upstream;
      return { amr: linked.amr, after: session ? (loginTs) => rememberUpstreamSession(ctx, done.userId, loginTs, session) : undefined };
    },

    rememberUpstreamSession: (userId: string, loginTs: number, s: UpstreamSession) => rememberUpstreamSession(ctx, userId, loginTs, s),
    /**
     * Federated sign-out: when the Foyer session being ended came from a provider that offers
     * logout, the URL to send the browser to first (it comes back to `target` through
     * IDP_LOGOUT_PATH); otherwise undefined.
     */
    async upstreamLogout(session: { accountId?: string; loginTs?: number; amr?: string[] }, target: string, publicUrl: string): Promise<string | undefined> {
      if (!session.accountId || !session.loginTs || !session.amr?.includes('fed')) return undefined;
      const upstream = await takeUpstreamSession(ctx, session.accountId, session.loginTs);
      const idp = upstream ? await providers.get(upstream.provider) : undefined;
      const protocol = idp ? protocolFor(idp) : undefined;
      if (!upstream || !idp || !protocol?.logoutUrl || (idp.type === 'saml' && !idp.sign_out)) return undefined;
      const state = newLogoutState();
      try {
        const url = await protocol.logoutUrl(idp, upstream.data, `${publicUrl}${IDP_LOGOUT_PATH}`, state, { ctx, publicUrl });
        if (url) await saveLogoutReturn(ctx, state, target);
        return url;
      } catch (e) {
        // The provider cannot be reached: the Foyer session still ends.
        console.warn(`federation: logout at ${idp.name} skipped: ${(e as Error).message}`);
        return undefined;
      }
    },
    takeLogoutReturn: (state: string) => takeLogoutReturn(ctx, state),
    /** A provider signed this subject out (SAML single logout): their Foyer sessions from it end. */
    endUpstreamSessions: (provider: string, match: { nameId: string; sessionIndex?: string | null }) => endUpstreamSessions(ctx, provider, match),
    /** A refused federated sign-in, for the events log. */
    recordFailure: (code: string, o: { provider?: string; ip?: string; detail?: string }) =>
      recordAnonymousEvent(ctx, { type: 'federation_failed', ip: o.ip ?? '', detail: { code, provider: o.provider, detail: o.detail?.slice(0, 500) } }),
    /** Expired requests, links, sessions and logouts; SAML's pending requests and replay entries. */
    sweep: async () => {
      await sweepFederation(ctx);
      await sweepSaml(ctx.db, ctx.now());
    },
  };
}

export type Federation = ReturnType<typeof createFederation>;
