import { randomBytes } from 'node:crypto';
import type { PoolContext } from '../pool/context';
import { FederationError, type FailureCode } from './errors';
import { defaultMapping } from './mapping';
import { profileOf } from './profile';
import type { IdentityProvider } from './providers';
import { readNote, saveNote, saveRequest, takeRequest, type PendingRequest } from './requests';
import { previewSignIn, type SignInPreview, type VerifiedIdentity } from './sign-in';

/**
 * A console admin's "test sign-in" with a provider (issue 12): a real round trip whose answer is
 * verified exactly as a sign-in's (same protocol code: signature, nonce, state, PKCE, SAML
 * conditions), after which nobody is created, linked or signed in. What came back is kept as a
 * result for the console page. Every step is bound to the console session that started it:
 * - the console's action (CSRF-checked) makes a one-time ticket for its session;
 * - the federation start route takes the ticket from a browser holding that same session, and
 *   starts the protocol with the request bound to it (and to the browser, as any sign-in);
 * - the answer is accepted only from that session; the result is readable only by it.
 */

const TICKET_PREFIX = 'test-ticket:';
const MAX_CLAIMS = 100;
const MAX_VALUE_CHARS = 500;

export type TestResult = { provider: string; at: number } & (
  | {
      ok: true;
      subject: string;
      issuer: string | null;
      /** Every claim or attribute received, as text. */
      claims: [name: string, value: string][];
      /** The provider's mapping, each pool attribute with the value it would get (null: none). */
      mapped: { attribute: string; claim: string; value: string | null }[];
      signIn: SignInPreview;
    }
  | { ok: false; code: FailureCode }
);

const newHandle = () => randomBytes(32).toString('base64url');
const HANDLE = /^[A-Za-z0-9_-]{43}$/;
export const isTestHandle = (v: unknown): v is string => typeof v === 'string' && HANDLE.test(v);

function asText(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** What the identity's claims map to, attribute by attribute, as a sign-in would store them. */
function mappedAttributes(idp: IdentityProvider, claims: Record<string, unknown>): { attribute: string; claim: string; value: string | null }[] {
  const profile = profileOf(idp, claims);
  const valueOf = (attribute: string): string | undefined => {
    switch (attribute) {
      case 'email':
        return profile.email;
      case 'email_verified':
        return profile.emailVerified === undefined ? undefined : String(profile.emailVerified);
      case 'phone_number':
        return profile.phoneNumber;
      case 'phone_number_verified':
        return profile.phoneNumberVerified === undefined ? undefined : String(profile.phoneNumberVerified);
      default:
        return profile.attributes[attribute];
    }
  };
  return Object.entries(idp.attribute_mapping ?? defaultMapping(idp.type)).map(([attribute, claim]) => ({ attribute, claim, value: valueOf(attribute) ?? null }));
}

export function testSignIns(ctx: PoolContext, providers: { get(name: string): Promise<IdentityProvider | undefined>; fresh(name: string): Promise<IdentityProvider | undefined> }) {
  return {
    /**
     * A one-time ticket for `session` to start a test with `provider`; undefined when there is no
     * such provider (an answer, not a throw: the console's actions run in Next's bundle, where
     * this layer's error classes are other classes). Read fresh: it may have been saved just now.
     */
    async prepare(o: { provider: string; session: string; locale: string }): Promise<string | undefined> {
      if (!(await providers.fresh(o.provider))) return undefined;
      const ticket = newHandle();
      await saveRequest(ctx, `${TICKET_PREFIX}${ticket}`, { provider: o.provider, uid: '', locale: o.locale, browser: '', data: {}, test: { session: o.session } });
      return ticket;
    },

    /** The provider and console locale of a ticket, taken once, by the session it was made for. */
    async redeem(ticket: string, session: string): Promise<{ idp: IdentityProvider; locale: string }> {
      const r = isTestHandle(ticket) ? await takeRequest(ctx, `${TICKET_PREFIX}${ticket}`) : undefined;
      if (!r?.test || r.test.session !== session) throw new FederationError('bad_state', r ? 'test ticket of another console session' : 'unknown, used or expired test ticket');
      const idp = await providers.get(r.provider);
      if (!idp) throw new FederationError('unknown_provider', `provider ${r.provider} is gone`);
      return { idp, locale: r.locale };
    },

    /** A provider's answer to a test is accepted only from the console session that started it. */
    check(request: PendingRequest, session: string | undefined): void {
      if (!request.test || !session || request.test.session !== session) throw new FederationError('bad_state', 'test sign-in answered to another console session');
    },

    /** The verified identity as a result for the console; nothing else is written. Its handle. */
    async conclude(idp: IdentityProvider, identity: VerifiedIdentity, session: string): Promise<string> {
      const result: TestResult = {
        provider: idp.name,
        at: ctx.now(),
        ok: true,
        subject: identity.subject,
        issuer: identity.issuer,
        claims: Object.entries(identity.claims)
          .slice(0, MAX_CLAIMS)
          .map(([k, v]) => [k, asText(v)]),
        mapped: mappedAttributes(idp, identity.claims),
        signIn: await previewSignIn(ctx, idp, identity),
      };
      const handle = newHandle();
      await saveNote(ctx, handle, { provider: idp.name, owner: session, data: result });
      return handle;
    },

    /** A refused answer as a result for the console. Its handle. */
    async failed(provider: string, code: FailureCode, session: string): Promise<string> {
      const result: TestResult = { provider, at: ctx.now(), ok: false, code };
      const handle = newHandle();
      await saveNote(ctx, handle, { provider, owner: session, data: result });
      return handle;
    },

    /** A result, for the session it was made for only, until it expires. */
    async read(handle: string, session: string): Promise<TestResult | undefined> {
      if (!isTestHandle(handle)) return undefined;
      return (await readNote(ctx, handle, session)) as TestResult | undefined;
    },
  };
}

export type TestSignIns = ReturnType<typeof testSignIns>;
