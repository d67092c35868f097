import { X509Certificate } from 'node:crypto';
import { SamlError } from './errors';
import type { SamlProvider } from './provider';
import { attr, BINDING, children, descendants, is, NS, parseXml, text } from './xml';

/** What we use of an IdP's SAML 2.0 metadata. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService locations by binding. */
  sso: { redirect?: string; post?: string };
  /** SingleLogoutService by binding; `responseUrl` is ResponseLocation, else Location. */
  slo: { redirect?: { url: string; responseUrl: string }; post?: { url: string; responseUrl: string } };
  /** Base64 DER bodies of the certificates the IdP signs with (KeyDescriptor use="signing" or no use). */
  signingCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  nameIdFormats: string[];
}

export const METADATA_MAX_BYTES = 1_048_576;
export const METADATA_TIMEOUT_MS = 5_000;
/** Metadata fetched from a URL is reused for this long, and past it when a refetch fails. */
export const METADATA_CACHE_MS = 60 * 60_000;

/**
 * Reads IdP metadata XML: an EntityDescriptor with an IDPSSODescriptor (or an EntitiesDescriptor
 * holding exactly one such; pass `entityId` to pick one among several). The metadata's own
 * signature is not checked: whoever configures the provider vouches for the document or its URL.
 */
export function parseIdpMetadata(xml: string, options: { entityId?: string } = {}): IdpMetadata {
  const doc = parseXml(xml);
  if (!doc) throw new SamlError('saml_metadata_invalid', 'not well-formed XML (or it has a DOCTYPE)');
  const root = doc.documentElement;
  const candidates = is(root, NS.metadata, 'EntityDescriptor')
    ? [root]
    : is(root, NS.metadata, 'EntitiesDescriptor')
      ? descendants(root, NS.metadata, 'EntityDescriptor')
      : [];
  const idps = candidates.filter(
    (e) => children(e, NS.metadata, 'IDPSSODescriptor').length > 0 && (!options.entityId || attr(e, 'entityID') === options.entityId),
  );
  if (idps.length !== 1) {
    throw new SamlError('saml_metadata_invalid', idps.length === 0 ? 'no SAML 2.0 identity provider in the metadata' : 'several identity providers: choose one by entity ID');
  }
  const entity = idps[0];
  const entityId = attr(entity, 'entityID');
  if (!entityId) throw new SamlError('saml_metadata_invalid', 'EntityDescriptor without entityID');
  const descriptor = children(entity, NS.metadata, 'IDPSSODescriptor').find((d) =>
    (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );
  if (!descriptor) throw new SamlError('saml_metadata_invalid', 'IDPSSODescriptor does not support SAML 2.0');

  const services = (name: string) =>
    children(descriptor, NS.metadata, name).flatMap((s) => {
      const binding = attr(s, 'Binding');
      const url = httpUrl(attr(s, 'Location'));
      const kind = binding === BINDING.redirect ? 'redirect' : binding === BINDING.post ? 'post' : undefined;
      return kind && url ? [{ kind, url, responseUrl: httpUrl(attr(s, 'ResponseLocation')) ?? url }] : [];
    });
  const sso: IdpMetadata['sso'] = {};
  for (const s of services('SingleSignOnService')) sso[s.kind as 'redirect' | 'post'] ??= s.url;
  if (!sso.redirect && !sso.post) throw new SamlError('saml_metadata_invalid', 'no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');
  const slo: IdpMetadata['slo'] = {};
  for (const s of services('SingleLogoutService')) slo[s.kind as 'redirect' | 'post'] ??= { url: s.url, responseUrl: s.responseUrl };

  const signingCertificates = children(descriptor, NS.metadata, 'KeyDescriptor')
    .filter((k) => (attr(k, 'use') ?? 'signing') === 'signing')
    .flatMap((k) => descendants(k, NS.dsig, 'X509Certificate'))
    .map((c) => (text(c) ?? '').replace(/\s+/g, ''))
    .filter((body, i, all) => body && all.indexOf(body) === i);
  if (signingCertificates.length === 0) throw new SamlError('saml_metadata_invalid', 'no signing certificate');
  for (const body of signingCertificates) {
    try {
      new X509Certificate(Buffer.from(body, 'base64'));
    } catch {
      throw new SamlError('saml_metadata_invalid', 'a signing certificate is not a valid X.509 certificate');
    }
  }
  return {
    entityId,
    sso,
    slo,
    signingCertificates,
    wantAuthnRequestsSigned: attr(descriptor, 'WantAuthnRequestsSigned') === 'true',
    nameIdFormats: children(descriptor, NS.metadata, 'NameIDFormat').flatMap((n) => text(n) ?? []),
  };
}

function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface FetchMetadataOptions {
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** Downloads IdP metadata XML (http or https; at most `maxBytes`, within `timeoutMs`). */
export async function fetchMetadataXml(url: string, options: FetchMetadataOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? METADATA_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? METADATA_MAX_BYTES;
  if (!httpUrl(url)) throw new SamlError('saml_metadata_fetch', 'the metadata URL must be http(s)');
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await (options.fetch ?? fetch)(url, { signal, redirect: 'follow', headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
    if (!res.ok) throw new SamlError('saml_metadata_fetch', `HTTP ${res.status} from ${url}`);
    const declared = Number(res.headers.get('content-length') ?? 'NaN');
    if (declared > maxBytes) throw new SamlError('saml_metadata_too_large', `${declared} bytes declared, limit ${maxBytes}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    if (!reader) throw new SamlError('saml_metadata_fetch', 'empty answer');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new SamlError('saml_metadata_too_large', `over ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof SamlError) throw e;
    if (signal.aborted) throw new SamlError('saml_metadata_timeout', `no complete answer from ${url} within ${timeoutMs} ms`);
    const cause = (e as Error).cause as Error | undefined;
    throw new SamlError('saml_metadata_fetch', `${url}: ${cause?.message ?? (e as Error).message}`);
  }
}

/** Downloads and reads IdP metadata. */
export async function fetchIdpMetadata(url: string, options: FetchMetadataOptions & { entityId?: string } = {}): Promise<IdpMetadata> {
  return parseIdpMetadata(await fetchMetadataXml(url, options), options);
}

const fetched = new Map<string, { at: number; metadata: IdpMetadata }>();

/**
 * The metadata of a provider record: parsed from `metadata_xml`, or fetched from `metadata_url`
 * and kept for METADATA_CACHE_MS (a stale copy serves while the URL fails).
 */
export async function resolveIdpMetadata(provider: Pick<SamlProvider, 'metadata_xml' | 'metadata_url'>, options: FetchMetadataOptions = {}): Promise<IdpMetadata> {
  if (provider.metadata_xml !== undefined) return parseIdpMetadata(provider.metadata_xml);
  const url = provider.metadata_url;
  if (!url) throw new SamlError('saml_metadata_invalid', 'the provider has neither metadata_xml nor metadata_url');
  const cached = fetched.get(url);
  if (cached && Date.now() - cached.at < METADATA_CACHE_MS) return cached.metadata;
  try {
    const metadata = await fetchIdpMetadata(url, options);
    fetched.set(url, { at: Date.now(), metadata });
    return metadata;
  } catch (e) {
    if (cached) return cached.metadata;
    throw e;
  }
}

/** Forgets fetched metadata (after a provider's URL or keys change). */
export function forgetFetchedMetadata(url?: string): void {
  if (url) fetched.delete(url);
  else fetched.clear();
}
