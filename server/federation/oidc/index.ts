import * as oidc from 'openid-client';
import { FederationError } from '../errors';
import type { FederationProtocol } from '../protocols';
import { saveRequest } from '../requests';
import { authorizationRequest } from './authorize';
import { IDP_RESPONSE_PATH } from '../paths';
import { providerClient } from './client';

/** OpenID Connect and OAuth 2.0 providers (generic OIDC and the social presets). */
export const oauthProtocol: FederationProtocol = {
  async start(ctx, idp, r) {
    if (idp.type === 'saml') throw new FederationError('unknown_provider', 'not an OAuth provider');
    let request;
    try {
      request = await authorizationRequest(idp, { redirectUri: `${r.publicUrl}${IDP_RESPONSE_PATH}`, loginHint: r.loginHint, reauthenticate: r.test !== undefined });
    } catch (e) {
      throw new FederationError('provider_unavailable', (e as Error).message, { cause: e });
    }
    await saveRequest(ctx, request.state, { provider: idp.name, uid: r.uid, locale: r.locale, browser: r.browser, data: { ...request.data }, test: r.test });
    return { redirect: request.url };
  },

  /** RP-initiated logout where the provider publishes an end_session_endpoint. */
  async logoutUrl(idp, session, returnTo, state) {
    if (idp.type === 'saml' || typeof session.id_token !== 'string') return undefined;
    const { config } = await providerClient(idp);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { id_token_hint: session.id_token, post_logout_redirect_uri: returnTo, state }).href;
  },
};
