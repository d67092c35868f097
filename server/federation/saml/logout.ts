import { inflateRawSync } from 'node:zlib';
import type { Profile } from '@node-saml/node-saml';
import { attempt, fromNodeSaml, SamlError, type SamlResult } from './errors';
import { CLOCK_SKEW_MS, newMessageId, nodeSaml, setUp, type ProviderSetup, type SamlContext } from './client';
import { checkRelayState, type SamlOutbound } from './login';
import type { SamlProvider } from './provider';
import { signElement } from './sign';
import { consumeRequest, markAccepted, rememberRequest } from './store';
import { attr, child, decodeBase64, descendants, is, NS, parseXml, STATUS_SUCCESS, text } from './xml';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
/** A logout request issued longer ago than this is refused (and its ID remembered that long). */
export const LOGOUT_MAX_AGE_MS = 10 * 60_000;
const MESSAGE_MAX_BYTES = 64 * 1024;

/**
 * A message arriving at our SLO endpoint: HTTP-Redirect (`query`: the raw query string, exactly as
 * received, since its signature covers the encoded bytes) or HTTP-POST (the form fields).
 */
export type SamlInbound = { query: string } | { SAMLRequest?: unknown; SAMLResponse?: unknown; RelayState?: unknown };

export interface SamlLogoutSubject {
  nameId: string;
  nameIdFormat?: string | null;
  sessionIndex?: string | null;
}

/**
 * SP-initiated single logout: a signed LogoutRequest for the subject of an earlier sign-in, to the
 * IdP's SLO endpoint (HTTP-Redirect if offered, else HTTP-POST). Its ID is stored so that the
 * LogoutResponse is accepted once (consumeLogoutResponse). saml_no_slo when the IdP has none.
 */
export async function startLogout(
  ctx: SamlContext,
  provider: SamlProvider,
  subject: SamlLogoutSubject & { relayState?: string },
): Promise<SamlResult<SamlOutbound>> {
  checkRelayState(subject.relayState);
  return attempt(async () => {
    const setup = await setUp(ctx, provider);
    const { slo } = setup.idp;
    if (!slo.redirect && !slo.post) throw new SamlError('saml_no_slo', `${setup.idp.entityId} has no SingleLogoutService`);
    const id = newMessageId();
    const saml = nodeSaml(setup, { id });
    const profile = {
      issuer: setup.idp.entityId,
      nameID: subject.nameId,
      nameIDFormat: subject.nameIdFormat ?? UNSPECIFIED,
      ...(subject.sessionIndex ? { sessionIndex: subject.sessionIndex } : {}),
    } as Profile;
    await rememberRequest(ctx.db, { id, provider: provider.name, kind: 'logout', relayState: subject.relayState ?? null });
    if (slo.redirect) {
      return { binding: 'redirect', url: await saml.getLogoutUrlAsync(profile, subject.relayState ?? '', {}), messageId: id };
    }
    const xml = signElement(xmlOfRedirectUrl(await saml.getLogoutUrlAsync(profile, '', {}), 'SAMLRequest'), id, setup.keys.signing);
    return { binding: 'post', url: slo.post!.url, fields: postFields('SAMLRequest', xml, subject.relayState), messageId: id };
  });
}

/**
 * The IdP's answer to our LogoutRequest: signature required (query signature for HTTP-Redirect,
 * XML signature for HTTP-POST), issuer the IdP, status Success, InResponseTo a pending logout
 * request of ours for this provider (taken once) with the same RelayState.
 */
export async function consumeLogoutResponse(
  ctx: SamlContext,
  provider: SamlProvider,
  message: SamlInbound,
): Promise<SamlResult<{ inResponseTo: string; relayState: string | null }>> {
  return attempt(async () => {
    const setup = await setUp(ctx, provider);
    const inbound = await verifyInbound(setup, message, 'LogoutResponse');
    const statusElement = child(inbound.root, NS.protocol, 'Status');
    const status = attr(statusElement && child(statusElement, NS.protocol, 'StatusCode'), 'Value');
    if (status !== STATUS_SUCCESS) throw new SamlError('saml_logout_failed', `status ${status ?? '(none)'}`);
    const inResponseTo = attr(inbound.root, 'InResponseTo');
    if (!inResponseTo) throw new SamlError('saml_unsolicited', 'LogoutResponse without InResponseTo');
    const pending = await consumeRequest(ctx.db, { id: inResponseTo, provider: provider.name, kind: 'logout' });
    if (!pending) throw new SamlError('saml_unknown_request', `no pending logout request ${inResponseTo}`);
    if (pending.relayState !== inbound.relayState) throw new SamlError('saml_unknown_request', 'RelayState differs from the request');
    return { inResponseTo, relayState: inbound.relayState };
  });
}

export interface SamlLogoutRequest {
  /** The LogoutRequest's ID: answer it with answerLogoutRequest. */
  requestId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  relayState: string | null;
}

/**
 * IdP-initiated single logout: a LogoutRequest from the IdP (signature required, issuer the IdP,
 * recent, each ID accepted once). The caller ends the matching sessions, then sends
 * answerLogoutRequest's LogoutResponse back.
 */
export async function consumeLogoutRequest(ctx: SamlContext, provider: SamlProvider, message: SamlInbound): Promise<SamlResult<SamlLogoutRequest>> {
  return attempt(async () => {
    const setup = await setUp(ctx, provider);
    const inbound = await verifyInbound(setup, message, 'LogoutRequest');
    const profile = inbound.profile;
    const requestId = attr(inbound.root, 'ID');
    if (!profile?.nameID || !requestId) throw new SamlError('saml_bad_response', 'LogoutRequest without ID or NameID');
    const issuedAt = Date.parse(attr(inbound.root, 'IssueInstant') ?? '');
    const now = Date.now();
    if (Number.isNaN(issuedAt)) throw new SamlError('saml_bad_response', 'IssueInstant missing');
    if (issuedAt - CLOCK_SKEW_MS > now) throw new SamlError('saml_not_yet_valid', 'issued in the future');
    if (issuedAt + LOGOUT_MAX_AGE_MS + CLOCK_SKEW_MS <= now) throw new SamlError('saml_expired', 'LogoutRequest too old');
    const fresh = await markAccepted(ctx.db, { provider: provider.name, messageId: requestId, expiresAt: issuedAt + LOGOUT_MAX_AGE_MS + CLOCK_SKEW_MS });
    if (!fresh) throw new SamlError('saml_replay', `logout request ${requestId} was accepted before`);
    return {
      requestId,
      nameId: profile.nameID,
      nameIdFormat: profile.nameIDFormat ?? null,
      sessionIndex: (profile.sessionIndex as string | undefined) ?? null,
      relayState: inbound.relayState,
    };
  });
}

/** The signed LogoutResponse to an IdP's LogoutRequest, to its SLO response location. */
export async function answerLogoutRequest(
  ctx: SamlContext,
  provider: SamlProvider,
  request: { requestId: string; relayState?: string | null; success?: boolean },
): Promise<SamlResult<SamlOutbound>> {
  return attempt(async () => {
    const setup = await setUp(ctx, provider);
    const { slo } = setup.idp;
    const target = slo.redirect ?? slo.post;
    if (!target) throw new SamlError('saml_no_slo', `${setup.idp.entityId} has no SingleLogoutService`);
    const id = newMessageId();
    const saml = nodeSaml(setup, { id, logoutUrl: target.responseUrl });
    const asked = { ID: request.requestId } as Profile;
    const success = request.success ?? true;
    if (slo.redirect) {
      return { binding: 'redirect', url: await saml.getLogoutResponseUrlAsync(asked, request.relayState ?? '', {}, success), messageId: id };
    }
    const xml = signElement(xmlOfRedirectUrl(await saml.getLogoutResponseUrlAsync(asked, '', {}, success), 'SAMLResponse'), id, setup.keys.signing);
    return { binding: 'post', url: target.responseUrl, fields: postFields('SAMLResponse', xml, request.relayState ?? undefined), messageId: id };
  });
}

/**
 * node-saml's public API builds logout messages only as HTTP-Redirect URLs (getLogoutUrlAsync,
 * getLogoutResponseUrlAsync: the XML deflated and base64-encoded, the query signed); it has no
 * HTTP-POST form for them. For an IdP that takes HTTP-POST only, the XML is taken back out of such
 * a URL, then signed as XML (the POST binding carries its signature inside the message).
 */
export function xmlOfRedirectUrl(url: string, field: 'SAMLRequest' | 'SAMLResponse'): string {
  const value = new URL(url).searchParams.get(field);
  if (!value) throw new SamlError('saml_bad_response', `node-saml built no ${field}`);
  return inflateRawSync(Buffer.from(value, 'base64'), { maxOutputLength: MESSAGE_MAX_BYTES }).toString('utf8');
}

function postFields(name: 'SAMLRequest' | 'SAMLResponse', xml: string, relayState: string | undefined): Record<string, string> {
  return { [name]: Buffer.from(xml, 'utf8').toString('base64'), ...(relayState ? { RelayState: relayState } : {}) };
}

/**
 * Verifies a logout message with node-saml (signature, issuer, NotOnOrAfter) and returns its root
 * element. node-saml accepts an HTTP-Redirect message without a Signature parameter; we do not.
 */
async function verifyInbound(
  setup: ProviderSetup,
  message: SamlInbound,
  expected: 'LogoutRequest' | 'LogoutResponse',
): Promise<{ root: Element; relayState: string | null; profile: Profile | null }> {
  const { idp, sp } = setup;
  const field = expected === 'LogoutRequest' ? 'SAMLRequest' : 'SAMLResponse';
  const saml = nodeSaml(setup);
  let xml: string;
  let relayState: string | null;
  let verify: () => Promise<{ profile: Profile | null }>;
  if ('query' in message) {
    const params = new URLSearchParams(message.query.replace(/^\?/, ''));
    const container = Object.fromEntries(params);
    if (params.getAll(field).length !== 1 || params.has(expected === 'LogoutRequest' ? 'SAMLResponse' : 'SAMLRequest')) {
      throw new SamlError('saml_bad_response', `expected one ${field}`);
    }
    const deflated = decodeBase64(params.get(field), MESSAGE_MAX_BYTES);
    try {
      xml = inflateRawSync(deflated ?? Buffer.alloc(0), { maxOutputLength: MESSAGE_MAX_BYTES }).toString('utf8');
    } catch {
      throw new SamlError('saml_bad_response', `${field} does not inflate`);
    }
    relayState = params.get('RelayState') || null;
    verify = () => saml.validateRedirectAsync(container, message.query.replace(/^\?/, ''));
  } else {
    const decoded = decodeBase64(message[field], MESSAGE_MAX_BYTES);
    if (!decoded) throw new SamlError('saml_bad_response', `${field} missing or not base64`);
    xml = decoded.toString('utf8');
    relayState = typeof message.RelayState === 'string' && message.RelayState !== '' ? message.RelayState : null;
    const container = { [field]: decoded.toString('base64') };
    verify = () => (field === 'SAMLRequest' ? saml.validatePostRequestAsync(container) : saml.validatePostResponseAsync(container));
  }
  const root = parseXml(xml)?.documentElement;
  if (!is(root, NS.protocol, expected)) throw new SamlError('saml_bad_response', `not a samlp:${expected}`);
  const signed =
    'query' in message
      ? new URLSearchParams(message.query.replace(/^\?/, '')).has('Signature')
      : descendants(root, NS.dsig, 'Signature').length > 0;
  if (!signed) throw new SamlError('saml_unsigned', `${expected} not signed`);
  const destination = attr(root, 'Destination');
  if (destination !== undefined && destination !== sp.sloUrl) throw new SamlError('saml_recipient', `Destination ${destination}`);
  if (text(child(root, NS.assertion, 'Issuer')) !== idp.entityId) throw new SamlError('saml_issuer', 'not issued by the IdP');
  try {
    const { profile } = await verify();
    return { root, relayState, profile };
  } catch (e) {
    throw fromNodeSaml(e);
  }
}
