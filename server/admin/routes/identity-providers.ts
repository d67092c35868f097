import { z } from 'zod';
import { identityProviderSchema, type IdentityProviderConfig } from '../../config/identity-providers';
import { isFieldCode } from '../../config/field-codes';
import { importIdpMetadata } from '../../federation/saml/import';
import { providerRecordOf, type AdminOps } from '../../pool';
import { etagOf } from '../etag';
import { checkSameId, notFound, Problem } from '../problem';
import { route, type Call, type Route } from '../route';
import { deleteResource, writeResource } from '../write';

const params = z.object({ name: z.string().min(1).max(32) });
const provider = identityProviderSchema.meta({
  id: 'IdentityProvider',
  description: 'An identity provider as in `identity_providers` of the pool config. Secrets are never shown: the export’s placeholder stands for them, and written back keeps the stored one.',
});
const metadataBody = z.object({ metadata_xml: z.string().min(1).max(200_000) }).strict().meta({ id: 'SamlMetadataImport' });
const metadataSummary = z.object({
  entity_id: z.string(),
  single_sign_on: z.object({ redirect: z.string().optional(), post: z.string().optional() }),
  signing_certificates: z.number().int().describe('how many signing certificates were read'),
});

async function providerOf(admin: AdminOps, name: string) {
  const p = await admin.identityProviders.get({ name });
  if (!p) throw notFound(`identity provider "${name}"`);
  return p;
}

/** SAML metadata given as XML must be an IdP's, read safely (no DOCTYPE, no entities): else a 400 on the field. */
async function checkedMetadata(xml: string) {
  const read = await importIdpMetadata({ xml });
  if ('error' in read) {
    throw new Problem(400, 'invalid-request', 'The request is not valid', 'the SAML metadata cannot be used', { errors: [{ pointer: '/metadata_xml', detail: read.detail ?? read.error, code: isFieldCode(read.error) ? read.error : 'saml_metadata_invalid', params: {} }] });
  }
  const { entityId, sso, signingCertificates } = read.ok.metadata;
  return { entity_id: entityId, single_sign_on: sso, signing_certificates: signingCertificates.length };
}

type ProviderRecord = ReturnType<typeof providerRecordOf>;

const target = (name: string) => ({
  type: 'identity_provider',
  what: `identity provider "${name}"`,
  load: (admin: AdminOps) => admin.identityProviders.get({ name }),
  show: providerRecordOf,
  idOf: (p: { name: string }) => p.name,
});

/** Creates or replaces the provider in one audited write, If-Match checked against what it showed. */
const put = (c: Call<{ name: string }, unknown, unknown>, wanted: (before: IdentityProviderConfig | undefined) => IdentityProviderConfig, body?: (shown: ProviderRecord) => unknown) =>
  writeResource(c, { ...target(c.params.name), save: (admin, before) => admin.identityProviders.put({ provider: wanted(before), before }), body });

export const identityProviderRoutes: Route[] = [
  route({
    id: 'listIdentityProviders',
    method: 'GET',
    path: '/identity-providers',
    tag: 'identity-providers',
    summary: 'Outside identity providers (OIDC, SAML, social), secrets hidden',
    response: { status: 200, schema: z.object({ items: z.array(provider) }) },
    handle: async (c) => ({ status: 200, body: { items: (await c.admin.identityProviders.list()).map(providerRecordOf) } }),
  }),
  route({
    id: 'getIdentityProvider',
    method: 'GET',
    path: '/identity-providers/{name}',
    tag: 'identity-providers',
    summary: 'An identity provider, secrets hidden',
    params,
    response: { status: 200, schema: provider, etag: true },
    handle: async (c) => {
      const p = providerRecordOf(await providerOf(c.admin, c.params.name));
      return { status: 200, body: p, etag: etagOf(p) };
    },
  }),
  route({
    id: 'putIdentityProvider',
    method: 'PUT',
    path: '/identity-providers/{name}',
    tag: 'identity-providers',
    summary: 'Create or replace an identity provider (If-Match required when it exists); sign-in pages offer it within seconds',
    params,
    body: provider,
    ifMatch: 'required',
    response: { status: 200, schema: provider, etag: true },
    handle: async (c) => {
      checkSameId('name', c.body.name, c.params.name);
      if (c.body.type === 'saml' && c.body.metadata_xml !== undefined) await checkedMetadata(c.body.metadata_xml);
      return put(c, () => c.body);
    },
  }),
  route({
    id: 'importSamlMetadata',
    method: 'POST',
    path: '/identity-providers/{name}/saml-metadata',
    tag: 'identity-providers',
    summary: 'Replace a SAML provider’s metadata with an IdP metadata document (entity ID, single sign-on URLs, signing certificates)',
    params,
    body: metadataBody,
    ifMatch: 'optional',
    response: { status: 200, schema: z.object({ provider, metadata: metadataSummary }), etag: true },
    handle: async (c) => {
      const metadata = await checkedMetadata(c.body.metadata_xml);
      return put(
        c,
        (before) => {
          if (!before) throw notFound(`identity provider "${c.params.name}"`);
          if (before.type !== 'saml') throw new Problem(409, 'conflict', 'Conflicts with the resource', `"${before.name}" is an ${before.type} provider, not a SAML one`);
          const { metadata_url: _url, ...rest } = before;
          return { ...rest, metadata_xml: c.body.metadata_xml };
        },
        (provider) => ({ provider, metadata }),
      );
    },
  }),
  route({
    id: 'deleteIdentityProvider',
    method: 'DELETE',
    path: '/identity-providers/{name}',
    tag: 'identity-providers',
    summary: 'Delete an identity provider no app client offers and no user is linked to (409 otherwise)',
    params,
    ifMatch: 'required',
    response: { status: 204 },
    handle: async (c) => {
      return deleteResource(c, { ...target(c.params.name), remove: (admin, before) => admin.identityProviders.delete({ name: before.name }) });
    },
  }),
];
