import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SAML, ValidateInResponseTo, type CacheProvider, type SamlConfig } from '@node-saml/node-saml';
import type { Database } from '../../db/schema';
import { certificatePem } from './certificate';
import { spEndpoints, type SpEndpoints } from './endpoints';
import { resolveIdpMetadata, type FetchMetadataOptions, type IdpMetadata } from './idp-metadata';
import type { SamlProvider } from './provider';
import { spKeys, type SpKeys } from './sp-keys';

/** What the SAML service provider needs from the process. */
export interface SamlContext {
  db: Kysely<Database>;
  /** PUBLIC_URL: our issuer, no trailing slash. */
  publicUrl: string;
  /** For metadata URLs (tests may pass a timeout or another fetch). */
  metadataFetch?: FetchMetadataOptions;
}

/** Tolerated difference between our clock and the IdP's, both ways. */
export const CLOCK_SKEW_MS = 60_000;

/** Everything about one provider that the protocol steps share. */
export interface ProviderSetup {
  provider: SamlProvider;
  idp: IdpMetadata;
  keys: SpKeys;
  sp: SpEndpoints;
}

export async function setUp(ctx: SamlContext, provider: SamlProvider): Promise<ProviderSetup> {
  const [idp, keys] = await Promise.all([resolveIdpMetadata(provider, ctx.metadataFetch), spKeys(ctx.db)]);
  return { provider, idp, keys, sp: spEndpoints(ctx.publicUrl, provider.name) };
}

/** Our request IDs: an XML ID (starts with a letter or `_`), 160 random bits. */
export function newMessageId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/**
 * Request IDs are kept by store.ts (one database for every instance), not by node-saml's
 * in-memory cache: node-saml only builds and verifies messages here.
 */
const noCache: CacheProvider = {
  saveAsync: async () => null,
  getAsync: async () => null,
  removeAsync: async () => null,
};

/**
 * A node-saml instance for one provider. `id` is the ID the next message it builds gets.
 * It verifies signatures with the IdP's metadata certificates, decrypts with our encryption
 * key, checks audience and time window; InResponseTo, Recipient, issuer and replay are checked
 * by consume.ts on the signed assertion node-saml hands back.
 */
export function nodeSaml(
  setup: ProviderSetup,
  options: { id?: string; signAuthnRequests?: boolean; postBinding?: boolean; logoutUrl?: string; forceAuthn?: boolean } = {},
): SAML {
  const { idp, keys, sp, provider } = setup;
  const sign = options.signAuthnRequests ?? true;
  const config: SamlConfig = {
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.sloUrl,
    entryPoint: (options.postBinding ? idp.sso.post : idp.sso.redirect) ?? idp.sso.redirect ?? idp.sso.post,
    logoutUrl: options.logoutUrl ?? idp.slo.redirect?.url ?? idp.slo.post?.url,
    idpCert: idp.signingCertificates.map(certificatePem),
    idpIssuer: idp.entityId,
    ...(sign ? { privateKey: keys.signing.privateKeyPem, publicCert: keys.signing.certificatePem } : {}),
    decryptionPvk: keys.encryption.privateKeyPem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    // Either the response or the assertion must carry a valid signature; node-saml then works only
    // on the signed bytes.
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.never,
    cacheProvider: noCache,
    identifierFormat: provider.name_id_format ?? null,
    // Asking for a given authentication context makes some IdPs refuse (NoAuthnContext).
    disableRequestedAuthnContext: true,
    // ForceAuthn="true": the IdP MUST authenticate the user anew, not rely on its session (SAML core 3.4.1).
    forceAuthn: options.forceAuthn === true,
    // The HTTP-POST binding carries the XML as is; only HTTP-Redirect deflates it.
    skipRequestCompression: options.postBinding === true,
    generateUniqueId: () => options.id ?? newMessageId(),
  };
  return new SAML(config);
}
