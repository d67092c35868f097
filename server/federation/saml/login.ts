import { attempt, type SamlResult } from './errors';
import { newMessageId, nodeSaml, setUp, type SamlContext } from './client';
import type { SamlProvider } from './provider';
import { rememberRequest } from './store';

/** How the browser carries a SAML message to the IdP. */
export type SamlOutbound =
  | { binding: 'redirect'; url: string; messageId: string }
  /** Render an HTML form posting `fields` (as hidden inputs) to `url`, with a visible submit button. */
  | { binding: 'post'; url: string; fields: Record<string, string>; messageId: string };

/** The SAML bindings cap RelayState at 80 bytes. */
export const RELAY_STATE_MAX_BYTES = 80;

export function checkRelayState(relayState: string | undefined): void {
  if (relayState !== undefined && Buffer.byteLength(relayState) > RELAY_STATE_MAX_BYTES) {
    throw new TypeError(`RelayState is limited to ${RELAY_STATE_MAX_BYTES} bytes`);
  }
}

/**
 * SP-initiated sign-in: an AuthnRequest, signed unless the record says `sign_requests: false` and
 * the IdP's metadata does not ask for signed requests, in the record's binding (or the other one
 * when the IdP does not offer it). Its ID is stored for REQUEST_TTL_MS with `relayState`, so that
 * consumeResponse accepts exactly one answer to it, carrying that same RelayState. `relayState` is
 * the caller's: at most 80 bytes, an opaque handle such as the interaction's uid, never a URL to
 * trust. Throws a TypeError for a longer one (a programming error, not input). `forceAuthn` asks the
 * IdP to authenticate the user again rather than reuse its session (a console test sign-in).
 */
export async function startLogin(ctx: SamlContext, provider: SamlProvider, options: { relayState?: string; forceAuthn?: boolean } = {}): Promise<SamlResult<SamlOutbound>> {
  checkRelayState(options.relayState);
  return attempt(async () => {
    const setup = await setUp(ctx, provider);
    const { sso } = setup.idp;
    const post = provider.binding === 'post' ? sso.post !== undefined : sso.redirect === undefined;
    const id = newMessageId();
    // An IdP that wants signed requests gets them whatever the record says.
    const sign = provider.sign_requests || setup.idp.wantAuthnRequestsSigned;
    const saml = nodeSaml(setup, { id, signAuthnRequests: sign, postBinding: post, forceAuthn: options.forceAuthn });
    const relayState = options.relayState ?? '';
    await rememberRequest(ctx.db, { id, provider: provider.name, kind: 'authn', relayState: options.relayState ?? null });
    if (post) {
      const message = await saml.getAuthorizeMessageAsync(relayState);
      const fields = Object.fromEntries(Object.entries(message).map(([k, v]) => [k, String(v)]));
      return { binding: 'post', url: sso.post as string, fields, messageId: id };
    }
    const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
    return { binding: 'redirect', url, messageId: id };
  });
}
