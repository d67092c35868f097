import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import type { SamlContext } from './client';
import { spEndpoints } from './endpoints';
import type { SamlProvider } from './provider';
import { spKeys } from './sp-keys';
import { BINDING, children, NS, parseXml, serialize } from './xml';

/**
 * Our SP metadata for one provider (serve it as `application/samlmetadata+xml` at the entity ID):
 * entity ID, the ACS (HTTP-POST), the SLO endpoint (HTTP-Redirect and HTTP-POST), the signing
 * certificate (AuthnRequestsSigned per the record) and the encryption certificate, with
 * WantAssertionsSigned (either the response or the assertion must be signed in any case).
 */
export async function spMetadataXml(ctx: Pick<SamlContext, 'db' | 'publicUrl'>, provider: Pick<SamlProvider, 'name' | 'sign_requests' | 'name_id_format'>): Promise<string> {
  const sp = spEndpoints(ctx.publicUrl, provider.name);
  const keys = await spKeys(ctx.db);
  const generated = generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.sloUrl,
    identifierFormat: provider.name_id_format ?? null,
    wantAssertionsSigned: true,
    privateKey: keys.signing.privateKeyPem,
    publicCerts: keys.signing.certificatePem,
    decryptionPvk: keys.encryption.privateKeyPem,
    decryptionCert: keys.encryption.certificatePem,
    signatureAlgorithm: 'sha256',
  });
  // node-saml declares AuthnRequestsSigned from the key alone, and SLO with HTTP-POST only.
  const doc = parseXml(generated);
  const descriptor = doc && children(doc.documentElement, NS.metadata, 'SPSSODescriptor')[0];
  if (!descriptor) throw new Error('node-saml produced SP metadata without an SPSSODescriptor');
  descriptor.setAttribute('AuthnRequestsSigned', provider.sign_requests ? 'true' : 'false');
  const slo = children(descriptor, NS.metadata, 'SingleLogoutService')[0];
  if (slo) {
    const redirect = doc.createElementNS(NS.metadata, 'SingleLogoutService');
    redirect.setAttribute('Binding', BINDING.redirect);
    redirect.setAttribute('Location', sp.sloUrl);
    descriptor.insertBefore(redirect, slo);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(doc.documentElement)}`;
}
