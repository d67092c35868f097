import { z } from 'zod';
import { coded, codedPattern } from '../../config/field-codes';

/** The common SAML name-identifier formats. */
export const NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
] as const;

/**
 * The SAML-specific fields of an identity-provider record (seed `identity_providers[]` entry of
 * type "saml", and the database record behind it). Unknown keys are stripped, so a wider record
 * (with `type`, `idp_identifiers`, …) parses as is.
 */
export const samlProviderSchema = z
  .object({
    /** Cognito's rule: 1–32 characters; no leading or trailing space. It appears in our SP URLs. */
    name: z
      .string()
      .min(1)
      .max(32)
      .regex(codedPattern(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'trimmed_text'), 'no control characters, no leading or trailing spaces'),
    metadata_xml: z.string().min(1).max(1_048_576).optional(),
    metadata_url: z.url({ protocol: /^https?$/ }).optional(),
    /** Pool attribute (e.g. `email`, `custom:plan`) → SAML attribute Name. */
    attribute_mapping: z.record(z.string().min(1).max(128), z.string().min(1).max(1024)).default({}),
    /** Accept responses the IdP sends without our asking (no InResponseTo). */
    idp_initiated: z.boolean().default(false),
    /** Sign our AuthnRequests (logout messages are always signed). */
    sign_requests: z.boolean().default(true),
    /** How to send the AuthnRequest; if the IdP's metadata lacks it, the other one it offers is used. */
    binding: z.enum(['redirect', 'post']).default('redirect'),
    /** Refuse assertions that are not encrypted to our SP encryption key. */
    want_encrypted_assertions: z.boolean().optional(),
    /** The NameIDPolicy Format to ask for (a URN, e.g. one of NAME_ID_FORMATS); without it the IdP chooses. */
    name_id_format: z.string().max(256).regex(codedPattern(/^urn:[\x21-\x7e]+$/, 'urn'), 'a URN').optional(),
  })
  .refine((p) => (p.metadata_xml === undefined) !== (p.metadata_url === undefined), coded('saml_metadata_source', 'give exactly one of metadata_xml and metadata_url', { path: ['metadata_xml'] }));

export type SamlProviderInput = z.input<typeof samlProviderSchema>;
export type SamlProvider = z.output<typeof samlProviderSchema>;

/**
 * Pool attributes from SAML attributes by the provider's mapping (first value of each; absent
 * attributes are left out).
 */
export function mapAttributes(provider: Pick<SamlProvider, 'attribute_mapping'>, attributes: Record<string, string[]>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [poolAttribute, samlName] of Object.entries(provider.attribute_mapping)) {
    const value = Object.hasOwn(attributes, samlName) ? attributes[samlName][0] : undefined;
    if (value !== undefined) mapped[poolAttribute] = value;
  }
  return mapped;
}
