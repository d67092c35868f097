import type Provider from 'oidc-provider';
import { providerScopes } from './adapter';
import { extendGrant, lifetimesOf } from './lifetimes';

/**
 * Reading and finishing an interaction from a page or server action, which have headers but no
 * Node request. The interaction cookie (signed) binds the interaction to this browser.
 */
type HeaderBag = Record<string, string>;

function fakeExchange(headers: HeaderBag, url: string) {
  const req = { headers, url, method: 'GET', socket: {}, connection: {} };
  const store = new Map<string, unknown>();
  const res = {
    getHeader: (k: string) => store.get(k.toLowerCase()),
    setHeader: (k: string, v: unknown) => void store.set(k.toLowerCase(), v),
    removeHeader: (k: string) => void store.delete(k.toLowerCase()),
  };
  return { req: req as never, res: res as never };
}

export interface InteractionView {
  uid: string;
  prompt: string;
  clientId: string;
  accountId?: string;
  grantId?: string;
  params: Record<string, unknown>;
  missingScopes: string[];
}

export async function readInteraction(provider: Provider, headers: HeaderBag, uid: string): Promise<InteractionView | undefined> {
  try {
    const { req, res } = fakeExchange(headers, `/interaction/${uid}`);
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return undefined;
    const missing = (details.prompt.details?.missingOIDCScope as string[] | undefined) ?? [];
    return {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: String(details.params.client_id),
      accountId: details.session?.accountId,
      grantId: details.grantId,
      params: details.params as Record<string, unknown>,
      missingScopes: missing,
    };
  } catch {
    return undefined;
  }
}

async function finish(provider: Provider, headers: HeaderBag, uid: string, result: Record<string, unknown>): Promise<string | undefined> {
  const view = await readInteraction(provider, headers, uid);
  if (!view) return undefined;
  const { req, res } = fakeExchange(headers, `/interaction/${uid}`);
  return provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
}

/** How the user signed in, as `acr`: a second factor, else our password, else an outside provider. */
export function acrFor(amr: string[]): string {
  return amr.includes('mfa') ? 'urn:foyer:mfa' : amr.includes('pwd') || !amr.includes('fed') ? 'urn:foyer:pwd' : 'urn:foyer:fed';
}

/** `ts` (login time, epoch seconds) lets a later sign-out find what else this sign-in started. */
export function finishLogin(provider: Provider, headers: HeaderBag, uid: string, login: { accountId: string; amr: string[]; ts?: number }) {
  return finish(provider, headers, uid, {
    login: { accountId: login.accountId, amr: login.amr, acr: acrFor(login.amr), remember: true, ...(login.ts ? { ts: login.ts } : {}) },
  });
}

/** Third-party apps: the user granted the listed scopes on the consent screen. */
export async function finishConsent(provider: Provider, headers: HeaderBag, view: InteractionView, issuer: string) {
  if (!view.accountId) return undefined;
  // The grant lives as long as the client's refresh tokens may, from now.
  const lifetime = lifetimesOf(await provider.Client.find(view.clientId)).refresh_token_seconds;
  const grant = view.grantId
    ? await provider.Grant.find(view.grantId)
    : Object.assign(new provider.Grant({ clientId: view.clientId, accountId: view.accountId }), { expiresIn: lifetime });
  if (!grant) return undefined;
  extendGrant(grant, lifetime);
  // The consent screen names OIDC scopes only: custom scopes are not granted to third-party apps.
  const scope = String(view.params.scope ?? 'openid').split(' ').filter((s) => providerScopes.includes(s)).join(' ');
  grant.addOIDCScope(scope);
  grant.addResourceScope(issuer, scope);
  const saved = await grant.save();
  return finish(provider, headers, view.uid, { consent: { grantId: saved } });
}

export function abortInteraction(provider: Provider, headers: HeaderBag, uid: string) {
  return finish(provider, headers, uid, { error: 'access_denied', error_description: 'End-User aborted interaction' });
}
