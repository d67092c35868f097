import type { OutboundPost } from '../http/post-page';
import type { PoolContext } from '../pool/context';
import type { IdentityProvider } from './providers';
import type { TestBinding } from './requests';

/** What a protocol needs to send a browser to its provider. */
export interface StartRequest {
  uid: string;
  locale: string;
  /** The hash of the browser's binding cookie, to store with the request. */
  browser: string;
  /** Our public URL (the issuer); callbacks live under it. */
  publicUrl: string;
  loginHint?: string;
  /**
   * A console admin's test sign-in: saved with the request, so its answer signs nobody in; the
   * provider is asked to authenticate the user again, so the test proves it works now.
   */
  test?: TestBinding;
}

export type { OutboundPost };

/** A redirect, or a form to post (rendered by the HTTP layer as a page that posts itself). */
export type StartResult = { redirect: string } | { post: OutboundPost };

/**
 * One sign-in protocol (OpenID Connect / OAuth 2.0 here; SAML 2.0 registers itself). A protocol
 * verifies its provider's answer on its own route, then hands a `VerifiedIdentity` to
 * `completeFederatedSignIn` (server/federation/http.ts), which does the rest for every protocol.
 */
export interface FederationProtocol {
  /** Saves what the answer will be checked against (see `saveRequest`) and says where to go. */
  start(ctx: PoolContext, idp: IdentityProvider, request: StartRequest): Promise<StartResult>;
  /**
   * The provider's logout URL for a session that came from it, or undefined when it has none.
   * `returnTo` (with `state`) brings the browser back to Foyer to finish the sign-out.
   */
  logoutUrl?(idp: IdentityProvider, session: Record<string, unknown>, returnTo: string, state: string, env: { ctx: PoolContext; publicUrl: string }): Promise<string | undefined>;
}

const registry = new Map<'oauth' | 'saml', FederationProtocol>();

export function registerProtocol(kind: 'oauth' | 'saml', protocol: FederationProtocol): void {
  registry.set(kind, protocol);
}

export function protocolFor(idp: IdentityProvider): FederationProtocol | undefined {
  return registry.get(idp.type === 'saml' ? 'saml' : 'oauth');
}
