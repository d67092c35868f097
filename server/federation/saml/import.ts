import { attempt, type SamlResult } from './errors';
import { fetchMetadataXml, parseIdpMetadata, type FetchMetadataOptions, type IdpMetadata } from './idp-metadata';

/**
 * Metadata import for a provider being configured (admin console, seed check): from pasted XML
 * or from a URL. Returns the metadata and the XML it was read from (to store as `metadata_xml`
 * when the admin prefers a snapshot), or an error code: saml_metadata_invalid, _fetch, _timeout,
 * _too_large.
 */
export async function importIdpMetadata(
  source: { xml: string } | { url: string },
  options: FetchMetadataOptions & { entityId?: string } = {},
): Promise<SamlResult<{ metadata: IdpMetadata; xml: string }>> {
  return attempt(async () => {
    const xml = 'xml' in source ? source.xml : await fetchMetadataXml(source.url, options);
    return { metadata: parseIdpMetadata(xml, options), xml };
  });
}
