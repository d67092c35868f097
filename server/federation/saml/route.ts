import { inflateRawSync } from 'node:zlib';
import type { SamlContext } from './client';
import { providerNameFromEntityId } from './endpoints';
import { resolveIdpMetadata } from './idp-metadata';
import type { SamlInbound } from './logout';
import type { SamlProvider } from './provider';
import { pendingRequestProvider } from './store';
import { attr, child, decodeBase64, descendants, NS, parseXml, text } from './xml';

const PEEK_MAX_BYTES = 256 * 1024;

/**
 * What an inbound message claims, before any verification: only to pick the provider whose
 * keys will then verify it. Null when it is not a SAML message.
 */
export function peekMessage(message: SamlInbound): { issuer?: string; inResponseTo?: string; audiences: string[] } | null {
  let xml: string | undefined;
  if ('query' in message) {
    const params = new URLSearchParams(message.query.replace(/^\?/, ''));
    const encoded = decodeBase64(params.get('SAMLRequest') ?? params.get('SAMLResponse'), PEEK_MAX_BYTES);
    try {
      xml = encoded ? inflateRawSync(encoded, { maxOutputLength: PEEK_MAX_BYTES }).toString('utf8') : undefined;
    } catch {
      return null;
    }
  } else {
    xml = decodeBase64(message.SAMLResponse ?? message.SAMLRequest, PEEK_MAX_BYTES)?.toString('utf8');
  }
  const root = xml ? parseXml(xml)?.documentElement : undefined;
  if (!root || root.namespaceURI !== NS.protocol) return null;
  const assertion = child(root, NS.assertion, 'Assertion');
  return {
    issuer: text(child(root, NS.assertion, 'Issuer')) ?? (assertion && text(child(assertion, NS.assertion, 'Issuer'))),
    inResponseTo: attr(root, 'InResponseTo'),
    audiences: assertion ? descendants(assertion, NS.assertion, 'Audience').flatMap((a) => text(a) ?? []) : [],
  };
}

/**
 * The provider an inbound message at the shared ACS or SLO endpoint is for: the one we sent the
 * request it answers to; else the one whose SP entity ID it is addressed to (Audience); else the
 * only provider whose IdP has the message's issuer. Null when none (or several) fit. The message
 * is verified afterwards with that provider's keys; this choice grants nothing by itself.
 */
export async function findProvider(ctx: SamlContext, providers: SamlProvider[], message: SamlInbound): Promise<SamlProvider | null> {
  const peeked = peekMessage(message);
  if (!peeked) return null;
  const byName = (name: string | null | undefined) => providers.find((p) => p.name === name) ?? null;
  if (peeked.inResponseTo) {
    const pending = byName(await pendingRequestProvider(ctx.db, peeked.inResponseTo));
    if (pending) return pending;
  }
  for (const audience of peeked.audiences) {
    const addressed = byName(providerNameFromEntityId(ctx.publicUrl, audience));
    if (addressed) return addressed;
  }
  if (!peeked.issuer) return null;
  const matches: SamlProvider[] = [];
  for (const p of providers) {
    const idp = await resolveIdpMetadata(p, ctx.metadataFetch).catch(() => null);
    if (idp?.entityId === peeked.issuer) matches.push(p);
  }
  return matches.length === 1 ? matches[0] : null;
}
