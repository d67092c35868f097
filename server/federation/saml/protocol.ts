import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IdentityProviderOf } from '../../config/identity-providers';
import type { Database } from '../../db/schema';
import { FederationError } from '../errors';
import type { FederationProtocol, OutboundPost, StartResult } from '../protocols';
import { saveRequest, type PendingRequest } from '../requests';
import type { IdentityProvider } from '../providers';
import type { VerifiedIdentity } from '../sign-in';
import { subjectSchema } from '../mapping';
import { CLOCK_SKEW_MS, type SamlContext } from './client';
import { consumeResponse, type SamlSignIn } from './consume';
import type { SamlResult } from './errors';
import { startLogin, type SamlOutbound } from './login';
import { startLogout } from './logout';
import { samlProviderSchema, type SamlProvider } from './provider';

export type SamlIdentityProvider = IdentityProviderOf<'saml'>;

/** The SAML core's view of a pool provider record (server/config/identity-providers.ts). */
export function samlProviderOf(idp: SamlIdentityProvider): SamlProvider {
  return samlProviderSchema.parse({
    name: idp.name,
    metadata_xml: idp.metadata_xml,
    metadata_url: idp.metadata_url,
    attribute_mapping: idp.attribute_mapping ?? {},
    idp_initiated: idp.idp_initiated,
    sign_requests: true,
    binding: idp.request_binding === 'HTTP-POST' ? 'post' : 'redirect',
    want_encrypted_assertions: idp.encrypted_assertions,
  });
}

export const samlContext = (db: Kysely<Database>, publicUrl: string): SamlContext => ({ db, publicUrl });

/** A SAML core result, or the FederationError the HTTP layer shows (its code is the SAML one). */
export function unwrap<T>(result: SamlResult<T>): T {
  if ('error' in result) throw new FederationError(result.error, result.detail ?? result.error);
  return result.ok;
}

/** How the browser carries an outbound message: a redirect, or a form the HTTP layer renders. */
export function outbound(o: SamlOutbound): StartResult {
  return o.binding === 'redirect' ? { redirect: o.url } : { post: { url: o.url, fields: o.fields } satisfies OutboundPost };
}

/** What federation keeps of a SAML sign-in for single logout. */
export interface SamlSession {
  name_id: string;
  name_id_format: string | null;
  session_index: string | null;
}

/** A verified SAML sign-in as every protocol hands it over; null when its NameID is unusable. */
export function samlIdentity(idp: IdentityProvider, s: SamlSignIn): VerifiedIdentity | null {
  const subject = subjectSchema.safeParse(s.nameId);
  if (!subject.success) return null;
  const session: SamlSession = { name_id: s.nameId, name_id_format: s.nameIdFormat, session_index: s.sessionIndex };
  return { provider: idp.name, subject: subject.data, claims: s.attributes, issuer: s.issuer, session: { ...session } };
}

/**
 * The identity in the IdP's answer to `request` (the SAMLResponse stashed with it), verified as
 * consume.ts does for every sign-in. A test sign-in sent ForceAuthn, which the IdP MUST honour:
 * its assertion must also say the IdP authenticated the user since the request was made (within
 * the clock skew allowed elsewhere), else an IdP that ignored ForceAuthn and reused its session
 * would pass the test. Refused as OIDC refuses a missing or stale auth_time (oidc/callback.ts).
 */
export async function verifySamlAnswer(ctx: SamlContext, idp: SamlIdentityProvider, request: PendingRequest): Promise<VerifiedIdentity> {
  const signIn = unwrap(await consumeResponse(ctx, samlProviderOf(idp), request.response ?? {}));
  if (request.test && (signIn.authnInstant === null || signIn.authnInstant < request.createdAt - CLOCK_SKEW_MS)) {
    const at = signIn.authnInstant === null ? 'no AuthnInstant' : `AuthnInstant ${new Date(signIn.authnInstant).toISOString()}`;
    throw new FederationError('invalid_response', `${at}, not after the test's ForceAuthn request of ${new Date(request.createdAt).toISOString()}`);
  }
  const identity = samlIdentity(idp, signIn);
  if (!identity) throw new FederationError('saml_bad_response', 'NameID unusable');
  return identity;
}

const newState = () => randomBytes(32).toString('base64url');

/**
 * SAML 2.0 providers. The RelayState is the federation request's state (43 characters, within
 * the bindings' 80 bytes), so the answer finds its request and browser as an OIDC state does.
 */
export const samlProtocol: FederationProtocol = {
  async start(ctx, idp, r) {
    if (idp.type !== 'saml') throw new FederationError('unknown_provider', 'not a SAML provider');
    const state = newState();
    const sent = unwrap(await startLogin(samlContext(ctx.db, r.publicUrl), samlProviderOf(idp), { relayState: state, forceAuthn: r.test !== undefined }));
    await saveRequest(ctx, state, { provider: idp.name, uid: r.uid, locale: r.locale, browser: r.browser, data: { request_id: sent.messageId }, test: r.test });
    return outbound(sent);
  },

  /**
   * A LogoutRequest for the session's NameID and SessionIndex; its LogoutResponse comes back to
   * /saml2/logout with `state` as RelayState. An HTTP-POST logout is parked under that state and
   * posted by a page of ours (this hook can only return a URL).
   */
  async logoutUrl(idp, session, returnTo, state, env) {
    if (idp.type !== 'saml' || typeof session.name_id !== 'string') return undefined;
    const s = session as unknown as SamlSession;
    const sent = unwrap(
      await startLogout(samlContext(env.ctx.db, env.publicUrl), samlProviderOf(idp), { nameId: s.name_id, nameIdFormat: s.name_id_format, sessionIndex: s.session_index, relayState: state }),
    );
    if (sent.binding === 'redirect') return sent.url;
    await saveRequest(env.ctx, `post:${state}`, { provider: idp.name, uid: '', locale: '', browser: '', data: { post: { url: sent.url, fields: sent.fields } } });
    return `${env.publicUrl}/saml2/logout?post=${encodeURIComponent(state)}`;
  },
};
